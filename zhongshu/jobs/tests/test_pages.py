from __future__ import annotations

import datetime as dt

import pytest

from zhongshu.jobs import registry, scheduler
from zhongshu.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_jobs(monkeypatch):
    table = {
        "a.ok": registry.Job("a.ok", lambda *, now: "一切正常", dt.timedelta(hours=1), "甲任务"),
        "b.bad": registry.Job("b.bad", lambda *, now: 1 / 0, dt.timedelta(days=1), "乙任务"),
    }
    monkeypatch.setattr(registry, "_JOBS", table)
    monkeypatch.setattr("django.utils.module_loading.autodiscover_modules", lambda *a, **k: None)
    return table


def test_admin_sees_each_job_with_its_last_run_and_failure(
    client, make_person, two_jobs, django_assert_max_num_queries
):
    admin = make_person(Role.ADMIN)
    scheduler.run_due()
    client.force_login(admin)

    with django_assert_max_num_queries(13):
        response = client.get("/jobs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "甲任务" in html
    assert "一切正常" in html
    assert "乙任务" in html
    assert "ZeroDivisionError" in html
    assert "失败" in html


@pytest.mark.parametrize("role", [Role.LIAISON, Role.DIRECTOR, Role.SUPERVISOR])
def test_jobs_page_is_refused_to_non_admins(client, make_person, role):
    client.force_login(make_person(role))

    assert client.get("/jobs/").status_code == 403


def test_jobs_page_sends_anonymous_to_login(client):
    response = client.get("/jobs/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
