"""Who may do what to a tracked item: every role × every service action, written out as a table and asserted
against the services themselves (allowed: the action succeeds and is recorded; refused: 403 or, for an item the
person may not see, 404 — and nothing written). Then the guarantee behind every button and the API's `actions`:
for each state × role, `selectors.available_actions` lists exactly the actions the services accept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhongshu.audit.models import Event
from zhongshu.core.exceptions import ApplicationError, NotFound
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory
from zhongshu.tracking import selectors, services
from zhongshu.tracking.models import Item

from .conftest import at
from .test_services import written

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 2, 9)

Call = Callable[[Any], Any]

# The states the actions start from, one item each: every attempt runs in a savepoint that is rolled back, so
# each action sees the state exactly as built. -----------------------------------------------------------------


def _draft(d: Any, make: Any) -> Item:
    return make(assign=False, title="草稿事项")


def _assigned(d: Any, make: Any) -> Item:
    return make(title="待签收事项")


def _in_progress(d: Any, make: Any, **overrides: Any) -> Item:
    item = make(**{"title": "办理中事项", **overrides})
    services.item_accept(actor=d.liaison, item=item)  # due 2026-11-16 17:30
    item.refresh_from_db()
    return item


def _reported(d: Any, make: Any) -> Item:
    item = _in_progress(d, make, title="待核查事项")
    services.item_report(actor=d.liaison, item=item, text="已完成。")
    return item


def _declined(d: Any, make: Any) -> Item:
    item = make(title="已退办事项")
    services.item_decline(actor=d.liaison, item=item, reason="不属本单位。")
    return item


def _extension(d: Any, make: Any, until: dt.date) -> Item:
    item = _in_progress(d, make, title=f"申请延期至{until}的事项")
    services.extension_request(actor=d.liaison, item=item, reason="需等待审批。", due_at=until)
    return item


def _with_milestone(d: Any, make: Any) -> Item:
    return _in_progress(
        d, make, title="有节点的事项", milestones=[services.MilestoneIn("完成设计", dt.date(2026, 11, 10))]
    )


class Built:
    """Every starting state of the matrix, built once."""

    def __init__(self, d: Any, make: Any) -> None:
        self.draft = _draft(d, make)
        self.assigned = _assigned(d, make)
        self.declined = _declined(d, make)
        self.in_progress = _with_milestone(d, make)
        self.short = _extension(d, make, dt.date(2026, 11, 20))
        self.long = _extension(d, make, dt.date(2026, 12, 31))
        self.reported = _reported(d, make)


Setup = Callable[[Any, Built], Call]


def _create(d: Any, b: Built) -> Call:
    return lambda actor: services.item_create(
        actor=actor,
        title="新登记的事项",
        source_type="assignment",
        lead_unit_id=d.jiaowei.pk,
        due_in_workdays=5,
    )


def _edit(d: Any, b: Built) -> Call:
    return lambda actor: services.item_update(actor=actor, item=b.draft.pk, title="修改后的名称")


def _split(d: Any, b: Built) -> Call:
    return lambda actor: services.item_split(actor=actor, item=b.draft.pk, unit_ids=[d.zhujian.pk, d.weijian.pk])


def _assign(d: Any, b: Built) -> Call:
    return lambda actor: services.item_assign(actor=actor, item=b.draft.pk)


def _accept(d: Any, b: Built) -> Call:
    return lambda actor: services.item_accept(actor=actor, item=b.assigned.pk)


def _decline(d: Any, b: Built) -> Call:
    return lambda actor: services.item_decline(actor=actor, item=b.assigned.pk, reason="不属本单位职责。")


def _decide_decline(d: Any, b: Built) -> Call:
    return lambda actor: services.decline_decide(actor=actor, item=b.declined.pk, reassign_to_id=d.zhujian.pk)


def _progress(d: Any, b: Built) -> Call:
    return lambda actor: services.item_progress(actor=actor, item=b.in_progress.pk, text="本周完成摸底。")


def _milestone(d: Any, b: Built) -> Call:
    milestone = b.in_progress.milestones.get()
    return lambda actor: services.milestone_done(
        actor=actor, item=b.in_progress.pk, milestone_id=milestone.pk, done_on=dt.date(2026, 11, 2)
    )


def _extend(d: Any, b: Built) -> Call:
    return lambda actor: services.extension_request(
        actor=actor, item=b.in_progress.pk, reason="需等待审批。", due_at=dt.date(2026, 11, 20)
    )


def _decide_short(d: Any, b: Built) -> Call:
    return lambda actor: services.extension_decide(actor=actor, item=b.short.pk, approve=True)


def _decide_long(d: Any, b: Built) -> Call:
    return lambda actor: services.extension_decide(actor=actor, item=b.long.pk, approve=True)


def _report(d: Any, b: Built) -> Call:
    return lambda actor: services.item_report(actor=actor, item=b.in_progress.pk, text="已全部完成。")


def _close(d: Any, b: Built) -> Call:
    return lambda actor: services.item_close(actor=actor, item=b.reported.pk, rating="good")


def _return(d: Any, b: Built) -> Call:
    return lambda actor: services.item_return(actor=actor, item=b.reported.pk, reason="材料不全。")


def _cancel(d: Any, b: Built) -> Call:
    return lambda actor: services.item_cancel(actor=actor, item=b.in_progress.pk, reason="任务调整。")


def _remind(d: Any, b: Built) -> Call:
    return lambda actor: services.item_remind(actor=actor, item=b.in_progress.pk, message="请抓紧。")


def _remind_many(d: Any, b: Built) -> Call:
    def call(actor: Any) -> Any:
        if services.remind_many(actor=actor, item_ids=[b.in_progress.pk], message="请抓紧。") != 1:
            raise AssertionError("remind_many sent nothing")

    return call


def _instruct(d: Any, b: Built) -> Call:
    return lambda actor: services.item_instruct(actor=actor, item=b.in_progress.pk, text="请加快进度。")


def _config(d: Any, b: Built) -> Call:
    return lambda actor: services.config_update(actor=actor, warn_workdays=4)


def _snapshot(d: Any, b: Built) -> Call:
    return lambda actor: services.ledger_snapshot_save(
        actor=actor, year=2026, period_no=44, as_of=dt.date(2026, 11, 2), content=b"xlsx", row_count=1
    )


def _view(d: Any, b: Built) -> Call:
    def call(actor: Any) -> Any:
        return selectors.get_item(actor, b.in_progress.pk)

    return call


SERVICES: dict[str, Setup] = {
    "create": _create,
    "edit": _edit,
    "split": _split,
    "assign": _assign,
    "accept": _accept,
    "decline": _decline,
    "decide-decline": _decide_decline,
    "progress": _progress,
    "milestone": _milestone,
    "extend": _extend,
    "decide-short": _decide_short,
    "decide-long": _decide_long,
    "report": _report,
    "close": _close,
    "return": _return,
    "cancel": _cancel,
    "remind": _remind,
    "remind-many": _remind_many,
    "instruct": _instruct,
    "config": _config,
    "snapshot": _snapshot,
    "view": _view,
}

# Y allowed; P refused (403); H refused as not found (404: the item is not theirs to see).
# Lead: liaison of the lead unit; co: of a co-operating unit; other: of an unrelated unit; -: no role.
MATRIX = """
role             create edit split assign accept decline decide-decline progress milestone extend decide-short decide-long report close return cancel remind remind-many instruct config snapshot view
admin            P      H    H     H      H      H       H              H        H         H      H            H           H      H     H      H      H      P           H        Y      P        H
leader           Y      P    P     P      P      P       P              P        P         P      Y            Y           P      P     P      P      P      P           Y        P      P        Y
director         Y      Y    Y     Y      P      P       Y              P        P         P      Y            Y           P      Y     Y      Y      Y      Y           P        Y      Y        Y
supervisor       Y      Y    Y     Y      P      P       Y              P        P         P      Y            P           P      Y     Y      Y      Y      Y           P        P      Y        Y
secretary        Y      P    P     P      P      P       P              P        P         P      P            P           P      P     P      P      P      P           P        P      P        Y
info_officer     P      P    P     P      P      P       P              P        P         P      P            P           P      P     P      P      P      P           P        P      P        Y
duty_officer     Y      P    P     P      P      P       P              P        P         P      P            P           P      P     P      P      P      P           P        P      P        Y
meeting_officer  Y      P    P     P      P      P       P              P        P         P      P            P           P      P     P      P      P      P           P        P      P        Y
assessor         Y      P    P     P      P      P       P              P        P         P      P            P           P      P     P      P      P      P           P        P      P        Y
lead             P      P    P     P      Y      Y       P              Y        Y         Y      P            P           Y      P     P      P      P      P           P        P      P        Y
co               P      P    P     P      P      P       P              Y        P         P      P            P           P      P     P      P      P      P           P        P      P        Y
other            P      H    H     H      H      H       H              H        H         H      H            H           H      H     H      H      H      P           H        P      P        H
-                P      H    H     H      H      H       H              H        H         H      H            H           H      H     H      H      H      P           H        P      P        H
"""  # noqa: E501 — one row per role reads better than a wrapped table


def _table() -> dict[str, dict[str, str]]:
    header, *rows = (line.split() for line in MATRIX.strip().splitlines())
    actions = header[1:]
    return {role: dict(zip(actions, cells, strict=True)) for role, *cells in rows}


EXPECTED = _table()


def actor_for(d: Any, who: str) -> Any:
    people = {"lead": d.liaison, "co": d.other_liaison, "other": d.weijian_liaison, "-": d.nobody}
    if who in people:
        return people[who]
    return PersonFactory.create(username=f"matrix-{who}", name=f"测试{who}", unit=d.office, roles=[who])


def outcome(call: Call, actor: Any) -> str:
    before = written()
    events = Event.objects.count()
    try:
        call(actor)
    except PermissionDenied:
        assert written() == before
        return "P"
    except NotFound:
        assert written() == before
        return "H"
    except ApplicationError as error:
        return f"refused: {error.message}"
    if written()["events"] <= events and call.__qualname__.split(".")[0] != "_view":
        return "allowed but nothing recorded"
    return "Y"


def test_matrix_covers_every_role_and_every_tracking_permission_holder():
    from zhongshu.core import authz

    roles = [role for role in EXPECTED if role not in ("lead", "co", "other", "-")]
    assert roles == [r for r in Role.values if r != Role.LIAISON]
    tracking_codes = {code for code in authz.permissions() if code.startswith("tracking.")}
    assert tracking_codes == {
        "tracking.item.view",
        "tracking.item.create",
        "tracking.item.manage",
        "tracking.item.handle",
        "tracking.item.instruct",
        "tracking.extension.decide_long",
        "tracking.stats.view",
        "tracking.config.manage",
    }
    assert list(next(iter(EXPECTED.values()))) == list(SERVICES)


def attempt(call: Call, actor: Any) -> str:
    """The outcome of one call, in a savepoint that is rolled back whatever happens."""
    with transaction.atomic():
        result = outcome(call, actor)
        transaction.set_rollback(True)
    return result


def test_permission_matrix(district, make_item, clock_at):
    # given each starting state once, and an actor in every role
    clock_at(NOW)
    built = Built(district, make_item)
    actors = {who: actor_for(district, who) for who in EXPECTED}
    # when each actor tries each action (each attempt undone afterwards)
    actual = {
        who: {action: attempt(setup(district, built), actor) for action, setup in SERVICES.items()}
        for who, actor in actors.items()
    }
    # then the services allow exactly what the table says
    assert actual == EXPECTED


# available_actions agrees with the services ---------------------------------------------------------------------

ACTION_CALLS: dict[str, Callable[[Any, Any, Item], Any]] = {
    "assign": lambda d, a, i: services.item_assign(actor=a, item=i.pk),
    "accept": lambda d, a, i: services.item_accept(actor=a, item=i.pk),
    "decline": lambda d, a, i: services.item_decline(actor=a, item=i.pk, reason="不属本单位。"),
    "decide-decline": lambda d, a, i: services.decline_decide(actor=a, item=i.pk, reassign_to_id=None),
    "progress": lambda d, a, i: services.item_progress(actor=a, item=i.pk, text="进展。"),
    "extend": lambda d, a, i: services.extension_request(
        actor=a,
        item=i.pk,
        reason="需审批。",
        due_at=(services.local_date(i.due_at) if i.due_at else dt.date(2026, 12, 1)) + dt.timedelta(days=3),
    ),
    "decide-extension": lambda d, a, i: services.extension_decide(actor=a, item=i.pk, approve=True),
    "report": lambda d, a, i: services.item_report(actor=a, item=i.pk, text="已完成。"),
    "close": lambda d, a, i: services.item_close(actor=a, item=i.pk, rating="good"),
    "return": lambda d, a, i: services.item_return(actor=a, item=i.pk, reason="材料不全。"),
    "cancel": lambda d, a, i: services.item_cancel(actor=a, item=i.pk, reason="调整。"),
    "remind": lambda d, a, i: services.item_remind(actor=a, item=i.pk, message="请抓紧。"),
    "instruct": lambda d, a, i: services.item_instruct(actor=a, item=i.pk, text="请加快。"),
    "edit": lambda d, a, i: services.item_update(actor=a, item=i.pk, title="修改后的名称"),
    "split": lambda d, a, i: services.item_split(actor=a, item=i.pk, unit_ids=[d.zhujian.pk, d.weijian.pk]),
}


def _state_insisted(d: Any, make: Any) -> Item:
    item = _declined(d, make)
    services.decline_decide(actor=d.ducha, item=item, reassign_to_id=None)
    return item


def _state_overdue(d: Any, make: Any) -> Item:
    item = make(due_in_workdays=None, due_at=at(2026, 11, 2, 12))
    services.item_accept(actor=d.liaison, item=item)
    return item


def _state_closed(d: Any, make: Any) -> Item:
    item = _reported(d, make)
    services.item_close(actor=d.ducha, item=item, rating="good")
    return item


def _state_cancelled_pending(d: Any, make: Any) -> Item:
    item = _extension(d, make, dt.date(2026, 11, 20))
    services.item_cancel(actor=d.ducha, item=item, reason="调整。")
    return item


def _state_cancelled_declined(d: Any, make: Any) -> Item:
    item = _declined(d, make)
    services.item_cancel(actor=d.ducha, item=item, reason="调整。")
    return item


def _state_split_draft(d: Any, make: Any) -> Item:
    item = _draft(d, make)
    services.item_split(actor=d.ducha, item=item, unit_ids=[d.jiaowei.pk, d.zhujian.pk])
    return item


def _state_split_running(d: Any, make: Any) -> Item:
    item = _state_split_draft(d, make)
    services.item_assign(actor=d.ducha, item=item)
    return item


def _state_split_running_dated(d: Any, make: Any) -> Item:
    item = make(assign=False, title="按日期分解的事项", due_in_workdays=None, due_at=dt.date(2026, 11, 30))
    services.item_split(actor=d.ducha, item=item, unit_ids=[d.jiaowei.pk, d.zhujian.pk])
    services.item_assign(actor=d.ducha, item=item)
    return item


def _state_child_draft(d: Any, make: Any) -> Item:
    item = _state_split_draft(d, make)
    return item.children.get(lead_unit=d.jiaowei)


def _state_child_running(d: Any, make: Any) -> Item:
    item = _state_split_running(d, make)
    child = item.children.get(lead_unit=d.jiaowei)
    services.item_accept(actor=d.liaison, item=child)
    return child


def _state_reported_pending(d: Any, make: Any) -> Item:
    item = _extension(d, make, dt.date(2026, 11, 20))
    services.item_report(actor=d.liaison, item=item, text="已完成。")
    return item


STATES: dict[str, Callable[[Any, Any], Item]] = {
    "draft": _draft,
    "assigned": _assigned,
    "declined": _declined,
    "insisted": _state_insisted,
    "in_progress": _in_progress,
    "overdue": _state_overdue,
    "extension_short": lambda d, m: _extension(d, m, dt.date(2026, 11, 20)),
    "extension_long": lambda d, m: _extension(d, m, dt.date(2026, 12, 31)),
    "reported": _reported,
    "reported_pending_extension": _state_reported_pending,
    "closed": _state_closed,
    "cancelled_pending_extension": _state_cancelled_pending,
    "cancelled_pending_decline": _state_cancelled_declined,
    "split_draft": _state_split_draft,
    "split_running": _state_split_running,
    "split_running_dated": _state_split_running_dated,
    "child_draft": _state_child_draft,
    "child_running": _state_child_running,
}

ROLES = ["admin", "leader", "director", "supervisor", "secretary", "lead", "co", "other", "-"]


@pytest.mark.parametrize("state", list(STATES))
def test_available_actions_never_lie(district, make_item, clock_at, state):
    # given an item in `state` and actors in every role
    clock_at(NOW)
    built = STATES[state](district, make_item)
    actors = {who: actor_for(district, who) for who in ROLES}
    lies: dict[tuple[str, str], str] = {}
    for who, actor in actors.items():
        # when the selector lists the actions, and each action is tried (each attempt undone afterwards)
        listed = selectors.available_actions(actor, Item.objects.get(pk=built.pk), NOW)
        assert set(listed) <= set(ACTION_CALLS), listed
        for action, call in ACTION_CALLS.items():
            with transaction.atomic():
                item = Item.objects.get(pk=built.pk)
                try:
                    call(district, actor, item)
                    done = "succeeds"
                except (PermissionDenied, NotFound, ApplicationError) as error:
                    done = f"refused ({type(error).__name__}: {getattr(error, 'message', error)})"
                transaction.set_rollback(True)
            if (action in listed) != (done == "succeeds"):
                lies[(who, action)] = f"{'listed' if action in listed else 'not listed'} but {done}"
    # then every listed action succeeds and every unlisted one is refused
    assert lies == {}
