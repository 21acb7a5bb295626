"""Statistics of 督查督办: per unit, per source, per instructing leader, per month, and the dashboard's headline
figures. Every figure is a set-based SQL aggregate (no Python loop over items), so the dashboard, the table,
the XLSX and the API show the same numbers, and each figure has the board filters that list its items.

What is counted (documented in docs/tracking.md, 统计与仪表板):
- An item counts when it was assigned (交办) and is neither a split parent (its children count, each for its own
  unit) nor cancelled (撤销的事项不计入). Figures go to the item's lead unit (牵头单位).
- assigned: assigned in the period; signed_late: of those, signed for late (sign_late_workdays > 0, which
  includes 逾期自动签收).
- closed: closed (核查办结) in the period; closed_on_time: of those, on time under the assessment basis
  (Config.assess_basis, see selectors.on_time_q); on_time_rate = closed_on_time / closed (None when nothing
  was closed).
- overdue: overdue now (selectors.overdue_q), whatever the period; overdue_workdays: their working days past
  the deadline in force, summed (as selectors.overdue_workdays computes them item by item).
- avg_close_workdays: working days from 交办 to the accepted 办结报告 over the items closed in the period.
- notices: ladder notices (三色督办单, 催办通知书, 列入通报) the unit received in the period, by level (not those
  of items cancelled since).
- co_late: the unit's parts as a co-operating unit (配合单位) whose item's deadline in force fell in the period and
  has passed, without a report from the unit by that deadline.
- Units listed: every active unit that receives items (区政府部门, 镇, 街道 and 其他单位; not 区领导, the office
  and its sections, 四大家办公室 or 上级机关), including those with nothing, plus any other unit that has a figure
  in the period; in the fixed unit order (display_order).
A liaison sees their own unit only (STATS_VIEW is unit-scoped for liaisons).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from zhongshu.core import authz, clock
from zhongshu.core.exceptions import PermissionDenied, ValidationFailed
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, Unit

from . import permissions as perms
from .choices import OPEN_STATUSES, AssessBasis, NoticeLevel, PartRole, SourceType, Status
from .models import Config, Entry, Item, Notice, Part
from .selectors import counted_q, due_soon_q, local_day_start, on_time_q, overdue_q

RECEIVING_KINDS: Final = (UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET, UnitKind.OTHER)
"""Units that receive tracked items and are always listed, even with nothing assigned."""

NOTICE_LEVELS: Final = tuple(NoticeLevel.values)
MAX_PERIOD_DAYS: Final = 366 * 10 + 3
EARLIEST: Final = dt.date(2000, 1, 1)


# Periods ----------------------------------------------------------------------------------------------------


PERIOD_KINDS: Final = {
    "year": "本年",
    "quarter": "本季度",
    "month": "本月",
    "last_year": "上年",
    "custom": "自定义",
}


@dataclass(frozen=True)
class Period:
    """A range of local dates, both ends included."""

    start: dt.date
    end: dt.date
    kind: str = "custom"

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start.year}年{self.start.month}月{self.start.day}日"
        return (
            f"{self.start.year}年{self.start.month}月{self.start.day}日至"
            f"{self.end.year}年{self.end.month}月{self.end.day}日"
        )

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[first instant of start, first instant of the day after end)."""
        return local_day_start(self.start), local_day_start(self.end + dt.timedelta(days=1))

    def query(self) -> dict[str, str]:
        """The query parameters that select this period again (pages and API)."""
        if self.kind != "custom":
            return {"period": self.kind}
        return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def period_of(kind: str, today: dt.date) -> Period:
    """A named period relative to `today`: the current year, quarter or month up to today, or last year."""
    if kind == "month":
        return Period(_month_start(today), today, "month")
    if kind == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return Period(today.replace(month=first_month, day=1), today, "quarter")
    if kind == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), "last_year")
    return Period(dt.date(today.year, 1, 1), today, "year")


def parse_period(data: Mapping[str, Any], *, today: dt.date) -> Period:
    """Read the period from a query: `period` (year, quarter, month, last_year, custom) and/or `from`/`to`
    (YYYY-MM-DD). Without anything: this year up to today. Bad input raises ValidationFailed naming the field."""
    kind = str(data.get("period") or "").strip()
    raw_from = str(data.get("from") or "").strip()
    raw_to = str(data.get("to") or "").strip()
    if kind and kind not in PERIOD_KINDS:
        raise ValidationFailed({"period": "统计期间应为本年、本季度、本月、上年或自定义。"})
    if kind != "custom" and (kind or not (raw_from or raw_to)):
        return period_of(kind or "year", today)
    errors: dict[str, str] = {}
    start = end = None
    for name, raw in (("from", raw_from), ("to", raw_to)):
        if not raw:
            continue
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            errors[name] = f"日期“{raw[:20]}”无效，格式应为 YYYY-MM-DD（例如 {today.year}-01-01）。"
            continue
        if value < EARLIEST:
            errors[name] = f"日期不能早于 {EARLIEST.year} 年。"
        if name == "from":
            start = value
        else:
            end = value
    if not errors:
        if start is None and not raw_from:
            start = dt.date((end or today).year, 1, 1)
        if end is None and not raw_to:
            end = today if start is None or start <= today else start
        if start is not None and end is not None:
            if end < start:
                errors["to"] = "截止日期不能早于起始日期。"
            elif (end - start).days > MAX_PERIOD_DAYS:
                errors["to"] = "统计期间最长为 10 年。"
    if errors or start is None or end is None:
        raise ValidationFailed(errors or {"from": "请填写统计期间。"})
    return Period(start, end, "custom")


# Rows -------------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The core figures of a row (a unit, a source, a leader, a month, or a total)."""

    assigned: int = 0
    signed_late: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率 as a fraction (0–1, 4 decimals); None when nothing was closed."""
        return round(self.closed_on_time / self.closed, 4) if self.closed else None

    @property
    def on_time_percent(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def closed_late(self) -> int:
        return self.closed - self.closed_on_time


@dataclass
class UnitStats(Figures):
    """One unit's row."""

    unit: str = ""
    code: str = ""
    unit_id: int | None = None
    full_name: str = ""
    overdue_workdays: int = 0
    close_workdays_total: int = 0
    notices_by_level: dict[str, int] = field(default_factory=dict)
    co_late: int = 0

    @property
    def avg_close_workdays(self) -> float | None:
        return round(self.close_workdays_total / self.closed, 1) if self.closed else None

    @property
    def notices(self) -> int:
        return sum(self.notices_by_level.values())

    @property
    def notices_text(self) -> str:
        """The notices by level in words, e.g. "红色督办单 2，催办通知书 1"."""
        parts = [f"{NoticeLevel(level).label} {n}" for level, n in self.notices_by_level.items() if n]
        return "，".join(parts)


@dataclass
class SourceStats(Figures):
    source_type: str = ""
    label: str = ""


@dataclass
class LeaderStats(Figures):
    leader_id: int | None = None
    username: str = ""
    name: str = ""
    title: str = ""


@dataclass
class MonthStats(Figures):
    month: dt.date = dt.date(2000, 1, 1)
    start: dt.date = dt.date(2000, 1, 1)  # the part of the month inside the period
    end: dt.date = dt.date(2000, 1, 1)

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def short_label(self) -> str:
        """The chart's axis label: the month, with the year under January."""
        return f"{self.month.month}月" if self.month.month != 1 else f"1月\n{self.month.year}年"


@dataclass
class Summary(Figures):
    """The dashboard's headline figures: 在办, 本月交办, 按期办结率 (period), 当前超期, 临近到期."""

    open: int = 0
    month_assigned: int = 0
    month_start: dt.date = dt.date(2000, 1, 1)
    today: dt.date = dt.date(2000, 1, 1)
    due_soon: int = 0


# Scope ------------------------------------------------------------------------------------------------------


def unit_scope(user: Any) -> set[int] | None:
    """The unit ids whose figures `user` may see, or None for the whole district; refuses without STATS_VIEW."""
    scope = authz.scope_of(user, perms.STATS_VIEW)
    if scope is None:
        raise PermissionDenied("您无权查看督查统计。")
    return scope if isinstance(scope, set) else None


def may_view(user: Any) -> bool:
    return authz.scope_of(user, perms.STATS_VIEW) is not None


def _config(cfg: Config | None) -> Config:
    if cfg is not None:
        return cfg
    from .services import config

    return config()


def _basis(basis: str | None, cfg: Config | None) -> str:
    if basis:
        if basis not in AssessBasis.values:
            raise ValidationFailed({"basis": "考核口径应为 auto、original 或 in_force。"})
        return basis
    return _config(cfg).assess_basis


def _calendar() -> Any:
    from zhongshu.workdays.selectors import calendar

    return calendar()


def _counted(scope: set[int] | None) -> QuerySet[Item]:
    qs = Item.objects.filter(counted_q())
    if scope is not None:
        qs = qs.filter(lead_unit_id__in=scope)
    return qs.order_by()


def _figure_aggregates(period: Period, now: dt.datetime, basis: str) -> dict[str, Any]:
    start, end = period.bounds()
    assigned = Q(assigned_at__gte=start, assigned_at__lt=end)
    closed = Q(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
    return {
        "assigned": Count("pk", filter=assigned),
        "signed_late": Count("pk", filter=assigned & Q(sign_late_workdays__gt=0)),
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count("pk", filter=closed & on_time_q(basis)),
        "overdue": Count("pk", filter=overdue_q(now)),
    }


def _relevant(period: Period, now: dt.datetime) -> Q:
    start, end = period.bounds()
    return Q(assigned_at__gte=start, assigned_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end) | overdue_q(now)


def _set_figures(row: Figures, values: Mapping[str, Any]) -> None:
    for name in ("assigned", "signed_late", "closed", "closed_on_time", "overdue"):
        setattr(row, name, int(values.get(name) or 0))


# Per unit ---------------------------------------------------------------------------------------------------


def by_unit(
    user: Any, *, start: dt.date, end: dt.date, now: dt.datetime, basis: str | None = None, cfg: Config | None = None
) -> list[UnitStats]:
    """One row per unit that receives items, in the fixed unit order, including units with nothing."""
    scope = unit_scope(user)
    period = Period(start, end)
    basis = _basis(basis, cfg)
    p_start, p_end = period.bounds()
    tz = timezone.get_default_timezone()
    cal = _calendar()
    today = clock.localtime(now).date()
    counted = _counted(scope)

    figures = {
        row["lead_unit_id"]: row
        for row in counted.filter(_relevant(period, now))
        .values("lead_unit_id")
        .annotate(**_figure_aggregates(period, now, basis))
    }

    overdue_days: dict[int, int] = defaultdict(int)
    groups = (
        counted.filter(overdue_q(now))
        .annotate(due_day=TruncDate("due_at", tzinfo=tz), reported_day=TruncDate("reported_at", tzinfo=tz))
        .values("lead_unit_id", "status", "due_day", "reported_day")
        .annotate(n=Count("pk"))
    )
    for group in groups:
        until = group["reported_day"] if group["status"] == Status.REPORTED and group["reported_day"] else today
        days = cal.workdays_between(group["due_day"], until).value
        overdue_days[group["lead_unit_id"]] += group["n"] * max(0, days)

    close_days: dict[int, int] = defaultdict(int)
    pairs = (
        counted.filter(status=Status.CLOSED, closed_at__gte=p_start, closed_at__lt=p_end)
        .annotate(
            assigned_day=TruncDate("assigned_at", tzinfo=tz),
            done_day=TruncDate(Coalesce("reported_at", "closed_at"), tzinfo=tz),
        )
        .values("lead_unit_id", "assigned_day", "done_day")
        .annotate(n=Count("pk"))
    )
    for pair in pairs:
        days = cal.workdays_between(pair["assigned_day"], pair["done_day"]).value
        close_days[pair["lead_unit_id"]] += pair["n"] * max(0, days)

    notices: dict[int, dict[str, int]] = defaultdict(dict)
    notice_qs = (
        Notice.objects.filter(issued_at__gte=p_start, issued_at__lt=p_end)
        .exclude(item__status=Status.CANCELLED)
        .order_by()
    )
    if scope is not None:
        notice_qs = notice_qs.filter(unit_id__in=scope)
    for counted_notice in notice_qs.values("unit_id", "level").annotate(n=Count("pk")):
        notices[counted_notice["unit_id"]][counted_notice["level"]] = counted_notice["n"]

    co_late = _co_late(scope, p_start, min(p_end, now))

    with_figures = set(figures) | set(notices) | set(co_late)
    units = Unit.objects.filter(Q(kind__in=RECEIVING_KINDS, active=True) | Q(pk__in=with_figures))
    if scope is not None:
        units = units.filter(pk__in=scope)
    rows = []
    for unit in units.order_by("display_order", "id").only("pk", "code", "short_name", "full_name"):
        row = UnitStats(unit=unit.short_name, code=unit.code, unit_id=unit.pk, full_name=unit.full_name)
        _set_figures(row, figures.get(unit.pk, {}))
        row.overdue_workdays = overdue_days.get(unit.pk, 0)
        row.close_workdays_total = close_days.get(unit.pk, 0)
        row.notices_by_level = {level: notices[unit.pk].get(level, 0) for level in NOTICE_LEVELS}
        row.co_late = co_late.get(unit.pk, 0)
        rows.append(row)
    return rows


def _co_late(scope: set[int] | None, start: dt.datetime, until: dt.datetime) -> dict[int, int]:
    """Co-operating parts whose item's deadline (in force) fell in [start, until) without a report by it."""
    from django.db.models import Exists, OuterRef

    reported = Entry.objects.filter(
        item_id=OuterRef("item_id"),
        unit_id=OuterRef("unit_id"),
        kind="co_report",
        created_at__lte=OuterRef("item__due_at"),
    )
    parts = Part.objects.filter(
        Q(role=PartRole.CO, item__due_at__gte=start, item__due_at__lt=until)
        & Q(item__in=Item.objects.filter(counted_q()).values("pk"))
    ).filter(~Exists(reported))
    if scope is not None:
        parts = parts.filter(unit_id__in=scope)
    return {row["unit_id"]: row["n"] for row in parts.order_by().values("unit_id").annotate(n=Count("pk"))}


def totals(rows: Iterable[UnitStats]) -> UnitStats:
    """The totals row of a per-unit table."""
    total = UnitStats(unit="合计", code="", unit_id=None, full_name="合计")
    levels: dict[str, int] = dict.fromkeys(NOTICE_LEVELS, 0)
    for row in rows:
        for name in (
            "assigned",
            "signed_late",
            "closed",
            "closed_on_time",
            "overdue",
            "overdue_workdays",
            "close_workdays_total",
            "co_late",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for level, n in row.notices_by_level.items():
            levels[level] = levels.get(level, 0) + n
    total.notices_by_level = levels
    return total


# By source, by leader, by month -------------------------------------------------------------------------------


def by_source(
    user: Any, *, start: dt.date, end: dt.date, now: dt.datetime, basis: str | None = None, cfg: Config | None = None
) -> list[SourceStats]:
    """One row per source type (领导批示, 会议议定…), in the fixed order, including sources with nothing."""
    scope = unit_scope(user)
    period = Period(start, end)
    found = {
        row["source_type"]: row
        for row in _counted(scope)
        .filter(_relevant(period, now))
        .values("source_type")
        .annotate(**_figure_aggregates(period, now, _basis(basis, cfg)))
    }
    rows = []
    for value, label in SourceType.choices:
        row = SourceStats(source_type=value, label=str(label))
        _set_figures(row, found.get(value, {}))
        rows.append(row)
    return rows


def by_leader(
    user: Any, *, start: dt.date, end: dt.date, now: dt.datetime, basis: str | None = None, cfg: Config | None = None
) -> list[LeaderStats]:
    """One row per instructing leader (批示领导): every active district leader, and anyone else whose
    instructions have figures in the period; items without an instructing leader are not in this table."""
    scope = unit_scope(user)
    period = Period(start, end)
    found = {
        row["instructing_leader_id"]: row
        for row in _counted(scope)
        .filter(_relevant(period, now), instructing_leader__isnull=False)
        .values("instructing_leader_id")
        .annotate(**_figure_aggregates(period, now, _basis(basis, cfg)))
    }
    people = Person.objects.filter(Q(pk__in=set(found)) | Q(is_active=True, grants__role=Role.LEADER)).distinct()
    rows = []
    for person in people.select_related("unit").order_by("unit__display_order", "display_order", "id"):
        row = LeaderStats(
            leader_id=person.pk, username=person.username, name=person.name or person.username, title=person.title
        )
        _set_figures(row, found.get(person.pk, {}))
        rows.append(row)
    return rows


def trend(
    user: Any, *, start: dt.date, end: dt.date, now: dt.datetime, basis: str | None = None, cfg: Config | None = None
) -> list[MonthStats]:
    """Per month of the period: assigned, closed and closed on time (the parts of the first and last month
    inside the period)."""
    scope = unit_scope(user)
    period = Period(start, end)
    p_start, p_end = period.bounds()
    tz = timezone.get_default_timezone()
    counted = _counted(scope)
    assigned = {
        _as_date(row["month"]): row["n"]
        for row in counted.filter(assigned_at__gte=p_start, assigned_at__lt=p_end)
        .annotate(month=TruncMonth("assigned_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
    }
    closed = {
        _as_date(row["month"]): row
        for row in counted.filter(status=Status.CLOSED, closed_at__gte=p_start, closed_at__lt=p_end)
        .annotate(month=TruncMonth("closed_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=on_time_q(_basis(basis, cfg))))
    }
    rows = []
    month = _month_start(start)
    while month <= end:
        row = MonthStats(month=month, start=max(month, start), end=min(_month_end(month), end))
        row.assigned = assigned.get(month, 0)
        row.closed = closed.get(month, {}).get("n", 0)
        row.closed_on_time = closed.get(month, {}).get("on_time", 0)
        rows.append(row)
        month = _month_end(month) + dt.timedelta(days=1)
    return rows


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return clock.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# Headline figures -------------------------------------------------------------------------------------------


def summary(
    user: Any, *, start: dt.date, end: dt.date, now: dt.datetime, basis: str | None = None, cfg: Config | None = None
) -> Summary:
    """在办 (open now), 本月交办 (this calendar month to date), 按期办结率 over the period, 当前超期, 临近到期."""
    scope = unit_scope(user)
    cfg = _config(cfg)
    period = Period(start, end)
    today = clock.localtime(now).date()
    month_start = _month_start(today)
    month_from = local_day_start(month_start)
    month_to = local_day_start(today + dt.timedelta(days=1))
    values = _counted(scope).aggregate(
        **_figure_aggregates(period, now, _basis(basis, cfg)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        month_assigned=Count("pk", filter=Q(assigned_at__gte=month_from, assigned_at__lt=month_to)),
        due_soon=Count("pk", filter=due_soon_q(now, cfg)),
    )
    result = Summary(month_start=month_start, today=today)
    _set_figures(result, values)
    result.open = int(values["open"] or 0)
    result.month_assigned = int(values["month_assigned"] or 0)
    result.due_soon = int(values["due_soon"] or 0)
    return result


# Drill-down -------------------------------------------------------------------------------------------------


def drill(period: Period | None = None, *, figure: str, basis: str = "", **extra: Any) -> dict[str, str]:
    """Board filters (selectors.filters_from) that list exactly the items behind a figure.

    figure: assigned, signed_late, closed, closed_on_time, closed_late, overdue, open, due_soon, notices."""
    query: dict[str, str] = {"counted": "1"}
    if figure in {"assigned", "signed_late"} and period is not None:
        query |= {"assigned_from": period.start.isoformat(), "assigned_to": period.end.isoformat()}
        if figure == "signed_late":
            query["signed_late"] = "1"
    elif figure in {"closed", "closed_on_time", "closed_late"} and period is not None:
        query |= {"closed_from": period.start.isoformat(), "closed_to": period.end.isoformat()}
        if figure != "closed":
            query["on_time"] = "1" if figure == "closed_on_time" else "0"
            if basis:
                query["basis"] = basis
    elif figure == "overdue":
        query["overdue"] = "1"
    elif figure == "open":
        query["status"] = "open"
    elif figure == "due_soon":
        query["due_soon"] = "1"
    elif figure == "notices" and period is not None:
        query |= {"notice_level": "any", "notice_from": period.start.isoformat(), "notice_to": period.end.isoformat()}
    else:
        raise ValueError(f"no drill-down for {figure!r}")
    for key, value in extra.items():
        if value is not None and value != "":
            query[key] = str(value)
    return query
