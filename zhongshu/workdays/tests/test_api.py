"""The calendar over the API: exact answers, Chinese field errors for bad input, signed-in people only."""

from __future__ import annotations

import pytest

from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendar"


@pytest.fixture
def api(client, make_person):
    client.force_login(make_person(Role.LIAISON))
    return client


def test_add_workdays_with_a_token_answers_exactly(client, make_person):
    person = make_person(Role.LIAISON, username="ll-test")
    token = client.post(
        "/api/v1/auth/token",
        {"username": "ll-test", "password": "zhongshu-test"},
        content_type="application/json",
    ).json()["token"]

    response = client.get(f"{BASE}/add-workdays?start=2026-09-30&days=5", headers={"Authorization": f"Bearer {token}"})

    assert person.is_active
    assert response.status_code == 200
    assert response.json() == {"date": "2026-10-13", "provisional": False}


def test_add_workdays_into_provisional_year(api):
    assert api.get(f"{BASE}/add-workdays?start=2026-12-30&days=3").json() == {
        "date": "2027-01-05",
        "provisional": True,
    }


def test_person_without_roles_may_ask(client):
    client.force_login(PersonFactory())
    assert client.get(f"{BASE}/add-workdays?start=2026-09-30&days=5").status_code == 200


def test_anonymous_gets_401(client):
    response = client.get(f"{BASE}/add-workdays?start=2026-09-30&days=5")
    assert response.status_code == 401


def test_between(api):
    response = api.get(f"{BASE}/between?start=2026-09-30&end=2026-10-13")
    assert response.json() == {"days": 5, "provisional": False}


def test_days_lists_each_day(api):
    response = api.get(f"{BASE}/days?start=2026-10-09&end=2026-10-11")
    assert response.status_code == 200
    assert response.json() == [
        {
            "date": "2026-10-09",
            "workday": True,
            "kind": "workday",
            "kind_label": "工作日",
            "name": "",
            "provisional": False,
            "source": "package",
        },
        {
            "date": "2026-10-10",
            "workday": True,
            "kind": "shifted_workday",
            "kind_label": "调休上班",
            "name": "国庆节",
            "provisional": False,
            "source": "package",
        },
        {
            "date": "2026-10-11",
            "workday": False,
            "kind": "weekend",
            "kind_label": "周末",
            "name": "",
            "provisional": False,
            "source": "package",
        },
    ]


def test_days_marks_provisional_days(api):
    day = api.get(f"{BASE}/days?start=2027-02-09&end=2027-02-09").json()[0]
    assert (day["kind_label"], day["name"], day["provisional"], day["source"]) == (
        "补假",
        "春节",
        True,
        "provisional",
    )


def test_deadline_is_local_end_of_day(api):
    response = api.get(f"{BASE}/deadline?start=2026-09-30T15:00:00%2B08:00&days=5")
    assert response.json() == {"deadline": "2026-10-13T17:30:00+08:00", "provisional": False}


def test_deadline_reads_a_naive_start_as_local_time(api):
    response = api.get(f"{BASE}/deadline?start=2026-09-30T23:30:00&days=1")
    assert response.json() == {"deadline": "2026-10-08T17:30:00+08:00", "provisional": False}


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        ("/add-workdays?start=2026-13-01&days=5", {"start": ["日期格式应为 YYYY-MM-DD"]}),
        ("/add-workdays?start=2026-09-30&days=abc", {"days": ["应为整数"]}),
        ("/add-workdays?days=5", {"start": ["此项为必填项"]}),
        ("/add-workdays?start=2026-09-30&days=99999", {"days": ["工作日数应在 -5000 到 5000 之间。"]}),
        (
            "/add-workdays?start=2099-12-30&days=10",
            {"start": ["日期超出工作日历支持的范围（1901—2099年）：2100年"]},
        ),
        ("/between?start=2026-09-30&end=tomorrow", {"end": ["日期格式应为 YYYY-MM-DD"]}),
        ("/days?start=2026-01-01&end=2027-01-02", {"end": ["一次最多查询 366 天。"]}),
        ("/days?start=2026-01-02&end=2026-01-01", {"end": ["截止日期不能早于起始日期。"]}),
        ("/deadline?start=yesterday&days=1", {"start": ["时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00"]}),
    ],
)
def test_bad_input_answers_400_with_chinese_field_errors(api, url, errors):
    response = api.get(BASE + url)
    assert response.status_code == 400
    assert response.json()["errors"] == errors
