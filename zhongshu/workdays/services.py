"""Every change to the working-day calendar: one function per change, permission checked, audited, and the
calendar version bumped in the same transaction (so that every process rebuilds its cached calendar)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, ValidationFailed

from . import core
from . import permissions as perms
from .models import CalendarNotice, CalendarVersion, DayOverride, YearArrangement

NOTE_MAX = 100
ARRANGEMENT_NOTE_MAX = 200


def _bump_version() -> None:
    """Mark the calendar data as changed (inside the caller's transaction)."""
    stamp = secrets.token_hex(8)
    if CalendarVersion.objects.filter(pk=1).update(version=F("version") + 1, stamp=stamp):
        return
    _, created = CalendarVersion.objects.get_or_create(pk=1, defaults={"version": 1, "stamp": stamp})
    if not created:  # another transaction created it meanwhile: still count this change
        CalendarVersion.objects.filter(pk=1).update(version=F("version") + 1, stamp=stamp)


def _check_date(value: Any, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed({field: "请填写日期，格式为 YYYY-MM-DD。"})
    if not core.MIN_YEAR <= value.year <= core.MAX_YEAR:
        raise ValidationFailed({field: f"日期应在{core.MIN_YEAR}年至{core.MAX_YEAR}年之间。"})
    return value


def _check_note(note: str, field: str = "note", limit: int = NOTE_MAX) -> str:
    note = (note or "").strip()
    if len(note) > limit:
        raise ValidationFailed({field: f"说明最多{limit}个字，现在有{len(note)}个字。"})
    return note


@transaction.atomic
def day_set(*, actor: Any, date: dt.date, workday: bool, note: str = "") -> DayOverride:
    """Rule that a date is a working day or a day off (with a note, e.g. "国务院办公厅通知调整"); the ruling
    wins over the built-in and provisional data."""
    authz.require(actor, perms.WORKDAYS_MANAGE)
    date = _check_date(date, "date")
    note = _check_note(note)
    override = DayOverride.objects.select_for_update().filter(date=date).first()
    fields = ["workday", "note"]
    if override is None:
        override = DayOverride.objects.create(date=date, workday=bool(workday), note=note, created_by=actor)
        audit.record(
            actor=actor,
            verb="workdays.day.set",
            target=override,
            changes={"workday": [None, override.workday], "note": [None, override.note]},
            data={"date": date.isoformat()},
        )
    else:
        before = audit.snapshot(override, fields)
        override.workday = bool(workday)
        override.note = note
        after = audit.snapshot(override, fields)
        changes = audit.diff(before, after)
        if not changes:
            return override
        override.updated_at = clock.now()
        override.save(update_fields=[*fields, "updated_at"])
        audit.record(
            actor=actor,
            verb="workdays.day.set",
            target=override,
            changes=changes,
            data={"date": date.isoformat()},
        )
    _bump_version()
    return override


@transaction.atomic
def day_clear(*, actor: Any, date: dt.date) -> None:
    """Remove the administrator's ruling on a date: the built-in or provisional data applies again."""
    authz.require(actor, perms.WORKDAYS_MANAGE)
    date = _check_date(date, "date")
    override = DayOverride.objects.select_for_update().filter(date=date).first()
    if override is None:
        raise ApplicationError(f"{date.isoformat()} 没有管理员设置，无需清除。", field="date")
    audit.record(
        actor=actor,
        verb="workdays.day.cleared",
        target=override,
        changes={"workday": [override.workday, None], "note": [override.note, None]},
        data={"date": date.isoformat()},
    )
    override.delete()
    _bump_version()


def _check_arrangement(
    year: int, holidays: Iterable[dt.date], workdays: Iterable[dt.date]
) -> tuple[list[dt.date], list[dt.date]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not core.MIN_YEAR <= year <= core.MAX_YEAR:
        raise ValidationFailed({"year": f"年度应在{core.MIN_YEAR}至{core.MAX_YEAR}之间。"})
    rest = sorted(set(holidays))
    work = sorted(set(workdays))
    for field, dates in (("holidays", rest), ("workdays", work)):
        for date in dates:
            if date.year != year:
                errors.setdefault(field, []).append(f"{date.isoformat()} 不属于{year}年。")
    if not rest:
        errors.setdefault("holidays", []).append("请至少填写一个放假日期。")
    both = sorted(set(rest) & set(work))
    for date in both:
        errors.setdefault("workdays", []).append(f"{date.isoformat()} 同时出现在放假日期和上班日期中。")
    for date in work:
        if date.year == year and date.weekday() < 5 and date not in both:
            weekday = core.WEEKDAY_LABELS[date.weekday()]
            errors.setdefault("workdays", []).append(
                f"{date.isoformat()} 是{weekday}，本来就是工作日，不必列为调休上班日。"
            )
    if errors:
        raise ValidationFailed(errors)
    return rest, work


@transaction.atomic
def year_arrangement_enter(
    *,
    actor: Any,
    year: int,
    holidays: list[dt.date],
    workdays: list[dt.date],
    note: str = "",
    names: Mapping[dt.date, str] | None = None,
) -> YearArrangement:
    """Enter the State Council's arrangement of a year as published: its days off and make-up workdays. All
    or nothing; it replaces the year's earlier date settings, marks the year official (no provisional
    guesses any more) and resolves the reminder banner."""
    authz.require(actor, perms.WORKDAYS_MANAGE)
    rest, work = _check_arrangement(year, holidays, workdays)
    note = _check_note(note, "note", ARRANGEMENT_NOTE_MAX)
    names = dict(names or {})
    bad_names = [d.isoformat() for d, name in names.items() if len((name or "").strip()) > NOTE_MAX]
    if bad_names:
        raise ValidationFailed({"dates": f"{'、'.join(bad_names)} 的说明太长（最多{NOTE_MAX}个字）。"})
    now = clock.now()
    wanted = {date: (False, (names.get(date) or "").strip()) for date in rest}
    wanted |= {date: (True, (names.get(date) or "").strip()) for date in work}
    existing = {row.date: row for row in DayOverride.objects.select_for_update().filter(date__year=year)}
    removed = sorted(date for date in existing if date not in wanted)
    DayOverride.objects.filter(date__in=removed).delete()
    created: list[DayOverride] = []
    for date, (is_work, name) in sorted(wanted.items()):
        row = existing.get(date)
        if row is None:
            created.append(DayOverride(date=date, workday=is_work, note=name, created_by=actor, created_at=now))
        elif (row.workday, row.note) != (is_work, name):
            row.workday, row.note, row.updated_at = is_work, name, now
            row.save(update_fields=["workday", "note", "updated_at"])
    DayOverride.objects.bulk_create(created)
    arrangement = YearArrangement.objects.select_for_update().filter(year=year).first()
    before_note = arrangement.note if arrangement else None
    if arrangement is None:
        arrangement = YearArrangement.objects.create(year=year, entered_by=actor, entered_at=now, note=note)
    else:
        arrangement.entered_by = actor
        arrangement.entered_at = now
        arrangement.note = note
        arrangement.save(update_fields=["entered_by", "entered_at", "note"])
    audit.record(
        actor=actor,
        verb="workdays.year.entered",
        target=arrangement,
        changes={"note": [before_note, note]} if before_note != note else {},
        data={
            "year": year,
            "holidays": [d.isoformat() for d in rest],
            "workdays": [d.isoformat() for d in work],
            "removed": [d.isoformat() for d in removed],
        },
    )
    for notice in CalendarNotice.objects.select_for_update().filter(year=year, resolved_at__isnull=True):
        _notice_resolve(notice, now, actor)
    _bump_version()
    return arrangement


@transaction.atomic
def year_arrangement_import(*, actor: Any, year: int, text: str, note: str = "") -> YearArrangement:
    """Enter a year's arrangement from a simple list of dates, one per line (`2027-01-01 休 元旦`,
    `2027-02-14 班`); every bad line is reported and nothing is saved."""
    authz.require(actor, perms.WORKDAYS_MANAGE)
    try:
        parsed = core.parse_arrangement(text or "")
    except core.ArrangementError as exc:
        raise ValidationFailed({"dates": exc.errors}) from None
    if not parsed.holidays and not parsed.workdays:
        raise ValidationFailed({"dates": "请逐行填写日期，例如“2027-01-01 休 元旦”。"})
    try:
        return year_arrangement_enter(
            actor=actor,
            year=year,
            holidays=parsed.holidays,
            workdays=parsed.workdays,
            note=note,
            names=parsed.names,
        )
    except ValidationFailed as exc:  # the text is one field on the form
        merged = [m for field in ("holidays", "workdays") for m in exc.errors.get(field, [])]
        other = {k: v for k, v in exc.errors.items() if k not in {"holidays", "workdays"}}
        raise ValidationFailed({**other, "dates": merged} if merged else other) from None


# --- the reminder to enter next year's arrangement (run by the worker) -----------------------------------


def _notice_resolve(notice: CalendarNotice, now: dt.datetime, actor: Any = None) -> None:
    notice.resolved_at = now
    notice.save(update_fields=["resolved_at"])
    audit.record(
        actor=actor,
        verb="workdays.notice.resolved",
        target=notice,
        changes={"resolved_at": [None, now]},
        data={"year": notice.year},
    )


def _year_covered(year: int) -> bool:
    return core.package_covers(year) or YearArrangement.objects.filter(year=year).exists()


@transaction.atomic
def calendar_notice_sync(*, now: dt.datetime) -> str:
    """(System, run by the worker.) From 1 November, make sure administrators are reminded to enter next
    year's arrangement while neither the built-in data nor an administrator covers it — and the current
    year's too, if it is still not covered; resolve the reminder of any year that is covered. Idempotent."""
    today = timezone.localtime(now).date()
    due_years = {today.year}
    if today.month >= 11:
        due_years.add(today.year + 1)
    summary: list[str] = []
    for year in sorted(due_years):
        if _year_covered(year):
            continue
        notice, created = CalendarNotice.objects.select_for_update().get_or_create(
            year=year, defaults={"raised_at": now}
        )
        if created or notice.resolved_at is not None:
            notice.raised_at, notice.resolved_at = now, None
            notice.save(update_fields=["raised_at", "resolved_at"])
            audit.record(actor=None, verb="workdays.notice.raised", target=notice, data={"year": year})
            summary.append(f"已提醒录入{year}年节假日安排")
    for notice in CalendarNotice.objects.select_for_update().filter(resolved_at__isnull=True).order_by("year"):
        if _year_covered(notice.year):
            _notice_resolve(notice, now)
            summary.append(f"{notice.year}年节假日安排已具备，提醒已解除")
    return ";".join(summary) or "无变化"
