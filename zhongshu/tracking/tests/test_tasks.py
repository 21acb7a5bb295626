"""The sweep as a worker job: registered every 15 minutes, all-or-nothing with its slot claim, each message and
notice once even when it fails midway or two workers sweep at the same time (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import close_old_connections, connection

from zhongshu.jobs import registry, scheduler
from zhongshu.jobs.models import JobFailure, JobRun
from zhongshu.notify.models import Message
from zhongshu.tracking import reminders, services
from zhongshu.tracking.choices import NoticeLevel, Status
from zhongshu.tracking.models import Item, Notice

from .conftest import at

NOW = at(2026, 9, 16, 9)  # Wednesday, office open


def sweep_job() -> registry.Job:
    return registry.jobs()["tracking.sweep"]


def scene(district, make_item, clock_at) -> dict[str, Item]:
    """Three items that each need something at NOW: one to sign automatically (and chase before), one past
    its deadline (red, 催办), one due tomorrow (reminder, blue)."""
    clock_at(at(2026, 9, 14, 10))
    unsigned = make_item(title="未签收事项")
    overdue = make_item(title="逾期事项", due_at=dt.date(2026, 9, 15), due_in_workdays=None)
    services.item_accept(actor=district.liaison, item=overdue)
    soon = make_item(title="即将到期事项", due_at=dt.date(2026, 9, 17), due_in_workdays=None)
    services.item_accept(actor=district.liaison, item=soon)
    clock_at(NOW)
    return {"unsigned": unsigned, "overdue": overdue, "soon": soon}


def tracking_messages() -> list[tuple[int, str]]:
    return sorted(
        Message.objects.filter(kind__startswith="tracking.", created_at__gte=at(2026, 9, 15, 0)).values_list(
            "recipient_id", "dedupe_key"
        )
    )


def expected_outcome(district, items) -> None:
    unsigned, overdue, soon = items["unsigned"], items["overdue"], items["soon"]
    unsigned.refresh_from_db()
    assert unsigned.status == Status.IN_PROGRESS
    assert unsigned.accepted_auto is True
    assert sorted(Notice.objects.filter(item=overdue).values_list("level", flat=True)) == [
        NoticeLevel.RED,
        NoticeLevel.URGE,
    ]
    assert list(Notice.objects.filter(item=soon).values_list("level", flat=True)) == [NoticeLevel.BLUE]
    keys = [key for _, key in tracking_messages()]
    assert keys.count(f"tracking:{soon.pk}:due_soon:1:202609171730") == 1
    assert keys.count(f"tracking:{unsigned.pk}:auto_accepted") == 2  # the liaison and the officer
    assert keys.count(f"tracking:{soon.pk}:co_due:{district.zhujian.pk}:202609171730") == 1


def test_the_sweep_is_registered_every_15_minutes():
    job = sweep_job()
    assert job.every == dt.timedelta(minutes=15)
    assert job.label == "督查督办：催签、到期提醒与督办升级"


@pytest.mark.django_db
def test_the_job_runs_once_per_slot_and_logs_a_chinese_summary(district, make_item, clock_at):
    items = scene(district, make_item, clock_at)
    outcome = scheduler.run_job(sweep_job(), NOW, worker="w1")
    assert outcome.status == "done"
    assert "自动签收 1" in outcome.summary
    assert "红色督办单 1" in outcome.summary
    assert JobRun.objects.get(job="tracking.sweep").summary == outcome.summary
    expected_outcome(district, items)
    before = (tracking_messages(), Notice.objects.count())
    assert scheduler.run_job(sweep_job(), NOW + dt.timedelta(minutes=5), worker="w2").status == "taken"
    later = scheduler.run_job(sweep_job(), NOW + dt.timedelta(minutes=15), worker="w2")
    assert later.status == "done"
    assert "提醒消息 0" in later.summary
    assert (tracking_messages(), Notice.objects.count()) == before


@pytest.mark.django_db
def test_a_sweep_that_fails_midway_leaves_nothing_and_the_next_run_does_everything_once(
    district, make_item, clock_at, monkeypatch
):
    items = scene(district, make_item, clock_at)
    messages_before = tracking_messages()

    def broken(day):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(reminders, "remind_feedback", broken)  # after signing, the ladder and the due reminders
    failed = scheduler.run_job(sweep_job(), NOW, worker="w1")
    assert failed.status == "failed"
    assert JobFailure.objects.get(job="tracking.sweep").error_summary.endswith("数据库连接中断")
    assert not JobRun.objects.filter(job="tracking.sweep").exists()
    items["unsigned"].refresh_from_db()
    assert items["unsigned"].status == Status.ASSIGNED
    assert not Notice.objects.exists()
    assert tracking_messages() == messages_before

    monkeypatch.undo()
    assert scheduler.run_job(sweep_job(), NOW + dt.timedelta(minutes=1), worker="w2").status == "done"
    expected_outcome(district, items)
    assert Notice.objects.filter(level=NoticeLevel.RED).get().number == "示范红督〔2026〕1号"  # no number lost
    after = (tracking_messages(), Notice.objects.count())
    assert scheduler.run_job(sweep_job(), NOW + dt.timedelta(minutes=15), worker="w1").status == "done"
    assert (tracking_messages(), Notice.objects.count()) == after


@pytest.mark.django_db
def test_a_quiet_sweep_costs_the_same_whatever_the_number_of_open_items(
    district, make_item, clock_at, django_assert_max_num_queries
):
    """Set-based: items that need nothing today add no queries."""

    def quiet_items(count: int, start: int) -> None:
        for n in range(start, start + count):
            clock_at(at(2026, 9, 1, 9, n))
            item = make_item(title=f"远期事项{n}", due_at=dt.date(2026, 12, 31), due_in_workdays=None)
            services.item_accept(actor=district.liaison, item=item)

    quiet_items(3, 0)
    clock_at(NOW)
    reminders.sweep(NOW)  # warm up: the office's settings row, the calendar
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as few:
        reminders.sweep(NOW)
    quiet_items(12, 10)
    clock_at(NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        reminders.sweep(NOW)
    assert len(few.captured_queries) <= 30


# PostgreSQL: two workers at once ----------------------------------------------------------------------------


def run_concurrently(calls: list[tuple[dt.datetime, str]], slow_down) -> list[scheduler.Outcome]:
    """Run the sweep job in one thread per (now, worker) at the same moment."""
    start = threading.Barrier(len(calls))
    outcomes: list[scheduler.Outcome] = []
    errors: list[BaseException] = []

    def worker(now: dt.datetime, name: str) -> None:
        try:
            start.wait()
            outcomes.append(scheduler.run_job(sweep_job(), now, worker=name))
        except BaseException as exc:  # noqa: BLE001 — reported by the test below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    slow_down()
    threads = [threading.Thread(target=worker, args=call, name=call[1]) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    return outcomes


def slower_delivery(monkeypatch):
    """Hold each sweep inside its transaction for a moment so that the two really overlap."""
    original = reminders.deliver

    def slow(batch):
        time.sleep(0.3)
        return original(batch)

    return lambda: monkeypatch.setattr(reminders, "deliver", slow)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_slot_sweep_once(district, make_item, clock_at, monkeypatch):
    items = scene(district, make_item, clock_at)
    outcomes = run_concurrently([(NOW, "w1"), (NOW, "w2")], slower_delivery(monkeypatch))
    assert sorted(o.status for o in outcomes) == ["done", "taken"]
    expected_outcome(district, items)
    assert JobRun.objects.filter(job="tracking.sweep").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_adjacent_slots_at_once_send_each_message_once(district, make_item, clock_at, monkeypatch):
    """Two slots swept at the same moment (a slow sweep overlapping the next one): both run, and the unique keys
    (Notice per deadline, notify's per recipient and key) and the row locks keep every step single."""
    items = scene(district, make_item, clock_at)
    later = NOW + dt.timedelta(minutes=15)
    outcomes = run_concurrently([(NOW, "w1"), (later, "w2")], slower_delivery(monkeypatch))
    assert sorted(o.status for o in outcomes) == ["done", "done"]
    expected_outcome(district, items)
    assert Notice.objects.count() == 3
    assert sorted(Notice.objects.values_list("number", flat=True)) == [
        "示范催办〔2026〕1号",
        "示范红督〔2026〕1号",
        "示范蓝督〔2026〕1号",
    ]
