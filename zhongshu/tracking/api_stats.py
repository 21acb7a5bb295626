"""Statistics of 督查督办 over the API (mounted by api.py under /api/v1/tracking): every figure of the dashboard and
the statistics table, from the same functions (stats.py), so the numbers cannot disagree.

All endpoints take the period as `from` and `to` (YYYY-MM-DD, both included; default this year up to today) or
`period` (year, quarter, month, last_year), and `basis` (auto, original, in_force; default the office's setting).
`on_time_rate` is a fraction between 0 and 1 (null when nothing was closed). Each row's `links` are board URLs
(pages) listing exactly the items behind each figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from zhongshu.core import clock
from zhongshu.core.exceptions import NotFound, ValidationFailed
from zhongshu.org.models import Person

from . import stats

router = Router(tags=["督查统计"])


class PeriodQuery(Schema):
    from_: str | None = Field(None, alias="from", description="起始日期 YYYY-MM-DD（含）")
    to: str | None = Field(None, description="截止日期 YYYY-MM-DD（含）")
    period: str | None = Field(None, description="year、quarter、month、last_year；给出 from/to 时可省略")
    basis: str | None = Field(None, description="考核口径：auto、original、in_force；默认按督查督办设置")


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    basis: str


class FiguresOut(Schema):
    assigned: int
    signed_late: int
    closed: int
    closed_on_time: int
    on_time_rate: float | None
    overdue: int
    links: dict[str, str]


class UnitRowOut(FiguresOut):
    unit: str
    unit_code: str
    unit_id: int
    unit_full_name: str
    overdue_workdays: int
    avg_close_workdays: float | None
    notices: int
    notices_by_level: dict[str, int]
    co_late: int


class SourceRowOut(FiguresOut):
    source_type: str
    label: str


class LeaderRowOut(FiguresOut):
    leader: str
    leader_name: str
    leader_title: str


class MonthRowOut(FiguresOut):
    month: str
    label: str
    start: dt.date
    end: dt.date


class SummaryOut(FiguresOut):
    period: PeriodOut
    open: int
    month_assigned: int
    due_soon: int


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):
        raise NotFound()
    return user


class _Request:
    """The period, basis and clock of one statistics request."""

    def __init__(self, request: HttpRequest, query: PeriodQuery) -> None:
        self.actor = _actor(request)
        stats.unit_scope(self.actor)  # 403 before looking at the input
        self.now = clock.now()
        data = {"from": query.from_, "to": query.to, "period": query.period}
        self.period = stats.parse_period(data, today=clock.localtime(self.now).date())
        from .services import config

        self.cfg = config()
        basis = (query.basis or "").strip()
        if basis and basis not in {"auto", "original", "in_force"}:
            raise ValidationFailed({"basis": "考核口径应为 auto、original 或 in_force。"})
        self.basis = basis or self.cfg.assess_basis
        self.board = reverse("tracking:board")

    def kwargs(self) -> dict[str, Any]:
        return {
            "start": self.period.start,
            "end": self.period.end,
            "now": self.now,
            "basis": self.basis,
            "cfg": self.cfg,
        }

    def link(self, period: stats.Period | None, figure: str, **extra: Any) -> str:
        return f"{self.board}?{urlencode(stats.drill(period, figure=figure, basis=self.basis, **extra))}"

    def figures(self, row: stats.Figures, period: stats.Period | None = None, **extra: Any) -> dict[str, Any]:
        period = period or self.period
        return {
            "assigned": row.assigned,
            "signed_late": row.signed_late,
            "closed": row.closed,
            "closed_on_time": row.closed_on_time,
            "on_time_rate": row.on_time_rate,
            "overdue": row.overdue,
            "links": {
                name: self.link(period, name, **extra)
                for name in ("assigned", "signed_late", "closed", "closed_on_time", "overdue")
            },
        }

    def period_out(self) -> dict[str, Any]:
        return {"start": self.period.start, "end": self.period.end, "label": self.period.label, "basis": self.basis}


@router.get("/stats", response=list[UnitRowOut], summary="按单位统计（固定单位顺序，含无事项单位）")
def stats_by_unit(request: HttpRequest, query: Query[PeriodQuery]) -> list[dict[str, Any]]:
    req = _Request(request, query)
    rows = []
    for row in stats.by_unit(req.actor, **req.kwargs()):
        out = req.figures(row, lead_unit=row.unit_id)
        out["links"]["notices"] = req.link(req.period, "notices", lead_unit=row.unit_id)
        out |= {
            "unit": row.unit,
            "unit_code": row.code,
            "unit_id": row.unit_id,
            "unit_full_name": row.full_name,
            "overdue_workdays": row.overdue_workdays,
            "avg_close_workdays": row.avg_close_workdays,
            "notices": row.notices,
            "notices_by_level": row.notices_by_level,
            "co_late": row.co_late,
        }
        rows.append(out)
    return rows


@router.get("/stats/by-source", response=list[SourceRowOut], summary="按事项来源统计")
def stats_by_source(request: HttpRequest, query: Query[PeriodQuery]) -> list[dict[str, Any]]:
    req = _Request(request, query)
    return [
        req.figures(row, source_type=row.source_type) | {"source_type": row.source_type, "label": row.label}
        for row in stats.by_source(req.actor, **req.kwargs())
    ]


@router.get("/stats/by-leader", response=list[LeaderRowOut], summary="按批示领导统计")
def stats_by_leader(request: HttpRequest, query: Query[PeriodQuery]) -> list[dict[str, Any]]:
    req = _Request(request, query)
    return [
        req.figures(row, leader=row.leader_id)
        | {"leader": row.username, "leader_name": row.name, "leader_title": row.title}
        for row in stats.by_leader(req.actor, **req.kwargs())
    ]


@router.get("/stats/trend", response=list[MonthRowOut], summary="按月趋势（交办、办结、按期办结）")
def stats_trend(request: HttpRequest, query: Query[PeriodQuery]) -> list[dict[str, Any]]:
    req = _Request(request, query)
    return [
        req.figures(row, stats.Period(row.start, row.end))
        | {"month": f"{row.month:%Y-%m}", "label": row.label, "start": row.start, "end": row.end}
        for row in stats.trend(req.actor, **req.kwargs())
    ]


@router.get(
    "/stats/summary", response=SummaryOut, summary="仪表板头部数字（在办、本月交办、按期办结率、当前超期、临近到期）"
)
def stats_summary(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    req = _Request(request, query)
    summary = stats.summary(req.actor, **req.kwargs())
    out = req.figures(summary)
    month = stats.Period(summary.month_start, summary.today)
    out["links"] |= {
        "open": req.link(None, "open"),
        "month_assigned": req.link(month, "assigned"),
        "due_soon": req.link(None, "due_soon"),
    }
    return out | {
        "period": req.period_out(),
        "open": summary.open,
        "month_assigned": summary.month_assigned,
        "due_soon": summary.due_soon,
    }
