"""Every refusal of issue 3 through the API: 400 with a Chinese message on the field, nothing changed, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.audit.models import Event
from zhongshu.org.models import Unit
from zhongshu.tracking import services
from zhongshu.tracking.models import Attachment, Entry, Extension, Item

from .conftest import at
from .test_api import post_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/tracking/items"
ACTIONS = [
    "assign",
    "accept",
    "decline",
    "decide-decline",
    "progress",
    "milestone-done",
    "extend",
    "decide-extension",
    "report",
    "close",
    "return",
    "cancel",
    "remind",
    "instruct",
    "edit",
    "split",
]


@pytest.fixture
def running(district, make_item, clock_at):
    """An item signed for on Tuesday 2026-09-29 (due 2026-10-19 17:30), as its lead unit's liaison sees it."""
    clock_at(at(2026, 9, 28, 9))
    item = make_item()
    clock_at(at(2026, 9, 29, 10))
    services.item_accept(actor=district.liaison, item=item)
    return item


class Unchanged:
    """Snapshot of what a refused request must not change."""

    def __init__(self, item: Item) -> None:
        self.item = item
        self.counts = self._counts()
        self.row = self._row()

    def _counts(self) -> tuple[int, ...]:
        return (Event.objects.count(), Entry.objects.count(), Attachment.objects.count(), Extension.objects.count())

    def _row(self) -> tuple[Any, ...]:
        item = Item.objects.get(pk=self.item.pk)
        return (item.status, item.due_at, item.lead_unit_id, item.reported_at, item.rating)

    def check(self) -> None:
        assert self._counts() == self.counts
        assert self._row() == self.row


def refused(response: Any, field: str, fragment: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"], body
    assert any(fragment in message for message in body["errors"][field]), body
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def as_(client: Any, person: Any) -> Any:
    client.force_login(person)
    return client


# The refusals the issue lists -----------------------------------------------------------------------------------------


def test_assigning_a_draft_whose_deadline_has_passed(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))
    item = make_item(due_in_workdays=None, due_at=dt.date(2026, 10, 9), assign=False)
    clock_at(at(2026, 10, 12, 10))
    unchanged = Unchanged(item)

    response = post_json(as_(client, district.ducha), f"{URL}/{item.pk}/assign", {})

    refused(response, "due_at", "已过，请先修改时限再交办")
    unchanged.check()


def test_assigning_to_a_lead_unit_deactivated_since(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))
    item = make_item(assign=False)
    Unit.objects.filter(pk=district.jiaowei.pk).update(active=False)
    unchanged = Unchanged(item)

    response = post_json(as_(client, district.ducha), f"{URL}/{item.pk}/assign", {})

    refused(response, "lead_unit", "已停用")
    unchanged.check()


def test_extension_after_the_deadline(client, district, running, clock_at):
    clock_at(at(2026, 10, 20, 9))
    unchanged = Unchanged(running)

    response = post_json(
        as_(client, district.liaison), f"{URL}/{running.pk}/extend", {"reason": "来不及。", "due_at": "2026-11-30"}
    )

    refused(response, "__all__", "已过，不能再申请延期")
    unchanged.check()


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"reason": "需审批。", "due_at": "2026-10-15"}, "due_at", "应晚于现行办结时限（2026-10-19）"),
        ({"reason": "需审批。", "due_at": "2026-10-19"}, "due_at", "应晚于现行办结时限"),
        ({"reason": "需审批。"}, "due_at", "请填写申请延至的日期"),
        ({"reason": "需审批。", "due_at": "十月底"}, "due_at", "不是有效的时间"),
        ({"reason": " ", "due_at": "2026-10-30"}, "reason", "延期理由不能为空"),
        ({"reason": "需审批。", "due_at": 20261030}, "due_at", "应为文本"),
    ],
)
def test_bad_extension_requests(client, district, running, body, field, fragment):
    unchanged = Unchanged(running)

    response = post_json(as_(client, district.liaison), f"{URL}/{running.pk}/extend", body)

    refused(response, field, fragment)
    unchanged.check()


def test_a_second_extension_while_one_is_pending(client, district, running):
    services.extension_request(actor=district.liaison, item=running, reason="需审批。", due_at=dt.date(2026, 10, 30))
    unchanged = Unchanged(running)

    response = post_json(
        as_(client, district.liaison), f"{URL}/{running.pk}/extend", {"reason": "再延。", "due_at": "2026-11-30"}
    )

    refused(response, "__all__", "已有一项延期申请正在审批")
    unchanged.check()


def test_verifying_an_item_that_was_not_reported(client, district, running):
    unchanged = Unchanged(running)

    close = post_json(as_(client, district.ducha), f"{URL}/{running.pk}/close", {"rating": "good"})
    back = post_json(client, f"{URL}/{running.pk}/return", {"reason": "不合格。"})

    refused(close, "__all__", "不能核查办结")
    refused(back, "__all__", "不能退回重办")
    unchanged.check()


@pytest.mark.parametrize(("rating", "fragment"), [("perfect", "请选择质量评价"), ("", "请选择质量评价")])
def test_closing_with_a_bad_rating(client, district, running, rating, fragment):
    services.item_report(actor=district.liaison, item=running, text="已完成。")
    unchanged = Unchanged(running)

    refused(post_json(as_(client, district.ducha), f"{URL}/{running.pk}/close", {"rating": rating}), "rating", fragment)
    unchanged.check()


def test_empty_progress_by_json_and_by_form(client, district, running):
    unchanged = Unchanged(running)
    client = as_(client, district.liaison)

    refused(post_json(client, f"{URL}/{running.pk}/progress", {"text": "  "}), "text", "二者至少其一")
    refused(post_json(client, f"{URL}/{running.pk}/progress", {}), "text", "二者至少其一")
    refused(client.post(f"{URL}/{running.pk}/progress", {"text": ""}), "text", "二者至少其一")
    refused(post_json(client, f"{URL}/{running.pk}/report", {"text": ""}), "text", "请填写办结情况")
    unchanged.check()


@pytest.mark.parametrize("action", ["progress", "report"])
def test_a_forbidden_file_type(client, district, running, action):
    unchanged = Unchanged(running)
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    response = as_(client, district.liaison).post(
        f"{URL}/{running.pk}/{action}", {"text": "见附件。", "attachments": [upload]}
    )

    refused(response, "attachments", "“tool.exe”的类型不允许上传")
    unchanged.check()


def test_an_oversize_file(client, district, running):
    services.config_update(actor=district.admin, max_upload_mb=1)
    unchanged = Unchanged(running)
    upload = SimpleUploadedFile("现场照片.jpg", b"\xff" * (1024 * 1024 + 1), content_type="image/jpeg")

    response = as_(client, district.liaison).post(
        f"{URL}/{running.pk}/progress", {"text": "见附件。", "attachments": [upload]}
    )

    refused(response, "attachments", "超过大小上限 1 MB")
    unchanged.check()


def test_an_empty_file(client, district, running):
    unchanged = Unchanged(running)

    response = as_(client, district.liaison).post(
        f"{URL}/{running.pk}/progress", {"text": "见附件。", "attachments": [SimpleUploadedFile("空.pdf", b"")]}
    )

    refused(response, "attachments", "是空文件")
    unchanged.check()


@pytest.mark.parametrize(
    ("action", "body", "field", "fragment"),
    [
        ("decline", {"reason": "不属于本单位。"}, "__all__", "不能退办（仅限“待签收”的事项）"),
        ("cancel", {"reason": ""}, "reason", "撤销原因不能为空"),
        ("remind", {"message": ""}, "message", "催办内容不能为空"),
        ("accept", {}, "__all__", "不能签收"),
        ("decide-decline", {"reassign_to": None}, "__all__", "没有待处理的退办申请"),
        ("decide-extension", {"approve": True}, "__all__", "没有待审批的延期申请"),
        ("decide-extension", {"approve": "maybe"}, "approve", "应为是或否"),
        ("decide-extension", {"comment": "同意"}, "approve", "此项为必填项"),
        ("milestone-done", {"milestone_id": "x", "done_on": "2026-09-29"}, "milestone_id", "应为整数"),
        ("milestone-done", {"milestone_id": 1, "done_on": "明天"}, "done_on", "日期格式应为 YYYY-MM-DD"),
        ("split", {"units": ["jiaowei", "zhujian"]}, "__all__", "不能分解"),
        ("assign", {}, "__all__", "不能交办"),
        ("edit", {"officer": "ghost"}, "officer", "没有用户名为“ghost”的督查员"),
        ("edit", {"co_units": ["jiaowei"]}, "co_units", "配合单位不能与牵头单位相同"),
        ("instruct", {"text": ""}, "text", "批示内容不能为空"),
    ],
)
def test_refused_steps(client, district, running, action, body, field, fragment):
    actor = {
        "decline": district.liaison,
        "accept": district.liaison,
        "milestone-done": district.liaison,
        "instruct": district.quzhang,
    }.get(action, district.ducha)
    unchanged = Unchanged(running)

    refused(post_json(as_(client, actor), f"{URL}/{running.pk}/{action}", body), field, fragment)
    unchanged.check()


def test_a_decline_without_reason(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 28, 9))
    item = make_item()
    unchanged = Unchanged(item)

    refused(post_json(as_(client, district.liaison), f"{URL}/{item.pk}/decline", {}), "reason", "退办理由不能为空")
    unchanged.check()
    assert not item.declines.exists()


def test_the_same_text_field_wrongly_typed(client, district, running):
    response = post_json(as_(client, district.liaison), f"{URL}/{running.pk}/progress", {"text": ["a", "b"]})

    assert response.status_code == 400
    assert response.json() == {"detail": "输入有误，请检查各字段。", "errors": {"text": ["应为文本"]}}


# Never a 500 ----------------------------------------------------------------------------------------------------------

GARBAGE: list[str | bytes] = [
    "{not json",
    "[1, 2, 3]",
    "null",
    '"just a string"',
    '{"reason": [1], "text": {"a": 1}, "message": 5, "rating": null, "approve": [], "due_at": 5}',
    '{"milestone_id": -1, "done_on": "0000-00-00", "units": "x", "reassign_to": 7, "on_behalf_of": 8}',
    '{"due_at": "9999-99-99T99:99", "co_units": [null], "title": null}',
    b'\xff\xfe{"text": 1}',  # not UTF-8
]


@pytest.mark.parametrize("raw", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_answers_500(client, district, running, raw):
    data = raw if isinstance(raw, bytes) else raw.encode()
    for action in ACTIONS:
        for person in (district.ducha, district.liaison):
            client.force_login(person)
            response = client.post(f"{URL}/{running.pk}/{action}", data=data, content_type="application/json")
            allowed = {400, 403, 404} | ({200} if action == "edit" else set())  # an edit of nothing known is a no-op
            assert response.status_code in allowed, (action, response.status_code, response.content)
            assert "detail" in response.json() or response.status_code == 200


@pytest.mark.parametrize("raw", ['"just a string"', "[1]", "null", "42"])
def test_a_body_that_is_not_an_object_is_refused(client, district, running, raw):
    client.force_login(district.ducha)

    response = client.post(f"{URL}/{running.pk}/edit", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert Item.objects.get(pk=running.pk).title == "推进学校周边交通秩序整治"


@pytest.mark.parametrize(
    "raw",
    [
        '{"title": "x", "source_type": "other", "lead_unit": ["a"], "due_at": "2026-13-45"}',
        '{"title": "x", "source_type": "other", "lead_unit": "jiaowei", "due_at": "2026-10-30", "co_units": [null]}',
        '{"title": "x", "source_type": "other", "lead_unit": "jiaowei", "due_in_workdays": 99999999999}',
        '{"title": "x", "source_type": "other", "lead_unit": "jiaowei", "due_in_workdays": -3}',
        '{"title": "x", "source_type": "other", "lead_unit": "jiaowei", "due_in_workdays": 5, "request_key": "'
        + "k" * 65
        + '"}',
        '{"title": "x", "source_type": "other", "lead_unit": "jiaowei", "due_in_workdays": 5, "milestones": "x"}',
        '{"title": "x", "source_type": "other", "lead_unit": "jiaowei", "due_in_workdays": 5, '
        '"feedback": {"cycle": 5}}',
        '{"title": "' + "题" * 300 + '", "source_type": "other", "lead_unit": "jiaowei", "due_in_workdays": 5}',
    ],
)
def test_garbage_on_create_never_answers_500(client, district, clock_at, raw):
    clock_at(at(2026, 9, 28, 9))
    client.force_login(district.ducha)

    response = client.post(URL, data=raw, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("due", "fragment"),
    [
        ("9999-12-31", "超出工作日历支持的范围（1901—2099年）"),
        ("2100-01-01T10:00:00+08:00", "超出工作日历支持的范围"),
        ("0001-01-01T00:00+14:00", "不是有效的时间"),
        ("2026-02-30", "不是有效的时间"),
    ],
)
def test_deadlines_beyond_the_calendar_are_refused(client, district, running, due, fragment):
    unchanged = Unchanged(running)

    extend = post_json(as_(client, district.liaison), f"{URL}/{running.pk}/extend", {"reason": "x", "due_at": due})
    body = {"title": "超长时限", "source_type": "other", "lead_unit": "jiaowei", "due_at": due}
    create = post_json(as_(client, district.ducha), URL, body)

    refused(extend, "due_at", fragment)
    refused(create, "due_at", fragment)
    unchanged.check()
