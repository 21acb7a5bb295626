"""Reads of the working-day calendar.

`calendar()` is what every module calls to count working days. It keeps one `WorkCalendar` per process
and checks a version number on each call (one indexed single-row query): every change of overrides or
entered years bumps `CalendarVersion` in the same transaction, so every app server and worker sees the
change on its next call. A version row was chosen over `count()`/`max(updated_at)` because deleting one
override and adding another can leave both unchanged, and over Django's cache because the default cache is
per process. On a database without the tables (a fresh data directory) it falls back to the built-in and
provisional data instead of failing.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils import timezone

from zhongshu.core import authz

from . import permissions as perms
from .core import WorkCalendar
from .models import CalendarNotice, CalendarVersion, DayOverride, YearArrangement

_lock = threading.Lock()
_cached: tuple[tuple[int, str], WorkCalendar] | None = None


def _office_time(value: str, default: dt.time) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        return default


def build_calendar(
    overrides: dict[dt.date, tuple[bool, str]] | None = None, official_years: set[int] | None = None
) -> WorkCalendar:
    """A WorkCalendar with the installation's time zone and office hours."""
    return WorkCalendar(
        overrides=overrides or {},
        official_years=official_years or set(),
        tz=timezone.get_default_timezone(),
        office_start=_office_time(settings.ZHONGSHU_OFFICE_START, dt.time(8, 30)),
        office_end=_office_time(settings.ZHONGSHU_OFFICE_END, dt.time(17, 30)),
    )


def calendar_version() -> tuple[int, str]:
    """The current (version number, random stamp) of the administrator's calendar data."""
    row = CalendarVersion.objects.filter(pk=1).values_list("version", "stamp").first()
    return (int(row[0]), str(row[1])) if row else (0, "")


def calendar() -> WorkCalendar:
    """The office's working-day calendar, cached per process and rebuilt when the data changed."""
    global _cached
    try:
        version = calendar_version()  # read before the data: a stale label can only cause a rebuild
        cached = _cached
        if cached is not None and cached[0] == version:
            return cached[1]
        overrides = {row.date: (row.workday, row.note) for row in DayOverride.objects.all()}
        official = set(YearArrangement.objects.values_list("year", flat=True))
    except DatabaseError:
        # No tables yet (fresh data directory, before `zhongshu init`): built-in and provisional data only.
        return build_calendar()
    built = build_calendar(overrides, official)
    with _lock:
        _cached = (version, built)
    return built


def forget_calendar() -> None:
    """Drop this process's cached calendar (tests; the version check makes it unnecessary otherwise)."""
    global _cached
    with _lock:
        _cached = None


def overrides_visible_to(actor: Any, *, year: int | None = None) -> QuerySet[DayOverride]:
    """The administrator's date settings, oldest date first, optionally of one year."""
    qs = authz.visible(actor, perms.WORKDAYS_VIEW, DayOverride.objects.select_related("created_by"))
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def override_get(date: dt.date) -> DayOverride | None:
    return DayOverride.objects.filter(date=date).first()


def arrangement_get(year: int) -> YearArrangement | None:
    """The record that `year`'s official arrangement has been entered, if it has."""
    return YearArrangement.objects.select_related("entered_by").filter(year=year).first()


def notice_open_for(user: Any) -> CalendarNotice | None:
    """The earliest unresolved reminder, for someone who may manage the calendar (one query, or none)."""
    if not authz.can(user, perms.WORKDAYS_MANAGE):
        return None
    return CalendarNotice.objects.filter(resolved_at__isnull=True).order_by("year").first()


def notices_open() -> QuerySet[CalendarNotice]:
    return CalendarNotice.objects.filter(resolved_at__isnull=True).order_by("year")
