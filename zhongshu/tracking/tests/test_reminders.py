"""The reminder sweep: the signing rule, reminders before and on the deadline, periodic feedback, milestones,
co-operating units and the escalation ladder — each on the right working day, once.

Calendar facts used here (2026, as the workdays app has them): 09-20 (Sunday) is a working day, 09-25 (Friday,
中秋) and 10-01..10-07 (国庆) are holidays, 10-10 (Saturday) is a working day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from zhongshu.audit.models import Event
from zhongshu.core import clock
from zhongshu.notify.models import Message
from zhongshu.tracking import reminders, services
from zhongshu.tracking.choices import DeclineStatus, FeedbackCycle, NoticeLevel, Status
from zhongshu.tracking.models import Item, Notice

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep(clock_at):
    """sweep(moment) -> Summary: pin the clock there and run the sweep."""

    def run(moment: dt.datetime) -> reminders.Summary:
        clock_at(moment)
        return reminders.sweep(moment)

    return run


def kinds_of(person, kind: str | None = None) -> list[str]:
    messages = Message.objects.filter(recipient=person).order_by("id")
    if kind:
        messages = messages.filter(kind=kind)
    return list(messages.values_list("dedupe_key", flat=True))


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def run_days(sweep, first: dt.date, last: dt.date, hours=(8, 9, 16)) -> dict[dt.date, list[tuple[str, str]]]:
    """Sweep every day at the given hours; return the new messages (username, key) per day."""
    seen = set(Message.objects.values_list("id", flat=True))
    out: dict[dt.date, list[tuple[str, str]]] = defaultdict(list)
    for day in days(first, last):
        for hour in hours:
            sweep(at(day.year, day.month, day.day, hour))
        for message in Message.objects.exclude(id__in=seen).select_related("recipient").order_by("id"):
            seen.add(message.pk)
            out[day].append((message.recipient.username, message.dedupe_key))
    return out


def accepted_item(make_item, district, clock_at, moment: dt.datetime, **overrides) -> Item:
    clock_at(moment)
    item = make_item(**overrides)
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    return item


# Signing rule -----------------------------------------------------------------------------------------


def test_unsigned_item_is_chased_on_the_first_working_day_and_signed_automatically_on_the_second(
    district, make_item, clock_at, sweep
):
    clock_at(at(2026, 9, 14, 10))  # Monday
    item = make_item()
    log = run_days(sweep, dt.date(2026, 9, 14), dt.date(2026, 9, 15))
    assert dt.date(2026, 9, 14) not in log
    assert log[dt.date(2026, 9, 15)] == [("ll-jiaowei", f"tracking:{item.pk}:unsigned:20260915")]
    item.refresh_from_db()
    assert item.status == Status.ASSIGNED

    assert sweep(at(2026, 9, 16, 8)).counts["auto_signed"] == 0  # the office has not opened yet
    assert sweep(at(2026, 9, 16, 9)).counts["auto_signed"] == 1
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert item.accepted_auto is True
    assert item.sign_late_workdays == 1
    assert services.local_date(item.accepted_at) == dt.date(2026, 9, 16)
    assert item.due_at == services.workday_deadline(dt.date(2026, 9, 16), 10)
    assert item.deadline_changes.count() == 1
    assert kinds_of(district.liaison, "tracking.unsigned")[-1] == f"tracking:{item.pk}:auto_accepted"
    assert kinds_of(district.ducha, "tracking.unsigned") == [f"tracking:{item.pk}:auto_accepted"]
    assert Event.objects.filter(verb="tracking.item.auto_accepted", target_id=str(item.pk)).count() == 1


def test_signing_clock_skips_the_national_day_holiday(district, make_item, clock_at, sweep):
    clock_at(at(2026, 9, 30, 10))  # Wednesday before the holiday
    item = make_item()
    log = run_days(sweep, dt.date(2026, 9, 30), dt.date(2026, 10, 8))
    assert [day for day in log] == [dt.date(2026, 10, 8)]
    assert log[dt.date(2026, 10, 8)] == [("ll-jiaowei", f"tracking:{item.pk}:unsigned:20261008")]
    item.refresh_from_db()
    assert item.status == Status.ASSIGNED
    sweep(at(2026, 10, 9, 9))
    item.refresh_from_db()
    assert item.accepted_auto
    assert item.sign_late_workdays == 1


def test_signed_item_is_not_chased(district, make_item, clock_at, sweep):
    clock_at(at(2026, 9, 14, 10))
    item = make_item()
    clock_at(at(2026, 9, 15, 8, 10))
    services.item_accept(actor=district.liaison, item=item)
    run_days(sweep, dt.date(2026, 9, 15), dt.date(2026, 9, 17))
    assert kinds_of(district.liaison, "tracking.unsigned") == []
    item.refresh_from_db()
    assert item.accepted_auto is False


def test_pending_decline_suspends_signing_then_lapses_and_the_item_is_signed_at_once(
    district, make_item, clock_at, sweep
):
    clock_at(at(2026, 9, 14, 10))
    item = make_item()
    clock_at(at(2026, 9, 14, 11))
    decline = services.item_decline(actor=district.liaison, item=item, reason="该事项不属于本单位职责。")
    log = run_days(sweep, dt.date(2026, 9, 15), dt.date(2026, 9, 15))
    # no 催签 while the decline waits; the officer is reminded to decide
    assert log[dt.date(2026, 9, 15)] == [("ducha", f"tracking:{item.pk}:decline_pending:{decline.pk}:20260915")]

    summary = sweep(at(2026, 9, 16, 9))
    assert summary.counts["lapsed"] == 1
    assert summary.counts["auto_signed"] == 1
    decline.refresh_from_db()
    item.refresh_from_db()
    assert decline.status == DeclineStatus.LAPSED
    assert item.status == Status.IN_PROGRESS
    assert item.accepted_auto
    assert item.sign_late_workdays == 1  # counted from the assignment: declining did not stop the clock
    assert f"tracking:{item.pk}:decline_lapsed:{decline.pk}" in kinds_of(district.liaison)
    assert len(kinds_of(district.ducha, "tracking.declined")) == 2  # the decline itself and one daily reminder


def test_decline_not_yet_lapsed_keeps_the_item_unsigned(district, make_item, clock_at, sweep):
    clock_at(at(2026, 9, 14, 10))
    item = make_item()
    clock_at(at(2026, 9, 15, 10))
    decline = services.item_decline(actor=district.liaison, item=item, reason="不属于本单位职责。")
    sweep(at(2026, 9, 16, 9))
    item.refresh_from_db()
    decline.refresh_from_db()
    assert item.status == Status.ASSIGNED
    assert decline.status == DeclineStatus.PENDING
    sweep(at(2026, 9, 17, 9))
    item.refresh_from_db()
    decline.refresh_from_db()
    assert decline.status == DeclineStatus.LAPSED
    assert item.status == Status.IN_PROGRESS
    assert item.sign_late_workdays == 2


# Reminders before and on the deadline -----------------------------------------------------------------


def test_due_reminders_fire_on_working_days_before_the_deadline_across_the_holiday(
    district, make_item, clock_at, sweep
):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 21, 10), due_at=dt.date(2026, 10, 9), due_in_workdays=None
    )
    log = run_days(sweep, dt.date(2026, 9, 21), dt.date(2026, 10, 9))
    due_keys = {
        day: [key for user, key in entries if user == "ll-jiaowei" and ":due_" in key] for day, entries in log.items()
    }
    stamp = "202610091730"
    assert {day: keys for day, keys in due_keys.items() if keys} == {
        dt.date(2026, 9, 29): [f"tracking:{item.pk}:due_soon:3:{stamp}"],  # 10-08, 09-30, 09-29
        dt.date(2026, 10, 8): [f"tracking:{item.pk}:due_soon:1:{stamp}"],
        dt.date(2026, 10, 9): [f"tracking:{item.pk}:due_today:{stamp}"],
    }
    # the co-operating unit that has not reported is reminded with the 1-day reminder, once
    co = [(day, key) for day, entries in log.items() for user, key in entries if user == "ll-zhujian"]
    assert co == [(dt.date(2026, 10, 8), f"tracking:{item.pk}:co_due:{district.zhujian.pk}:{stamp}")]


def test_one_day_reminder_on_a_saturday_working_day(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 10, 8, 10), due_at=dt.date(2026, 10, 12), due_in_workdays=None
    )
    log = run_days(sweep, dt.date(2026, 10, 9), dt.date(2026, 10, 11))
    assert (
        "ll-jiaowei",
        f"tracking:{item.pk}:due_soon:1:202610121730",
    ) in log[dt.date(2026, 10, 10)]
    assert [key for _, key in log[dt.date(2026, 10, 9)] if "due_soon:1" in key] == []


def test_co_unit_that_reported_is_not_reminded(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 14, 10), due_at=dt.date(2026, 9, 18), due_in_workdays=None
    )
    services.item_progress(actor=district.other_liaison, item=item, text="已完成配合部分。")
    sweep(at(2026, 9, 17, 9))
    assert kinds_of(district.other_liaison, "tracking.due_soon") == []
    assert kinds_of(district.liaison, "tracking.due_soon") == [f"tracking:{item.pk}:due_soon:1:202609181730"]


def test_reported_and_closed_items_get_no_due_reminders(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 14, 10), due_at=dt.date(2026, 9, 18), due_in_workdays=None
    )
    services.item_report(actor=district.liaison, item=item, text="已办结。")
    run_days(sweep, dt.date(2026, 9, 15), dt.date(2026, 9, 21))
    assert kinds_of(district.liaison, "tracking.due_soon") == []
    assert kinds_of(district.liaison, "tracking.due_today") == []
    assert not Notice.objects.filter(item=item).exists()


def test_extended_deadline_is_reminded_again(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 14, 10), due_at=dt.date(2026, 9, 18), due_in_workdays=None
    )
    sweep(at(2026, 9, 17, 9))
    services.extension_request(actor=district.liaison, item=item, reason="需补充材料。", due_at=dt.date(2026, 9, 23))
    services.extension_decide(actor=district.ducha, item=item, approve=True)
    sweep(at(2026, 9, 22, 9))
    assert kinds_of(district.liaison, "tracking.due_soon") == [
        f"tracking:{item.pk}:due_soon:1:202609181730",
        f"tracking:{item.pk}:due_soon:1:202609231730",
    ]
    blue = list(
        Notice.objects.filter(item=item, level=NoticeLevel.BLUE).order_by("id").values_list("due_at", flat=True)
    )
    assert [services.local_date(due) for due in blue] == [dt.date(2026, 9, 18), dt.date(2026, 9, 23)]


# Periodic feedback --------------------------------------------------------------------------------------


def test_weekly_feedback_reminded_on_its_weekday_only_when_missing(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 14, 10),
        due_at=dt.date(2026, 11, 30),
        due_in_workdays=None,
        feedback=services.Feedback(cycle=FeedbackCycle.WEEKLY, weekday=2),  # Wednesdays
    )
    run_days(sweep, dt.date(2026, 9, 14), dt.date(2026, 9, 17))
    clock_at(at(2026, 9, 17, 17))
    services.item_progress(actor=district.liaison, item=item, text="本周推进情况。")
    run_days(sweep, dt.date(2026, 9, 18), dt.date(2026, 10, 9))
    # 09-16 missing; 09-23 covered by the report of 09-17; 09-30 missing; 10-07 (holiday) reminded on 10-08
    assert kinds_of(district.liaison, "tracking.feedback_due") == [
        f"tracking:{item.pk}:feedback:20260916",
        f"tracking:{item.pk}:feedback:20260930",
        f"tracking:{item.pk}:feedback:20261007",
    ]
    sent = Message.objects.get(recipient=district.liaison, dedupe_key=f"tracking:{item.pk}:feedback:20261007")
    assert services.local_date(sent.created_at) == dt.date(2026, 10, 8)


def test_monthly_feedback_on_a_holiday_is_reminded_on_the_next_working_day(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 14, 10),
        due_at=dt.date(2026, 11, 30),
        due_in_workdays=None,
        feedback=services.Feedback(cycle=FeedbackCycle.MONTHLY, day=3),
    )
    log = run_days(sweep, dt.date(2026, 9, 29), dt.date(2026, 10, 9))
    got = [(day, key) for day, entries in log.items() for _, key in entries if ":feedback:" in key]
    assert got == [(dt.date(2026, 10, 8), f"tracking:{item.pk}:feedback:20261003")]


def test_feedback_every_n_working_days_counts_from_the_last_report(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 14, 10),
        due_at=dt.date(2026, 11, 30),
        due_in_workdays=None,
        feedback=services.Feedback(cycle=FeedbackCycle.WORKDAYS, every=2),
    )
    run_days(sweep, dt.date(2026, 9, 14), dt.date(2026, 9, 17))  # due 09-16 (2 working days after signing)
    clock_at(at(2026, 9, 17, 17))
    services.item_progress(actor=district.liaison, item=item, text="进展。")
    run_days(sweep, dt.date(2026, 9, 18), dt.date(2026, 9, 21))  # next due 09-20 (09-18, then Sunday working)
    assert kinds_of(district.liaison, "tracking.feedback_due") == [
        f"tracking:{item.pk}:feedback:20260916",
        f"tracking:{item.pk}:feedback:20260920",
    ]


# Milestones ---------------------------------------------------------------------------------------------


def test_milestone_reminded_the_working_day_before_and_after_its_date_and_yellow_notice(
    district, make_item, clock_at, sweep
):
    item = accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 14, 10),
        source_type="livelihood_project",
        due_at=dt.date(2026, 11, 30),
        due_in_workdays=None,
        milestones=[services.MilestoneIn("完成施工招标", dt.date(2026, 9, 18))],
    )
    milestone = item.milestones.get()
    log = run_days(sweep, dt.date(2026, 9, 14), dt.date(2026, 9, 22))
    got = [(day, key) for day, entries in log.items() for user, key in entries if ":milestone:" in key]
    assert got == [
        (dt.date(2026, 9, 17), f"tracking:{item.pk}:milestone:{milestone.pk}:soon:20260918"),
        (dt.date(2026, 9, 20), f"tracking:{item.pk}:milestone:{milestone.pk}:late:20260918"),  # Sunday, working
    ]
    yellow = Notice.objects.get(item=item, level=NoticeLevel.YELLOW)
    assert services.local_date(yellow.issued_at) == dt.date(2026, 9, 19)  # the day after, when the office opened
    assert "完成施工招标" in yellow.reason


def test_done_milestone_is_not_chased(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 14, 10),
        due_at=dt.date(2026, 11, 30),
        due_in_workdays=None,
        milestones=[services.MilestoneIn("完成施工招标", dt.date(2026, 9, 18))],
    )
    services.milestone_done(
        actor=district.liaison, item=item, milestone_id=item.milestones.get().pk, done_on=dt.date(2026, 9, 14)
    )
    run_days(sweep, dt.date(2026, 9, 14), dt.date(2026, 9, 22))
    assert kinds_of(district.liaison, "tracking.milestone_due") == []
    assert not Notice.objects.filter(item=item).exists()


# The ladder ---------------------------------------------------------------------------------------------


def test_each_ladder_step_on_its_day_numbered_once(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 7, 10), due_at=dt.date(2026, 9, 11), due_in_workdays=None
    )
    issued: dict[str, dt.datetime] = {}
    for day in days(dt.date(2026, 9, 7), dt.date(2026, 9, 21)):
        for hour, minute in ((8, 0), (9, 0), (17, 0), (17, 45)):
            sweep(at(day.year, day.month, day.day, hour, minute))
            for notice in Notice.objects.filter(item=item).exclude(level__in=issued):
                issued[notice.level] = clock.localtime(notice.issued_at)
    assert {level: (moment.date(), moment.hour) for level, moment in issued.items()} == {
        NoticeLevel.BLUE: (dt.date(2026, 9, 8), 9),  # due within 3 working days
        NoticeLevel.RED: (dt.date(2026, 9, 11), 17),  # at 17:45, just after the 17:30 deadline
        NoticeLevel.URGE: (dt.date(2026, 9, 14), 9),  # first working day after expiry, after opening
        NoticeLevel.BULLETIN: (dt.date(2026, 9, 20), 9),  # 5 more working days (09-20 is a working Sunday)
    }
    notices = {n.level: n for n in Notice.objects.filter(item=item)}
    assert len(notices) == 4 == Notice.objects.filter(item=item).count()
    assert notices[NoticeLevel.BLUE].number == "示范蓝督〔2026〕1号"
    assert notices[NoticeLevel.RED].number == "示范红督〔2026〕1号"
    assert notices[NoticeLevel.URGE].number == "示范催办〔2026〕1号"
    assert notices[NoticeLevel.URGE].overdue_workdays == 1
    assert notices[NoticeLevel.BULLETIN].overdue_workdays == 6
    assert all(n.unit_id == district.jiaowei.pk and n.due_at == item.due_at for n in notices.values())
    # the 催办通知书 is copied to the leader in charge of the unit; the other steps are not
    fu = Message.objects.filter(recipient=district.fuquzhang, kind="tracking.notice")
    assert list(fu.values_list("dedupe_key", flat=True)) == [f"tracking:{item.pk}:notice:{notices['urge'].pk}"]
    assert Message.objects.filter(recipient=district.liaison, kind="tracking.notice").count() == 4
    assert Message.objects.filter(recipient=district.ducha, kind="tracking.notice").count() == 4


def test_notice_numbers_run_per_level_and_year(district, make_item, clock_at, sweep):
    first = accepted_item(
        make_item, district, clock_at, at(2026, 9, 7, 10), due_at=dt.date(2026, 9, 10), due_in_workdays=None
    )
    second = accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 7, 11),
        title="另一事项",
        due_at=dt.date(2026, 9, 10),
        due_in_workdays=None,
    )
    sweep(at(2026, 9, 10, 18))
    numbers = dict(Notice.objects.filter(level=NoticeLevel.RED).values_list("item_id", "number"))
    assert numbers == {first.pk: "示范红督〔2026〕1号", second.pk: "示范红督〔2026〕2号"}


def test_disabled_levels_are_not_issued(district, make_item, clock_at, sweep):
    services.config_update(
        actor=district.admin, blue_enabled=False, red_enabled=False, urge_enabled=False, bulletin_enabled=False
    )
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 7, 10), due_at=dt.date(2026, 9, 11), due_in_workdays=None
    )
    run_days(sweep, dt.date(2026, 9, 7), dt.date(2026, 9, 22), hours=(9, 18))
    assert not Notice.objects.filter(item=item).exists()
    assert kinds_of(district.liaison, "tracking.notice") == []


def test_red_only_when_enabled_alone(district, make_item, clock_at, sweep):
    services.config_update(actor=district.admin, blue_enabled=False, urge_enabled=False, bulletin_enabled=False)
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 7, 10), due_at=dt.date(2026, 9, 11), due_in_workdays=None
    )
    run_days(sweep, dt.date(2026, 9, 7), dt.date(2026, 9, 22), hours=(9, 18))
    assert list(Notice.objects.filter(item=item).values_list("level", flat=True)) == [NoticeLevel.RED]


def test_yellow_notice_when_returned_for_rework(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 7, 10), due_at=dt.date(2026, 10, 30), due_in_workdays=None
    )
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    services.item_return(actor=district.ducha, item=item, reason="缺少整改照片。")
    sweep(at(2026, 9, 7, 10, 15))
    yellow = Notice.objects.filter(item=item, level=NoticeLevel.YELLOW)
    assert yellow.count() == 1
    assert "第 1 次退回" in yellow.get().reason
    sweep(at(2026, 9, 7, 10, 30))
    assert yellow.count() == 1


def test_a_new_yellow_notice_for_each_return(district, make_item, clock_at, sweep):
    item = accepted_item(
        make_item, district, clock_at, at(2026, 9, 7, 10), due_at=dt.date(2026, 10, 30), due_in_workdays=None
    )
    for count, minute in ((1, 15), (2, 30)):
        clock_at(at(2026, 9, 7, 10, minute - 5))
        services.item_report(actor=district.liaison, item=item, text="已完成。")
        services.item_return(actor=district.ducha, item=item, reason="仍不符合要求。")
        sweep(at(2026, 9, 7, 10, minute))
        sweep(at(2026, 9, 7, 10, minute + 1))
        assert Notice.objects.filter(item=item, level=NoticeLevel.YELLOW).count() == count


def test_split_parent_is_not_chased_but_its_children_are(district, make_item, clock_at, sweep):
    clock_at(at(2026, 9, 7, 10))
    parent = make_item(assign=False, due_at=dt.date(2026, 9, 11), due_in_workdays=None, co_unit_ids=[])
    services.item_split(actor=district.ducha, item=parent, unit_ids=[district.jiaowei.pk, district.zhujian.pk])
    services.item_assign(actor=district.ducha, item=parent)
    run_days(sweep, dt.date(2026, 9, 7), dt.date(2026, 9, 14), hours=(9, 18))
    assert not Notice.objects.filter(item=parent).exists()
    assert set(Notice.objects.filter(level=NoticeLevel.RED).values_list("item__parent_id", flat=True)) == {parent.pk}
    assert Notice.objects.filter(level=NoticeLevel.RED).count() == 2


# Idempotency --------------------------------------------------------------------------------------------


def test_running_the_sweep_again_changes_nothing(district, make_item, clock_at, sweep):
    clock_at(at(2026, 9, 7, 10))
    make_item(title="未签收事项")
    accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 7, 11),
        title="逾期事项",
        due_at=dt.date(2026, 9, 8),
        due_in_workdays=None,
    )
    accepted_item(
        make_item,
        district,
        clock_at,
        at(2026, 9, 7, 12),
        title="定期反馈事项",
        due_at=dt.date(2026, 9, 18),
        due_in_workdays=None,
        feedback=services.Feedback(cycle=FeedbackCycle.WEEKLY, weekday=2),
        milestones=[services.MilestoneIn("节点一", dt.date(2026, 9, 8))],
    )
    first = sweep(at(2026, 9, 9, 10))
    assert first.counts["messages"] > 0
    assert first.counts[NoticeLevel.RED] == 1
    state = (
        Message.objects.count(),
        Notice.objects.count(),
        Event.objects.count(),
        Item.objects.filter(status="assigned").count(),
    )
    second = sweep(at(2026, 9, 9, 10))
    assert sum(second.counts.values()) == 0
    third = sweep(at(2026, 9, 9, 15))
    assert sum(third.counts.values()) == 0
    assert (
        Message.objects.count(),
        Notice.objects.count(),
        Event.objects.count(),
        Item.objects.filter(status="assigned").count(),
    ) == state


def test_summary_text_is_chinese(district, make_item, clock_at, sweep):
    text = sweep(at(2026, 9, 7, 10)).text()
    assert text.startswith("退办逾期 0，自动签收 0，")
    assert "提醒消息 0" in text
