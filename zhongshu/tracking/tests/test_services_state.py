"""Overdue and colour are derived from the deadline in force and the clock — never stored: the SQL annotation
(`with_state`), the Python check (`is_overdue`) and `overdue_workdays` agree at every moment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhongshu.tracking import selectors, services
from zhongshu.tracking.models import Item

from .conftest import at

pytestmark = pytest.mark.django_db


def state(item: Item, now: dt.datetime) -> tuple[str, bool, int]:
    """(colour, overdue, overdue working days) as the board shows them; the SQL and Python answers agree."""
    annotated = selectors.with_state(Item.objects.filter(pk=item.pk), now).get()
    fresh = Item.objects.get(pk=item.pk)
    assert annotated.is_overdue is selectors.is_overdue(fresh, now)
    overdue_rows = set(
        selectors.filter_items(
            selectors.with_state(Item.objects.all(), now), selectors.Filters(overdue=True), now
        ).values_list("pk", flat=True)
    )
    assert (item.pk in overdue_rows) is annotated.is_overdue
    return annotated.colour, annotated.is_overdue, selectors.overdue_workdays(fresh, now)


def signed(district: Any, make_item: Any, clock_at: Any, **overrides: Any) -> Item:
    clock_at(at(2026, 11, 2, 9))
    item = make_item(**overrides)
    services.item_accept(actor=district.liaison, item=item)  # 10 working days: due Monday 2026-11-16 17:30
    item.refresh_from_db()
    return item


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 5, 10), ("green", False, 0)),  # warn cut-off: end of 11-10
        (at(2026, 11, 10, 10), ("green", False, 0)),  # cut-off: end of 11-13
        (at(2026, 11, 11, 10), ("yellow", False, 0)),  # within 3 working days: cut-off end of 11-16
        (at(2026, 11, 14, 10), ("yellow", False, 0)),  # Saturday
        (at(2026, 11, 16, 17, 30), ("yellow", False, 0)),  # the last minute is still on time
        (at(2026, 11, 16, 17, 31), ("red", True, 0)),  # late, the same working day
        (at(2026, 11, 17, 9), ("red", True, 1)),
        (at(2026, 11, 22, 9), ("red", True, 4)),  # Sunday: 11-17..11-20
        (at(2026, 11, 23, 9), ("red", True, 5)),
    ],
)
def test_running_item_over_time(district, make_item, clock_at, now, expected):
    item = signed(district, make_item, clock_at)
    assert state(item, now) == expected


def test_warn_window_is_configurable(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    assert state(item, at(2026, 11, 5, 10))[0] == "green"
    services.config_update(actor=district.admin, warn_workdays=8)
    assert state(item, at(2026, 11, 5, 10))[0] == "yellow"


def test_unsigned_workday_item_has_no_deadline_yet(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    assert state(item, at(2027, 6, 1, 9)) == ("green", False, 0)


def test_unsigned_date_item_past_its_deadline_is_overdue(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(due_in_workdays=None, due_at=dt.date(2026, 11, 4))
    assert state(item, at(2026, 11, 3, 9)) == ("yellow", False, 0)
    assert state(item, at(2026, 11, 6, 9)) == ("red", True, 2)


def test_late_milestone_makes_the_item_yellow_until_done(district, make_item, clock_at):
    item = signed(
        district,
        make_item,
        clock_at,
        due_in_workdays=None,
        due_at=dt.date(2026, 12, 31),
        milestones=[services.MilestoneIn("完成设计", dt.date(2026, 11, 6))],
    )
    assert state(item, at(2026, 11, 6, 17)) == ("green", False, 0)  # due today: not yet behind
    assert state(item, at(2026, 11, 9, 9)) == ("yellow", False, 0)
    clock_at(at(2026, 11, 9, 10))
    services.milestone_done(
        actor=district.liaison, item=item, milestone_id=item.milestones.get().pk, done_on=dt.date(2026, 11, 9)
    )
    assert state(item, at(2026, 11, 9, 11)) == ("green", False, 0)


def test_returned_item_is_yellow_then_red_when_late(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 4, 9))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    assert state(item, at(2026, 11, 4, 10)) == ("green", False, 0)
    services.item_return(actor=district.ducha, item=item, reason="材料不全。")
    assert state(item, at(2026, 11, 4, 10)) == ("yellow", False, 0)
    assert state(item, at(2026, 11, 18, 10)) == ("red", True, 2)


def test_reported_in_time_stays_green_after_the_deadline(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 13, 9))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    assert state(item, at(2026, 11, 13, 10)) == ("green", False, 0)
    assert state(item, at(2026, 11, 30, 10)) == ("green", False, 0)


def test_reported_late_counts_as_overdue_up_to_the_report(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 18, 9))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    assert state(item, at(2026, 11, 18, 10)) == ("red", True, 2)
    assert state(item, at(2026, 11, 30, 10)) == ("red", True, 2)  # the count stops at the report


def test_closed_items_are_grey_and_keep_their_late_days(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 18, 9))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    services.item_close(actor=district.ducha, item=item, rating="fair")
    assert state(item, at(2026, 11, 30, 10)) == ("grey", False, 2)


def test_cancelled_and_draft_items_are_grey(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    draft = make_item(assign=False, due_in_workdays=None, due_at=dt.date(2026, 11, 4))
    cancelled = make_item(title="另一事项", due_in_workdays=None, due_at=dt.date(2026, 11, 4))
    services.item_cancel(actor=district.ducha, item=cancelled, reason="撤销。")
    assert state(draft, at(2026, 11, 10, 9)) == ("grey", False, 0)
    assert state(cancelled, at(2026, 11, 10, 9)) == ("grey", False, 0)


def test_an_approved_extension_moves_the_colour(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 12, 9))
    assert state(item, at(2026, 11, 12, 9))[0] == "yellow"
    services.extension_request(actor=district.liaison, item=item, reason="需审批。", due_at=dt.date(2026, 11, 30))
    assert state(item, at(2026, 11, 12, 9))[0] == "yellow"  # a request alone changes nothing
    services.extension_decide(actor=district.ducha, item=item, approve=True)
    assert state(item, at(2026, 11, 12, 9)) == ("green", False, 0)
    assert state(item, at(2026, 11, 17, 9)) == ("green", False, 0)  # past the original deadline, not overdue


def test_board_filters_by_colour_and_overdue(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    late = make_item(title="超期事项", due_in_workdays=None, due_at=dt.date(2026, 11, 3))
    near = make_item(title="临期事项", due_in_workdays=None, due_at=dt.date(2026, 11, 5))
    calm = make_item(title="正常事项", due_in_workdays=None, due_at=dt.date(2026, 12, 30))
    now = at(2026, 11, 4, 9)

    def board(**filters: Any) -> set[int]:
        return set(selectors.board(district.ducha, selectors.Filters(**filters), now=now).values_list("pk", flat=True))

    assert board(colour="red") == {late.pk}
    assert board(colour="yellow") == {near.pk}
    assert board(colour="green") == {calm.pk}
    assert board(overdue=True) == {late.pk}
    assert board(overdue=False) == {near.pk, calm.pk}
    # a liaison of another unit sees none of them
    assert set(selectors.board(district.weijian_liaison, selectors.Filters(), now=now)) == set()
