"""GET /api/v1/audit/timeline: an object's events newest first; 400 for bad input, 404 when hidden."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhongshu.audit import services as audit
from zhongshu.audit import verbs
from zhongshu.audit.models import Event
from zhongshu.core.middleware import _client_address
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/timeline"


def test_timeline_returns_events_newest_first(client, unit_timeline, unit, make_person):
    # given two events, the second by a secretary for a leader, from a known address
    secretary = make_person(Role.SECRETARY, name="秘书甲")
    leader = make_person(Role.LEADER, name="区长乙")
    audit.record(actor=None, verb="org.unit.created", target=unit)
    token = _client_address.set("10.8.1.20")
    try:
        with time_machine.travel(dt.datetime(2026, 9, 30, 1, 5, tzinfo=dt.UTC), tick=False):
            audit.record(
                actor=secretary,
                on_behalf_of=leader,
                verb="org.unit.renamed",
                target=unit,
                changes={"full_name": ["示范区教育局", "示范区教育委员会"]},
                data={"reason": "机构改革"},
            )
    finally:
        _client_address.reset(token)
    client.force_login(make_person(Role.LIAISON))
    # when the timeline is asked for
    response = client.get(URL, {"type": "org.unit", "id": unit.pk})
    # then both events come back, newest first, with who, what and where
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 50, 0)
    assert [item["seq"] for item in body["items"]] == [2, 1]
    assert body["items"][0] == {
        "seq": 2,
        "occurred_at": "2026-09-30T09:05:00+08:00",
        "actor": {"id": secretary.pk, "name": "秘书甲"},
        "on_behalf_of": {"id": leader.pk, "name": "区长乙"},
        "actor_display": "秘书甲 代 区长乙",
        "verb": "org.unit.renamed",
        "verb_label": verbs.label("org.unit.renamed"),
        "changes": {"full_name": ["示范区教育局", "示范区教育委员会"]},
        "data": {"reason": "机构改革"},
        "client_address": "10.8.1.20",
    }
    assert body["items"][1]["actor"] is None
    assert body["items"][1]["actor_display"] == "系统"


def test_timeline_pages_with_limit_and_offset(client, unit_timeline, unit, admin_person, chain_of):
    chain_of(7)
    client.force_login(admin_person)
    body = client.get(URL, {"type": "org.unit", "id": unit.pk, "limit": 3, "offset": 2}).json()
    assert body["count"] == 7
    assert [item["seq"] for item in body["items"]] == [5, 4, 3]


def test_timeline_of_a_hidden_object_is_404_like_a_missing_one(client, unit_timeline, make_person):
    # given a liaison, and a person of another unit whose timeline they may not read
    liaison = make_person(Role.LIAISON)
    other = PersonFactory.create()
    audit.record(actor=None, verb="org.person.created", target=other)
    client.force_login(liaison)
    hidden = client.get(URL, {"type": "org.person", "id": other.pk})
    missing = client.get(URL, {"type": "org.person", "id": 999999})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "未找到该对象，或您无权查看。"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"type": "org.nothing", "id": "1"}, "type", "对象类型“org.nothing”不存在或不支持查看留痕。"),
        ({"type": "org.unit", "id": "abc"}, "id", "对象编号“abc”格式不正确，应为整数。"),
        ({"type": "org.unit", "id": "x" * 41}, "id", "对象编号不能为空，且不超过 40 个字符。"),
        ({"id": "1"}, "type", "此项为必填项"),
        ({"type": "org.unit"}, "id", "此项为必填项"),
        ({"type": "org.unit", "id": "1", "limit": "0"}, "limit", "不能小于 1"),
        ({"type": "org.unit", "id": "1", "limit": "500"}, "limit", "不能大于 200"),
        ({"type": "org.unit", "id": "1", "offset": "-1"}, "offset", "不能小于 0"),
    ],
)
def test_bad_input_answers_400_with_chinese_field_errors(client, unit_timeline, admin_person, params, field, message):
    client.force_login(admin_person)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


def test_anonymous_request_is_401_and_writes_nothing(client, unit_timeline, unit):
    response = client.get(URL, {"type": "org.unit", "id": unit.pk})
    assert response.status_code == 401
    assert Event.objects.count() == 0


def test_timeline_reads_a_bounded_number_of_queries(
    client, unit_timeline, unit, admin_person, chain_of, django_assert_max_num_queries
):
    chain_of(60)
    client.force_login(admin_person)
    with django_assert_max_num_queries(10):
        body = client.get(URL, {"type": "org.unit", "id": unit.pk, "limit": 60}).json()
    assert len(body["items"]) == 60
