"""Reads of tracked items: what a person may see, the derived state (overdue, colour) as SQL expressions,
the board's filters, and what a person may do to an item now. Pages, the API, exports, statistics and the
reminder sweep all start here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When

from zhongshu.core import authz, clock
from zhongshu.core.exceptions import NotFound

from . import permissions as perms
from .choices import RUNNING_STATUSES, Colour, DeclineStatus, ExtensionStatus, Status
from .models import Config, Decline, Extension, Item, Milestone, Part


def config() -> Config:
    from .services import config as _config

    return _config()


def _calendar() -> Any:
    from zhongshu.workdays.selectors import calendar

    return calendar()


def visible_items(user: Any) -> QuerySet[Item]:
    """Every item `user` may see (the office sees all; a liaison sees their unit's items, lead or co-op)."""
    return authz.visible(user, perms.ITEM_VIEW, Item.objects.all())


def get_item(user: Any, item_id: int) -> Item:
    item = (
        visible_items(user)
        .select_related("lead_unit", "officer", "instructing_leader", "parent")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound()
    return item


# Derived state --------------------------------------------------------------------------------------------


def overdue_q(now: dt.datetime) -> Q:
    """Overdue: still owed by the unit after the deadline in force, or reported after it."""
    return Q(status__in=RUNNING_STATUSES, due_at__lt=now) | Q(status=Status.REPORTED, reported_at__gt=F("due_at"))


def warn_cutoff(now: dt.datetime, cfg: Config | None = None) -> dt.datetime:
    """Items due before this moment are "near due" (yellow): the end of the warn_workdays-th working day."""
    cfg = cfg or config()
    today = clock.localtime(now).date()
    return _calendar().deadline(today, cfg.warn_workdays).value


def behind_q(now: dt.datetime) -> Q:
    """Behind schedule (序时进度): a planned milestone's date has passed without it being done, or the report
    was returned for rework."""
    today = clock.localtime(now).date()
    late_milestone = Milestone.objects.filter(item=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
    return Q(status__in=RUNNING_STATUSES) & (Q(Exists(late_milestone)) | Q(last_returned_at__isnull=False))


def with_state(qs: QuerySet[Item], now: dt.datetime, cfg: Config | None = None) -> QuerySet[Item]:
    """Annotate `is_overdue` and `colour` (green/yellow/red/grey) in SQL, so lists filter and sort on them."""
    cutoff = warn_cutoff(now, cfg)
    return qs.annotate(
        is_overdue=Case(When(overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()),
        colour=Case(
            When(~Q(status__in=[*RUNNING_STATUSES, Status.REPORTED]), then=Value(Colour.GREY.value)),
            When(overdue_q(now), then=Value(Colour.RED.value)),
            When(Q(status__in=RUNNING_STATUSES, due_at__lte=cutoff) | behind_q(now), then=Value(Colour.YELLOW.value)),
            default=Value(Colour.GREEN.value),
            output_field=CharField(),
        ),
    )


def is_overdue(item: Item, now: dt.datetime) -> bool:
    if item.due_at is None:
        return False
    if item.status in RUNNING_STATUSES:
        return item.due_at < now
    return item.status == Status.REPORTED and item.reported_at is not None and item.reported_at > item.due_at


def overdue_workdays(item: Item, now: dt.datetime, cal: Any = None) -> int:
    """Working days past the deadline in force: up to today while owed, up to the report once reported.
    Lists pass one `cal` (workdays.selectors.calendar()) for all their rows; otherwise it is read here."""
    if item.due_at is None:
        return 0
    end = item.reported_at if item.status in (Status.REPORTED, Status.CLOSED) and item.reported_at else now
    if item.status in (Status.CANCELLED, Status.DRAFT):  # a draft owes nothing yet
        return 0
    if end <= item.due_at:
        return 0
    due_day = clock.localtime(item.due_at).date()
    days: int = (cal or _calendar()).workdays_between(due_day, clock.localtime(end).date()).value
    return max(days, 0)


# The board's filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    unit: int | None = None
    status: str = ""
    source_type: str = ""
    leader: int | None = None
    officer: int | None = None
    overdue: bool | None = None
    due_this_week: bool = False
    due_before: dt.date | None = None
    colour: str = ""
    q: str = ""
    parent: int | None = None
    top_level: bool = False
    # Drill-down from the statistics (stats.py): each figure links to the board with exactly its items.
    lead_unit: int | None = None
    counted: bool = False  # counted in statistics: not a split parent, not cancelled, assigned
    assigned_from: dt.date | None = None
    assigned_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    on_time: bool | None = None  # closed on time under the assessment basis (`basis`, else the office's)
    basis: str = ""
    signed_late: bool | None = None
    due_soon: bool = False  # running, not yet overdue, due within the warning window (临近到期)
    notice_level: str = ""
    notice_from: dt.date | None = None
    notice_to: dt.date | None = None


def filters_from(data: Mapping[str, Any]) -> Filters:
    """Read filters from a query dict (bad values are ignored, as a search form does)."""

    def int_or_none(key: str) -> int | None:
        try:
            return int(data.get(key) or "") or None
        except (TypeError, ValueError):
            return None

    def flag(key: str) -> bool | None:
        value = str(data.get(key) or "").lower()
        return True if value in {"1", "true", "yes", "on"} else False if value in {"0", "false", "no"} else None

    due_before = None
    if raw := data.get("due_before"):
        try:
            due_before = dt.date.fromisoformat(str(raw))
        except ValueError:
            due_before = None
    status = str(data.get("status") or "")
    source_type = str(data.get("source_type") or "")
    colour = str(data.get("colour") or "")
    from .choices import SourceType

    def day(key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(data.get(key) or ""))
        except ValueError:
            return None

    from .choices import AssessBasis, NoticeLevel

    basis = str(data.get("basis") or "")
    notice_level = str(data.get("notice_level") or "")
    drill: dict[str, Any] = {
        "lead_unit": int_or_none("lead_unit"),
        "counted": bool(flag("counted")),
        "assigned_from": day("assigned_from"),
        "assigned_to": day("assigned_to"),
        "closed_from": day("closed_from"),
        "closed_to": day("closed_to"),
        "on_time": flag("on_time"),
        "basis": basis if basis in AssessBasis.values else "",
        "signed_late": flag("signed_late"),
        "due_soon": bool(flag("due_soon")),
        "notice_level": notice_level if notice_level in NoticeLevel.values or notice_level == "any" else "",
        "notice_from": day("notice_from"),
        "notice_to": day("notice_to"),
    }
    return Filters(
        **drill,
        unit=int_or_none("unit"),
        status=status if status in Status.values or status == "open" else "",
        source_type=source_type if source_type in SourceType.values else "",
        leader=int_or_none("leader"),
        officer=int_or_none("officer"),
        overdue=flag("overdue"),
        due_this_week=bool(flag("due_this_week")),
        due_before=due_before,
        colour=colour if colour in Colour.values else "",
        q=str(data.get("q") or "").strip()[:100],
        parent=int_or_none("parent"),
    )


def filter_items(qs: QuerySet[Item], filters: Filters, now: dt.datetime) -> QuerySet[Item]:
    """Apply the board's filters to an item queryset already annotated `with_state`."""
    if filters.unit:
        qs = qs.filter(Exists(Part.objects.filter(item=OuterRef("pk"), unit_id=filters.unit)))
    if filters.status == "open":
        qs = qs.filter(status__in=[*RUNNING_STATUSES, Status.REPORTED])
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source_type:
        qs = qs.filter(source_type=filters.source_type)
    if filters.leader:
        qs = qs.filter(instructing_leader_id=filters.leader)
    if filters.officer:
        qs = qs.filter(officer_id=filters.officer)
    if filters.overdue is True:
        qs = qs.filter(overdue_q(now))
    elif filters.overdue is False:
        qs = qs.exclude(overdue_q(now))
    if filters.due_this_week:
        today = clock.localtime(now).date()
        monday = today - dt.timedelta(days=today.weekday())
        sunday_end = dt.datetime.combine(monday + dt.timedelta(days=6), dt.time.max, tzinfo=clock.localtime(now).tzinfo)
        qs = qs.filter(status__in=RUNNING_STATUSES, due_at__gte=now, due_at__lte=sunday_end)
    if filters.due_before:
        end = dt.datetime.combine(filters.due_before, dt.time.max, tzinfo=clock.localtime(now).tzinfo)
        qs = qs.filter(due_at__lte=end)
    if filters.colour:
        qs = qs.filter(colour=filters.colour)  # type: ignore[misc]  # annotated by with_state
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q) | Q(number__icontains=filters.q) | Q(instruction__icontains=filters.q)
        )
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    return _filter_drill_down(qs, filters, now)


def local_day_start(day: dt.date) -> dt.datetime:
    """The first instant of a local (Asia/Shanghai) day: period bounds of statistics and their drill-down."""
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def counted_q() -> Q:
    """Items counted in statistics: assigned, not a split parent (its children count), not cancelled."""
    return Q(is_parent=False, assigned_at__isnull=False) & ~Q(status__in=[Status.DRAFT, Status.CANCELLED])


def on_time_q(basis: str) -> Q:
    """Closed on time under an assessment basis: "original" deadline, the deadline "in_force", or "auto" (the
    original, unless an extension was approved before it expired)."""
    if basis == "in_force":
        return Q(closed_on_time=True)
    if basis == "original":
        return Q(closed_on_time_original=True)
    return Q(extended_in_time=True, closed_on_time=True) | Q(extended_in_time=False, closed_on_time_original=True)


def due_soon_q(now: dt.datetime, cfg: Config | None = None) -> Q:
    """Near due (临近到期): still owed, not yet overdue, due within the warning window."""
    return Q(status__in=RUNNING_STATUSES, due_at__gte=now, due_at__lte=warn_cutoff(now, cfg))


def _between(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": local_day_start(start)})
    if end:
        q &= Q(**{f"{field}__lt": local_day_start(end + dt.timedelta(days=1))})
    return q


def _filter_drill_down(qs: QuerySet[Item], filters: Filters, now: dt.datetime) -> QuerySet[Item]:
    """The statistics' drill-down filters (see stats.py): the same conditions the figures count."""
    if filters.lead_unit:
        qs = qs.filter(lead_unit_id=filters.lead_unit)
    if filters.counted:
        qs = qs.filter(counted_q())
    if filters.assigned_from or filters.assigned_to:
        qs = qs.filter(_between("assigned_at", filters.assigned_from, filters.assigned_to))
    if filters.closed_from or filters.closed_to:
        qs = qs.filter(Q(status=Status.CLOSED) & _between("closed_at", filters.closed_from, filters.closed_to))
    if filters.on_time is not None:
        closed = qs.filter(status=Status.CLOSED)
        basis = filters.basis or config().assess_basis
        qs = closed.filter(on_time_q(basis)) if filters.on_time else closed.exclude(on_time_q(basis))
    if filters.signed_late is True:
        qs = qs.filter(sign_late_workdays__gt=0)
    elif filters.signed_late is False:
        qs = qs.filter(sign_late_workdays=0)
    if filters.due_soon:
        qs = qs.filter(due_soon_q(now))
    if filters.notice_level or filters.notice_from or filters.notice_to:
        from .models import Notice

        notices = Notice.objects.filter(item=OuterRef("pk")).filter(
            _between("issued_at", filters.notice_from, filters.notice_to)
        )
        if filters.notice_level and filters.notice_level != "any":
            notices = notices.filter(level=filters.notice_level)
        qs = qs.filter(Exists(notices))
    return qs


SORTS = {
    "due": ("due_at", "-seq"),
    "-due": ("-due_at", "-seq"),
    "number": ("year", "seq", "sub"),
    "-number": ("-year", "-seq", "sub"),
    "assigned": ("assigned_at", "seq"),
    "-assigned": ("-assigned_at", "-seq"),
    "unit": ("lead_unit__display_order", "-year", "-seq"),
}


def board(user: Any, filters: Filters, *, now: dt.datetime, sort: str = "-number") -> QuerySet[Item]:
    """The officer's board: visible items, filtered, with their state, ready for paging."""
    qs = with_state(visible_items(user), now)
    qs = filter_items(qs, filters, now)
    return qs.select_related("lead_unit", "officer", "instructing_leader").order_by(*SORTS.get(sort, SORTS["-number"]))


def principals_of(user: Any) -> list[Any]:
    """The leaders for whom `user` (a secretary) may record decisions ("X 代 Y")."""
    from zhongshu.org.models import Delegation

    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return []
    return [
        d.principal
        for d in Delegation.objects.filter(deputy=user, active=True, principal__is_active=True).select_related(
            "principal"
        )
    ]


# What a person may do now -------------------------------------------------------------------------------------


def available_actions(user: Any, item: Item, now: dt.datetime, *, principals: list[Any] | None = None) -> list[str]:
    """The API action names `user` may take on `item` at this moment (the pages show the same buttons).
    `principals`: the leaders `user` records decisions for, when the caller has them already."""
    from .services import acts_for_unit

    actions: list[str] = []
    manage = authz.can(user, perms.ITEM_MANAGE, item)
    handle = authz.can(user, perms.ITEM_HANDLE, item)
    lead = handle and acts_for_unit(user, item.lead_unit_id)
    status = item.status
    pending_decline = (
        status == Status.ASSIGNED and Decline.objects.filter(item=item, status=DeclineStatus.PENDING).exists()
    )
    pending_extension = Extension.objects.filter(item=item, status=ExtensionStatus.PENDING).first()
    if manage and status == Status.DRAFT:
        actions += ["assign", "edit"]
        if item.parent_id is None:  # a split draft may be split further (more child items)
            actions.append("split")
    if lead and status == Status.ASSIGNED and not pending_decline:
        actions += ["accept"]
        if not Decline.objects.filter(item=item, unit_id=item.lead_unit_id).exists():
            actions.append("decline")
    if manage and pending_decline:
        actions.append("decide-decline")
    if handle and status == Status.IN_PROGRESS and not item.is_parent:
        actions.append("progress")
    if lead and status == Status.IN_PROGRESS and not item.is_parent:
        if item.due_at and now <= item.due_at and pending_extension is None:
            actions.append("extend")
        actions.append("report")
    if (
        pending_extension is not None
        and status in (Status.IN_PROGRESS, Status.REPORTED)
        and (authz.can(user, perms.EXTENSION_DECIDE_LONG, item) or (manage and not pending_extension.needs_leader))
    ):
        actions.append("decide-extension")
    if manage and status == Status.REPORTED:
        actions += ["close", "return"]
    if manage and status in (Status.ASSIGNED, Status.IN_PROGRESS):
        actions += ["remind", "edit"]
    if manage and status in (Status.DRAFT, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPORTED):
        actions.append("cancel")
    if status not in (Status.CLOSED, Status.CANCELLED) and (
        authz.can(user, perms.ITEM_INSTRUCT, item)
        or any(
            authz.can(p, perms.ITEM_INSTRUCT, item) for p in (principals_of(user) if principals is None else principals)
        )
    ):
        actions.append("instruct")
    return list(dict.fromkeys(actions))
