"""The demo year of 督查督办: loaded once for this module (through the services, with the clock pinned at each
step) on top of the org demo district, then checked for what the demo accounts must find and for the
outcomes the office expects to see on the board, the dashboard and the ledger. Its load time is reported by
the demo/bench helper, not asserted here."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from zhongshu.audit.models import Event
from zhongshu.audit.selectors import verify
from zhongshu.core import clock
from zhongshu.core.exceptions import ApplicationError
from zhongshu.core.management.commands import init as init_command
from zhongshu.notify.models import Message
from zhongshu.org.models import Person
from zhongshu.tracking import demo as tracking_demo
from zhongshu.tracking import selectors
from zhongshu.tracking.choices import (
    DeclineStatus,
    EntryKind,
    ExtensionStatus,
    NoticeLevel,
    SourceType,
    Status,
)
from zhongshu.tracking.models import Decline, Entry, Extension, Item, Milestone, Notice

from .conftest import at

NOW = at(2026, 11, 27, 15, 30)  # a Friday afternoon
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The org district and the tracking year, loaded once at NOW and rolled back after the module."""
    from zhongshu.org.demo import load_demo as load_org

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), transaction.atomic():
        load_org()
        counts = tracking_demo.load_demo()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def now(demo):
    with time_machine.travel(NOW, tick=False):
        yield NOW


def visible_to(username: str):
    person = Person.objects.get(username=username)
    return selectors.with_state(selectors.visible_items(person), NOW), person


def test_counts_are_what_the_database_holds_and_a_year_of_items(demo, now):
    items = Item.objects.all()
    assert demo == {
        "tracking_items": items.count(),
        "tracking_open": items.filter(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.REPORTED]).count(),
        "tracking_closed": items.filter(status=Status.CLOSED).count(),
        "tracking_entries": Entry.objects.count(),
        "tracking_notices": Notice.objects.count(),
    }
    assert 300 <= demo["tracking_items"] <= 500
    assert demo["tracking_open"] >= 40
    assert demo["tracking_closed"] >= 250
    assert set(items.values_list("source_type", flat=True)) == set(SourceType.values)
    first = min(items.values_list("created_at", flat=True))
    assert NOW - dt.timedelta(days=366) <= first <= NOW - dt.timedelta(days=300)
    assert max(items.values_list("created_at", flat=True)) <= NOW
    assert not Entry.objects.filter(created_at__gt=NOW).exists()


def test_the_init_command_loads_org_then_tracking_and_labels_every_count(demo):
    assert init_command.DEMO_MODULES == ("zhongshu.org.demo", "zhongshu.tracking.demo")
    assert set(demo) <= set(init_command.COUNT_LABELS)


def test_items_are_numbered_per_year_and_leader_instructions_quote_the_leader(demo, now):
    items = Item.objects.filter(parent__isnull=True)
    assert items.filter(number__startswith=f"示范督〔{NOW.year}〕0001号").count() == 1
    for item in Item.objects.filter(source_type=SourceType.LEADER_INSTRUCTION):
        assert item.instructing_leader_id is not None
        assert item.instruction.endswith("。")
    npc = Item.objects.filter(source_type=SourceType.NPC_SUGGESTION).exclude(status=Status.ASSIGNED).first()
    assert npc is not None
    assert "建议" in npc.title
    assert npc.original_due_at is not None
    # answered within three months: the deadline is set at registration, about 90 days later
    assert dt.timedelta(days=80) <= npc.original_due_at - npc.created_at <= dt.timedelta(days=95)


def test_open_items_show_every_colour(demo, now):
    colours = set(
        selectors.with_state(Item.objects.filter(status__in=[Status.IN_PROGRESS, Status.REPORTED]), NOW).values_list(
            "colour", flat=True
        )
    )
    assert {"green", "yellow", "red"} <= colours


@pytest.mark.parametrize("username", ["ll-jiaowei", "ll-zhujian"])
def test_each_demo_liaison_finds_work_in_every_list(demo, now, username):
    qs, person = visible_to(username)
    unit_id = person.unit_id
    mine = qs.filter(lead_unit_id=unit_id, is_parent=False)
    assert mine.filter(status=Status.ASSIGNED).exists()  # 待签收
    assert mine.filter(status=Status.IN_PROGRESS, returned_count__gt=0).exists()  # 被退回
    assert mine.filter(selectors.due_soon_q(NOW)).exists()  # 即将到期
    assert mine.filter(selectors.overdue_q(NOW), status=Status.IN_PROGRESS).exists()  # 已超期
    week_ago = NOW - dt.timedelta(days=7)
    waiting = mine.filter(status=Status.IN_PROGRESS).exclude(feedback_cycle="")  # 待反馈
    assert waiting.filter(Q(last_progress_at__lt=week_ago) | Q(last_progress_at__isnull=True)).exists()
    assert Message.objects.filter(recipient=person, read_at__isnull=True).exists()


def test_the_demo_officer_has_reports_declines_and_extensions_waiting(demo, now):
    assert Item.objects.filter(status=Status.REPORTED, officer__username="ducha").count() >= 3  # 待核查
    assert Decline.objects.filter(status=DeclineStatus.PENDING).count() >= 2  # 退办待处理
    pending = Extension.objects.filter(status=ExtensionStatus.PENDING)
    assert pending.count() >= 2  # 延期待审批
    assert pending.filter(needs_leader=True).exists()


def test_the_district_head_has_instructed_items_in_every_state(demo, now):
    instructed = Item.objects.filter(instructing_leader__username="quzhang")
    assert instructed.count() >= 20
    assert {Status.IN_PROGRESS, Status.CLOSED} <= set(instructed.values_list("status", flat=True))
    assert Entry.objects.filter(kind=EntryKind.INSTRUCTION, item__instructing_leader__username="quzhang").exists()


def test_the_year_holds_every_outcome(demo, now):
    closed = Item.objects.filter(status=Status.CLOSED, is_parent=False)
    assert closed.filter(closed_on_time=True).count() > closed.filter(closed_on_time=False).count() > 10
    assert closed.filter(extended_in_time=True, closed_on_time=True, closed_on_time_original=False).exists()
    assert Extension.objects.filter(status=ExtensionStatus.APPROVED, item__extended_in_time=False).exists()
    assert Extension.objects.filter(status=ExtensionStatus.REFUSED).exists()
    assert closed.filter(returned_count__gt=0).exists()
    assert Decline.objects.filter(status=DeclineStatus.REASSIGNED).exists()
    assert Decline.objects.filter(status=DeclineStatus.INSISTED).exists()
    assert Item.objects.filter(status=Status.CANCELLED, cancel_reason__gt="").exists()
    assert Item.objects.filter(accepted_auto=True).exists()
    parents = Item.objects.filter(is_parent=True)
    assert parents.count() >= 3
    assert all(parent.children.count() >= 2 for parent in parents)
    assert parents.filter(status=Status.CLOSED).exists()
    assert Item.objects.filter(source_type=SourceType.LIVELIHOOD_PROJECT, milestones__isnull=False).exists()
    assert Milestone.objects.filter(done_on__isnull=False).exists()
    assert Item.objects.exclude(feedback_cycle="").filter(entries__kind=EntryKind.PROGRESS).exists()
    assert {NoticeLevel.BLUE, NoticeLevel.RED, NoticeLevel.URGE, NoticeLevel.BULLETIN} <= set(
        Notice.objects.values_list("level", flat=True)
    )


def test_every_step_is_in_the_audit_trail_in_time_order(demo, now):
    events = list(Event.objects.filter(target_type="tracking.item").order_by("seq").values_list("occurred_at", "verb"))
    moments = [moment for moment, _ in events]
    assert moments == sorted(moments)
    assert moments[-1] <= NOW
    verbs = {verb for _, verb in events}
    assert {
        "tracking.item.created",
        "tracking.item.assigned",
        "tracking.item.accepted",
        "tracking.item.progressed",
        "tracking.item.reported",
        "tracking.item.closed",
        "tracking.item.returned",
        "tracking.item.extension_approved",
        "tracking.item.notice_issued",
        "tracking.item.auto_accepted",
    } <= verbs
    created = Event.objects.filter(verb="tracking.item.created").count()
    assert created == Item.objects.filter(parent__isnull=True).count()
    assert verify().ok


def test_old_messages_are_read_and_recent_ones_wait(demo, now):
    old = Message.objects.filter(created_at__lt=NOW - dt.timedelta(days=3))
    assert old.exists()
    assert not old.filter(read_at__isnull=True).exists()
    assert Message.objects.filter(created_at__gte=NOW - dt.timedelta(days=3), read_at__isnull=True).exists()


def test_the_clock_is_given_back_after_loading(demo, now):
    assert getattr(settings, "ZHONGSHU_CLOCK", None) in (None, "")
    assert clock.now() == NOW


def test_a_second_load_is_refused_and_changes_nothing(demo, now):
    before = Item.objects.count()
    with pytest.raises(ApplicationError, match="已有督办事项"):
        tracking_demo.load_demo()
    assert Item.objects.count() == before


def test_pinned_clock_sets_and_restores_the_installation_clock(settings):
    settings.ZHONGSHU_CLOCK = "2027-01-10T10:00:00+08:00"
    moment = at(2026, 3, 2, 9, 15)
    with tracking_demo.pinned_clock(moment):
        assert clock.now() == moment
    assert clock.now() == at(2027, 1, 10, 10, 0)
