"""The working-day calendar over the API (mounted at /api/v1/calendar); every signed-in person may ask."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from zhongshu.core.exceptions import ApplicationError, ValidationFailed

from . import core, selectors

router = Router(tags=["工作日历"])

MAX_DAYS_SPAN = 366
MAX_WORKDAYS = 5000


class DateOut(Schema):
    date: dt.date
    provisional: bool


class CountOut(Schema):
    days: int
    provisional: bool


class DeadlineOut(Schema):
    deadline: dt.datetime
    provisional: bool


class DayOut(Schema):
    date: dt.date
    workday: bool
    kind: str
    kind_label: str
    name: str
    provisional: bool
    source: str


class AddIn(Schema):
    start: dt.date
    days: int


class BetweenIn(Schema):
    start: dt.date
    end: dt.date


class DeadlineIn(Schema):
    start: dt.datetime
    days: int


def _check_days(days: int) -> None:
    if abs(days) > MAX_WORKDAYS:
        raise ValidationFailed({"days": f"工作日数应在 -{MAX_WORKDAYS} 到 {MAX_WORKDAYS} 之间。"})


def _range_error(exc: core.CalendarRangeError, field: str) -> ApplicationError:
    return ValidationFailed({field: str(exc)})


@router.get("/add-workdays", response=DateOut, summary="起始日期后第 N 个工作日（次日起算）")
def add_workdays(request: HttpRequest, params: Query[AddIn]) -> dict[str, object]:
    """`{"date": "2026-10-13", "provisional": false}`; provisional is true when a year whose holiday
    arrangement is not yet published was counted (暂定)."""
    _check_days(params.days)
    try:
        result = selectors.calendar().add_workdays(params.start, params.days)
    except core.CalendarRangeError as exc:
        raise _range_error(exc, "start") from None
    return {"date": result.value, "provisional": result.provisional}


@router.get("/between", response=CountOut, summary="两个日期之间的工作日数（不含起始日，含截止日）")
def workdays_between(request: HttpRequest, params: Query[BetweenIn]) -> dict[str, object]:
    try:
        result = selectors.calendar().workdays_between(params.start, params.end)
    except core.CalendarRangeError as exc:
        raise _range_error(exc, "start") from None
    return {"days": result.value, "provisional": result.provisional}


@router.get("/days", response=list[DayOut], summary="逐日列出工作日历（最多 366 天）")
def days(request: HttpRequest, params: Query[BetweenIn]) -> list[dict[str, object]]:
    if params.end < params.start:
        raise ValidationFailed({"end": "截止日期不能早于起始日期。"})
    if (params.end - params.start).days + 1 > MAX_DAYS_SPAN:
        raise ValidationFailed({"end": f"一次最多查询 {MAX_DAYS_SPAN} 天。"})
    try:
        found = selectors.calendar().days(params.start, params.end)
    except core.CalendarRangeError as exc:
        raise _range_error(exc, "start") from None
    return [
        {
            "date": day.date,
            "workday": day.workday,
            "kind": day.kind.value,
            "kind_label": day.kind_label,
            "name": day.name,
            "provisional": day.provisional,
            "source": day.source.value,
        }
        for day in found
    ]


@router.get("/deadline", response=DeadlineOut, summary="办理期限：起始日后第 N 个工作日的下班时间")
def deadline(request: HttpRequest, params: Query[DeadlineIn]) -> dict[str, object]:
    """The end of the N-th working day after the start day at the office's closing time (default 17:30,
    Asia/Shanghai). A start without a time zone is read as local time."""
    _check_days(params.days)
    start = params.start
    if timezone.is_naive(start):
        start = timezone.make_aware(start, timezone.get_default_timezone())
    try:
        result = selectors.calendar().deadline(start, params.days)
    except core.CalendarRangeError as exc:
        raise _range_error(exc, "start") from None
    return {"deadline": result.value, "provisional": result.provisional}
