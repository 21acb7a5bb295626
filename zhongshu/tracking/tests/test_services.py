"""Every transition of a tracked item through the services: the rows it leaves, the audit events it writes and
the messages it puts in the people's inboxes (refusals and the calendar rules: test_services_rules.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from zhongshu.audit.models import Event
from zhongshu.core.exceptions import InvalidTransition, ValidationFailed
from zhongshu.notify.models import Message
from zhongshu.tracking import services
from zhongshu.tracking.models import (
    Config,
    DeadlineChange,
    Decline,
    Entry,
    Extension,
    Item,
    LedgerSnapshot,
    Milestone,
    Part,
)

from .conftest import at

pytestmark = pytest.mark.django_db


# Helpers shared by the service tests ------------------------------------------------------------------------


def written() -> dict[str, Any]:
    """Everything the tracking services write, row by row, for "nothing was written" assertions (the settings
    row, created with the defaults on first use, is created first)."""
    services.config()
    return {
        "items": list(Item.objects.order_by("pk").values()),
        "parts": list(Part.objects.order_by("pk").values()),
        "entries": Entry.objects.count(),
        "events": Event.objects.count(),
        "extensions": list(Extension.objects.order_by("pk").values()),
        "declines": list(Decline.objects.order_by("pk").values()),
        "milestones": list(Milestone.objects.order_by("pk").values()),
        "deadline_changes": DeadlineChange.objects.count(),
        "messages": Message.objects.count(),
        "config": list(Config.objects.values()),
        "snapshots": LedgerSnapshot.objects.count(),
    }


def verbs(item: Item) -> list[str]:
    return list(
        Event.objects.filter(target_type="tracking.item", target_id=str(item.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )


def last_event(item: Item) -> Event:
    event = Event.objects.filter(target_type="tracking.item", target_id=str(item.pk)).order_by("-seq").first()
    assert event is not None
    return event


def inbox(person: Any, kind: str | None = None) -> list[Message]:
    qs = Message.objects.filter(recipient=person).order_by("id")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else services.local_date(moment)


def signed(district: Any, make_item: Any, clock_at: Any, **overrides: Any) -> Item:
    """An item assigned on Monday 2026-11-02 and signed for at once: 10 working days → Monday 2026-11-16."""
    clock_at(at(2026, 11, 2, 9))
    item = make_item(**overrides)
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    return item


# Creating ------------------------------------------------------------------------------------------------------


def test_create_draft_takes_a_number_and_writes_parts_milestones_and_event(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(
        assign=False,
        due_in_workdays=None,
        due_at=dt.date(2026, 12, 31),
        source_type="livelihood_project",
        milestones=[
            services.MilestoneIn("完成设计", dt.date(2026, 11, 20)),
            services.MilestoneIn("完成施工", dt.date(2026, 12, 20)),
        ],
        co_unit_ids=[district.zhujian.pk, district.weijian.pk, district.zhujian.pk],
    )
    item.refresh_from_db()
    assert item.status == "draft"
    assert item.number == "示范督〔2026〕0001号"
    assert (item.year, item.seq, item.sub) == (2026, 1, 0)
    assert item.due_mode == "date"
    assert item.due_at == at(2026, 12, 31, 17, 30) == item.original_due_at
    assert item.officer == district.ducha  # a supervisor creating an item is its officer
    assert item.instructing_leader == district.quzhang
    assert item.instructed_on == dt.date(2026, 11, 2)
    assert item.assigned_at is None
    assert item.created_by == district.ducha
    parts = sorted(item.parts.values_list("unit__code", "role"))
    assert parts == [("jiaowei", "lead"), ("weijian", "co"), ("zhujian", "co")]
    assert list(item.milestones.values_list("title", "due_on")) == [
        ("完成设计", dt.date(2026, 11, 20)),
        ("完成施工", dt.date(2026, 12, 20)),
    ]
    assert verbs(item) == ["tracking.item.created"]
    event = last_event(item)
    assert event.actor == district.ducha
    assert event.data["number"] == item.number
    assert event.changes["title"] == [None, "推进学校周边交通秩序整治"]
    assert DeadlineChange.objects.filter(item=item).count() == 0  # the deadline is fixed at assignment
    assert Message.objects.count() == 0  # a draft tells nobody


def test_numbers_are_sequential_per_year(district, make_item, clock_at):
    clock_at(at(2026, 12, 31, 16))
    first = make_item(title="事项一")
    second = make_item(title="事项二")
    clock_at(at(2027, 1, 4, 9))
    third = make_item(title="事项三")
    assert [first.number, second.number, third.number] == [
        "示范督〔2026〕0001号",
        "示范督〔2026〕0002号",
        "示范督〔2027〕0001号",
    ]


def test_number_uses_the_configured_prefix(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    services.config_update(actor=district.admin, number_prefix="青山督")
    assert make_item().number == "青山督〔2026〕0001号"


def test_create_and_assign_tells_lead_and_co_unit_liaisons(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    item.refresh_from_db()
    assert item.status == "assigned"
    assert item.assigned_at == at(2026, 11, 2, 9)
    assert item.due_mode == "workdays"
    assert item.due_workdays == 10
    assert item.due_at is None
    assert item.original_due_at is None
    assert verbs(item) == ["tracking.item.created", "tracking.item.assigned"]
    assert last_event(item).changes == {"status": ["draft", "assigned"]}
    [lead_msg] = inbox(district.liaison, "tracking.assigned")
    assert lead_msg.title.startswith("请签收：示范督〔2026〕0001号")
    assert "签收后 10 个工作日内办结" in lead_msg.body
    assert lead_msg.link == item.get_absolute_url()
    [co_msg] = inbox(district.other_liaison, "tracking.assigned")
    assert co_msg.title.startswith("配合办理：")
    assert inbox(district.weijian_liaison) == []


def test_create_by_other_module_links_the_source(district, clock_at):
    clock_at(at(2026, 11, 2, 9))
    source = district.zhujian  # any model instance: the link back is by type and id
    item = services.item_create(
        actor=district.wenmi,
        title="来文办理：关于加强冬季供暖保障的通知",
        source_type="incoming_document",
        lead_unit_id=district.zhujian.pk,
        due_in_workdays=5,
        source=source,
        assign=True,
    )
    item.refresh_from_db()
    assert item.status == "assigned"
    assert item.source_model == "org.unit"
    assert item.source_id == str(source.pk)
    assert item.source_label == str(source)
    assert item.officer is None  # a secretary registering an item is not its officer
    assert Event.objects.filter(verb="tracking.item.created").get().actor == district.wenmi


def test_assign_a_draft(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(assign=False, due_in_workdays=None, due_at=dt.date(2026, 11, 30))
    clock_at(at(2026, 11, 3, 11))
    services.item_assign(actor=district.zhuren, item=item)
    item.refresh_from_db()
    assert item.status == "assigned"
    assert item.assigned_at == at(2026, 11, 3, 11)
    [change] = DeadlineChange.objects.filter(item=item)
    assert change.before is None
    assert change.after == at(2026, 11, 30, 17, 30)
    assert change.reason == "交办时确定的办结时限"
    assert change.changed_by_name == "吴主任"
    assert verbs(item)[-1] == "tracking.item.assigned"
    assert len(inbox(district.liaison, "tracking.assigned")) == 1


def test_update_a_draft_changes_fields_deadline_and_co_units(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(assign=False)
    services.item_update(
        actor=district.ducha,
        item=item,
        title="推进学校周边交通秩序综合整治",
        urgency="urgent",
        due_at=dt.date(2026, 11, 27),
        co_unit_ids=[district.weijian.pk],
        feedback=services.Feedback(cycle="weekly", weekday=4),
    )
    item.refresh_from_db()
    assert item.title == "推进学校周边交通秩序综合整治"
    assert item.urgency == "urgent"
    assert item.due_mode == "date"
    assert item.due_at == at(2026, 11, 27, 17, 30) == item.original_due_at
    assert item.due_workdays is None
    assert (item.feedback_cycle, item.feedback_weekday) == ("weekly", 4)
    assert sorted(item.parts.values_list("unit__code", "role")) == [("jiaowei", "lead"), ("weijian", "co")]
    event = last_event(item)
    assert event.verb == "tracking.item.updated"
    assert event.changes["urgency"] == ["normal", "urgent"]
    assert event.data["co_units"] == [[district.zhujian.pk], [district.weijian.pk]]


def test_update_after_assignment_cannot_move_the_deadline(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_update(actor=district.ducha, item=item, due_at=dt.date(2026, 12, 31))
    assert refused.value.errors == {"due_at": ["事项已交办，办结时限只能通过延期申请变更。"]}
    assert written() == before


# Signing and declining ------------------------------------------------------------------------------------------


def test_accept_starts_the_clock_and_tells_the_officer(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    clock_at(at(2026, 11, 2, 15))
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.accepted_at == at(2026, 11, 2, 15)
    assert item.accepted_auto is False
    assert item.due_at == at(2026, 11, 16, 17, 30) == item.original_due_at  # 10 working days from 11-03
    assert item.sign_late_workdays == 0
    [change] = DeadlineChange.objects.filter(item=item)
    assert change.before is None
    assert change.after == item.due_at
    assert change.reason == "签收，10 个工作日次日起算"
    assert change.changed_by_name == "赵联络"
    event = last_event(item)
    assert event.verb == "tracking.item.accepted"
    assert event.actor == district.liaison
    assert event.changes == {"status": ["assigned", "in_progress"]}
    [msg] = inbox(district.ducha, "tracking.accepted")
    assert "区教委已签收" in msg.body


def test_auto_accept_records_the_delay(district, make_item, clock_at):
    from zhongshu.core.authz import system_actor

    clock_at(at(2026, 11, 2, 9))  # Monday
    item = make_item()
    clock_at(at(2026, 11, 5, 8))  # Thursday: 3 working days unsigned
    services.auto_accept(Item.objects.get(pk=item.pk), now=at(2026, 11, 5, 8), actor=system_actor("督办提醒"))
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.accepted_auto is True
    assert item.sign_late_workdays == 2  # 3 working days elapsed, 1 allowed
    assert item.due_at == at(2026, 11, 19, 17, 30)  # 10 working days from Friday 11-06
    assert verbs(item)[-1] == "tracking.item.auto_accepted"
    assert len(inbox(district.liaison, "tracking.unsigned")) == 1
    assert len(inbox(district.ducha, "tracking.unsigned")) == 1


def test_decline_then_insist(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    decline = services.item_decline(actor=district.liaison, item=item, reason="该事项属住建部门职责。")
    assert decline.status == "pending"
    assert decline.unit == district.jiaowei
    assert decline.declined_by_name == "赵联络"
    item.refresh_from_db()
    assert item.status == "assigned"
    assert verbs(item)[-1] == "tracking.item.declined"
    [msg] = inbox(district.ducha, "tracking.declined")
    assert "该事项属住建部门职责。" in msg.body
    # signing waits for the officer's decision
    with pytest.raises(InvalidTransition, match="等待督查员处理"):
        services.item_accept(actor=district.liaison, item=item)

    clock_at(at(2026, 11, 3, 10))
    services.decline_decide(actor=district.ducha, item=item, reassign_to_id=None, comment="属教育系统职责，请办理。")
    decline.refresh_from_db()
    assert decline.status == "insisted"
    assert decline.decided_at == at(2026, 11, 3, 10)
    assert decline.comment == "属教育系统职责，请办理。"
    assert decline.decided_by_name == "周督查"
    item.refresh_from_db()
    assert item.lead_unit == district.jiaowei
    assert item.assigned_at == at(2026, 11, 2, 9)  # the signing clock never stopped
    assert verbs(item)[-1] == "tracking.item.insisted"
    [msg] = inbox(district.liaison, "tracking.decline_decided")
    assert msg.body == "属教育系统职责，请办理。"
    # the unit cannot decline again: it must sign
    with pytest.raises(InvalidTransition, match="不能再次退办"):
        services.item_decline(actor=district.liaison, item=item, reason="仍不属于本单位。")
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    assert item.sign_late_workdays == 0


def test_decline_then_reassign_to_a_new_lead_unit_with_a_new_signing_clock(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()  # lead 区教委, co 区住房城乡建委
    services.item_decline(actor=district.liaison, item=item, reason="属住建部门职责。")
    clock_at(at(2026, 11, 4, 10))
    services.decline_decide(actor=district.ducha, item=item, reassign_to_id=district.zhujian.pk, comment="改派住建委")
    item.refresh_from_db()
    decline = item.declines.get()
    assert decline.status == "reassigned"
    assert decline.new_unit == district.zhujian
    assert item.status == "assigned"
    assert item.lead_unit == district.zhujian
    assert item.assigned_at == at(2026, 11, 4, 10)  # the new unit's signing clock starts now
    assert list(item.parts.values_list("unit__code", "role")) == [("zhujian", "lead")]
    event = last_event(item)
    assert event.verb == "tracking.item.reassigned"
    assert event.changes == {"lead_unit": [district.jiaowei.pk, district.zhujian.pk]}
    assert len(inbox(district.other_liaison, "tracking.assigned")) == 2  # as co unit, then as the new lead
    # the old unit no longer sees it; the new one signs the next day without delay
    with pytest.raises(Exception) as gone:
        services.item_accept(actor=district.liaison, item=item)
    assert type(gone.value).__name__ == "NotFound"
    clock_at(at(2026, 11, 5, 9))
    services.item_accept(actor=district.other_liaison, item=item)
    item.refresh_from_db()
    assert item.sign_late_workdays == 0
    assert item.due_at == at(2026, 11, 19, 17, 30)


def test_lapsed_decline_counts_as_insisted(district, make_item, clock_at):
    from zhongshu.core.authz import system_actor

    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    decline = services.item_decline(actor=district.liaison, item=item, reason="不属本单位。")
    services.lapse_decline(decline, now=at(2026, 11, 5, 9), actor=system_actor("督办提醒"))
    decline.refresh_from_db()
    assert decline.status == "lapsed"
    assert verbs(item)[-1] == "tracking.item.decline_lapsed"
    services.item_accept(actor=district.liaison, item=item)  # signing is possible again


# Handling ----------------------------------------------------------------------------------------------------------


def test_progress_by_lead_unit(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 4, 16))
    entry = services.item_progress(actor=district.liaison, item=item, text="已召开专题会，制定整治方案。")
    assert entry.kind == "progress"
    assert entry.unit == district.jiaowei
    assert entry.author == district.liaison
    item.refresh_from_db()
    assert item.last_progress_at == at(2026, 11, 4, 16)
    lead_part = item.parts.get(role="lead")
    assert lead_part.last_report_at == at(2026, 11, 4, 16)
    assert lead_part.report_count == 1
    assert verbs(item)[-1] == "tracking.item.progressed"
    assert last_event(item).data["unit"] == district.jiaowei.pk
    assert inbox(district.liaison, "tracking.progress") == []


def test_progress_by_co_unit_is_tracked_on_its_part_and_tells_the_lead_unit(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 5, 10))
    entry = services.item_progress(actor=district.other_liaison, item=item, text="已完成路口改造设计。")
    assert entry.kind == "co_report"
    assert entry.unit == district.zhujian
    item.refresh_from_db()
    assert item.last_progress_at is None  # the lead unit has not reported yet
    co_part = item.parts.get(unit=district.zhujian)
    assert co_part.last_report_at == at(2026, 11, 5, 10)
    assert co_part.report_count == 1
    assert item.parts.get(role="lead").last_report_at is None
    assert verbs(item)[-1] == "tracking.item.co_reported"
    [msg] = inbox(district.liaison, "tracking.progress")
    assert msg.title.startswith("配合单位反馈：")
    assert "区住房城乡建委" in msg.body


def test_progress_with_only_an_attachment(district, make_item, clock_at):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = signed(district, make_item, clock_at)
    photo = SimpleUploadedFile("整改照片.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    entry = services.item_progress(actor=district.liaison, item=item, text="", attachments=[photo])
    [attachment] = entry.attachments.all()
    assert attachment.name == "整改照片.jpg"
    assert attachment.size == 103
    assert attachment.item == item
    assert attachment.uploaded_by == district.liaison
    assert last_event(item).data["attachments"] == 1


def test_milestone_done(district, make_item, clock_at):
    item = signed(
        district,
        make_item,
        clock_at,
        due_in_workdays=None,
        due_at=dt.date(2026, 12, 31),
        milestones=[services.MilestoneIn("完成设计", dt.date(2026, 11, 20))],
    )
    milestone = item.milestones.get()
    clock_at(at(2026, 11, 19, 10))
    services.milestone_done(
        actor=district.liaison, item=item, milestone_id=milestone.pk, done_on=dt.date(2026, 11, 18), note="按期"
    )
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2026, 11, 18)
    assert milestone.note == "按期"
    event = last_event(item)
    assert event.verb == "tracking.item.milestone_done"
    assert event.changes == {"milestone:完成设计": [None, "2026-11-18"]}
    with pytest.raises(ValidationFailed) as refused:
        services.milestone_done(
            actor=district.liaison, item=item, milestone_id=milestone.pk, done_on=dt.date(2026, 11, 20)
        )
    assert refused.value.errors == {"done_on": ["完成日期不能晚于今天。"]}


# Extensions ---------------------------------------------------------------------------------------------------


def test_extension_approved_before_the_deadline(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)  # due 2026-11-16 17:30
    clock_at(at(2026, 11, 10, 10))
    extension = services.extension_request(
        actor=district.liaison, item=item, reason="需等待市级审批。", due_at=dt.date(2026, 11, 23)
    )
    assert extension.status == "pending"
    assert extension.needs_leader is False
    assert extension.proposed_due_at == at(2026, 11, 23, 17, 30)
    assert extension.previous_due_at == at(2026, 11, 16, 17, 30)
    assert extension.extra_workdays == 5
    assert extension.requested_by == district.liaison
    assert verbs(item)[-1] == "tracking.item.extension_requested"
    [msg] = inbox(district.ducha, "tracking.extension")
    assert msg.title.startswith("延期申请待审批：")
    assert inbox(district.fuquzhang) == []  # a short extension does not go to the leader in charge

    clock_at(at(2026, 11, 11, 9))
    services.extension_decide(actor=district.ducha, item=item, approve=True, comment="同意")
    extension.refresh_from_db()
    item.refresh_from_db()
    assert extension.status == "approved"
    assert extension.decided_by == district.ducha
    assert extension.decided_at == at(2026, 11, 11, 9)
    assert extension.comment == "同意"
    assert item.due_at == at(2026, 11, 23, 17, 30)
    assert item.original_due_at == at(2026, 11, 16, 17, 30)  # the original is kept
    assert item.extended_in_time is True
    change = DeadlineChange.objects.filter(item=item).last()
    assert change is not None
    assert (change.before, change.after) == (at(2026, 11, 16, 17, 30), at(2026, 11, 23, 17, 30))
    assert change.reason == "同意延期：需等待市级审批。"
    event = last_event(item)
    assert event.verb == "tracking.item.extension_approved"
    assert event.changes["due_at"][1].startswith("2026-11-23")
    [msg] = inbox(district.liaison, "tracking.extension")
    assert msg.title.startswith("延期申请同意：")


def test_extension_approved_after_the_original_deadline_is_not_in_time(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)  # due 2026-11-16 17:30
    clock_at(at(2026, 11, 16, 16))
    services.extension_request(actor=district.liaison, item=item, reason="材料未齐。", due_at=dt.date(2026, 11, 20))
    clock_at(at(2026, 11, 17, 9))  # the officer decides the next morning
    services.extension_decide(actor=district.ducha, item=item, approve=True, comment="同意")
    item.refresh_from_db()
    assert item.due_at == at(2026, 11, 20, 17, 30)
    assert item.extended_in_time is False


def test_extension_refused_needs_a_comment_and_keeps_the_deadline(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 10, 10))
    extension = services.extension_request(
        actor=district.liaison, item=item, reason="人手紧张。", due_at=dt.date(2026, 11, 23)
    )
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.extension_decide(actor=district.ducha, item=item, approve=False, comment="  ")
    assert refused.value.errors == {"comment": ["不同意延期时请填写审批意见（说明理由）。"]}
    assert written() == before
    services.extension_decide(actor=district.ducha, item=item, approve=False, comment="理由不充分，请按期办结。")
    extension.refresh_from_db()
    item.refresh_from_db()
    assert extension.status == "refused"
    assert extension.comment == "理由不充分，请按期办结。"
    assert item.due_at == at(2026, 11, 16, 17, 30)
    assert item.extended_in_time is False
    assert DeadlineChange.objects.filter(item=item).count() == 1  # only the start of the clock
    assert verbs(item)[-1] == "tracking.item.extension_refused"
    [msg] = inbox(district.liaison, "tracking.extension")
    assert msg.title.startswith("延期申请不同意：")
    assert msg.body == "理由不充分，请按期办结。"
    # a new request is possible after the decision
    services.extension_request(actor=district.liaison, item=item, reason="补充理由。", due_at=dt.date(2026, 11, 18))


def test_long_extension_needs_a_leader(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)  # due 2026-11-16
    clock_at(at(2026, 11, 10, 10))
    extension = services.extension_request(
        actor=district.liaison, item=item, reason="工程量大。", due_at=dt.date(2026, 12, 31)
    )
    assert extension.needs_leader is True
    assert extension.extra_workdays == 33
    # the leader in charge of the unit is asked too
    assert len(inbox(district.fuquzhang, "tracking.extension")) == 1
    assert len(inbox(district.ducha, "tracking.extension")) == 1
    before = written()
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=district.ducha, item=item, approve=True)
    assert written() == before
    services.extension_decide(actor=district.fuquzhang, item=item, approve=True, comment="同意延至年底。")
    item.refresh_from_db()
    assert item.due_at == at(2026, 12, 31, 17, 30)
    assert Extension.objects.get().decided_by == district.fuquzhang


def test_long_extension_decided_by_the_director(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 10, 10))
    services.extension_request(actor=district.liaison, item=item, reason="工程量大。", due_at=dt.date(2026, 12, 31))
    services.extension_decide(actor=district.zhuren, item=item, approve=False, comment="请分阶段报送。")
    assert Extension.objects.get().status == "refused"


def test_long_extension_threshold_is_configurable(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    services.config_update(actor=district.admin, leader_extension_workdays=3)
    clock_at(at(2026, 11, 10, 10))
    extension = services.extension_request(
        actor=district.liaison, item=item, reason="需等待市级审批。", due_at=dt.date(2026, 11, 20)
    )
    assert extension.extra_workdays == 4
    assert extension.needs_leader is True


# Reporting, verifying, returning ------------------------------------------------------------------------------------


def test_report_close_on_time(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)  # due 2026-11-16 17:30
    clock_at(at(2026, 11, 13, 11))
    entry = services.item_report(actor=district.liaison, item=item, text="已全部完成整治。")
    assert entry.kind == "report"
    assert entry.unit == district.jiaowei
    item.refresh_from_db()
    assert item.status == "reported"
    assert item.reported_at == at(2026, 11, 13, 11)
    assert last_event(item).changes == {"status": ["in_progress", "reported"]}
    [msg] = inbox(district.ducha, "tracking.reported")
    assert msg.title.startswith("办结报告待核查：")

    clock_at(at(2026, 11, 18, 10))  # verified after the deadline: the report date counts
    services.item_close(actor=district.ducha, item=item, rating="excellent", comment="整治效果明显。")
    item.refresh_from_db()
    assert item.status == "closed"
    assert item.closed_at == at(2026, 11, 18, 10)
    assert item.rating == "excellent"
    assert item.closed_on_time is True
    assert item.closed_on_time_original is True
    verify = item.entries.get(kind="verify")
    assert verify.rating == "excellent"
    assert verify.text == "整治效果明显。"
    event = last_event(item)
    assert event.verb == "tracking.item.closed"
    assert event.data == {"rating": "excellent", "closed_on_time": True}
    [msg] = inbox(district.liaison, "tracking.closed")
    assert msg.body == "质量评价：优秀。"
    assert len(inbox(district.quzhang, "tracking.closed")) == 1  # the instructing leader learns the result


def test_close_on_time_against_the_extended_deadline_only(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)  # due 2026-11-16
    clock_at(at(2026, 11, 10, 10))
    services.extension_request(actor=district.liaison, item=item, reason="需等待审批。", due_at=dt.date(2026, 11, 23))
    services.extension_decide(actor=district.ducha, item=item, approve=True)
    clock_at(at(2026, 11, 20, 10))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    services.item_close(actor=district.ducha, item=item, rating="good")
    item.refresh_from_db()
    assert item.closed_on_time is True
    assert item.closed_on_time_original is False
    # decided at closing and kept: a later change of the deadline rows does not alter it
    Item.objects.filter(pk=item.pk).update(due_at=at(2026, 11, 19, 17, 30))
    item.refresh_from_db()
    assert item.closed_on_time is True


def test_close_late(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)  # due 2026-11-16 17:30
    clock_at(at(2026, 11, 16, 17, 31))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    services.item_close(actor=district.zhuren, item=item, rating="fair")
    item.refresh_from_db()
    assert item.closed_on_time is False
    assert item.closed_on_time_original is False


def test_close_needs_a_valid_rating(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_close(actor=district.ducha, item=item, rating="perfect")
    assert refused.value.errors == {"rating": ["请选择质量评价（优秀、良好、一般或差）。"]}
    assert written() == before


def test_return_clears_the_report_and_counts(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    clock_at(at(2026, 11, 12, 10))
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    clock_at(at(2026, 11, 12, 15))
    services.item_return(actor=district.ducha, item=item, reason="缺少整改照片。")
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.reported_at is None
    assert item.returned_count == 1
    assert item.last_returned_at == at(2026, 11, 12, 15)
    assert item.due_at == at(2026, 11, 16, 17, 30)  # the deadline does not move
    assert item.entries.get(kind="return").text == "缺少整改照片。"
    assert last_event(item).changes == {"status": ["reported", "in_progress"]}
    [msg] = inbox(district.liaison, "tracking.returned")
    assert msg.body == "缺少整改照片。"
    services.item_report(actor=district.liaison, item=item, text="补充照片。")
    services.item_return(actor=district.ducha, item=item, reason="照片不清晰。")
    item.refresh_from_db()
    assert item.returned_count == 2
    assert len(inbox(district.liaison, "tracking.returned")) == 2  # one message per return


def test_return_needs_a_reason(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    services.item_report(actor=district.liaison, item=item, text="已完成。")
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_return(actor=district.ducha, item=item, reason="")
    assert refused.value.errors == {"reason": ["退回理由不能为空。"]}
    assert written() == before


# Cancelling, reminding, instructing ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "assigned", "in_progress", "reported"])
def test_cancel_from_every_open_state(district, make_item, clock_at, state):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(assign=state != "draft")
    if state in ("in_progress", "reported"):
        services.item_accept(actor=district.liaison, item=item)
    if state == "reported":
        services.item_report(actor=district.liaison, item=item, text="已完成。")
    clock_at(at(2026, 11, 3, 9))
    services.item_cancel(actor=district.ducha, item=item, reason="领导另有安排。")
    item.refresh_from_db()
    assert item.status == "cancelled"
    assert item.cancelled_at == at(2026, 11, 3, 9)
    assert item.cancel_reason == "领导另有安排。"
    assert last_event(item).changes == {"status": [state, "cancelled"]}
    told = inbox(district.liaison, "tracking.cancelled") + inbox(district.other_liaison, "tracking.cancelled")
    assert len(told) == (0 if state == "draft" else 2)


def test_cancel_needs_a_reason_and_an_open_item(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_cancel(actor=district.ducha, item=item, reason=" ")
    assert refused.value.errors == {"reason": ["撤销原因不能为空。"]}
    assert written() == before
    services.item_cancel(actor=district.ducha, item=item, reason="重复交办。")
    before = written()
    with pytest.raises(InvalidTransition, match="已撤销"):
        services.item_cancel(actor=district.ducha, item=item, reason="再撤销一次。")
    assert written() == before


def test_remind_tells_the_lead_unit_and_logs_an_entry(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    entry = services.item_remind(actor=district.ducha, item=item, message="请于本周五前报送进展。")
    assert entry.kind == "remind"
    assert entry.unit == district.jiaowei
    assert entry.author == district.ducha
    assert verbs(item)[-1] == "tracking.item.reminded"
    [msg] = inbox(district.liaison, "tracking.remind")
    assert msg.title.startswith("催办：")
    assert msg.body == "请于本周五前报送进展。"
    services.item_remind(actor=district.ducha, item=item, message="再次催办。")
    assert len(inbox(district.liaison, "tracking.remind")) == 2  # every 催办 is a new message


def test_remind_many_skips_items_that_cannot_be_reminded(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    open_one = make_item(title="事项一")
    signed_one = make_item(title="事项二", lead_unit_id=district.zhujian.pk, co_unit_ids=[])
    services.item_accept(actor=district.other_liaison, item=signed_one)
    draft = make_item(title="事项三", assign=False)
    closed = make_item(title="事项四")
    services.item_cancel(actor=district.ducha, item=closed, reason="撤销。")
    sent = services.remind_many(
        actor=district.ducha,
        item_ids=[open_one.pk, signed_one.pk, draft.pk, closed.pk, open_one.pk, 999_999],
        message="请抓紧办理。",
    )
    assert sent == 2
    assert Entry.objects.filter(kind="remind").count() == 2
    assert len(inbox(district.liaison, "tracking.remind")) == 1
    assert len(inbox(district.other_liaison, "tracking.remind")) == 1


def test_remind_many_refuses_a_person_who_may_not_remind(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    before = written()
    with pytest.raises(PermissionDenied):
        services.remind_many(actor=district.liaison, item_ids=[item.pk], message="请抓紧。")
    with pytest.raises(ValidationFailed) as refused:
        services.remind_many(actor=district.ducha, item_ids=[item.pk], message="")
    assert refused.value.errors == {"message": ["催办内容不能为空。"]}
    assert written() == before


def test_leader_instructs(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    entry = services.item_instruct(actor=district.quzhang, item=item, text="请加快进度，月底前见成效。")
    assert entry.kind == "instruction"
    assert entry.author == district.quzhang
    assert entry.recorded_by is None
    event = last_event(item)
    assert event.verb == "tracking.item.instructed"
    assert event.actor == district.quzhang
    assert event.on_behalf_of is None
    assert len(inbox(district.liaison, "tracking.instruction")) == 1
    assert len(inbox(district.ducha, "tracking.instruction")) == 1


def test_secretary_instructs_on_behalf_of_the_leader(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    entry = services.item_instruct(actor=district.wenmi, item=item, text="请加快进度。", on_behalf_of=district.quzhang)
    assert entry.author == district.quzhang
    assert entry.author_name == "王区长"
    assert entry.recorded_by == district.wenmi
    event = last_event(item)
    assert event.actor == district.wenmi
    assert event.on_behalf_of == district.quzhang
    assert event.actor_display == "李文秘 代 王区长"


def test_secretary_without_delegation_is_refused(district, make_item, clock_at):
    item = signed(district, make_item, clock_at)
    before = written()
    with pytest.raises(PermissionDenied, match="您不能代陈副区长办理"):
        services.item_instruct(actor=district.wenmi, item=item, text="请加快。", on_behalf_of=district.fuquzhang)
    with pytest.raises(PermissionDenied):
        services.item_instruct(actor=district.wenmi, item=item, text="请加快。")
    assert written() == before


# Splitting ------------------------------------------------------------------------------------------------------


def split_item(district: Any, make_item: Any) -> tuple[Item, list[Item]]:
    parent = make_item(
        assign=False,
        co_unit_ids=[],
        due_in_workdays=None,
        due_at=dt.date(2026, 11, 30),
        milestones=[services.MilestoneIn("摸底排查", dt.date(2026, 11, 13))],
    )
    children = services.item_split(
        actor=district.ducha, item=parent, unit_ids=[district.jiaowei.pk, district.zhujian.pk, district.weijian.pk]
    )
    parent.refresh_from_db()
    return parent, children


def test_split_numbers_children_and_copies_the_item(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, children = split_item(district, make_item)
    assert parent.is_parent is True
    assert parent.status == "draft"
    assert [c.number for c in children] == [
        "示范督〔2026〕0001-1号",
        "示范督〔2026〕0001-2号",
        "示范督〔2026〕0001-3号",
    ]
    assert [c.lead_unit for c in children] == [district.jiaowei, district.zhujian, district.weijian]
    for child in children:
        assert child.parent == parent
        assert child.status == "draft"
        assert child.title == parent.title
        assert child.due_at == parent.due_at
        assert list(child.milestones.values_list("title", flat=True)) == ["摸底排查"]
        assert list(child.parts.values_list("role", flat=True)) == ["lead"]
    event = last_event(parent)
    assert event.verb == "tracking.item.split"
    assert event.data["children"] == [c.number for c in children]
    # the next item keeps the sequence
    assert make_item(title="下一个事项").number == "示范督〔2026〕0002号"


def test_split_needs_two_units(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent = make_item(assign=False)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_split(actor=district.ducha, item=parent, unit_ids=[district.jiaowei.pk, district.jiaowei.pk])
    assert refused.value.errors == {"units": ["分解至少需要两个承办单位。"]}
    with pytest.raises(ValidationFailed) as refused:
        services.item_split(actor=district.ducha, item=parent, unit_ids=[district.jiaowei.pk, district.closed_unit.pk])
    assert "已停用" in refused.value.errors["units"][0]
    assert written() == before


def test_split_parent_runs_with_its_children_and_closes_when_they_close(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, (first, second, third) = split_item(district, make_item)
    services.item_assign(actor=district.ducha, item=parent)
    parent.refresh_from_db()
    assert parent.status == "in_progress"
    assert set(Item.objects.filter(parent=parent).values_list("status", flat=True)) == {"assigned"}
    assert len(inbox(district.liaison, "tracking.assigned")) == 1
    assert inbox(district.ducha, "tracking.assigned") == []

    for child, liaison in ((first, district.liaison), (second, district.other_liaison)):
        services.item_accept(actor=liaison, item=child)
        services.item_report(actor=liaison, item=child, text="已完成。")
        services.item_close(actor=district.ducha, item=child, rating="good")
    parent.refresh_from_db()
    assert parent.status == "in_progress"  # one child is still open
    clock_at(at(2026, 11, 5, 9))
    services.item_cancel(actor=district.ducha, item=third, reason="卫健委职责已划转。")
    parent.refresh_from_db()
    assert parent.status == "closed"
    assert parent.closed_at == at(2026, 11, 5, 9)
    assert parent.closed_on_time is True
    assert parent.closed_on_time_original is True
    assert verbs(parent)[-1] == "tracking.item.closed"
    assert last_event(parent).data == {"by_children": True}


def test_split_parent_is_late_when_one_child_is_late(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, children = split_item(district, make_item)  # due 2026-11-30
    services.item_assign(actor=district.ducha, item=parent)
    liaisons = [district.liaison, district.other_liaison, district.weijian_liaison]
    for child, liaison in zip(children, liaisons, strict=True):
        services.item_accept(actor=liaison, item=child)
    for child, liaison, day in zip(children, liaisons, (20, 25, 30), strict=True):
        clock_at(at(2026, 11, day, 18))  # the last one reports after 17:30 on the deadline
        services.item_report(actor=liaison, item=child, text="已完成。")
    clock_at(at(2026, 12, 1, 9))
    for child in children:
        services.item_close(actor=district.ducha, item=child, rating="good")
    parent.refresh_from_db()
    assert parent.status == "closed"
    assert parent.reported_at == at(2026, 11, 30, 18)
    assert parent.closed_on_time is False
    assert parent.closed_on_time_original is False


def test_cancel_parent_cancels_its_open_children(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, (first, second, third) = split_item(district, make_item)
    services.item_assign(actor=district.ducha, item=parent)
    services.item_accept(actor=district.liaison, item=first)
    services.item_report(actor=district.liaison, item=first, text="已完成。")
    services.item_close(actor=district.ducha, item=first, rating="good")
    services.item_cancel(actor=district.ducha, item=parent, reason="任务调整。")
    statuses = dict(Item.objects.filter(parent=parent).values_list("pk", "status"))
    assert statuses == {first.pk: "closed", second.pk: "cancelled", third.pk: "cancelled"}
    second.refresh_from_db()
    assert second.cancel_reason == "上级事项撤销：任务调整。"
    assert verbs(second)[-1] == "tracking.item.cancelled"
    parent.refresh_from_db()
    assert parent.status == "cancelled"


def test_split_parent_takes_no_report_of_its_own(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, _ = split_item(district, make_item)
    services.item_assign(actor=district.ducha, item=parent)
    before = written()
    with pytest.raises(InvalidTransition, match="随各子事项办结"):
        services.item_report(actor=district.liaison, item=parent, text="已完成。")
    assert written() == before


def test_split_parent_takes_no_progress_or_extension_of_its_own(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, _ = split_item(district, make_item)  # due 2026-11-30
    services.item_assign(actor=district.ducha, item=parent)
    before = written()
    with pytest.raises(InvalidTransition, match="请在各子事项中反馈进展"):
        services.item_progress(actor=district.liaison, item=parent, text="进展。")
    with pytest.raises(InvalidTransition, match="请在各子事项中申请延期"):
        services.extension_request(actor=district.liaison, item=parent, reason="需审批。", due_at=dt.date(2026, 12, 4))
    assert written() == before


def test_a_split_draft_can_take_more_children(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    parent, children = split_item(district, make_item)
    more = services.item_split(actor=district.ducha, item=parent, unit_ids=[district.office.pk, district.ducha_ke.pk])
    assert [c.number for c in more] == ["示范督〔2026〕0001-4号", "示范督〔2026〕0001-5号"]
    assert parent.children.count() == 5


def test_a_child_cannot_be_split_again(district, make_item, clock_at):
    from zhongshu.core.exceptions import ApplicationError

    clock_at(at(2026, 11, 2, 9))
    _, children = split_item(district, make_item)
    with pytest.raises(ApplicationError, match="不能再分解"):
        services.item_split(actor=district.ducha, item=children[0], unit_ids=[district.zhujian.pk, district.weijian.pk])


# Settings and ledger snapshots -----------------------------------------------------------------------------------


def test_config_update_changes_and_records(district, clock_at):
    clock_at(at(2026, 11, 2, 9))
    cfg = services.config_update(actor=district.zhuren, warn_workdays=5, remind_before="5，2,1", max_upload_mb=50)
    assert cfg.warn_workdays == 5
    assert cfg.remind_days() == [5, 2, 1]
    assert cfg.max_upload_mb == 50
    event = Event.objects.get(verb="tracking.config.updated")
    assert event.changes["warn_workdays"] == [3, 5]
    assert event.actor == district.zhuren
    services.config_update(actor=district.zhuren, warn_workdays=5)  # no change, no event
    assert Event.objects.filter(verb="tracking.config.updated").count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"number_prefix": ""}, "number_prefix", "督办编号代字应为 1—20 个字符，不含括号、空格和“号”。"),
        ({"number_prefix": "示范〔督"}, "number_prefix", "督办编号代字应为 1—20 个字符，不含括号、空格和“号”。"),
        ({"remind_before": "三天"}, "remind_before", "到期前提醒应为逗号分隔的工作日数，例如“3,1”。"),
        (
            {"sign_chase_workdays": 3, "auto_sign_workdays": 2},
            "auto_sign_workdays",
            "自动签收的工作日数不能少于催签的工作日数。",
        ),
        ({"assess_basis": "sometimes"}, "assess_basis", "请选择有效的考核口径。"),
        ({"max_upload_mb": 0}, "max_upload_mb", "附件大小上限应为 1—200 MB。"),
        ({"max_upload_mb": 500}, "max_upload_mb", "附件大小上限应为 1—200 MB。"),
        ({"allowed_extensions": " , "}, "allowed_extensions", "请至少允许一种附件类型。"),
    ],
)
def test_config_update_refuses_bad_values(district, values, field, message):
    services.config()
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.config_update(actor=district.admin, **values)
    assert refused.value.errors == {field: [message]}
    assert written() == before


def test_config_update_refuses_others(district):
    services.config()
    before = written()
    for person in (district.ducha, district.liaison, district.quzhang, district.nobody):
        with pytest.raises(PermissionDenied):
            services.config_update(actor=person, warn_workdays=1)
    assert written() == before


def test_ledger_snapshot_is_unique_per_year_and_period(district, clock_at):
    clock_at(at(2026, 11, 6, 17))
    snapshot = services.ledger_snapshot_save(
        actor=district.ducha, year=2026, period_no=45, as_of=dt.date(2026, 11, 6), content=b"PK-xlsx", row_count=12
    )
    assert (snapshot.year, snapshot.period_no, snapshot.row_count) == (2026, 45, 12)
    assert snapshot.taken_by_name == "周督查"
    assert snapshot.taken_at == at(2026, 11, 6, 17)
    snapshot.file.open("rb")
    assert snapshot.file.read() == b"PK-xlsx"
    snapshot.file.close()
    event = Event.objects.get(verb="tracking.ledger.snapshot_taken")
    assert event.data["rows"] == 12
    assert len(event.data["sha256"]) == 64
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.ledger_snapshot_save(
            actor=district.zhuren, year=2026, period_no=45, as_of=dt.date(2026, 11, 7), content=b"x", row_count=1
        )
    assert refused.value.errors == {"period_no": ["2026年第45期台账已经生成过。"]}
    with pytest.raises(PermissionDenied):
        services.ledger_snapshot_save(
            actor=district.liaison, year=2026, period_no=46, as_of=dt.date(2026, 11, 7), content=b"x", row_count=1
        )
    assert written() == before
    services.ledger_snapshot_save(
        actor=district.ducha, year=2026, period_no=46, as_of=dt.date(2026, 11, 13), content=b"x", row_count=1
    )
    assert LedgerSnapshot.objects.count() == 2
