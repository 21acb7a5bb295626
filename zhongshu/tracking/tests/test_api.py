"""POST /api/v1/tracking/items and authentication: the integration contract of issue 3 §4."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zhongshu.api.models import ApiToken
from zhongshu.audit.models import Event
from zhongshu.tracking.models import Item, Milestone, Part

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "/api/v1/tracking/items"


def post_json(client: Any, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, data=json.dumps(body, ensure_ascii=False), content_type="application/json", **headers)


def bearer_for(client: Any, person: Any) -> dict[str, str]:
    response = post_json(client, "/api/v1/auth/token", {"username": person.username, "password": "zhongshu-test"})
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def item_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "推进学校周边交通秩序整治",
        "content": "请区教委牵头，会同区住房城乡建委研究解决。",
        "source_type": "leader_instruction",
        "lead_unit": "jiaowei",
        "co_units": ["zhujian"],
        "due_in_workdays": 10,
        "instruction": "请教委牵头抓紧研究，两周内报结果。",
        "instructing_leader": "quzhang",
    }
    body.update(overrides)
    return body


def create(client: Any, **overrides: Any) -> dict[str, Any]:
    response = post_json(client, URL, item_body(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def as_ducha(client, district, clock_at):
    clock_at(at(2026, 9, 28, 9))  # Monday before the National Day holiday
    client.force_login(district.ducha)
    return client


# Creating ------------------------------------------------------------------------------------------------


def test_create_answers_201_with_the_contracts_fields(as_ducha, district):
    response = post_json(as_ducha, URL, item_body(urgency="urgent"))

    assert response.status_code == 201
    body = response.json()
    item = Item.objects.get()
    assert body["id"] == item.pk
    assert body["number"] == "示范督〔2026〕0001号"
    assert body["status"] == "draft"
    assert body["status_label"] == "待交办"
    assert body["source_type"] == "leader_instruction"
    assert body["due_at"] is None
    assert body["original_due_at"] is None
    assert body["due_in_workdays"] == 10
    assert body["overdue"] is False
    assert body["overdue_workdays"] == 0
    assert body["lead_unit"] == {"code": "jiaowei", "name": "区教委"}
    assert body["co_units"] == [{"code": "zhujian", "name": "区住房城乡建委"}]
    assert body["officer"] == {"username": "ducha", "name": "周督查"}
    assert body["instructing_leader"] == {"username": "quzhang", "name": "王区长"}
    assert body["urgency"] == "urgent"
    assert body["urgency_label"] == "加急"
    assert body["created_at"] == "2026-09-28T09:00:00+08:00"
    assert body["assigned_at"] is None
    assert body["parent"] is None
    assert body["children"] == []
    assert set(body["actions"]) == {"assign", "edit", "split", "cancel"}
    assert item.instruction == "请教委牵头抓紧研究，两周内报结果。"
    assert item.instructing_leader == district.quzhang
    assert item.created_by == district.ducha
    assert sorted(Part.objects.filter(item=item).values_list("unit__code", "role")) == [
        ("jiaowei", "lead"),
        ("zhujian", "co"),
    ]
    assert Event.objects.filter(verb="tracking.item.created", actor=district.ducha).count() == 1


def test_create_with_assign_true_assigns_at_once(as_ducha):
    body = create(as_ducha, assign=True)

    assert body["status"] == "assigned"
    assert body["assigned_at"] == "2026-09-28T09:00:00+08:00"
    assert body["due_at"] is None  # the clock starts at 签收
    assert "assign" not in body["actions"]
    assert "remind" in body["actions"]


def test_create_with_a_date_deadline_means_the_end_of_that_working_day(as_ducha):
    body = create(as_ducha, due_in_workdays=None, due_at="2026-10-16", assign=True)

    assert body["due_at"] == "2026-10-16T17:30:00+08:00"
    assert body["original_due_at"] == "2026-10-16T17:30:00+08:00"
    assert body["due_mode"] == "date"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-10-16T12:00:00+08:00", "2026-10-16T12:00:00+08:00"),
        ("2026-10-16T04:00:00Z", "2026-10-16T12:00:00+08:00"),
        ("2026-10-16T12:00", "2026-10-16T12:00:00+08:00"),  # no offset: local time
    ],
)
def test_create_with_a_datetime_deadline(as_ducha, given, expected):
    body = create(as_ducha, due_in_workdays=None, due_at=given)

    assert body["due_at"] == expected


def test_create_with_every_optional_field(as_ducha, district):
    body = create(
        as_ducha,
        source_type="livelihood_project",
        instruction="",
        instructing_leader=None,
        instructed_on=None,
        officer="zhuren",
        due_in_workdays=None,
        due_at="2026-12-31",
        feedback={"cycle": "weekly", "weekday": 4},
        milestones=[{"title": "完成设计", "due_on": "2026-10-30"}, {"title": "完工", "due_on": "2026-12-20"}],
        source_label="12345 热线工单 20260928001",
    )
    detail = as_ducha.get(f"{URL}/{body['id']}").json()

    assert body["officer"] == {"username": "zhuren", "name": "吴主任"}
    assert body["instructing_leader"] is None
    assert detail["feedback"] == {"cycle": "weekly", "cycle_label": "每周", "weekday": 4, "day": None, "every": None}
    assert [(m["title"], m["due_on"], m["done_on"]) for m in detail["milestones"]] == [
        ("完成设计", "2026-10-30", None),
        ("完工", "2026-12-20", None),
    ]
    assert detail["source"]["label"] == "12345 热线工单 20260928001"
    assert Milestone.objects.count() == 2


def test_numbers_are_sequential(as_ducha):
    first = create(as_ducha, title="第一件")
    second = create(as_ducha, title="第二件")

    assert (first["number"], second["number"]) == ("示范督〔2026〕0001号", "示范督〔2026〕0002号")


# Refusals on creation: 400 with the field, nothing created ------------------------------------------------------


def assert_refused(response: Any, field: str, *fragments: str) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"], body
    for fragment in fragments:
        assert any(fragment in message for message in body["errors"][field]), body
    assert not Item.objects.exists()
    return body


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"lead_unit": "nosuch"}, "lead_unit", "没有代码为“nosuch”的单位"),
        ({"lead_unit": None}, "lead_unit", "请选择牵头单位"),
        ({"co_units": ["zhujian", "nosuch"]}, "co_units", "nosuch"),
        ({"instructing_leader": "ghost"}, "instructing_leader", "没有用户名为“ghost”的领导"),
        ({"officer": "ghost"}, "officer", "没有用户名为“ghost”的督查员"),
        ({"officer": "ll-jiaowei"}, "officer", "督查员应为在职的督查人员"),
        ({"instructing_leader": "ducha"}, "instructing_leader", "批示领导应为在职的区领导"),
        ({"lead_unit": "old"}, "lead_unit", "已停用"),
        ({"co_units": ["jiaowei"]}, "co_units", "配合单位不能与牵头单位相同"),
        ({"co_units": ["old"]}, "co_units", "已停用"),
        ({"due_in_workdays": None, "due_at": "2026-09-25"}, "due_at", "早于交办时间"),
        ({"due_in_workdays": None, "due_at": "2026-09-28T08:00:00+08:00"}, "due_at", "早于交办时间"),
        ({"due_in_workdays": None, "due_at": "下周五"}, "due_at", "不是有效的时间"),
        ({"due_in_workdays": None}, "due_at", "二者选一"),
        ({"due_at": "2026-10-30"}, "due_at", "二者选一"),
        ({"due_in_workdays": 0}, "due_in_workdays", "1—250"),
        ({"title": "   "}, "title", "事项名称不能为空"),
        ({"source_type": "rumour"}, "source_type", "请选择有效的事项来源"),
        ({"urgency": "asap"}, "urgency", "紧急程度"),
        ({"instruction": ""}, "instruction", "照录批示内容"),
        ({"instructed_on": "2026-10-01"}, "instructed_on", "不能晚于今天"),
        ({"feedback": {"cycle": "monthly", "day": 31}}, "feedback_day", "1—28"),
        ({"milestones": [{"title": "", "due_on": "2026-10-01"}]}, "milestones", "缺少名称"),
    ],
)
def test_bad_input_on_create_is_a_field_error(as_ducha, overrides, field, fragment):
    assert_refused(post_json(as_ducha, URL, item_body(**overrides)), field, fragment)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": 123}, "title", "应为文本"),
        ({"co_units": "zhujian"}, "co_units", "应为列表"),
        ({"due_in_workdays": "ten"}, "due_in_workdays", "应为整数"),
        ({"assign": "maybe"}, "assign", "应为是或否（true/false）"),
        ({"instructed_on": "yesterday"}, "instructed_on", "日期格式应为 YYYY-MM-DD"),
        ({"feedback": "weekly"}, "feedback", None),  # core/api.py has no Chinese text for "model_type" yet
        ({"milestones": [{"title": "设计"}]}, "milestones.0.due_on", "此项为必填项"),
    ],
)
def test_wrong_types_answer_400_naming_the_field(as_ducha, overrides, field, message):
    response = post_json(as_ducha, URL, item_body(**overrides))

    assert response.status_code == 400
    assert response.json()["detail"] == "输入有误，请检查各字段。"
    assert len(response.json()["errors"][field]) == 1
    if message is not None:
        assert response.json()["errors"][field] == [message]
    assert not Item.objects.exists()


def test_missing_required_fields_are_named(as_ducha):
    response = post_json(as_ducha, URL, {"content": "只有内容"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["此项为必填项"], "source_type": ["此项为必填项"]}


@pytest.mark.parametrize("raw", ["{not json", "", "[1, 2]", '"text"', "null"])
def test_garbage_bodies_answer_400_never_500(as_ducha, raw):
    response = as_ducha.post(URL, data=raw, content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Item.objects.exists()


# Duplicate submissions answer 409 with the existing item ------------------------------------------------------------


def test_a_repeated_request_key_answers_409_with_the_existing_item(as_ducha):
    first = create(as_ducha, request_key="hotline-20260928-001")

    again = post_json(as_ducha, URL, item_body(title="另一个标题", request_key="hotline-20260928-001"))

    assert again.status_code == 409
    body = again.json()
    assert first["number"] in body["detail"]
    assert body["errors"]["request_key"] == [body["detail"]]
    assert body["item"]["id"] == first["id"]
    assert body["item"]["number"] == first["number"]
    assert Item.objects.count() == 1


def test_the_idempotency_key_header_works_like_request_key(as_ducha):
    first = post_json(as_ducha, URL, item_body(), HTTP_IDEMPOTENCY_KEY="abc-123")
    again = post_json(as_ducha, URL, item_body(title="改了标题"), HTTP_IDEMPOTENCY_KEY="abc-123")

    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["item"]["id"] == first.json()["id"]
    assert Item.objects.get().request_key == "abc-123"


def test_a_double_click_answers_409(as_ducha, clock_at):
    first = create(as_ducha)
    clock_at(at(2026, 9, 28, 9, 0))  # the same moment: the second click of a double click

    again = post_json(as_ducha, URL, item_body())

    assert again.status_code == 409
    assert again.json()["item"]["id"] == first["id"]
    assert Item.objects.count() == 1


# Who may create; authentication ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["liaison", "nobody", "admin"])
def test_people_without_the_create_permission_get_403(client, district, clock_at, who):
    clock_at(at(2026, 9, 28, 9))
    client.force_login(getattr(district, who))

    response = post_json(client, URL, item_body(lead_unit="nosuch"))

    assert response.status_code == 403
    assert response.json()["detail"].startswith("您无权进行此操作")
    assert not Item.objects.exists()


def test_a_leader_may_register_an_item(client, district, clock_at):
    clock_at(at(2026, 9, 28, 9))
    client.force_login(district.quzhang)

    body = create(client)

    assert body["status"] == "draft"
    assert body["officer"] is None  # a leader is not an officer: the office assigns one


def test_without_credentials_the_api_answers_401(client, district):
    assert post_json(client, URL, item_body()).status_code == 401
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/1").status_code == 401


def test_token_auth_creates_and_reads_as_the_tokens_person(client, district, clock_at):
    clock_at(at(2026, 9, 28, 9))
    headers = bearer_for(client, district.ducha)

    response = post_json(client, URL, item_body(assign=True), **headers)
    item_id = response.json()["id"]

    assert response.status_code == 201
    assert Item.objects.get().created_by == district.ducha
    liaison_headers = bearer_for(client, district.liaison)
    accepted = client.post(f"{URL}/{item_id}/accept", **liaison_headers)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "in_progress"
    assert Event.objects.filter(verb="tracking.item.accepted", actor=district.liaison).count() == 1


def test_a_revoked_token_is_refused(client, district, clock_at):
    clock_at(at(2026, 9, 28, 9))
    headers = bearer_for(client, district.ducha)
    ApiToken.objects.update(revoked_at=at(2026, 9, 28, 8))

    assert post_json(client, URL, item_body(), **headers).status_code == 401
    assert not Item.objects.exists()


def test_the_openapi_schema_lists_the_tracking_endpoints(as_ducha):
    paths = as_ducha.get("/api/v1/openapi.json").json()["paths"]

    for path in [
        "/api/v1/tracking/items",
        "/api/v1/tracking/items/{item_id}",
        "/api/v1/tracking/items/{item_id}/accept",
        "/api/v1/tracking/items/{item_id}/progress",
        "/api/v1/tracking/items/{item_id}/decide-extension",
        "/api/v1/tracking/ledger.xlsx",
    ]:
        assert path in paths
    progress = paths["/api/v1/tracking/items/{item_id}/progress"]["post"]
    assert set(progress["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
