"""The weekly or monthly 督查通报 from the database: the period's figures per unit, the overdue list, the units
praised and criticised, rendered by the pure writer (`exports.bulletin.render_bulletin`); issuing one takes the
next 第N期 of the year, keeps the DOCX and marks the ladder's pending “列入督查通报” notices as reported in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.org.models import Unit
from zhongshu.render.text import cn_date, cn_month_day

from . import permissions as perms
from . import selectors
from .choices import NoticeLevel
from .exports.rows import BulletinData, BulletinOverdueRow, BulletinUnitRow
from .models import Counter, Item, Notice

Kind = Literal["weekly", "monthly"]
KIND_LABELS: Final = {"weekly": "周通报", "monthly": "月通报"}
COUNTER_KEY: Final = "bulletin"
STORAGE_DIR: Final = "tracking/bulletins"
FILE_NAME = re.compile(r"^bulletin-(\d{4})-(\d{3,})-(weekly|monthly)-(\d{8})-(\d{8})(?:_[A-Za-z0-9]+)?\.docx$")
DEFAULT_PRAISE_MIN: Final = 3
DOCX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Periods -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A bulletin's period: a week (Monday to Sunday) or a calendar month."""

    kind: Kind
    start: dt.date
    end: dt.date  # inclusive

    @property
    def key(self) -> str:
        return f"week:{self.start:%Y-%m-%d}" if self.kind == "weekly" else f"month:{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        """2026年11月23日至11月29日 / 2026年11月."""
        if self.kind == "monthly":
            return f"{self.start.year}年{self.start.month}月"
        return f"{cn_date(self.start)}至{cn_month_day(self.end, reference_year=self.start.year)}"

    @property
    def choice_label(self) -> str:
        return f"{KIND_LABELS[self.kind]}：{self.label}"


def week_of(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.weekday())
    return Period("weekly", monday, monday + dt.timedelta(days=6))


def month_of(day: dt.date) -> Period:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period("monthly", first, following - dt.timedelta(days=1))


def default_period(today: dt.date, kind: Kind = "weekly") -> Period:
    """Last week, or last month."""
    if kind == "monthly":
        return month_of(today.replace(day=1) - dt.timedelta(days=1))
    return week_of(today - dt.timedelta(days=7))


def recent_periods(today: dt.date, *, weeks: int = 8, months: int = 6) -> list[Period]:
    """The choices of the bulletin page: this week and the last `weeks`, this month and the last `months`."""
    found = [week_of(today - dt.timedelta(days=7 * n)) for n in range(weeks + 1)]
    first = today.replace(day=1)
    for _ in range(months + 1):
        found.append(month_of(first))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return found


def parse_period(key: str) -> Period | None:
    """week:2026-11-23 or month:2026-11 → the Period (None for anything else)."""
    kind, _, value = (key or "").partition(":")
    try:
        if kind == "week":
            return week_of(dt.date.fromisoformat(value))
        if kind == "month":
            year, month = value.split("-")
            return month_of(dt.date(int(year), int(month), 1))
    except ValueError:
        return None
    return None


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


# Figures -------------------------------------------------------------------------------------------------


def on_time_q(basis: str) -> Q:
    """Closed on time under the office's assessment basis (按原定时限 unless extended in time, by default)."""
    if basis == "original":
        return Q(closed_on_time_original=True)
    if basis == "in_force":
        return Q(closed_on_time=True)
    return Q(extended_in_time=True, closed_on_time=True) | Q(extended_in_time=False, closed_on_time_original=True)


def counted_items() -> QuerySet[Item]:
    """Items the figures count (as the statistics do): assigned, not split parents, not cancelled."""
    return Item.objects.filter(selectors.counted_q())


@dataclass(frozen=True)
class Figures:
    units: tuple[BulletinUnitRow, ...]
    assigned: int
    closed: int
    closed_on_time: int
    overdue_now: int
    unit_names: dict[int, str]
    unit_ids: tuple[int, ...]  # the table's order
    overdue_by_unit: dict[int, int]
    on_time_by_unit: dict[int, tuple[int, int]]  # unit id → (closed, closed on time)


def figures(actor: Any, period: Period, now: dt.datetime) -> Figures:
    """Per lead unit, in the fixed unit order: assigned and closed in the period, closed on time (under the
    office's assessment basis), overdue now; every receiving unit appears, with zeros when nothing was assigned.
    The same figures as the dashboard and the statistics page (`stats.by_unit`)."""
    from .stats import by_unit

    rows = by_unit(actor, start=period.start, end=period.end, now=now)
    table = tuple(
        BulletinUnitRow(
            unit=row.unit,
            assigned=row.assigned,
            closed=row.closed,
            closed_on_time=row.closed_on_time,
            overdue=row.overdue,
        )
        for row in rows
    )
    ids = tuple(int(row.unit_id) for row in rows if row.unit_id is not None)
    return Figures(
        units=table,
        assigned=sum(r.assigned for r in table),
        closed=sum(r.closed for r in table),
        closed_on_time=sum(r.closed_on_time for r in table),
        overdue_now=sum(r.overdue for r in table),
        unit_names={int(row.unit_id): row.unit for row in rows if row.unit_id is not None},
        unit_ids=ids,
        overdue_by_unit={int(row.unit_id): row.overdue for row in rows if row.unit_id is not None and row.overdue},
        on_time_by_unit={int(row.unit_id): (row.closed, row.closed_on_time) for row in rows if row.unit_id is not None},
    )


def overdue_items(now: dt.datetime) -> list[BulletinOverdueRow]:
    """Items overdue now, in the fixed unit order then by number, with their working days overdue."""
    from zhongshu.workdays.selectors import calendar

    cal = calendar()
    qs = (
        counted_items()
        .filter(selectors.overdue_q(now))
        .select_related("lead_unit")
        .only("number", "title", "status", "due_at", "reported_at", "lead_unit__short_name", "lead_unit__display_order")
        .order_by("lead_unit__display_order", "lead_unit_id", "year", "seq", "sub")
    )
    found = []
    for item in qs:
        found.append(
            BulletinOverdueRow(
                number=item.number,
                title=item.title,
                lead_unit=item.lead_unit.short_name,
                due_on=clock.localtime(item.due_at).date() if item.due_at else None,
                overdue_workdays=selectors.overdue_workdays(item, now, cal),
            )
        )
    return found


def pending_notices() -> QuerySet[Notice]:
    """Ladder steps “列入督查通报” not yet reported in a bulletin."""
    return Notice.objects.filter(level=NoticeLevel.BULLETIN, bulletin_no="")


def praised_and_criticised(data: Figures, *, praise_min: int) -> tuple[list[str], list[str]]:
    """Criticised: units with items overdue now or put on the bulletin list by the ladder. Praised: units
    that closed at least `praise_min` items in the period, all on time, and have nothing overdue."""
    listed = set(pending_notices().values_list("unit_id", flat=True))
    criticised_ids = {uid for uid in data.unit_ids if data.overdue_by_unit.get(uid) or uid in listed}
    extra = sorted(listed - set(data.unit_ids))
    names = dict(data.unit_names)
    if extra:
        names.update(dict(Unit.objects.filter(pk__in=extra).values_list("pk", "short_name")))
    criticised = [names[uid] for uid in [*data.unit_ids, *extra] if uid in criticised_ids or uid in extra]
    praised = []
    for uid in data.unit_ids:
        closed, on_time = data.on_time_by_unit.get(uid, (0, 0))
        if closed >= max(praise_min, 1) and on_time == closed and uid not in criticised_ids:
            praised.append(names[uid])
    return praised, criticised


def title_of(period: Period) -> str:
    return f"关于{period.label}督查督办事项办理情况的通报"


def bulletin_data(
    actor: Any, period: Period, now: dt.datetime, *, period_no: int, praise_min: int = DEFAULT_PRAISE_MIN
) -> BulletinData:
    """Everything the bulletin says, computed for the whole district (`actor` must see all statistics)."""
    today = clock.localtime(now).date()
    data = figures(actor, period, now)
    praised, criticised = praised_and_criticised(data, praise_min=praise_min)
    from .ledger import district

    closing = (
        "各单位要进一步压实责任，严格按照时限要求抓好督办事项落实，确保件件有着落、事事有回音。"
        "被通报批评的单位请于5个工作日内将整改情况书面报区政府办公室督查科。"
        if criticised
        else "各单位要进一步压实责任，严格按照时限要求抓好督办事项落实，确保件件有着落、事事有回音。"
    )
    return BulletinData(
        district=district(),
        period_no=period_no,
        issued_on=today,
        title=title_of(period),
        assigned=data.assigned,
        closed=data.closed,
        closed_on_time=data.closed_on_time,
        overdue_now=data.overdue_now,
        period_label=period.label,
        as_of=today,
        units=data.units,
        overdue_items=tuple(overdue_items(now)),
        praised=tuple(praised),
        criticised=tuple(criticised),
        closing=closing,
        cc=("区委办公室", "区人大常委会办公室", "区政协办公室"),
        kind=period.kind,
    )


def render(data: BulletinData) -> bytes:
    from .exports.bulletin import render_bulletin

    buffer = io.BytesIO()
    render_bulletin(data, buffer)
    return buffer.getvalue()


def next_number(year: int) -> int:
    """The 第N期 the next bulletin of `year` will take (a preview shows it; issuing takes it)."""
    last = Counter.objects.filter(key=COUNTER_KEY, year=year).values_list("last", flat=True).first()
    return int(last or 0) + 1


def issue_label(year: int, period_no: int) -> str:
    return f"{year}年第{period_no}期"


# Issued bulletins ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    """A bulletin as issued and kept (the file in storage)."""

    name: str  # storage name
    year: int
    period_no: int
    period: Period

    @property
    def label(self) -> str:
        return issue_label(self.year, self.period_no)

    @property
    def filename(self) -> str:
        return f"督查通报-{self.year}年第{self.period_no}期.docx"

    @property
    def file_key(self) -> str:
        return self.name.rsplit("/", 1)[-1]


def _parse(file_name: str) -> Issued | None:
    match = FILE_NAME.match(file_name)
    if match is None:
        return None
    year, no, kind, start, end = match.groups()
    begin = dt.datetime.strptime(start, "%Y%m%d").date()  # noqa: DTZ007 — a date, no time zone involved
    period = week_of(begin) if kind == "weekly" else month_of(begin)
    return Issued(name=f"{STORAGE_DIR}/{file_name}", year=int(year), period_no=int(no), period=period)


def issued_bulletins() -> list[Issued]:
    """Bulletins issued so far, newest first."""
    if not default_storage.exists(STORAGE_DIR):
        return []
    _dirs, files = default_storage.listdir(STORAGE_DIR)
    found = [issued for name in files if (issued := _parse(name)) is not None]
    return sorted(found, key=lambda b: (b.year, b.period_no), reverse=True)


def find_issued(file_key: str) -> Issued | None:
    found = _parse(file_key)
    if found is None or not default_storage.exists(found.name):
        return None
    return found


def bulletin_issue(
    *, actor: Any, period: Period, now: dt.datetime | None = None, praise_min: int = DEFAULT_PRAISE_MIN
) -> Issued:
    """Issue the 督查通报 of `period`: take the year's next 第N期, keep the DOCX, and mark the ladder's pending
    “列入督查通报” notices as reported in this issue."""
    authz.require(actor, perms.ITEM_MANAGE)
    now = now or clock.now()
    year = clock.localtime(now).date().year
    with transaction.atomic():
        Counter.objects.get_or_create(key=COUNTER_KEY, year=year)
        counter = Counter.objects.select_for_update().get(key=COUNTER_KEY, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        period_no = counter.last
        data = bulletin_data(actor, period, now, period_no=period_no, praise_min=praise_min)
        content = render(data)
        label = issue_label(year, period_no)
        notice_ids = list(pending_notices().select_for_update().values_list("pk", flat=True))
        Notice.objects.filter(pk__in=notice_ids).update(bulletin_no=label)
        stored = default_storage.save(
            f"{STORAGE_DIR}/bulletin-{year}-{period_no:03d}-{period.kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.docx",
            ContentFile(content),
        )
        try:
            audit.record(
                actor=actor,
                verb="tracking.bulletin.issued",
                target=counter,
                data={
                    "year": year,
                    "period_no": period_no,
                    "kind": period.kind,
                    "period": period.label,
                    "file": stored,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "notices": notice_ids,
                    "praised": list(data.praised),
                    "criticised": list(data.criticised),
                },
            )
        except BaseException:
            default_storage.delete(stored)  # the issue did not happen: no file without its number
            raise
    return Issued(name=stored, year=year, period_no=period_no, period=period)


def period_choices(today: dt.date) -> Iterable[tuple[str, str]]:
    return [(period.key, period.choice_label) for period in recent_periods(today)]
