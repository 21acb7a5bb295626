"""Statistics pages of 督查督办: the director's dashboard (统计分析: headline figures and four ECharts charts) and
the statistics table (per unit with totals, by source, by leader, by month; XLSX download). Both read tstats.py
only, so they show the same numbers as the API; every figure links to the board filtered to its items."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from zhongshu.core import clock
from zhongshu.core.exceptions import ValidationFailed
from zhongshu.org.models import Person

from . import stats as tstats
from .choices import AssessBasis, NoticeLevel
from .models import Config

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RATE_GOOD, RATE_FAIR = 0.9, 0.7  # bar colours: green from 90%, amber from 70%, red below

UNIT_SORTS: dict[str, tuple[str, str]] = {
    "order": ("固定顺序", ""),
    "assigned": ("交办", "assigned"),
    "closed": ("办结", "closed"),
    "on_time_rate": ("按期办结率", "on_time_rate"),
    "overdue": ("当前超期", "overdue"),
    "overdue_workdays": ("超期工作日", "overdue_workdays"),
    "notices": ("督办通知", "notices"),
}


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):  # login_required runs first; this narrows the type
        raise Http404
    return user


@dataclass
class Page:
    """What both pages need: who asks, when, for which period and on which assessment basis."""

    actor: Person
    now: dt.datetime
    period: tstats.Period
    cfg: Config
    basis: str
    errors: dict[str, list[str]]
    raw: dict[str, str]

    def kwargs(self) -> dict[str, Any]:
        return {
            "start": self.period.start,
            "end": self.period.end,
            "now": self.now,
            "basis": self.basis,
            "cfg": self.cfg,
        }

    def link(self, period: tstats.Period | None, figure: str, **extra: Any) -> str:
        """The board URL listing exactly the items behind a figure."""
        query = tstats.drill(period, figure=figure, basis=self.basis, **extra)
        return f"{reverse('tracking:board')}?{urlencode(query)}"

    @property
    def basis_label(self) -> str:
        return str(AssessBasis(self.basis).label) if self.basis in AssessBasis.values else self.basis

    def query(self, **extra: str) -> str:
        values = {**self.period.query(), **({"basis": self.basis} if self.raw.get("basis") else {}), **extra}
        return urlencode({key: value for key, value in values.items() if value})


def _page(request: HttpRequest) -> Page:
    actor = _actor(request)
    if not tstats.may_view(actor):
        raise PermissionDenied("您无权查看督查统计。")
    from .services import config

    now = clock.now()
    today = clock.localtime(now).date()
    raw = {key: str(request.GET.get(key, "")).strip()[:20] for key in ("period", "from", "to", "basis")}
    errors: dict[str, list[str]] = {}
    try:
        period = tstats.parse_period(raw, today=today)
    except ValidationFailed as exc:
        errors = exc.errors
        period = tstats.period_of("year", today)
    cfg = config()
    basis = raw["basis"] if raw["basis"] in AssessBasis.values else cfg.assess_basis
    if raw["basis"] and raw["basis"] not in AssessBasis.values:
        errors["basis"] = ["考核口径无效，已按督查督办设置统计。"]
    if not raw["period"] and (raw["from"] or raw["to"]):
        raw["period"] = "custom"
    return Page(actor=actor, now=now, period=period, cfg=cfg, basis=basis, errors=errors, raw=raw)


def _period_context(page: Page) -> dict[str, Any]:
    return {
        "period": page.period,
        "period_kinds": list(tstats.PERIOD_KINDS.items()),
        "selected_kind": page.raw["period"] or page.period.kind,
        "raw": page.raw,
        "errors": page.errors,
        "basis": page.basis,
        "basis_label": page.basis_label,
        "basis_choices": AssessBasis.choices,
        "office_basis": page.cfg.assess_basis,
        "scope_units": tstats.unit_scope(page.actor),
    }


def _rate_colour(rate: float | None) -> str:
    if rate is None:
        return "grey"
    return "green" if rate >= RATE_GOOD else "yellow" if rate >= RATE_FAIR else "red"


# The dashboard ------------------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计分析: the director's view of the district at a glance; every number and bar opens its items."""
    page = _page(request)
    kwargs = page.kwargs()
    summary = tstats.summary(page.actor, **kwargs)
    units = tstats.by_unit(page.actor, **kwargs)
    sources = tstats.by_source(page.actor, **kwargs)
    months = tstats.trend(page.actor, **kwargs)
    month = tstats.Period(summary.month_start, summary.today)
    tiles = [
        {"key": "open", "label": "在办", "value": summary.open, "url": page.link(None, "open"), "note": "未办结事项"},
        {
            "key": "month_assigned",
            "label": "本月交办",
            "value": summary.month_assigned,
            "url": page.link(month, "assigned"),
            "note": f"{summary.month_start.month}月1日至今",
        },
        {
            "key": "on_time_rate",
            "label": "按期办结率",
            "value": summary.on_time_percent,
            "url": page.link(page.period, "closed"),
            "note": f"按期 {summary.closed_on_time} / 办结 {summary.closed}",
        },
        {
            "key": "overdue",
            "label": "当前超期",
            "value": summary.overdue,
            "url": page.link(None, "overdue"),
            "note": "含逾期报结待核查",
            "danger": summary.overdue > 0,
        },
        {
            "key": "due_soon",
            "label": "临近到期",
            "value": summary.due_soon,
            "url": page.link(None, "due_soon"),
            "note": f"{page.cfg.warn_workdays} 个工作日内到期",
            "warn": summary.due_soon > 0,
        },
        {
            "key": "assigned",
            "label": "期间交办",
            "value": summary.assigned,
            "url": page.link(page.period, "assigned"),
            "note": f"逾期签收 {summary.signed_late}",
        },
    ]
    chart = {
        "onTime": {
            "title": "各单位按期办结率",
            "categories": [row.unit for row in units],
            "values": [None if row.on_time_rate is None else round(row.on_time_rate * 100, 1) for row in units],
            "colours": [_rate_colour(row.on_time_rate) for row in units],
            "labels": [
                "无办结" if row.closed == 0 else f"{row.on_time_percent}（{row.closed_on_time}/{row.closed}）"
                for row in units
            ],
            "urls": [page.link(page.period, "closed", lead_unit=row.unit_id) for row in units],
        },
        "overdue": {
            "title": "各单位当前超期事项",
            "categories": [row.unit for row in units if row.overdue],
            "values": [row.overdue for row in units if row.overdue],
            "labels": [f"{row.overdue} 件（{row.overdue_workdays} 个工作日）" for row in units if row.overdue],
            "urls": [page.link(None, "overdue", lead_unit=row.unit_id) for row in units if row.overdue],
        },
        "trend": {
            "categories": [
                row.short_label if index else f"{row.month.month}月\n{row.month.year}年"
                for index, row in enumerate(months)
            ],
            "series": [
                {
                    "name": "交办",
                    "values": [row.assigned for row in months],
                    "urls": [page.link(tstats.Period(row.start, row.end), "assigned") for row in months],
                },
                {
                    "name": "办结",
                    "values": [row.closed for row in months],
                    "urls": [page.link(tstats.Period(row.start, row.end), "closed") for row in months],
                },
                {
                    "name": "按期办结",
                    "values": [row.closed_on_time for row in months],
                    "urls": [page.link(tstats.Period(row.start, row.end), "closed_on_time") for row in months],
                },
            ],
            "rates": [None if row.on_time_rate is None else round(row.on_time_rate * 100, 1) for row in months],
        },
        "sources": {
            "items": [
                {
                    "name": row.label,
                    "value": row.assigned,
                    "url": page.link(page.period, "assigned", source_type=row.source_type),
                }
                for row in sources
                if row.assigned
            ]
        },
    }
    context = {
        **_period_context(page),
        "summary": summary,
        "tiles": tiles,
        "chart": chart,
        "units": units,
        "worst": sorted([row for row in units if row.overdue], key=lambda row: (-row.overdue, -row.overdue_workdays))[
            :5
        ],
        "stats_query": page.query(),
    }
    return render(request, "tracking/dashboard.html", context)


# The statistics table -----------------------------------------------------------------------------------------


@login_required
def stats_table(request: HttpRequest) -> HttpResponse:
    """统计表: per unit (sortable, with a totals row), by source, by leader and by month; ?format=xlsx."""
    page = _page(request)
    kwargs = page.kwargs()
    units = tstats.by_unit(page.actor, **kwargs)
    total = tstats.totals(units)
    sources = tstats.by_source(page.actor, **kwargs)
    leaders = tstats.by_leader(page.actor, **kwargs)
    months = tstats.trend(page.actor, **kwargs)
    if request.GET.get("format") == "xlsx":
        return _xlsx(page, units, total, sources, leaders, months)
    sort = str(request.GET.get("sort") or "order")
    key = sort.lstrip("-")
    if key in UNIT_SORTS and key != "order":
        attr = UNIT_SORTS[key][1]
        present = [row for row in units if getattr(row, attr) is not None]
        missing = [row for row in units if getattr(row, attr) is None]  # no rate: always last
        units = sorted(present, key=lambda row: getattr(row, attr), reverse=not sort.startswith("-")) + missing
    else:
        sort = "order"
    unit_rows = [
        {
            "row": row,
            "colour": _rate_colour(row.on_time_rate),
            "links": {
                "assigned": page.link(page.period, "assigned", lead_unit=row.unit_id),
                "signed_late": page.link(page.period, "signed_late", lead_unit=row.unit_id),
                "closed": page.link(page.period, "closed", lead_unit=row.unit_id),
                "closed_on_time": page.link(page.period, "closed_on_time", lead_unit=row.unit_id),
                "overdue": page.link(None, "overdue", lead_unit=row.unit_id),
                "notices": page.link(page.period, "notices", lead_unit=row.unit_id),
            },
        }
        for row in units
    ]
    total_links = {
        "assigned": page.link(page.period, "assigned"),
        "signed_late": page.link(page.period, "signed_late"),
        "closed": page.link(page.period, "closed"),
        "closed_on_time": page.link(page.period, "closed_on_time"),
        "overdue": page.link(None, "overdue"),
        "notices": page.link(page.period, "notices"),
    }

    def figure_rows(rows: list[Any], **filter_of: Any) -> list[dict[str, Any]]:
        """Rows of the by-source and by-leader tables; filter_of maps the board filter to the row attribute."""
        ((name_of_filter, attr),) = filter_of.items()
        return [
            {
                "row": row,
                "colour": _rate_colour(row.on_time_rate),
                "links": {
                    name: page.link(
                        None if name == "overdue" else page.period, name, **{name_of_filter: getattr(row, attr)}
                    )
                    for name in ("assigned", "closed", "closed_on_time", "overdue")
                },
            }
            for row in rows
        ]

    sort_links = []
    for name, (label, _attr) in UNIT_SORTS.items():
        target = "order" if name == "order" else f"-{name}" if sort == name else name  # a second click reverses
        arrow = "" if sort.lstrip("-") != name or name == "order" else ("↓" if not sort.startswith("-") else "↑")
        sort_links.append(
            {"label": label, "query": page.query(sort=target), "active": sort.lstrip("-") == name, "arrow": arrow}
        )
    context = {
        **_period_context(page),
        "unit_rows": unit_rows,
        "total": total,
        "total_colour": _rate_colour(total.on_time_rate),
        "total_links": total_links,
        "source_rows": figure_rows(sources, source_type="source_type"),
        "leader_rows": figure_rows(leaders, leader="leader_id"),
        "month_rows": [
            {
                "row": row,
                "links": {
                    name: page.link(tstats.Period(row.start, row.end), name)
                    for name in ("assigned", "closed", "closed_on_time")
                },
            }
            for row in months
        ],
        "notice_levels": NoticeLevel.choices,
        "sort": sort,
        "sort_links": sort_links,
        "xlsx_query": page.query(format="xlsx"),
        "dashboard_query": page.query(),
    }
    return render(request, "tracking/stats.html", context)


def _xlsx(
    page: Page,
    units: list[tstats.UnitStats],
    total: tstats.UnitStats,
    sources: list[tstats.SourceStats],
    leaders: list[tstats.LeaderStats],
    months: list[tstats.MonthStats],
) -> HttpResponse:
    """The statistics as an XLSX workbook: one sheet per table, the period and basis in a title row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="E3E8EF")
    made = f"{clock.localtime(page.now):%Y-%m-%d %H:%M}"
    subtitle = f"统计期间：{page.period.label}；考核口径：{page.basis_label}；生成时间：{made}"

    def sheet(title: str, heading: str, header: list[str], rows: list[list[Any]], total_row: list[Any] | None) -> None:
        ws = book.create_sheet(title)
        ws.append([heading])
        ws.append([subtitle])
        ws.append(header)
        for row in rows:
            ws.append(row)
        if total_row is not None:
            ws.append(total_row)
        last_col = get_column_letter(len(header))
        ws.merge_cells(f"A1:{last_col}1")
        ws.merge_cells(f"A2:{last_col}2")
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws["A2"].font = Font(size=10, color="555555")
        for cell in ws[3]:
            cell.font = Font(bold=True)
            cell.fill = head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row_cells in ws.iter_rows(min_row=3, max_row=ws.max_row):
            for cell in row_cells:
                cell.border = border
                if cell.row > 3 and isinstance(cell.value, float) and cell.column_letter in rate_columns.get(title, ()):
                    cell.number_format = "0.0%"
        if total_row is not None:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        ws.freeze_panes = "A4"
        for index, name in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(8, min(28, len(name) * 2 + 2))
        ws.column_dimensions["B"].width = 22
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "3:3"

    rate_columns = {"按单位": ("G",), "按来源": ("F",), "按批示领导": ("F",), "按月": ("F",)}
    levels = [str(label) for _value, label in NoticeLevel.choices]

    def unit_line(index: int | str, row: tstats.UnitStats) -> list[Any]:
        return [
            index,
            row.full_name if row.unit_id else row.unit,
            row.assigned,
            row.signed_late,
            row.closed,
            row.closed_on_time,
            row.on_time_rate,
            row.overdue,
            row.overdue_workdays,
            row.avg_close_workdays,
            *[row.notices_by_level.get(level, 0) for level in NoticeLevel.values],
            row.notices,
            row.co_late,
        ]

    sheet(
        "按单位",
        "督查督办统计表（按单位）",
        [
            "序号",
            "单位",
            "交办",
            "逾期签收",
            "办结",
            "按期办结",
            "按期办结率",
            "当前超期",
            "超期工作日",
            "平均办结用时（工作日）",
            *levels,
            "督办通知合计",
            "配合逾期",
        ],
        [unit_line(index, row) for index, row in enumerate(units, start=1)],
        unit_line("", total),
    )

    def figure_line(index: int, label: str, row: tstats.Figures) -> list[Any]:
        return [index, label, row.assigned, row.closed, row.closed_on_time, row.on_time_rate, row.overdue]

    figure_header = ["序号", "", "交办", "办结", "按期办结", "按期办结率", "当前超期"]
    sheet(
        "按来源",
        "督查督办统计表（按事项来源）",
        [*figure_header[:1], "事项来源", *figure_header[2:]],
        [figure_line(i, row.label, row) for i, row in enumerate(sources, start=1)],
        None,
    )
    sheet(
        "按批示领导",
        "督查督办统计表（按批示领导）",
        [*figure_header[:1], "批示领导", *figure_header[2:]],
        [
            figure_line(i, f"{row.name}（{row.title}）" if row.title else row.name, row)
            for i, row in enumerate(leaders, 1)
        ],
        None,
    )
    sheet(
        "按月",
        "督查督办统计表（按月）",
        [*figure_header[:1], "月份", *figure_header[2:]],
        [figure_line(i, row.label, row) for i, row in enumerate(months, start=1)],
        None,
    )
    del book["Sheet"]
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    filename = f"督查督办统计-{page.period.start:%Y%m%d}-{page.period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response


stats = stats_table  # the URL configuration names the view `stats`
