from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection

from zhongshu.audit.models import Event
from zhongshu.audit.services import record
from zhongshu.jobs import registry, scheduler
from zhongshu.jobs.models import JobFailure, JobRun
from zhongshu.org.tests.factories import UnitFactory

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 30, 10, 17, tzinfo=TZ)


@pytest.fixture
def only_jobs(monkeypatch):
    """Replace the registry with the jobs a test declares."""
    table: dict[str, registry.Job] = {}
    monkeypatch.setattr(registry, "_JOBS", table)
    monkeypatch.setattr("django.utils.module_loading.autodiscover_modules", lambda *a, **k: None)

    def declare(name, func, every=dt.timedelta(hours=1)):
        table[name] = registry.Job(name=name, func=func, every=every, label=name)
        return table[name]

    return declare


def test_slots_align_to_local_midnight(only_jobs):
    hourly = only_jobs("h", lambda **_: "")
    daily = only_jobs("d", lambda **_: "", every=dt.timedelta(days=1))
    quarter = only_jobs("q", lambda **_: "", every=dt.timedelta(minutes=15))

    assert scheduler.slot_of(hourly, NOW) == dt.datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
    assert scheduler.slot_of(daily, NOW) == dt.datetime(2026, 11, 30, 0, 0, tzinfo=TZ)
    assert scheduler.slot_of(quarter, NOW) == dt.datetime(2026, 11, 30, 10, 15, tzinfo=TZ)


def test_registry_refuses_jobs_more_often_than_a_minute():
    with pytest.raises(ValueError, match="once a minute"):
        registry.periodic("x", every=dt.timedelta(seconds=10), label="x")


@pytest.mark.django_db
def test_a_slot_runs_once_and_the_next_slot_runs_again(only_jobs):
    calls: list[dt.datetime] = []
    only_jobs("count", lambda *, now: calls.append(now) or f"第 {len(calls)} 次")

    first = scheduler.run_due(NOW)
    again = scheduler.run_due(NOW + dt.timedelta(minutes=20))
    next_hour = scheduler.run_due(NOW + dt.timedelta(hours=1))

    assert [(o.status, o.summary) for o in first] == [("done", "第 1 次")]
    assert again == []
    assert [o.status for o in next_hour] == ["done"]
    assert len(calls) == 2
    assert list(JobRun.objects.order_by("slot").values_list("job", "summary")) == [
        ("count", "第 1 次"),
        ("count", "第 2 次"),
    ]


@pytest.mark.django_db
def test_a_failing_job_leaves_nothing_and_is_retried(only_jobs):
    unit = UnitFactory()
    attempts = []

    def flaky(*, now):
        attempts.append(now)
        record(actor=None, verb="jobs.test.ran", target=unit)
        if len(attempts) == 1:
            raise RuntimeError("磁盘已满")
        return "ok"

    only_jobs("flaky", flaky)

    failed = scheduler.run_due(NOW)
    assert [o.status for o in failed] == ["failed"]
    assert Event.objects.filter(verb="jobs.test.ran").count() == 0
    assert JobRun.objects.count() == 0
    assert JobFailure.objects.get().job == "flaky"

    retried = scheduler.run_due(NOW + dt.timedelta(minutes=1))
    assert [o.status for o in retried] == ["done"]
    assert Event.objects.filter(verb="jobs.test.ran").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_run_a_slot_once(only_jobs):
    unit = UnitFactory()
    ran: list[str] = []
    start = threading.Barrier(2)

    def slow(*, now):
        ran.append(threading.current_thread().name)
        record(actor=None, verb="jobs.test.ran", target=unit)
        time.sleep(0.5)  # hold the claim while the other worker arrives
        return "ok"

    only_jobs("slow", slow)
    outcomes: dict[str, list[scheduler.Outcome]] = {}

    def worker(name: str) -> None:
        try:
            start.wait()
            outcomes[name] = scheduler.run_due(NOW, worker=name)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",), name=f"w{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(o.status for result in outcomes.values() for o in result)
    assert len(ran) == 1
    assert statuses in (["done"], ["done", "taken"])  # the late one sees the slot taken or not due
    assert JobRun.objects.filter(job="slow").count() == 1
    assert Event.objects.filter(verb="jobs.test.ran").count() == 1


KILL_SCRIPT = """
import datetime as dt, os, sys, time
import django
django.setup()
from zhongshu.audit.services import record
from zhongshu.jobs import registry, scheduler
from zhongshu.org.models import Unit

def stuck(*, now):
    record(actor=None, verb="jobs.test.ran", target=Unit.objects.get(pk=int(os.environ["UNIT_ID"])))
    open(os.environ["MARKER"], "w").close()
    time.sleep(60)

registry._JOBS.clear()
registry._JOBS["stuck"] = registry.Job("stuck", stuck, dt.timedelta(hours=1), "stuck")
scheduler.jobs = lambda: dict(registry._JOBS)
scheduler.run_due()
"""


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"]
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{settings_dict['HOST']}:{port}/{settings_dict['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_nothing_half_done(tmp_path: Path):
    unit = UnitFactory()
    marker = tmp_path / "started"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhongshu.settings.base",
        "DATABASE_URL": _database_url(),
        "ZHONGSHU_DATA_DIR": str(tmp_path),
        "UNIT_ID": str(unit.pk),
        "MARKER": str(marker),
    }
    env.pop("ZHONGSHU_CLOCK", None)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT], env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, "the worker exited before the job started"
            assert time.monotonic() < deadline, "the job did not start"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    assert JobRun.objects.count() == 0
    assert Event.objects.filter(verb="jobs.test.ran").count() == 0


@pytest.mark.django_db
def test_worker_once_runs_due_jobs_and_reports(only_jobs, capsys):
    only_jobs("hello", lambda *, now: "已检查")

    call_command("worker", "--once")
    call_command("worker", "--once")

    out = capsys.readouterr().out
    assert out.count("hello 完成：已检查") == 1
    assert JobRun.objects.count() == 1


@pytest.mark.django_db
def test_worker_once_exits_non_zero_when_a_job_fails(only_jobs):
    def broken(*, now):
        raise ValueError("坏了")

    only_jobs("broken", broken)

    with pytest.raises(SystemExit) as exit_info:
        call_command("worker", "--once")
    assert exit_info.value.code == 1
