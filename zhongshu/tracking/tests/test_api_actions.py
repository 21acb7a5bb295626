"""POST /api/v1/tracking/items/{id}/{action}: every step as the right role (200 with the item) and as the wrong
one (403 when the person sees the item, 404 when they do not), and the whole life of an item through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.audit.models import Event
from zhongshu.tracking import services
from zhongshu.tracking.models import Attachment, Decline, Entry, Extension, Item, Milestone

from .conftest import at
from .test_api import bearer_for, post_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/tracking/items"


def act(client: Any, person: Any, item_id: int, action: str, body: dict[str, Any] | None = None) -> Any:
    client.force_login(person)
    return post_json(client, f"{URL}/{item_id}/{action}", body if body is not None else {})


# States an item can be in, reached through the services ------------------------------------------------------


def _draft(d: Any, make_item: Any) -> Item:
    return make_item(assign=False)


def _assigned(d: Any, make_item: Any) -> Item:
    return make_item()


def _declined(d: Any, make_item: Any) -> Item:
    item = make_item()
    services.item_decline(actor=d.liaison, item=item, reason="不属于本单位职责。")
    return item


def _in_progress(d: Any, make_item: Any) -> Item:
    item = make_item(milestones=[services.MilestoneIn("完成方案", dt.date(2026, 10, 9))])
    services.item_accept(actor=d.liaison, item=item)
    return item


def _extension_pending(d: Any, make_item: Any) -> Item:
    item = _in_progress(d, make_item)
    services.extension_request(actor=d.liaison, item=item, reason="需等待市级审批。", due_at=dt.date(2026, 10, 30))
    return item


def _reported(d: Any, make_item: Any) -> Item:
    item = _in_progress(d, make_item)
    services.item_report(actor=d.liaison, item=item, text="已全部完成。")
    return item


STATES = {
    "draft": _draft,
    "assigned": _assigned,
    "declined": _declined,
    "in_progress": _in_progress,
    "extension_pending": _extension_pending,
    "reported": _reported,
}

# action, state, body, who may, who sees the item but may not (403), status afterwards
MATRIX = [
    ("assign", "draft", {}, "ducha", "liaison", "assigned"),
    ("edit", "draft", {"title": "改后的标题"}, "zhuren", "quzhang", "draft"),
    ("split", "draft", {"units": ["jiaowei", "weijian"]}, "ducha", "liaison", "draft"),
    ("accept", "assigned", {}, "liaison", "other_liaison", "in_progress"),
    ("decline", "assigned", {"reason": "不属于本单位职责。"}, "liaison", "other_liaison", "assigned"),
    ("decide-decline", "declined", {"reassign_to": "weijian", "comment": "改派"}, "ducha", "liaison", "assigned"),
    ("progress", "in_progress", {"text": "已召开专题会。"}, "liaison", "quzhang", "in_progress"),
    ("milestone-done", "in_progress", None, "liaison", "other_liaison", "in_progress"),
    ("extend", "in_progress", {"reason": "需市级审批。", "due_at": "2026-10-30"}, "liaison", "other_liaison", None),
    ("decide-extension", "extension_pending", {"approve": True}, "ducha", "liaison", "in_progress"),
    ("report", "in_progress", {"text": "已全部完成。"}, "liaison", "other_liaison", "reported"),
    ("close", "reported", {"rating": "excellent"}, "ducha", "quzhang", "closed"),
    ("return", "reported", {"reason": "缺少整改照片。"}, "zhuren", "liaison", "in_progress"),
    ("cancel", "in_progress", {"reason": "领导另有安排。"}, "ducha", "liaison", "cancelled"),
    ("remind", "in_progress", {"message": "请抓紧办理。"}, "ducha", "other_liaison", "in_progress"),
    ("instruct", "in_progress", {"text": "请加快进度。"}, "quzhang", "ducha", "in_progress"),
]


def _body(action: str, item: Item, body: dict[str, Any] | None) -> dict[str, Any]:
    if action == "milestone-done":
        return {"milestone_id": item.milestones.get().pk, "done_on": "2026-09-29"}
    return body or {}


@pytest.mark.parametrize(("action", "state", "body", "allowed", "refused", "after"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_action_as_the_right_and_the_wrong_role(
    client, district, make_item, clock_at, action, state, body, allowed, refused, after
):
    clock_at(at(2026, 9, 29, 10))
    item = STATES[state](district, make_item)
    body = _body(action, item, body)
    events = Event.objects.count()
    before = Item.objects.get(pk=item.pk).status

    forbidden = act(client, getattr(district, refused), item.pk, action, body)
    assert forbidden.status_code == 403, forbidden.content
    assert set(forbidden.json()) == {"detail"}
    invisible = act(client, district.weijian_liaison, item.pk, action, body)
    assert invisible.status_code == 404, invisible.content
    assert invisible.json() == {"detail": "未找到该对象，或您无权查看。"}
    assert Event.objects.count() == events
    assert Item.objects.get(pk=item.pk).status == before

    done = act(client, getattr(district, allowed), item.pk, action, body)

    assert done.status_code == 200, done.content
    payload = done.json()
    assert payload["id"] == item.pk
    if after is not None:
        assert payload["status"] == after
        assert Item.objects.get(pk=item.pk).status == after
    assert isinstance(payload["actions"], list)
    assert Event.objects.count() > events


def test_a_co_units_liaison_who_sees_the_item_gets_403_the_invisible_one_404(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()

    assert client.get(f"{URL}/{item.pk}", **bearer_for(client, district.other_liaison)).status_code == 200
    co = act(client, district.other_liaison, item.pk, "accept")
    assert co.status_code == 403
    assert co.json() == {"detail": "只有牵头单位（区教委）才能签收。"}
    assert act(client, district.weijian_liaison, item.pk, "accept").status_code == 404
    assert Item.objects.get(pk=item.pk).status == "assigned"


def test_unknown_action_and_unknown_item_answer_404(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()

    unknown = act(client, district.ducha, item.pk, "approve-everything")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "没有“approve-everything”这个操作。"}
    assert act(client, district.ducha, 999999, "assign").status_code == 404
    assert act(client, district.ducha, 999999, "progress", {"text": "x"}).status_code == 404
    assert client.get(f"{URL}/999999").status_code == 404
    not_a_number = client.post(f"{URL}/abc/assign")
    assert not_a_number.status_code == 400
    assert "item_id" in not_a_number.json()["errors"]


def test_actions_answer_with_what_the_caller_may_do_next(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()

    accepted = act(client, district.liaison, item.pk, "accept").json()

    assert (
        accepted["due_at"] == "2026-10-19T17:30:00+08:00"
    )  # 10 workdays from 9-30, holiday skipped, Saturday 10-10 worked
    assert accepted["accepted_at"] == "2026-09-29T10:00:00+08:00"
    assert set(accepted["actions"]) == {"progress", "extend", "report"}
    officer_view = client.get(f"{URL}/{item.pk}", **bearer_for(client, district.ducha)).json()
    assert set(officer_view["actions"]) == {"remind", "edit", "cancel"}


# Outcomes of each action --------------------------------------------------------------------------------------------


def test_decline_then_reassign_moves_the_item_to_the_new_unit(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()

    declined = act(client, district.liaison, item.pk, "decline", {"reason": "属于区卫生健康委职责。"}).json()
    assert declined["actions"] == []  # waiting for the officer
    assert "decide-decline" in client.get(f"{URL}/{item.pk}", **bearer_for(client, district.ducha)).json()["actions"]
    moved = act(client, district.ducha, item.pk, "decide-decline", {"reassign_to": "weijian", "comment": "同意改派"})

    assert moved.json()["lead_unit"] == {"code": "weijian", "name": "区卫生健康委"}
    decline = Decline.objects.get()
    assert (decline.status, decline.new_unit, decline.comment) == ("reassigned", district.weijian, "同意改派")
    assert act(client, district.weijian_liaison, item.pk, "accept").status_code == 200


def test_decline_insisted_keeps_the_unit(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    act(client, district.liaison, item.pk, "decline", {"reason": "不属于本单位职责。"})

    kept = act(client, district.ducha, item.pk, "decide-decline", {"reassign_to": None, "comment": "请按职责办理。"})

    assert kept.status_code == 200
    assert kept.json()["lead_unit"]["code"] == "jiaowei"
    assert Decline.objects.get().status == "insisted"
    detail = client.get(f"{URL}/{item.pk}", **bearer_for(client, district.liaison)).json()
    assert detail["actions"] == ["accept"]  # no second decline
    assert detail["declines"][0]["status_label"] == "坚持交办"


def test_decide_decline_to_an_unknown_unit_is_a_field_error(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    act(client, district.liaison, item.pk, "decline", {"reason": "不属于本单位职责。"})

    response = act(client, district.ducha, item.pk, "decide-decline", {"reassign_to": "nosuch"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"reassign_to": ["没有代码为“nosuch”的单位。"]}
    assert Decline.objects.get().status == "pending"


def test_progress_with_attachments_by_multipart_from_the_phone(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)
    client.force_login(district.liaison)
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff" + b"0" * 2000, content_type="image/jpeg")
    memo = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 test", content_type="application/pdf")

    response = client.post(f"{URL}/{item.pk}/progress", {"text": "已完成路口改造。", "attachments": [photo, memo]})

    assert response.status_code == 200, response.content
    entry = Entry.objects.get(kind="progress")
    assert entry.text == "已完成路口改造。"
    assert sorted(entry.attachments.values_list("name", "size")) == [("会议纪要.pdf", 13), ("现场照片.jpg", 2003)]
    detail = client.get(f"{URL}/{item.pk}").json()
    shown = detail["entries"][0]
    assert shown["kind"] == "progress"
    assert shown["kind_label"] == "进展反馈"
    assert shown["unit"] == {"code": "jiaowei", "name": "区教委"}
    assert [a["name"] for a in shown["attachments"]] == ["现场照片.jpg", "会议纪要.pdf"]
    assert shown["attachments"][0]["url"] == f"/tracking/attachments/{Attachment.objects.get(name='现场照片.jpg').pk}/"
    assert [a["name"] for a in detail["attachments"]] == ["现场照片.jpg", "会议纪要.pdf"]


def test_progress_with_attachments_only_is_enough(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)
    client.force_login(district.liaison)

    response = client.post(
        f"{URL}/{item.pk}/progress", {"attachments": [SimpleUploadedFile("进展.docx", b"PK\x03\x04 docx")]}
    )

    assert response.status_code == 200
    assert Attachment.objects.get().name == "进展.docx"


def test_a_co_units_progress_is_reported_to_the_lead_unit(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)

    response = act(client, district.other_liaison, item.pk, "progress", {"text": "配合单位已完成设计。"})

    assert response.status_code == 200
    entry = Entry.objects.get()
    assert (entry.kind, entry.unit) == ("co_report", district.zhujian)
    parts = {p["unit"]["code"]: p for p in client.get(f"{URL}/{item.pk}").json()["parts"]}
    assert parts["zhujian"]["report_count"] == 1
    assert parts["zhujian"]["last_report_at"] == "2026-09-29T10:00:00+08:00"
    assert parts["jiaowei"]["report_count"] == 0


def test_report_with_attachments_by_multipart(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)
    client.force_login(district.liaison)

    response = client.post(
        f"{URL}/{item.pk}/report",
        {"text": "已全部完成。", "attachments": [SimpleUploadedFile("办结报告.pdf", b"%PDF-1.4 report")]},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "reported"
    assert response.json()["reported_at"] == "2026-09-29T10:00:00+08:00"
    assert Entry.objects.get(kind="report").attachments.get().name == "办结报告.pdf"


def test_extension_approved_moves_the_deadline_and_keeps_the_original(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)

    requested = act(client, district.liaison, item.pk, "extend", {"reason": "需市级审批。", "due_at": "2026-10-30"})
    assert "extend" not in requested.json()["actions"]
    approved = act(client, district.ducha, item.pk, "decide-extension", {"approve": True, "comment": "同意"}).json()

    assert approved["due_at"] == "2026-10-30T17:30:00+08:00"
    assert approved["original_due_at"] == "2026-10-19T17:30:00+08:00"
    detail = client.get(f"{URL}/{item.pk}").json()
    assert detail["extended_in_time"] is True
    assert [(e["status"], e["comment"]) for e in detail["extensions"]] == [("approved", "同意")]
    assert [(c["before"], c["after"]) for c in detail["deadline_changes"]] == [
        (None, "2026-10-19T17:30:00+08:00"),
        ("2026-10-19T17:30:00+08:00", "2026-10-30T17:30:00+08:00"),
    ]


def test_extension_refused_needs_a_comment_and_keeps_the_deadline(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = _extension_pending(district, make_item)

    missing = act(client, district.ducha, item.pk, "decide-extension", {"approve": False})
    refused = act(client, district.ducha, item.pk, "decide-extension", {"approve": False, "comment": "理由不充分。"})

    assert missing.status_code == 400
    assert missing.json()["errors"] == {"comment": ["不同意延期时请填写审批意见（说明理由）。"]}
    assert refused.status_code == 200
    assert refused.json()["due_at"] == "2026-10-19T17:30:00+08:00"
    assert Extension.objects.get().status == "refused"


def test_a_long_extension_is_decided_by_a_leader_not_the_officer(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)
    act(client, district.liaison, item.pk, "extend", {"reason": "工程量大。", "due_at": "2026-12-31"})

    officer = act(client, district.ducha, item.pk, "decide-extension", {"approve": True})
    leader = act(client, district.fuquzhang, item.pk, "decide-extension", {"approve": True})

    assert officer.status_code == 403
    assert leader.status_code == 200
    assert leader.json()["due_at"] == "2026-12-31T17:30:00+08:00"


def test_close_records_rating_and_on_time(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = _reported(district, make_item)

    closed = act(client, district.ducha, item.pk, "close", {"rating": "good", "comment": "核查属实。"}).json()

    assert closed["status"] == "closed"
    assert closed["rating"] == "good"
    assert closed["rating_label"] == "良好"
    assert closed["closed_on_time"] is True
    assert closed["colour"] == "grey"
    assert closed["actions"] == []
    assert Entry.objects.get(kind="verify").text == "核查属实。"


def test_return_sends_the_item_back(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = _reported(district, make_item)

    returned = act(client, district.ducha, item.pk, "return", {"reason": "缺少整改照片。"}).json()

    assert returned["status"] == "in_progress"
    assert returned["reported_at"] is None
    detail = client.get(f"{URL}/{item.pk}").json()
    assert detail["returned_count"] == 1
    assert detail["entries"][-1]["kind"] == "return"
    assert detail["entries"][-1]["text"] == "缺少整改照片。"


def test_cancel_and_remind_record_their_text(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    first, second = make_item(), make_item(title="第二件事项")

    act(client, district.ducha, first.pk, "remind", {"message": "请尽快签收。"})
    cancelled = act(client, district.ducha, second.pk, "cancel", {"reason": "领导另有安排。"}).json()

    assert Entry.objects.get(kind="remind").text == "请尽快签收。"
    assert cancelled["status"] == "cancelled"
    detail = client.get(f"{URL}/{second.pk}").json()
    assert detail["cancel_reason"] == "领导另有安排。"
    assert detail["cancelled_at"] == "2026-09-29T10:00:00+08:00"


def test_a_secretary_instructs_on_the_leaders_behalf(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()

    alone = act(client, district.wenmi, item.pk, "instruct", {"text": "请加快。"})
    for_other = act(client, district.wenmi, item.pk, "instruct", {"text": "请加快。", "on_behalf_of": "fuquzhang"})
    unknown = act(client, district.wenmi, item.pk, "instruct", {"text": "请加快。", "on_behalf_of": "ghost"})
    done = act(client, district.wenmi, item.pk, "instruct", {"text": "请加快进度。", "on_behalf_of": "quzhang"})

    assert alone.status_code == 403
    assert for_other.status_code == 403
    assert unknown.status_code == 400
    assert "on_behalf_of" in unknown.json()["errors"]
    assert done.status_code == 200
    entry = Entry.objects.get(kind="instruction")
    assert (entry.author, entry.recorded_by, entry.text) == (district.quzhang, district.wenmi, "请加快进度。")
    event = Event.objects.get(verb="tracking.item.instructed")
    assert (event.actor, event.on_behalf_of) == (district.wenmi, district.quzhang)
    shown = client.get(f"{URL}/{item.pk}").json()
    assert shown["entries"][0]["author"] == "王区长"
    assert shown["entries"][0]["recorded_by"] == "李文秘"
    assert shown["timeline"][0]["on_behalf_of"] == {"id": district.quzhang.pk, "name": "王区长"}


def test_milestone_done_is_shown_on_the_item(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = _in_progress(district, make_item)
    milestone = Milestone.objects.get()

    done = act(
        client, district.liaison, item.pk, "milestone-done", {"milestone_id": milestone.pk, "done_on": "2026-09-29"}
    )
    future = act(
        client, district.liaison, item.pk, "milestone-done", {"milestone_id": milestone.pk, "done_on": "2026-10-09"}
    )
    other = act(client, district.liaison, item.pk, "milestone-done", {"milestone_id": 999999, "done_on": "2026-09-29"})

    assert done.status_code == 200
    assert future.status_code == 400
    assert future.json()["errors"] == {"done_on": ["完成日期不能晚于今天。"]}
    assert other.status_code == 404
    shown = client.get(f"{URL}/{item.pk}").json()["milestones"]
    assert shown == [
        {
            "id": milestone.pk,
            "title": "完成方案",
            "due_on": "2026-10-09",
            "done_on": "2026-09-29",
            "note": "",
            "late": False,
        }
    ]


def test_edit_changes_the_draft(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item(assign=False)

    edited = act(
        client,
        district.ducha,
        item.pk,
        "edit",
        {"title": "新标题", "co_units": ["weijian"], "urgency": "extra_urgent", "due_at": "2026-10-30"},
    ).json()

    assert edited["title"] == "新标题"
    assert edited["co_units"] == [{"code": "weijian", "name": "区卫生健康委"}]
    assert edited["urgency"] == "extra_urgent"
    assert edited["due_at"] == "2026-10-30T17:30:00+08:00"
    assert edited["due_mode"] == "date"


def test_edit_cannot_move_the_deadline_after_assignment(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item()

    response = act(client, district.ducha, item.pk, "edit", {"due_at": "2026-10-30"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"due_at": ["事项已交办，办结时限只能通过延期申请变更。"]}


def test_split_then_assign_runs_the_children(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    item = make_item(assign=False)

    split = act(client, district.ducha, item.pk, "split", {"units": ["jiaowei", "zhujian"]}).json()
    assigned = act(client, district.ducha, item.pk, "assign").json()

    assert [c["number"] for c in split["children"]] == ["示范督〔2026〕0001-1号", "示范督〔2026〕0001-2号"]
    assert [c["lead_unit"]["code"] for c in split["children"]] == ["jiaowei", "zhujian"]
    assert assigned["status"] == "in_progress"
    assert [c["status"] for c in assigned["children"]] == ["assigned", "assigned"]
    child = client.get(f"{URL}/{split['children'][1]['id']}", **bearer_for(client, district.other_liaison)).json()
    assert child["parent"]["number"] == "示范督〔2026〕0001号"
    assert act(client, district.ducha, item.pk, "split", {"units": ["nosuch"]}).status_code == 400


def test_bulk_remind_from_the_board(client, district, make_item, clock_at):
    clock_at(at(2026, 9, 29, 10))
    first, second, draft = make_item(), make_item(title="第二件"), make_item(title="草稿", assign=False)
    client.force_login(district.ducha)

    response = post_json(
        client, "/api/v1/tracking/remind", {"ids": [first.pk, second.pk, draft.pk], "message": "请抓紧。"}
    )

    assert response.json() == {"count": 2}
    assert Entry.objects.filter(kind="remind").count() == 2
    client.force_login(district.liaison)
    assert post_json(client, "/api/v1/tracking/remind", {"ids": [first.pk], "message": "x"}).status_code == 403
    client.force_login(district.ducha)
    empty = post_json(client, "/api/v1/tracking/remind", {"ids": [first.pk], "message": " "})
    assert empty.status_code == 400
    assert "message" in empty.json()["errors"]


# The whole life of an item, through the API only, with tokens -----------------------------------------------------


def test_whole_lifecycle_through_the_api(client, district, clock_at):
    clock_at(at(2026, 9, 28, 9))
    ducha, liaison = bearer_for(client, district.ducha), bearer_for(client, district.liaison)
    co, leader = bearer_for(client, district.other_liaison), bearer_for(client, district.quzhang)
    client.logout()

    created = post_json(
        client,
        URL,
        {
            "title": "推进学校周边交通秩序整治",
            "source_type": "leader_instruction",
            "instruction": "请教委牵头抓紧研究。",
            "instructing_leader": "quzhang",
            "lead_unit": "jiaowei",
            "co_units": ["zhujian"],
            "due_in_workdays": 10,
            "request_key": "hotline-1",
        },
        **ducha,
    ).json()
    item = f"{URL}/{created['id']}"

    def step(headers: dict[str, str], action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = post_json(client, f"{item}/{action}", body or {}, **headers)
        assert response.status_code == 200, (action, response.content)
        return response.json()

    assert step(ducha, "assign")["status"] == "assigned"
    clock_at(at(2026, 9, 29, 15))
    assert step(liaison, "accept")["due_at"] == "2026-10-19T17:30:00+08:00"
    step(co, "progress", {"text": "配合单位已完成路口改造设计。"})
    step(liaison, "progress", {"text": "已召开专题会。"})
    step(leader, "instruct", {"text": "请加快进度。"})
    step(liaison, "extend", {"reason": "需等待市级审批。", "due_at": "2026-10-30"})
    assert (
        step(ducha, "decide-extension", {"approve": True, "comment": "同意"})["due_at"] == "2026-10-30T17:30:00+08:00"
    )
    clock_at(at(2026, 10, 22, 10))
    assert step(liaison, "report", {"text": "已全部完成。"})["status"] == "reported"
    assert step(ducha, "return", {"reason": "缺少整改照片。"})["status"] == "in_progress"
    step(liaison, "report", {"text": "补充照片。"})
    closed = step(ducha, "close", {"rating": "good"})

    assert closed["status"] == "closed"
    assert closed["closed_on_time"] is True
    detail = client.get(item, **ducha).json()
    assert detail["closed_on_time_original"] is False
    assert [e["kind"] for e in detail["entries"]] == [
        "co_report",
        "progress",
        "instruction",
        "report",
        "return",
        "report",
        "verify",
    ]
    verbs = [event["verb"] for event in reversed(detail["timeline"])]
    assert verbs == [
        "tracking.item.created",
        "tracking.item.assigned",
        "tracking.item.accepted",
        "tracking.item.co_reported",
        "tracking.item.progressed",
        "tracking.item.instructed",
        "tracking.item.extension_requested",
        "tracking.item.extension_approved",
        "tracking.item.reported",
        "tracking.item.returned",
        "tracking.item.reported",
        "tracking.item.closed",
    ]
    assert detail["timeline_count"] == len(verbs)
    assert detail["timeline"][0]["verb_label"] == "核查办结"
    assert detail["timeline"][0]["actor"] == {"id": district.ducha.pk, "name": "周督查"}
