"""The next-year check: raises the reminder from 1 November, resolves it once the year is covered."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from zhongshu.audit.models import Event
from zhongshu.jobs.registry import jobs
from zhongshu.workdays import core, services, tasks
from zhongshu.workdays.models import CalendarNotice

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour, minute):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_job_is_registered_hourly():
    job = jobs()["workdays.check_next_year"]
    assert (job.func, job.every, job.label) == (
        tasks.check_next_year,
        dt.timedelta(hours=1),
        "检查下一年度工作日历",
    )


def test_before_november_nothing_is_raised():
    assert tasks.check_next_year(now=at(2026, 10, 31, 23, 0)) == "无变化"
    assert not CalendarNotice.objects.exists()


def test_from_first_of_november_local_time_the_notice_is_raised_once():
    # 2026-10-31 16:30 UTC is already 1 November in Shanghai.
    summary = tasks.check_next_year(now=dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC))
    assert summary == "已提醒录入2027年节假日安排"
    notice = CalendarNotice.objects.get()
    assert (notice.year, notice.resolved_at) == (2027, None)

    assert tasks.check_next_year(now=at(2026, 11, 1, 1, 30)) == "无变化"
    assert CalendarNotice.objects.count() == 1
    assert list(Event.objects.values_list("verb", flat=True)) == ["workdays.notice.raised"]


def test_notice_is_resolved_when_the_package_covers_the_year(monkeypatch):
    tasks.check_next_year(now=at(2026, 11, 2, 9, 0))
    monkeypatch.setattr(core, "package_covers", lambda year: True)

    assert tasks.check_next_year(now=at(2026, 11, 2, 10, 0)) == "2027年节假日安排已具备，提醒已解除"
    assert CalendarNotice.objects.get().resolved_at == at(2026, 11, 2, 10, 0)
    assert tasks.check_next_year(now=at(2026, 11, 2, 11, 0)) == "无变化"


def test_no_notice_once_an_administrator_entered_the_year(admin_person):
    services.year_arrangement_enter(actor=admin_person, year=2027, holidays=[dt.date(2027, 1, 1)], workdays=[])
    assert tasks.check_next_year(now=at(2026, 11, 2, 9, 0)) == "无变化"
    assert not CalendarNotice.objects.exists()


def test_current_year_still_not_covered_in_january_keeps_the_notice():
    tasks.check_next_year(now=at(2026, 12, 1, 9, 0))
    assert tasks.check_next_year(now=at(2027, 1, 10, 10, 0)) == "无变化"
    assert CalendarNotice.objects.get().resolved_at is None


def test_resolved_notice_is_raised_again_if_the_year_is_uncovered(monkeypatch):
    CalendarNotice.objects.create(year=2027, resolved_at=at(2026, 11, 1, 0, 0))
    assert tasks.check_next_year(now=at(2026, 11, 5, 9, 0)) == "已提醒录入2027年节假日安排"
    assert CalendarNotice.objects.get().resolved_at is None
