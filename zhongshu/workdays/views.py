"""Pages of the working-day calendar (系统管理 › 工作日历): the year view with its day panel, the short form
to enter a year's arrangement, and the list of date settings. Views only call services and selectors."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError
from zhongshu.core.htmx import is_htmx, redirect_after_post

from . import core, selectors, services
from . import permissions as perms
from .forms import ArrangementForm, DayForm

MONTH_LABELS = [f"{m}月" for m in range(1, 13)]
WEEK_HEADER = ["一", "二", "三", "四", "五", "六", "日"]
BADGES = {
    core.Kind.HOLIDAY: "badge badge-danger",
    core.Kind.IN_LIEU: "badge badge-warn",
    core.Kind.SHIFTED_WORKDAY: "badge badge-ok",
}


def _day_url_prefix() -> str:
    return reverse("workdays:day", args=["0000-00-00"]).removesuffix("0000-00-00/")


def _month(cal: core.WorkCalendar, year: int, month: int, prefix: str | None = None) -> dict[str, Any]:
    """One month as weeks of cells (None outside the month), ready for `_month.html`."""
    prefix = prefix or _day_url_prefix()
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells: list[dict[str, Any] | None] = []
        for date in week:
            if date.month != month:
                cells.append(None)
                continue
            day = cal.day(date)
            cells.append(
                {
                    "day": day,
                    "url": f"{prefix}{date.isoformat()}/",
                    "title": _cell_title(day),
                    "badge": BADGES.get(day.kind, ""),
                    "override": day.source == core.Source.OVERRIDE,
                }
            )
        weeks.append(cells)
    return {
        "year": year,
        "month": month,
        "label": MONTH_LABELS[month - 1],
        "weeks": weeks,
        "header": WEEK_HEADER,
    }


def _cell_title(day: core.Day) -> str:
    parts = [day.date.isoformat(), day.weekday_label, day.kind_label, day.name]
    return " ".join(p for p in parts if p) + ("（暂定）" if day.provisional else "")


def _year_status(cal: core.WorkCalendar, year: int) -> tuple[str, str]:
    if cal.is_official(year):
        return "已录入国务院办公厅安排", "badge badge-ok"
    if cal.is_provisional_year(year):
        return "暂定", "badge badge-warn"
    return "内置国务院办公厅安排", "badge badge-ok"


def _parse_date_or_404(value: str) -> dt.date:
    try:
        date = core.parse_date(value)
    except ValueError:
        raise Http404("日期格式不对") from None
    if not core.MIN_YEAR <= date.year <= core.MAX_YEAR:
        raise Http404("日期超出范围")
    return date


@login_required
def year_view(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The year at a glance: 12 month grids, the year's holidays and make-up days, provisional marked."""
    authz.require(request.user, perms.WORKDAYS_VIEW)
    year = year or clock.today().year
    if not core.MIN_YEAR <= year <= core.MAX_YEAR:
        raise Http404("年度超出范围")
    cal = selectors.calendar()
    prefix = _day_url_prefix()
    status, status_badge = _year_status(cal, year)
    context = {
        "year": year,
        "prev_year": year - 1 if year > core.MIN_YEAR else None,
        "next_year": year + 1 if year < core.MAX_YEAR else None,
        "months": [_month(cal, year, m, prefix) for m in range(1, 13)],
        "special_days": [{"day": d, "badge": BADGES.get(d.kind, "")} for d in cal.special_days(year)],
        "provisional": cal.is_provisional_year(year),
        "status": status,
        "status_badge": status_badge,
        "arrangement": selectors.arrangement_get(year) if cal.is_official(year) else None,
        "can_manage": authz.can(request.user, perms.WORKDAYS_MANAGE),
    }
    return render(request, "workdays/year.html", context)


def _day_context(request: HttpRequest, date: dt.date, form: DayForm | None = None, **extra: Any) -> dict[str, Any]:
    cal = selectors.calendar()
    day = cal.day(date)
    can_manage = authz.can(request.user, perms.WORKDAYS_MANAGE)
    if form is None and can_manage:
        override = selectors.override_get(date)
        initial = {"workday": "1" if day.workday else "0", "note": override.note if override else day.name}
        form = DayForm(initial=initial)
    return {
        "day": day,
        "badge": BADGES.get(day.kind, ""),
        "form": form,
        "can_manage": can_manage,
        "has_override": day.source == core.Source.OVERRIDE,
        **extra,
    }


@login_required
def day_view(request: HttpRequest, date: str) -> HttpResponse:
    """One date: what it is and why; for administrators, the form to set it (htmx panel or full page)."""
    authz.require(request.user, perms.WORKDAYS_VIEW)
    when = _parse_date_or_404(date)
    if request.method == "POST":
        authz.require(request.user, perms.WORKDAYS_MANAGE)
        form = DayForm(request.POST)
        if form.is_valid():
            try:
                services.day_set(
                    actor=request.user,
                    date=when,
                    workday=form.cleaned_data["workday"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                exc.add_to_form(form)
            else:
                return _after_change(
                    request,
                    when,
                    f"已将{when.isoformat()}设为{'上班' if form.cleaned_data['workday'] else '休息'}。",
                )
        status = 400
        context = _day_context(request, when, form)
    else:
        status = 200
        context = _day_context(request, when)
    template = "workdays/_day_panel.html" if is_htmx(request) else "workdays/day.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def day_clear_view(request: HttpRequest, date: str) -> HttpResponse:
    """Remove the administrator's setting of a date."""
    authz.require(request.user, perms.WORKDAYS_VIEW)
    when = _parse_date_or_404(date)
    try:
        services.day_clear(actor=request.user, date=when)
    except ApplicationError as exc:
        context = _day_context(request, when, error=exc.message)
        template = "workdays/_day_panel.html" if is_htmx(request) else "workdays/day.html"
        return render(request, template, context, status=400)
    return _after_change(request, when, f"已清除{when.isoformat()}的设置，恢复默认安排。")


def _after_change(request: HttpRequest, when: dt.date, message: str) -> HttpResponse:
    """htmx: the refreshed panel plus the refreshed month grid (out of band); otherwise back to the year."""
    if is_htmx(request):
        cal = selectors.calendar()
        context = _day_context(request, when, saved=message, month=_month(cal, when.year, when.month))
        return render(request, "workdays/_day_panel.html", context)
    messages.success(request, message)
    return redirect_after_post(request, reverse("workdays:year", args=[when.year]))


@login_required
def arrangement_view(request: HttpRequest, year: int) -> HttpResponse:
    """The short form: paste the State Council's arrangement of a year as a list of dates."""
    authz.require(request.user, perms.WORKDAYS_MANAGE)
    if not core.MIN_YEAR <= year <= core.MAX_YEAR:
        raise Http404("年度超出范围")
    cal = selectors.calendar()
    if request.method == "POST":
        form = ArrangementForm(request.POST)
        if form.is_valid():
            try:
                services.year_arrangement_import(
                    actor=request.user,
                    year=year,
                    text=form.cleaned_data["dates"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, f"已录入{year}年节假日安排，{year}年不再按暂定推算。")
                return redirect_after_post(request, reverse("workdays:year", args=[year]))
        status = 400
    else:
        arrangement = selectors.arrangement_get(year)
        header = f"# {year}年节假日安排：请按国务院办公厅通知核对、修改后保存。\n" + (
            "# 以下为按《全国年节及纪念日放假办法》推算的暂定日期，调休上班日需补充。\n"
            if cal.is_provisional_year(year)
            else ""
        )
        form = ArrangementForm(
            initial={
                "dates": header + core.format_arrangement(cal.special_days(year)),
                "note": arrangement.note if arrangement else "",
            }
        )
        status = 200
    context = {
        "year": year,
        "form": form,
        "provisional": cal.is_provisional_year(year),
        "official": cal.is_official(year),
    }
    return render(request, "workdays/arrangement.html", context, status=status)


@login_required
def override_list(request: HttpRequest) -> HttpResponse:
    """Every date an administrator has set, with its note, by year."""
    authz.require(request.user, perms.WORKDAYS_VIEW)
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() and core.MIN_YEAR <= int(raw_year) <= core.MAX_YEAR else None
    rows = selectors.overrides_visible_to(request.user, year=year)
    page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "year": year, "year_input": raw_year, "rows": page_obj.object_list}
    return render(request, "workdays/overrides.html", context)
