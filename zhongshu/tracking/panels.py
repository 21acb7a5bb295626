"""Workbench panels of 督查督办 (我的工作台): what waits for each person, in a fixed number of queries.

- a liaison: 待签收, 待反馈, 被退回, 即将到期, 已超期 for their unit;
- a supervision officer or the director: 待核查, 退办待处理, 延期待审批, 已超期;
- a leader: 我批示的事项 by state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest

from zhongshu.core import authz, clock, workbench
from zhongshu.org.choices import Role

from . import permissions as perms
from . import selectors, services
from .choices import RUNNING_STATUSES, DeclineStatus, ExtensionStatus, FeedbackCycle, PartRole, Status
from .models import Decline, Extension, Item, Part

SHOWN = 5
"""Items listed per group; the count says how many there are in all."""
LIAISON_LIMIT = 500
"""Open items of a unit read for the liaison's panel (a unit never has this many running at once)."""
STALE_WORKDAYS = 10
"""Without a feedback cycle, an item with no progress report for this many working days waits for one."""


@dataclass
class Group:
    key: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    link: str = ""

    def add(self, item: Item, note: str = "") -> None:
        self.count += 1
        if len(self.rows) < SHOWN:
            self.rows.append({"item": item, "note": note})


def _person(request: HttpRequest) -> Any:
    return request.user


def _day(moment: dt.datetime | None) -> dt.date | None:
    return clock.localtime(moment).date() if moment else None


def _feedback_note(item: Item, part: Part, cal: Any, today: dt.date) -> str:
    """Why the unit owes a progress report now ("" when it does not)."""
    last = _day(part.last_report_at) or _day(item.accepted_at) or today
    if part.role == PartRole.LEAD and item.feedback_cycle == FeedbackCycle.WEEKLY and item.feedback_weekday is not None:
        latest = today - dt.timedelta(days=(today.weekday() - item.feedback_weekday) % 7)
        weekday = "一二三四五六日"[item.feedback_weekday]
        return f"每周{weekday}反馈，本期未反馈" if last < latest else ""
    if part.role == PartRole.LEAD and item.feedback_cycle == FeedbackCycle.MONTHLY and item.feedback_day:
        if today.day >= item.feedback_day:
            latest = today.replace(day=item.feedback_day)
        else:
            previous = today.replace(day=1) - dt.timedelta(days=1)
            latest = previous.replace(day=min(item.feedback_day, previous.day))
        return f"每月{item.feedback_day}日反馈，本期未反馈" if last < latest else ""
    if part.role == PartRole.LEAD and item.feedback_cycle == FeedbackCycle.WORKDAYS and item.feedback_every:
        due = cal.add_workdays(last, item.feedback_every).value
        return f"每{item.feedback_every}个工作日反馈，应于{due:%m-%d}前反馈" if due <= today else ""
    idle = int(cal.workdays_between(last, today).value)
    if idle >= STALE_WORKDAYS:
        who = "配合单位" if part.role == PartRole.CO else ""
        return f"{who}已{idle}个工作日未反馈进展"
    return ""


def liaison_panel(request: HttpRequest) -> dict[str, Any] | None:
    """待签收, 待反馈, 被退回, 即将到期, 已超期 for the liaison's unit(s)."""
    from zhongshu.workdays.selectors import calendar

    person = _person(request)
    scope = authz.scope_of(person, perms.ITEM_HANDLE)
    if not isinstance(scope, set) or not scope:
        return None
    now = clock.now()
    cfg = services.config()
    cutoff = selectors.warn_cutoff(now, cfg)
    mine = Part.objects.filter(unit_id__in=scope).order_by("role")
    items = list(
        selectors.with_state(selectors.visible_items(person), now, cfg)
        .filter(status__in=RUNNING_STATUSES, is_parent=False)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("parts", queryset=mine, to_attr="my_parts"))
        .order_by("due_at", "seq")[:LIAISON_LIMIT]
    )
    cal = calendar()
    today = clock.localtime(now).date()
    groups = {
        "to_accept": Group("to_accept", "待签收"),
        "feedback": Group("feedback", "待反馈"),
        "returned": Group("returned", "被退回"),
        "due_soon": Group("due_soon", "即将到期"),
        "overdue": Group("overdue", "已超期"),
    }
    for item in items:
        lead = item.lead_unit_id in scope
        overdue = bool(item.is_overdue)  # type: ignore[attr-defined]
        if lead and item.status == Status.ASSIGNED:
            groups["to_accept"].add(item, f"{item.assigned_at:%m-%d} 交办" if item.assigned_at else "")
        if item.status == Status.IN_PROGRESS:
            notes = [note for part in item.my_parts if (note := _feedback_note(item, part, cal, today))]
            if notes:
                groups["feedback"].add(item, notes[0])
        if lead and item.status == Status.IN_PROGRESS and item.last_returned_at:
            groups["returned"].add(item, f"{clock.localtime(item.last_returned_at):%m-%d} 退回重办")
        if lead and overdue:
            groups["overdue"].add(item, "已超过办结时限")
        elif lead and item.due_at and now <= item.due_at <= cutoff:
            groups["due_soon"].add(item, f"{clock.localtime(item.due_at):%m-%d %H:%M} 到期")
    return {"groups": list(groups.values()), "truncated": len(items) >= LIAISON_LIMIT}


def _officer_items(person: Any) -> QuerySet[Item]:
    qs = selectors.visible_items(person)
    if any(grant.role == Role.DIRECTOR for grant in authz.grants_of(person)):
        return qs  # the director watches the whole district
    return qs.filter(Q(officer=person) | Q(officer__isnull=True))


def officer_panel(request: HttpRequest) -> dict[str, Any] | None:
    """待核查, 退办待处理, 延期待审批, 已超期 for the officer's items (the director: all items)."""
    person = _person(request)
    now = clock.now()
    base = _officer_items(person)
    pending_decline = Exists(Decline.objects.filter(item=OuterRef("pk"), status=DeclineStatus.PENDING))
    pending_extension = Exists(Extension.objects.filter(item=OuterRef("pk"), status=ExtensionStatus.PENDING))
    overdue = selectors.overdue_q(now) & Q(status__in=RUNNING_STATUSES)
    counts = base.order_by().aggregate(
        reported=Count("pk", filter=Q(status=Status.REPORTED)),
        declines=Count("pk", filter=Q(pending_decline, status=Status.ASSIGNED)),
        extensions=Count("pk", filter=Q(pending_extension, status=Status.IN_PROGRESS)),
        overdue=Count("pk", filter=overdue),
    )
    listed = base.select_related("lead_unit")
    specs = [
        ("reported", "待核查", listed.filter(status=Status.REPORTED).order_by("reported_at"), "?status=reported"),
        ("declines", "退办待处理", listed.filter(pending_decline, status=Status.ASSIGNED).order_by("updated_at"), ""),
        (
            "extensions",
            "延期待审批",
            listed.filter(pending_extension, status=Status.IN_PROGRESS).order_by("due_at"),
            "",
        ),
        ("overdue", "已超期", listed.filter(overdue).order_by("due_at"), "?overdue=1&status=open"),
    ]
    groups = []
    for key, title, qs, link in specs:
        group = Group(key, title, count=counts[key], link=link)
        for item in qs[:SHOWN]:
            note = ""
            if key == "reported" and item.reported_at:
                note = f"{clock.localtime(item.reported_at):%m-%d} 报结"
            elif key == "overdue" and item.due_at:
                note = f"{clock.localtime(item.due_at):%m-%d} 到期"
            elif key == "extensions" and item.due_at:
                note = f"现行时限 {clock.localtime(item.due_at):%m-%d}"
            group.rows.append({"item": item, "note": note})
        groups.append(group)
    return {"groups": groups}


def leader_panel(request: HttpRequest) -> dict[str, Any] | None:
    """我批示的事项: how many of the leader's instructions are at each state, and how many are overdue."""
    person = _person(request)
    if not authz.can(person, perms.ITEM_INSTRUCT):
        return None
    now = clock.now()
    counts = (
        selectors.visible_items(person)
        .filter(instructing_leader=person)
        .order_by()
        .aggregate(
            running=Count("pk", filter=Q(status__in=RUNNING_STATUSES)),
            reported=Count("pk", filter=Q(status=Status.REPORTED)),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
            overdue=Count("pk", filter=selectors.overdue_q(now) & Q(status__in=RUNNING_STATUSES)),
        )
    )
    return {"counts": counts, "leader": person}


def register() -> None:
    workbench.register(
        workbench.Panel(
            "tracking.liaison",
            "本单位督办事项",
            "tracking/_panel_liaison.html",
            liaison_panel,
            perm=perms.ITEM_HANDLE,
            order=15,
            wide=True,
        )
    )
    workbench.register(
        workbench.Panel(
            "tracking.officer",
            "督查督办待办",
            "tracking/_panel_officer.html",
            officer_panel,
            perm=perms.ITEM_MANAGE,
            order=15,
            wide=True,
        )
    )
    workbench.register(
        workbench.Panel(
            "tracking.leader",
            "我批示的事项",
            "tracking/_panel_leader.html",
            leader_panel,
            perm=perms.ITEM_INSTRUCT,
            order=15,
        )
    )
