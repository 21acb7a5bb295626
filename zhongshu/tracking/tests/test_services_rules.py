"""The rules offices apply: the working-day clock that starts the day after 签收 (around weekends, the National
Day holiday with its make-up Saturday, and the turn of the year), extensions, and every refusal of the issue —
each with a Chinese message naming the field, and nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.exceptions import InvalidTransition, NotFound, ValidationFailed
from zhongshu.tracking import services
from zhongshu.tracking.models import DeadlineChange, Item

from .conftest import at
from .test_services import written

pytestmark = pytest.mark.django_db


# 签收: the working-day clock ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assigned", "signed", "workdays", "due", "late"),
    [
        # Friday → signed Friday: counting starts Monday
        (at(2026, 11, 6, 9), at(2026, 11, 6, 16), 3, dt.date(2026, 11, 11), 0),
        # signed on Saturday: the next working day is Monday
        (at(2026, 11, 6, 9), at(2026, 11, 7, 10), 3, dt.date(2026, 11, 11), 0),
        # signed on Sunday, 1 working day: Monday
        (at(2026, 11, 6, 9), at(2026, 11, 8, 10), 1, dt.date(2026, 11, 9), 0),
        # before the National Day holiday (10-01..07): 10-08, 10-09, Saturday 10-10 (make-up), 10-12, 10-13
        (at(2026, 9, 30, 9), at(2026, 9, 30, 11), 5, dt.date(2026, 10, 13), 0),
        # signed during the holiday: counting starts 10-08
        (at(2026, 9, 30, 9), at(2026, 10, 3, 10), 1, dt.date(2026, 10, 8), 0),
        # signed on the make-up Saturday: 10-12 is the first day
        (at(2026, 10, 9, 9), at(2026, 10, 10, 9), 2, dt.date(2026, 10, 13), 0),
        # the day before the make-up Saturday, 1 working day: the Saturday itself
        (at(2026, 10, 9, 9), at(2026, 10, 9, 10), 1, dt.date(2026, 10, 10), 0),
        # the turn of the year: 2027-01-01 is a holiday (元旦)
        (at(2026, 12, 30, 9), at(2026, 12, 31, 10), 1, dt.date(2027, 1, 4), 0),
        (at(2026, 12, 30, 9), at(2026, 12, 31, 10), 3, dt.date(2027, 1, 6), 0),
        # signing late: assigned Monday 9-28, signed Friday 10-09 (4 working days later: 9-29, 9-30, 10-08, 10-09)
        (at(2026, 9, 28, 9), at(2026, 10, 9, 10), 2, dt.date(2026, 10, 12), 3),
        # signing late over the year end: 12-29 → 2027-01-05 (12-30, 12-31, 01-04, 01-05)
        (at(2026, 12, 29, 9), at(2027, 1, 5, 10), 1, dt.date(2027, 1, 6), 3),
    ],
)
def test_workday_deadline_counts_from_the_day_after_signing(
    district, make_item, clock_at, assigned, signed, workdays, due, late
):
    clock_at(assigned)
    item = make_item(due_in_workdays=workdays)
    assert item.due_at is None
    clock_at(signed)
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    assert item.due_at == at(due.year, due.month, due.day, 17, 30)
    assert item.original_due_at == item.due_at
    assert item.sign_late_workdays == late
    assert item.accepted_at == signed


def test_sign_late_allowance_is_configurable(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    services.config_update(actor=district.admin, sign_chase_workdays=2, auto_sign_workdays=3)
    item = make_item()
    clock_at(at(2026, 11, 5, 9))  # 3 working days after Monday
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    assert item.sign_late_workdays == 1


def test_date_deadline_is_set_at_creation_and_unchanged_by_signing(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(due_in_workdays=None, due_at=dt.date(2026, 11, 20))
    assert item.due_at == at(2026, 11, 20, 17, 30)
    clock_at(at(2026, 11, 5, 9))
    services.item_accept(actor=district.liaison, item=item)
    item.refresh_from_db()
    assert item.due_at == at(2026, 11, 20, 17, 30) == item.original_due_at
    assert item.sign_late_workdays == 2
    assert DeadlineChange.objects.filter(item=item).count() == 1  # set at assignment only


def test_date_deadline_given_as_a_moment_is_kept(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(due_in_workdays=None, due_at=at(2026, 11, 3, 12))
    assert item.due_at == at(2026, 11, 3, 12)


# Extension rules -----------------------------------------------------------------------------------------------


def in_progress(district: Any, make_item: Any, clock_at: Any) -> Item:
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    services.item_accept(actor=district.liaison, item=item)  # due 2026-11-16 17:30
    item.refresh_from_db()
    return item


def test_extension_after_the_deadline_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    clock_at(at(2026, 11, 16, 17, 31))
    before = written()
    with pytest.raises(InvalidTransition, match="办结时限（2026-11-16）已过，不能再申请延期"):
        services.extension_request(actor=district.liaison, item=item, reason="来不及。", due_at=dt.date(2026, 11, 30))
    assert written() == before


def test_extension_on_the_last_minute_is_allowed(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    clock_at(at(2026, 11, 16, 17, 30))
    services.extension_request(actor=district.liaison, item=item, reason="来不及。", due_at=dt.date(2026, 11, 30))


@pytest.mark.parametrize("proposed", [dt.date(2026, 11, 13), dt.date(2026, 11, 16), at(2026, 11, 16, 17, 30)])
def test_extension_to_an_earlier_or_same_date_is_refused(district, make_item, clock_at, proposed):
    item = in_progress(district, make_item, clock_at)
    clock_at(at(2026, 11, 10, 9))
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.extension_request(actor=district.liaison, item=item, reason="调整。", due_at=proposed)
    assert refused.value.errors == {"due_at": ["申请延至的日期应晚于现行办结时限（2026-11-16）。"]}
    assert written() == before


def test_extension_needs_a_reason(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.extension_request(actor=district.liaison, item=item, reason="", due_at=dt.date(2026, 11, 30))
    assert refused.value.errors == {"reason": ["延期理由不能为空。"]}
    assert written() == before


def test_one_pending_extension_at_a_time(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    services.extension_request(actor=district.liaison, item=item, reason="一。", due_at=dt.date(2026, 11, 20))
    before = written()
    with pytest.raises(InvalidTransition, match="已有一项延期申请正在审批"):
        services.extension_request(actor=district.liaison, item=item, reason="二。", due_at=dt.date(2026, 11, 30))
    assert written() == before


def test_extension_of_an_item_not_in_progress_is_refused(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(due_in_workdays=None, due_at=dt.date(2026, 11, 20))
    before = written()
    with pytest.raises(InvalidTransition, match="待签收"):
        services.extension_request(actor=district.liaison, item=item, reason="一。", due_at=dt.date(2026, 11, 30))
    assert written() == before


def test_deciding_without_a_pending_extension_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    with pytest.raises(InvalidTransition, match="没有待审批的延期申请"):
        services.extension_decide(actor=district.ducha, item=item, approve=True)


def test_only_the_lead_unit_asks_for_an_extension(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    with pytest.raises(PermissionDenied, match="只有牵头单位（区教委）才能申请延期"):
        services.extension_request(actor=district.other_liaison, item=item, reason="一。", due_at=dt.date(2026, 11, 30))
    with pytest.raises(NotFound):
        services.extension_request(
            actor=district.weijian_liaison, item=item, reason="一。", due_at=dt.date(2026, 11, 30)
        )
    assert written() == before


def test_an_extension_pending_when_the_item_is_cancelled_can_no_longer_be_decided(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    services.extension_request(actor=district.liaison, item=item, reason="一。", due_at=dt.date(2026, 11, 30))
    services.item_cancel(actor=district.ducha, item=item, reason="撤销。")
    before = written()
    with pytest.raises(InvalidTransition):
        services.extension_decide(actor=district.ducha, item=item, approve=True)
    assert written() == before


# Bad input at creation ---------------------------------------------------------------------------------------


def refused_create(make_item: Any, **overrides: Any) -> dict[str, list[str]]:
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        make_item(**overrides)
    assert written() == before
    return refused.value.errors


def test_deadline_before_the_assignment_date_is_refused(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    errors = refused_create(make_item, due_in_workdays=None, due_at=dt.date(2026, 11, 1))
    assert errors == {"due_at": ["办结时限（2026-11-01 17:30）早于交办时间，请选择今后的日期。"]}
    errors = refused_create(make_item, due_in_workdays=None, due_at=at(2026, 11, 2, 8))
    assert errors == {"due_at": ["办结时限（2026-11-02 08:00）早于交办时间，请选择今后的日期。"]}


def test_a_draft_whose_date_passed_cannot_be_assigned(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(assign=False, due_in_workdays=None, due_at=dt.date(2026, 11, 3))
    clock_at(at(2026, 11, 4, 9))
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_assign(actor=district.ducha, item=item)
    assert refused.value.errors == {"due_at": ["办结时限（2026-11-03 17:30）已过，请先修改时限再交办。"]}
    assert written() == before


def test_deadline_required_one_way_only(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    message = ["请填写办结时限：指定日期，或签收后的工作日数（二者选一）。"]
    assert refused_create(make_item, due_in_workdays=None) == {"due_at": message}
    assert refused_create(make_item, due_in_workdays=5, due_at=dt.date(2026, 11, 20)) == {"due_at": message}
    assert refused_create(make_item, due_in_workdays=0) == {"due_in_workdays": ["办理时限应为 1—250 个工作日。"]}


def test_inactive_lead_unit_is_refused(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    errors = refused_create(make_item, lead_unit_id=district.closed_unit.pk)
    assert errors == {"lead_unit": ["牵头单位“示范区已撤销局”已停用，不能接收新的督办事项。"]}
    assert refused_create(make_item, lead_unit_id=None) == {"lead_unit": ["请选择牵头单位。"]}
    assert refused_create(make_item, lead_unit_id=999_999) == {"lead_unit": ["牵头单位不存在。"]}


def test_lead_unit_deactivated_before_assignment(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item(assign=False, lead_unit_id=district.weijian.pk, co_unit_ids=[])
    district.weijian.active = False
    district.weijian.save()
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_assign(actor=district.ducha, item=item)
    assert refused.value.errors == {"lead_unit": ["牵头单位“示范区卫生健康委员会”已停用，请先更换牵头单位。"]}
    assert written() == before


def test_co_unit_equal_to_lead_unit_is_refused(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    errors = refused_create(make_item, co_unit_ids=[district.zhujian.pk, district.jiaowei.pk])
    assert errors == {"co_units": ["配合单位不能与牵头单位相同。"]}
    errors = refused_create(make_item, co_unit_ids=[district.closed_unit.pk])
    assert errors == {"co_units": ["配合单位“示范区已撤销局”已停用，不能接收新的督办事项。"]}
    item = make_item(assign=False)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_update(actor=district.ducha, item=item, co_unit_ids=[district.jiaowei.pk])
    assert refused.value.errors == {"co_units": ["配合单位不能与牵头单位相同。"]}
    assert written() == before


def test_other_bad_input_at_creation(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    assert refused_create(make_item, title="  ") == {"title": ["事项名称不能为空。"]}
    assert refused_create(make_item, source_type="rumour") == {"source_type": ["请选择有效的事项来源。"]}
    assert refused_create(make_item, urgency="asap") == {"urgency": ["请选择有效的紧急程度（特急、加急或平件）。"]}
    assert refused_create(make_item, instructing_leader_id=None) == {
        "instructing_leader": ["来源为领导批示的事项，请选择批示领导。"]
    }
    assert refused_create(make_item, instructing_leader_id=district.ducha.pk) == {
        "instructing_leader": ["批示领导应为在职的区领导。"]
    }
    assert refused_create(make_item, instruction="") == {"instruction": ["来源为领导批示的事项，请照录批示内容。"]}
    assert refused_create(make_item, instructed_on=dt.date(2026, 11, 3)) == {
        "instructed_on": ["批示日期不能晚于今天。"]
    }
    assert refused_create(make_item, officer_id=district.liaison.pk) == {"officer": ["督查员应为在职的督查人员。"]}
    assert refused_create(make_item, feedback=services.Feedback(cycle="weekly")) == {
        "feedback_weekday": ["每周反馈请选择星期几（周一至周日）。"]
    }
    assert refused_create(make_item, feedback=services.Feedback(cycle="monthly", day=31)) == {
        "feedback_day": ["每月反馈日应为 1—28 日（避免没有该日的月份）。"]
    }
    assert refused_create(make_item, milestones=[services.MilestoneIn("", dt.date(2026, 11, 10))]) == {
        "milestones": ["第 1 个节点缺少名称。"]
    }
    assert refused_create(
        make_item,
        due_in_workdays=None,
        due_at=dt.date(2026, 11, 20),
        milestones=[services.MilestoneIn("验收", dt.date(2026, 11, 30))],
    ) == {"milestones": ["节点的计划完成日期不能晚于办结时限。"]}


def test_all_field_errors_are_reported_at_once(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    errors = refused_create(make_item, title="", lead_unit_id=district.closed_unit.pk, due_in_workdays=None)
    assert set(errors) == {"title", "lead_unit", "due_at"}


# Bad input while handling -------------------------------------------------------------------------------------


def test_progress_with_empty_text_and_no_attachment_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_progress(actor=district.liaison, item=item, text="   ")
    assert refused.value.errors == {"text": ["请填写进展情况或上传附件（二者至少其一）。"]}
    assert written() == before


def test_report_with_empty_text_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_report(actor=district.liaison, item=item, text="")
    assert refused.value.errors == {"text": ["请填写办结情况。"]}
    assert written() == before


def test_attachment_of_a_forbidden_type_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    bad = SimpleUploadedFile("setup.exe", b"MZ" + b"0" * 100)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_progress(actor=district.liaison, item=item, text="见附件。", attachments=[bad])
    message = refused.value.errors["attachments"][0]
    assert message.startswith("附件“setup.exe”的类型不允许上传（允许：")
    assert "docx" in message
    no_ext = SimpleUploadedFile("说明", b"abc")
    with pytest.raises(ValidationFailed):
        services.item_report(actor=district.liaison, item=item, text="已完成。", attachments=[no_ext])
    assert written() == before


def test_attachment_over_the_size_limit_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    services.config_update(actor=district.admin, max_upload_mb=1)
    big = SimpleUploadedFile("整改报告.pdf", b"%PDF" + b"0" * (1_500_000 - 4), content_type="application/pdf")
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_progress(actor=district.liaison, item=item, text="见附件。", attachments=[big])
    assert refused.value.errors == {"attachments": ["附件“整改报告.pdf”超过大小上限 1 MB。"]}
    big.seek(0)
    with pytest.raises(ValidationFailed):
        services.item_create(
            actor=district.ducha,
            title="附件过大的事项",
            source_type="assignment",
            lead_unit_id=district.jiaowei.pk,
            due_in_workdays=5,
            attachments=[big],
        )
    empty = SimpleUploadedFile("空白.docx", b"")
    with pytest.raises(ValidationFailed) as refused:
        services.item_progress(actor=district.liaison, item=item, text="见附件。", attachments=[empty])
    assert refused.value.errors == {"attachments": ["附件“空白.docx”是空文件。"]}
    assert written() == before


def test_verifying_an_item_not_submitted_is_refused(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    with pytest.raises(InvalidTransition) as refused:
        services.item_close(actor=district.ducha, item=item, rating="good")
    assert refused.value.message == "事项当前为“办理中”，不能核查办结（仅限“待核查”的事项）。"
    with pytest.raises(InvalidTransition, match="不能退回重办"):
        services.item_return(actor=district.ducha, item=item, reason="不行。")
    assert written() == before


def test_state_refusals(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    before = written()
    with pytest.raises(InvalidTransition, match="不能交办"):
        services.item_assign(actor=district.ducha, item=item)
    with pytest.raises(InvalidTransition, match="不能反馈进展"):
        services.item_progress(actor=district.liaison, item=item, text="进展。")
    with pytest.raises(InvalidTransition, match="不能报送办结报告"):
        services.item_report(actor=district.liaison, item=item, text="完成。")
    with pytest.raises(InvalidTransition, match="没有待处理的退办申请"):
        services.decline_decide(actor=district.ducha, item=item, reassign_to_id=None)
    assert written() == before
    services.item_accept(actor=district.liaison, item=item)
    before = written()
    with pytest.raises(InvalidTransition, match="不能签收"):
        services.item_accept(actor=district.liaison, item=item)
    with pytest.raises(InvalidTransition, match="不能退办"):
        services.item_decline(actor=district.liaison, item=item, reason="不是我们的。")
    assert written() == before


def test_a_decline_pending_when_the_item_is_cancelled_can_no_longer_be_decided(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    services.item_decline(actor=district.liaison, item=item, reason="不属本单位。")
    services.item_cancel(actor=district.ducha, item=item, reason="撤销。")
    before = written()
    with pytest.raises(InvalidTransition):
        services.decline_decide(actor=district.ducha, item=item, reassign_to_id=district.zhujian.pk)
    assert written() == before


def test_reassigning_to_the_same_or_an_inactive_unit_is_refused(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    services.item_decline(actor=district.liaison, item=item, reason="不属本单位。")
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.decline_decide(actor=district.ducha, item=item, reassign_to_id=district.jiaowei.pk)
    assert refused.value.errors == {"reassign_to": ["改派单位不能是原牵头单位；坚持由原单位办理请选择“坚持交办”。"]}
    with pytest.raises(ValidationFailed) as refused:
        services.decline_decide(actor=district.ducha, item=item, reassign_to_id=district.closed_unit.pk)
    assert refused.value.errors == {"reassign_to": ["改派单位“示范区已撤销局”已停用，不能接收新的督办事项。"]}
    assert written() == before


def test_decline_needs_a_reason(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_decline(actor=district.liaison, item=item, reason="")
    assert refused.value.errors == {"reason": ["退办理由不能为空。"]}
    assert written() == before


def test_remind_and_instruct_need_text(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.item_remind(actor=district.ducha, item=item, message="")
    assert refused.value.errors == {"message": ["催办内容不能为空。"]}
    with pytest.raises(ValidationFailed) as refused:
        services.item_instruct(actor=district.quzhang, item=item, text="")
    assert refused.value.errors == {"text": ["批示内容不能为空。"]}
    assert written() == before


# A liaison acting on another unit's item ---------------------------------------------------------------------------


def test_liaison_of_a_co_unit_may_not_act_as_the_lead(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    item = make_item()  # lead 区教委, co 区住房城乡建委
    before = written()
    with pytest.raises(PermissionDenied, match="只有牵头单位（区教委）才能签收"):
        services.item_accept(actor=district.other_liaison, item=item)
    with pytest.raises(PermissionDenied, match="只有牵头单位（区教委）才能退办"):
        services.item_decline(actor=district.other_liaison, item=item, reason="不是我们的。")
    services.item_accept(actor=district.liaison, item=item)
    before = written()
    with pytest.raises(PermissionDenied, match="只有牵头单位（区教委）才能报送办结报告"):
        services.item_report(actor=district.other_liaison, item=item, text="完成。")
    with pytest.raises(PermissionDenied):
        services.item_progress(actor=district.other_liaison, item=item, text="进展。", unit_id=district.jiaowei.pk)
    assert written() == before


def test_liaison_of_an_unrelated_unit_does_not_see_the_item(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    before = written()
    for call in (
        lambda: services.item_progress(actor=district.weijian_liaison, item=item, text="进展。"),
        lambda: services.item_report(actor=district.weijian_liaison, item=item, text="完成。"),
        lambda: services.extension_request(
            actor=district.weijian_liaison, item=item, reason="一。", due_at=dt.date(2026, 11, 30)
        ),
        lambda: services.item_remind(actor=district.weijian_liaison, item=item, message="催。"),
    ):
        with pytest.raises(NotFound):
            call()
    assert written() == before


def test_liaison_may_not_manage(district, make_item, clock_at):
    item = in_progress(district, make_item, clock_at)
    services.item_report(actor=district.liaison, item=item, text="完成。")
    before = written()
    with pytest.raises(PermissionDenied):
        services.item_close(actor=district.liaison, item=item, rating="excellent")
    with pytest.raises(PermissionDenied):
        services.item_return(actor=district.liaison, item=item, reason="自己退回。")
    with pytest.raises(PermissionDenied):
        services.item_cancel(actor=district.liaison, item=item, reason="不想办了。")
    with pytest.raises(PermissionDenied):
        services.item_create(
            actor=district.liaison,
            title="自己登记的事项",
            source_type="other",
            lead_unit_id=district.jiaowei.pk,
            due_in_workdays=5,
        )
    assert written() == before


# Duplicate submissions --------------------------------------------------------------------------------------------


def test_same_request_key_creates_one_item(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    first = make_item(request_key="hotline-12345-0001")
    before = written()
    clock_at(at(2026, 11, 2, 10))  # a client retrying an hour later, with another title
    with pytest.raises(services.DuplicateSubmission) as refused:
        make_item(request_key="hotline-12345-0001", title="另一个标题")
    assert refused.value.item == first
    assert refused.value.message == "该事项刚刚已经提交（示范督〔2026〕0001号），请勿重复提交。"
    assert written() == before
    assert Item.objects.count() == 1


def test_double_click_within_a_minute_creates_one_item(district, make_item, clock_at):
    clock_at(at(2026, 11, 2, 9))
    first = make_item()
    clock_at(at(2026, 11, 2, 9, 0) + dt.timedelta(seconds=59))
    before = written()
    with pytest.raises(services.DuplicateSubmission) as refused:
        make_item()
    assert refused.value.item == first
    assert written() == before
    # another unit, another title, another person, or a minute later: a new item
    make_item(lead_unit_id=district.zhujian.pk, co_unit_ids=[])
    make_item(title="推进学校周边交通秩序整治（二）")
    make_item(actor=district.zhuren)
    clock_at(at(2026, 11, 2, 9, 1) + dt.timedelta(seconds=1))
    make_item()
    assert Item.objects.count() == 5
    assert sorted(Item.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
