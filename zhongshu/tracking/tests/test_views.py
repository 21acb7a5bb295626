"""The 督查督办 pages: the board, registering and editing, the item page and its actions, the leader's view,
the settings and the workbench panels. Outcomes are asserted (rows, values, messages), and every list and the
item page issue a fixed number of queries whatever the amount of data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.audit.models import Event
from zhongshu.tracking import services
from zhongshu.tracking.models import Attachment, Entry, Extension, Item, Milestone

from .conftest import at

pytestmark = pytest.mark.django_db

START = at(2026, 9, 28, 9)  # Monday before the National Day holiday


def text(response) -> str:
    return response.content.decode()


def board_url(**query: str) -> str:
    from urllib.parse import urlencode

    return reverse("tracking:board") + (f"?{urlencode(query)}" if query else "")


def detail(item: Item) -> str:
    return reverse("tracking:item_detail", args=[item.pk])


def action(item: Item, name: str) -> str:
    return reverse("tracking:item_action", args=[item.pk, name])


def pdf(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.fixture
def signed(district, make_item, clock_at):
    """An item signed for by 区教委 on 9-29: due 2026-10-19 17:30 (10 working days, holiday skipped)."""
    clock_at(START)
    item = make_item()
    clock_at(at(2026, 9, 29, 15))
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    return item


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


# The board -----------------------------------------------------------------------------------------


def test_board_lists_items_with_colour_deadline_and_summary(client, district, make_item, clock_at):
    clock_at(START)
    on_track = make_item(title="正常推进的事项", due_in_workdays=None, due_at=dt.date(2026, 11, 30))
    late = make_item(title="超期的事项", due_in_workdays=None, due_at=dt.date(2026, 9, 30))
    clock_at(at(2026, 9, 29, 10))
    services.item_accept(actor=district.liaison, item=late)
    clock_at(at(2026, 10, 12, 10))  # 10-8, 10-9, the make-up Saturday 10-10 and 10-12 after the 9-30 deadline
    client.force_login(district.ducha)

    response = client.get(reverse("tracking:board"))

    assert response.status_code == 200
    assert response.context["summary"] == {"total": 2, "red": 1, "yellow": 0, "green": 1, "grey": 0}
    rows = {row["item"].pk: row for row in response.context["rows"]}
    assert rows[late.pk]["item"].colour == "red"
    assert rows[late.pk]["overdue_days"] == 4
    assert rows[on_track.pk]["item"].colour == "green"
    assert rows[on_track.pk]["overdue_days"] == 0
    body = text(response)
    assert "区住房城乡建委" in body  # the co-operating unit
    assert "王区长" in body


def test_board_filters_by_status_colour_unit_and_text(client, district, make_item, clock_at):
    clock_at(START)
    make_item(title="教委的事项")
    make_item(title="住建的事项", lead_unit_id=district.zhujian.pk, co_unit_ids=[])
    make_item(title="草稿事项", assign=False)
    client.force_login(district.ducha)

    def titles(**query: str) -> set[str]:
        return {row["item"].title for row in client.get(board_url(**query)).context["rows"]}

    assert titles(status="open") == {"教委的事项", "住建的事项"}
    assert titles(status="draft") == {"草稿事项"}
    assert titles(unit=str(district.zhujian.pk)) == {"教委的事项", "住建的事项", "草稿事项"}  # lead or co-op
    assert titles(unit=str(district.weijian.pk)) == set()
    assert titles(q="住建") == {"住建的事项"}
    assert titles(colour="grey") == {"草稿事项"}
    assert titles(leader=str(district.quzhang.pk), status="assigned") == {"教委的事项", "住建的事项"}


def test_board_htmx_request_gets_the_table_only(client, district, make_item, clock_at):
    clock_at(START)
    make_item()
    client.force_login(district.ducha)
    response = client.get(board_url(status="open"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert "推进学校周边交通秩序整治" in text(response)


def test_liaison_sees_only_their_units_items_on_the_board(client, district, make_item, clock_at):
    clock_at(START)
    make_item(title="教委牵头")
    make_item(title="卫健牵头", lead_unit_id=district.weijian.pk, co_unit_ids=[])
    client.force_login(district.liaison)
    response = client.get(reverse("tracking:board"))
    assert [row["item"].title for row in response.context["rows"]] == ["教委牵头"]
    assert response.context["summary"]["total"] == 1
    assert not response.context["can_remind"]
    assert 'id="bulk-remind"' not in text(response)


def test_board_refused_without_a_role(client, district):
    client.force_login(district.nobody)
    assert client.get(reverse("tracking:board")).status_code == 403


BOARD_QUERIES = 18
"""Session, person and grants (3), unit tree, settings, calendar version twice, the summary aggregate, the
page of items, their co-operating units, the filter choices (3), the inbox badge, the session save (3)."""


@pytest.mark.parametrize("items", [5, 60])
def test_board_issues_a_fixed_number_of_queries(
    client, district, make_item, clock_at, django_assert_num_queries, items
):
    clock_at(START)
    for n in range(items):
        make_item(title=f"事项{n}", co_unit_ids=[district.zhujian.pk, district.weijian.pk])
    client.force_login(district.ducha)
    client.get(reverse("tracking:board"))  # warm the session and the calendar cache
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(reverse("tracking:board"))
    assert len(response.context["rows"]) == min(items, 50)


def test_bulk_remind_sends_to_ticked_items_and_keeps_filters(client, district, make_item, clock_at):
    clock_at(START)
    first, second = make_item(title="一"), make_item(title="二")
    draft = make_item(title="草稿", assign=False)
    client.force_login(district.ducha)

    response = client.post(
        reverse("tracking:board_remind"),
        {"items": [first.pk, second.pk, draft.pk], "message": "请于本周内反馈。", "query": "status=open&unit=3"},
    )

    assert response.status_code == 302
    assert response["Location"] == board_url(status="open", unit="3")
    reminded = Entry.objects.filter(kind="remind").values_list("item_id", "text")
    assert sorted(reminded) == sorted([(first.pk, "请于本周内反馈。"), (second.pk, "请于本周内反馈。")])
    page = client.get(response["Location"])
    assert "已催办 2 项；1 项不在待签收或办理中，未催办。" in text(page)


def test_bulk_remind_requires_a_message_and_a_ticked_item(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.ducha)
    response = client.post(reverse("tracking:board_remind"), {"items": [item.pk], "message": " "}, follow=True)
    assert "请填写催办内容。" in text(response)
    response = client.post(reverse("tracking:board_remind"), {"message": "请抓紧。"}, follow=True)
    assert "请先勾选要催办的事项。" in text(response)
    assert not Entry.objects.filter(kind="remind").exists()


def test_bulk_remind_refused_to_a_liaison(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.liaison)
    response = client.post(reverse("tracking:board_remind"), {"items": [item.pk], "message": "催"})
    assert response.status_code == 403
    assert not Entry.objects.filter(kind="remind").exists()


# Registering ---------------------------------------------------------------------------------------


def create_data(district, **overrides) -> dict:
    data = {
        "request_key": "key-1",
        "title": "推进老旧小区加装电梯",
        "content": "请区住房城乡建委牵头。",
        "source_type": "leader_instruction",
        "source_label": "区长批示件",
        "instructing_leader": district.quzhang.pk,
        "instructed_on": "2026-09-27",
        "instruction": "请抓紧研究，月底前报结果。",
        "lead_unit": district.zhujian.pk,
        "co_units": [district.jiaowei.pk, district.weijian.pk],
        "officer": "",
        "urgency": "urgent",
        "due_mode": "workdays",
        "due_workdays": "15",
        "due_on": "",
        "feedback_cycle": "weekly",
        "feedback_weekday": "4",
        "ms-TOTAL_FORMS": "5",
        "ms-INITIAL_FORMS": "0",
        "ms-MIN_NUM_FORMS": "0",
        "ms-MAX_NUM_FORMS": "50",
        "ms-0-title": "完成摸底",
        "ms-0-due_on": "2026-10-15",
        "submit": "assign",
    }
    data.update(overrides)
    return data


def test_create_and_assign_an_item_with_every_field(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    data = create_data(district, attachments=[pdf("批示件.pdf"), pdf("附表.pdf")])

    response = client.post(reverse("tracking:item_create"), data)

    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(item)
    assert item.status == "assigned"
    assert (item.title, item.urgency, item.due_mode, item.due_workdays) == (
        "推进老旧小区加装电梯",
        "urgent",
        "workdays",
        15,
    )
    assert item.instructing_leader == district.quzhang
    assert item.instruction == "请抓紧研究，月底前报结果。"
    assert item.instructed_on == dt.date(2026, 9, 27)
    assert item.source_label == "区长批示件"
    assert item.officer == district.ducha  # the supervisor who registers it by default
    assert (item.feedback_cycle, item.feedback_weekday) == ("weekly", 4)
    assert sorted(item.parts.values_list("unit__code", "role")) == [
        ("jiaowei", "co"),
        ("weijian", "co"),
        ("zhujian", "lead"),
    ]
    assert list(Milestone.objects.values_list("title", "due_on")) == [("完成摸底", dt.date(2026, 10, 15))]
    assert sorted(Attachment.objects.values_list("name", flat=True)) == sorted(["附表.pdf", "批示件.pdf"])
    assert item.request_key == "key-1"


def test_save_as_draft_keeps_the_item_unassigned(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    client.post(
        reverse("tracking:item_create"), create_data(district, submit="draft", due_mode="date", due_on="2026-10-30")
    )
    item = Item.objects.get()
    assert item.status == "draft"
    assert item.due_mode == "date"
    assert services.local_date(item.due_at) == dt.date(2026, 10, 30)


def test_double_submission_creates_one_item_and_redirects_to_it(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    first = client.post(reverse("tracking:item_create"), create_data(district))
    second = client.post(reverse("tracking:item_create"), create_data(district), follow=True)
    item = Item.objects.get()
    assert first["Location"] == detail(item)
    assert second.redirect_chain[-1][0] == detail(item)
    assert "请勿重复提交" in text(second)


def test_create_form_carries_a_fresh_request_key(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    one = client.get(reverse("tracking:item_create")).context["form"].initial["request_key"]
    two = client.get(reverse("tracking:item_create")).context["form"].initial["request_key"]
    assert one
    assert two
    assert one != two


def test_service_refusals_show_on_the_form_and_keep_the_input(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    data = create_data(
        district, instructing_leader="", co_units=[district.zhujian.pk], due_mode="date", due_on="2026-09-01"
    )
    response = client.post(reverse("tracking:item_create"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["instructing_leader"] == ["来源为领导批示的事项，请选择批示领导。"]
    assert form.errors["co_units"] == ["配合单位不能与牵头单位相同。"]
    assert "早于交办时间" in form.errors["due_on"][0]
    body = text(response)
    assert 'value="推进老旧小区加装电梯"' in body
    assert "请抓紧研究，月底前报结果。" in body
    assert not Item.objects.exists()


def test_form_errors_for_missing_deadline_and_bad_milestone(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    data = create_data(district, due_workdays="", **{"ms-1-title": "开工", "ms-1-due_on": ""})
    response = client.post(reverse("tracking:item_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["due_workdays"] == ["请填写签收后的工作日数。"]
    assert response.context["milestones"].forms[1].errors["due_on"] == ["请填写该节点的计划完成日期。"]
    assert not Item.objects.exists()


def test_forbidden_attachment_type_is_refused(client, district, clock_at):
    clock_at(START)
    client.force_login(district.ducha)
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("tracking:item_create"), create_data(district, attachments=[bad]))
    assert response.status_code == 400
    assert "类型不允许上传" in response.context["form"].errors["attachments"][0]
    assert not Item.objects.exists()


def test_create_refused_to_a_liaison(client, district):
    client.force_login(district.liaison)
    assert client.get(reverse("tracking:item_create")).status_code == 403


# Editing and splitting -----------------------------------------------------------------------------


def test_edit_a_draft_changes_title_and_deadline(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item(assign=False)
    client.force_login(district.ducha)
    response = client.post(
        reverse("tracking:item_edit", args=[item.pk]),
        {
            "title": "新标题",
            "content": "新内容",
            "urgency": "normal",
            "co_units": [district.weijian.pk],
            "due_mode": "date",
            "due_on": "2026-11-20",
            "feedback_cycle": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "新标题"
    assert item.due_mode == "date"
    assert services.local_date(item.due_at) == dt.date(2026, 11, 20)
    assert list(item.parts.filter(role="co").values_list("unit__code", flat=True)) == ["weijian"]


def test_edit_after_assignment_has_no_deadline_fields(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.ducha)
    form = client.get(reverse("tracking:item_edit", args=[item.pk])).context["form"]
    assert "due_on" not in form.fields
    assert "title" in form.fields


def test_edit_refused_to_a_liaison(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.liaison)
    assert client.get(reverse("tracking:item_edit", args=[item.pk])).status_code == 403


def test_split_a_draft_into_child_items(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item(assign=False)
    client.force_login(district.ducha)
    response = client.post(
        reverse("tracking:item_split", args=[item.pk]), {"units": [district.jiaowei.pk, district.weijian.pk]}
    )
    assert response.status_code == 302
    children = list(Item.objects.filter(parent=item).order_by("sub").values_list("number", "lead_unit__code"))
    assert children == [("示范督〔2026〕0001-1号", "jiaowei"), ("示范督〔2026〕0001-2号", "weijian")]
    page = client.get(detail(item))
    assert "示范督〔2026〕0001-2号" in text(page)


def test_split_needs_two_units(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item(assign=False)
    client.force_login(district.ducha)
    response = client.post(reverse("tracking:item_split", args=[item.pk]), {"units": [district.jiaowei.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["units"] == ["分解至少需要两个承办单位。"]
    assert not Item.objects.filter(parent=item).exists()


# The item page -------------------------------------------------------------------------------------


def test_item_page_shows_instruction_units_deadline_and_log(client, district, signed, clock_at):
    services.item_progress(actor=district.liaison, item=signed, text="已召开专题会。", attachments=[pdf()])
    clock_at(at(2026, 10, 20, 10))  # past the deadline; the co-operating unit never reported
    client.force_login(district.ducha)
    response = client.get(detail(signed))
    body = text(response)
    assert "请教委牵头抓紧研究，两周内报结果。" in body
    assert "已召开专题会。" in body
    assert reverse("tracking:attachment", args=[Attachment.objects.get().pk]) in body
    assert "2026-10-19 17:30" in body
    assert "签收，10 个工作日次日起算" in body  # the deadline history
    assert response.context["is_overdue"]
    assert response.context["overdue_days"] == 1
    co = next(row for row in response.context["parts"] if row["part"].role == "co")
    assert co["late"]
    assert co["missing"]
    assert "未反馈" in body
    assert 'hx-get="/audit/timeline/tracking.item/' in body


def test_item_page_offers_exactly_the_available_actions(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.liaison)
    context = client.get(detail(item)).context
    assert [b["action"] for b in context["buttons"]] == ["accept"]
    assert [f["action"] for f in context["action_forms"]] == ["decline"]
    client.force_login(district.ducha)
    context = client.get(detail(item)).context
    assert [f["action"] for f in context["action_forms"]] == ["remind", "cancel"]
    assert [link["action"] for link in context["links"]] == ["edit"]


def test_item_page_is_404_for_another_units_liaison(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item(co_unit_ids=[])
    client.force_login(district.weijian_liaison)
    assert client.get(detail(item)).status_code == 404


ITEM_PAGE_QUERIES = 25


@pytest.mark.parametrize("entries", [2, 20])
def test_item_page_issues_a_fixed_number_of_queries(client, district, signed, django_assert_num_queries, entries):
    for n in range(entries):
        liaison = district.liaison if n % 2 else district.other_liaison
        services.item_progress(actor=liaison, item=signed, text=f"进展{n}", attachments=[pdf(f"f{n}.pdf")])
    services.extension_request(actor=district.liaison, item=signed, reason="等待审批。", due_at=dt.date(2026, 10, 30))
    client.force_login(district.ducha)
    client.get(detail(signed))
    with django_assert_num_queries(ITEM_PAGE_QUERIES):
        response = client.get(detail(signed))
    assert len(response.context["entries"]) == entries


# Actions ------------------------------------------------------------------------------------------


def test_liaison_signs_for_an_item_and_the_clock_starts(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    clock_at(at(2026, 9, 29, 15))
    client.force_login(district.liaison)
    response = client.post(action(item, "accept"), follow=True)
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert services.local_date(item.due_at) == dt.date(2026, 10, 19)
    assert "已签收，办结时限 2026-10-19 17:30。" in text(response)


def test_progress_with_attachment_from_a_co_operating_unit(client, district, signed):
    client.force_login(district.other_liaison)
    response = client.post(action(signed, "progress"), {"text": "已完成路口设计。", "attachments": [pdf("设计.pdf")]})
    assert response.status_code == 302
    entry = Entry.objects.get(kind="co_report")
    assert entry.text == "已完成路口设计。"
    assert entry.unit == district.zhujian
    assert list(entry.attachments.values_list("name", flat=True)) == ["设计.pdf"]


def test_empty_progress_is_refused_and_the_page_shows_the_error(client, district, signed):
    client.force_login(district.liaison)
    before = Event.objects.count()
    response = client.post(action(signed, "progress"), {"text": "  "})
    assert response.status_code == 400
    assert "请填写进展情况或上传附件（二者至少其一）。" in text(response)
    assert response.context["open_action"] == "progress"
    assert not Entry.objects.exists()
    assert Event.objects.count() == before


def test_extension_requested_and_approved_keeps_the_original_deadline(client, district, signed):
    client.force_login(district.liaison)
    response = client.post(action(signed, "extend"), {"reason": "需等待市级审批。", "due_on": "2026-10-30"})
    assert response.status_code == 302
    client.force_login(district.ducha)
    response = client.post(action(signed, "decide-extension"), {"approve": "1", "comment": "同意"})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert services.local_date(signed.due_at) == dt.date(2026, 10, 30)
    assert services.local_date(signed.original_due_at) == dt.date(2026, 10, 19)
    page = text(client.get(detail(signed)))
    assert "原定 2026-10-19 17:30" in page
    assert "已同意" in page


def test_extension_to_an_earlier_date_shows_the_error_on_the_date(client, district, signed):
    client.force_login(district.liaison)
    response = client.post(action(signed, "extend"), {"reason": "理由", "due_on": "2026-10-10"})
    assert response.status_code == 400
    form = next(f["form"] for f in response.context["action_forms"] if f["action"] == "extend")
    assert form.errors["due_on"] == ["申请延至的日期应晚于现行办结时限（2026-10-19）。"]
    assert form["reason"].value() == "理由"
    assert not Extension.objects.exists()


def test_report_then_return_then_close_with_rating(client, district, signed):
    client.force_login(district.liaison)
    client.post(action(signed, "report"), {"text": "已全部完成。"})
    client.force_login(district.ducha)
    client.post(action(signed, "return"), {"reason": "缺少照片。"})
    signed.refresh_from_db()
    assert signed.status == "in_progress"
    assert signed.returned_count == 1
    client.force_login(district.liaison)
    client.post(action(signed, "report"), {"text": "补充照片。", "attachments": [pdf("照片.pdf")]})
    client.force_login(district.ducha)
    response = client.post(action(signed, "close"), {"rating": "good", "comment": "核查属实。"}, follow=True)
    signed.refresh_from_db()
    assert signed.status == "closed"
    assert signed.rating == "good"
    assert signed.closed_on_time is True
    assert "已核查办结。" in text(response)


def test_close_by_a_liaison_is_forbidden_and_nothing_changes(client, district, signed):
    client.force_login(district.liaison)
    client.post(action(signed, "report"), {"text": "已完成。"})
    response = client.post(action(signed, "close"), {"rating": "excellent"})
    assert response.status_code == 403
    signed.refresh_from_db()
    assert signed.status == "reported"


def test_close_without_rating_keeps_the_comment(client, district, signed):
    services.item_report(actor=district.liaison, item=signed, text="完成")
    client.force_login(district.ducha)
    response = client.post(action(signed, "close"), {"comment": "核查意见"})
    assert response.status_code == 400
    assert "请选择质量评价。" in text(response)
    assert "核查意见" in text(response)


def test_decline_and_reassign(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.liaison)
    client.post(action(item, "decline"), {"reason": "不属于本单位职责。"})
    client.force_login(district.ducha)
    response = client.post(
        action(item, "decide-decline"), {"decision": "reassign", "reassign_to": district.weijian.pk, "comment": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lead_unit == district.weijian


def test_decide_decline_reassign_needs_a_unit(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    services.item_decline(actor=district.liaison, item=item, reason="不属于本单位。")
    client.force_login(district.ducha)
    response = client.post(action(item, "decide-decline"), {"decision": "reassign"})
    assert response.status_code == 400
    assert "改派时请选择新的牵头单位。" in text(response)


def test_milestone_done_from_the_item_page(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item(milestones=[services.MilestoneIn("摸底", dt.date(2026, 10, 9))])
    clock_at(at(2026, 9, 29, 10))
    services.item_accept(actor=district.liaison, item=item)
    milestone = Milestone.objects.get()
    client.force_login(district.liaison)
    assert "milestone" in [f["action"] for f in client.get(detail(item)).context["action_forms"]]
    response = client.post(action(item, "milestone"), {"milestone": milestone.pk, "done_on": "2026-09-29", "note": ""})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2026, 9, 29)


def test_cancel_and_remind_from_the_item_page(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.ducha)
    client.post(action(item, "remind"), {"message": "请尽快签收。"})
    assert Entry.objects.get(kind="remind").text == "请尽快签收。"
    client.post(action(item, "cancel"), {"reason": "重复交办。"})
    item.refresh_from_db()
    assert item.status == "cancelled"
    assert item.cancel_reason == "重复交办。"


def test_unknown_action_is_404(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item()
    client.force_login(district.ducha)
    assert client.post(action(item, "explode"), {}).status_code == 404


def test_secretary_records_an_instruction_on_the_leaders_behalf(client, district, signed):
    client.force_login(district.wenmi)
    context = client.get(detail(signed)).context
    form = next(f["form"] for f in context["action_forms"] if f["action"] == "instruct")
    assert form.fields["on_behalf_of"].choices == [(district.quzhang.pk, "代王区长批示")]
    response = client.post(action(signed, "instruct"), {"text": "请加快进度。", "on_behalf_of": district.quzhang.pk})
    assert response.status_code == 302
    entry = Entry.objects.get(kind="instruction")
    assert entry.author == district.quzhang
    assert entry.recorded_by == district.wenmi
    assert "（李文秘 代录）" in text(client.get(detail(signed)))


def test_attachment_download_checks_visibility(client, district, signed):
    services.item_progress(actor=district.liaison, item=signed, text="", attachments=[pdf("证明.pdf")])
    url = reverse("tracking:attachment", args=[Attachment.objects.get().pk])
    client.force_login(district.ducha)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(district.weijian_liaison)
    assert client.get(url).status_code == 404


# Leader's view -----------------------------------------------------------------------------------


def test_leader_sees_their_items_by_state_and_instructs_again(client, district, signed, make_item):
    make_item(title="别的领导的事项", instructing_leader_id=district.fuquzhang.pk)
    client.force_login(district.quzhang)
    response = client.get(reverse("tracking:leader"))
    assert [row["item"].pk for row in response.context["rows"]] == [signed.pk]
    groups = {g["status"]: g["count"] for g in response.context["groups"]}
    assert groups["in_progress"] == 1
    assert groups["assigned"] == 0
    back = reverse("tracking:leader")
    response = client.post(action(signed, "instruct"), {"text": "请抓紧。", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert Entry.objects.get(kind="instruction").author == district.quzhang


def test_leader_view_overdue_counts(client, district, signed, clock_at):
    clock_at(at(2026, 10, 21, 10))
    client.force_login(district.quzhang)
    response = client.get(reverse("tracking:leader"))
    assert response.context["total_overdue"] == 1
    assert response.context["rows"][0]["overdue_days"] == 2


def test_secretary_switches_to_the_leader_they_act_for(client, district, signed):
    client.force_login(district.wenmi)
    response = client.get(reverse("tracking:leader"))
    assert response.context["acting_for"] == district.quzhang
    assert [row["item"].pk for row in response.context["rows"]] == [signed.pk]
    assert "代王区长" in text(response)


def test_leader_view_refused_to_a_liaison(client, district):
    client.force_login(district.liaison)
    assert client.get(reverse("tracking:leader")).status_code == 403


# Settings -----------------------------------------------------------------------------------------


def config_data(**overrides) -> dict:
    data = {name: getattr(services.config(), name) for name in services.CONFIG_FIELDS}
    data = {k: v for k, v in data.items() if v is not False}
    data.update(overrides)
    return data


def test_director_changes_the_settings(client, district):
    client.force_login(district.zhuren)
    response = client.post(reverse("tracking:config"), config_data(warn_workdays=5, number_prefix="新督"))
    assert response.status_code == 302
    cfg = services.config()
    assert cfg.warn_workdays == 5
    assert cfg.number_prefix == "新督"
    assert Event.objects.filter(verb="tracking.config.updated").count() == 1


def test_bad_settings_are_refused_with_the_field_message(client, district):
    client.force_login(district.admin)
    response = client.post(reverse("tracking:config"), config_data(number_prefix="示范〔督〕", remind_before="abc"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["number_prefix"] == ["督办编号代字应为 1—20 个字符，不含括号、空格和“号”。"]
    assert errors["remind_before"] == ["到期前提醒应为逗号分隔的工作日数，例如“3,1”。"]
    assert services.config().number_prefix == "示范督"


def test_settings_refused_to_a_supervisor(client, district):
    client.force_login(district.ducha)
    assert client.get(reverse("tracking:config")).status_code == 403


# Workbench panels ---------------------------------------------------------------------------------


def panel(response, key: str) -> dict:
    return next(shown.data for shown in response.context["panels"] if shown.panel.key == key)


def test_liaison_workbench_lists_what_waits_for_the_unit(client, district, make_item, clock_at):
    clock_at(START)
    waiting = make_item(title="待签收的事项")
    late = make_item(title="超期的事项", due_in_workdays=None, due_at=dt.date(2026, 9, 30))
    returned = make_item(title="退回的事项")
    soon = make_item(title="快到期的事项", due_in_workdays=None, due_at=dt.date(2026, 10, 9))
    clock_at(at(2026, 9, 29, 9))
    for item in (late, returned, soon):
        services.item_accept(actor=district.liaison, item=item)
    services.item_report(actor=district.liaison, item=returned, text="完成")
    services.item_return(actor=district.ducha, item=returned, reason="不完整")
    clock_at(at(2026, 10, 8, 10))
    client.force_login(district.liaison)
    response = client.get(reverse("home"))
    groups = {g.key: [row["item"].pk for row in g.rows] for g in panel(response, "tracking.liaison")["groups"]}
    assert groups["to_accept"] == [waiting.pk]
    assert groups["overdue"] == [late.pk]
    assert groups["returned"] == [returned.pk]
    assert groups["due_soon"] == [soon.pk]
    assert "本单位督办事项" in text(response)


def test_feedback_due_on_the_weekly_day(client, district, make_item, clock_at):
    clock_at(START)
    item = make_item(feedback=services.Feedback(cycle="weekly", weekday=4))  # every Friday
    services.item_accept(actor=district.liaison, item=item)
    clock_at(at(2026, 10, 1, 10))  # Thursday: the first Friday has not come
    client.force_login(district.liaison)
    groups = {g.key: g for g in panel(client.get(reverse("home")), "tracking.liaison")["groups"]}
    assert groups["feedback"].count == 0
    clock_at(at(2026, 10, 2, 10))  # Friday, nothing reported since signing
    client.force_login(district.liaison)
    groups = {g.key: g for g in panel(client.get(reverse("home")), "tracking.liaison")["groups"]}
    assert [row["note"] for row in groups["feedback"].rows] == ["每周五反馈，本期未反馈"]


def test_officer_workbench_lists_reports_declines_extensions_and_overdue(client, district, make_item, clock_at):
    clock_at(START)
    declined = make_item(title="退办的")
    reported = make_item(title="报结的")
    extended = make_item(title="延期的")
    clock_at(at(2026, 9, 29, 9))
    services.item_decline(actor=district.liaison, item=declined, reason="不是本单位的")
    for item in (reported, extended):
        services.item_accept(actor=district.liaison, item=item)
    services.item_report(actor=district.liaison, item=reported, text="完成")
    services.extension_request(actor=district.liaison, item=extended, reason="等", due_at=dt.date(2026, 10, 23))
    client.force_login(district.ducha)
    groups = {g.key: g for g in panel(client.get(reverse("home")), "tracking.officer")["groups"]}
    assert [row["item"].pk for row in groups["reported"].rows] == [reported.pk]
    assert [row["item"].pk for row in groups["declines"].rows] == [declined.pk]
    assert [row["item"].pk for row in groups["extensions"].rows] == [extended.pk]
    assert groups["overdue"].count == 0


def test_leader_workbench_summary(client, district, signed):
    client.force_login(district.quzhang)
    data = panel(client.get(reverse("home")), "tracking.leader")
    assert data["counts"] == {"running": 1, "reported": 0, "closed": 0, "overdue": 0}


@pytest.mark.parametrize("who", ["liaison", "ducha", "quzhang"])
def test_workbench_queries_do_not_grow_with_items(client, district, make_item, clock_at, who):
    clock_at(START)
    make_item()
    client.force_login(getattr(district, who))
    client.get(reverse("home"))
    few = count_queries(client, reverse("home"))
    for n in range(8):
        item = make_item(title=f"事项{n}")
        services.item_accept(actor=district.liaison, item=item)
    assert count_queries(client, reverse("home")) == few


def test_board_keeps_drill_down_filters_as_hidden_fields(client, district, make_item, clock_at):
    clock_at(START)
    make_item()
    client.force_login(district.ducha)
    response = client.get(board_url(status="open", counted="1", assigned_from="2026-01-01"))
    assert response.context["carried"] == [("counted", "1"), ("assigned_from", "2026-01-01")]
    assert '<input type="hidden" name="assigned_from" value="2026-01-01">' in text(response)
