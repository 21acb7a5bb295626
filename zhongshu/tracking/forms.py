"""Forms of the 督查督办 pages. They check the shape of the input only (a date is a date, a number is a
number); the services decide everything else and their refusals are put back on these forms."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhongshu.org.choices import Role
from zhongshu.org.models import Person, Unit

from .choices import AssessBasis, DueMode, FeedbackCycle, Rating, SourceType, Urgency

REQUIRED = {"required": "此项为必填项。"}
DATE = {"invalid": "请输入有效的日期，如 2026-10-30。", **REQUIRED}
INTEGER = {
    "invalid": "请输入整数。",
    "min_value": "不能小于 %(limit_value)s。",
    "max_value": "不能大于 %(limit_value)s。",
}
WEEKDAYS = [(0, "周一"), (1, "周二"), (2, "周三"), (3, "周四"), (4, "周五"), (5, "周六"), (6, "周日")]
MILESTONE_ROWS = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (附件 can be many); cleans to a list, empty when nothing was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"empty": "上传的文件是空的。", "invalid": "上传的不是有效的文件。", "missing": "没有收到文件。"},
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(one, initial) for one in data if one]
        return [single(data, initial)] if data else []


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name)


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else str(obj.name)


def active_units() -> QuerySet[Unit]:
    """Units that can receive items, in the fixed order of every table."""
    return Unit.objects.filter(active=True).order_by("display_order", "id")


def people_with(*roles: str) -> QuerySet[Person]:
    return Person.objects.filter(is_active=True, grants__role__in=roles).distinct().order_by("display_order", "id")


def _radio(choices: Any) -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "radio-row"}, choices=choices)


class FeedbackFields(forms.Form):
    """定期反馈: none, weekly on a weekday, monthly on a day, or every N working days."""

    feedback_cycle = forms.ChoiceField(
        label="定期反馈",
        choices=FeedbackCycle.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
        help_text="长期事项可要求承办单位定期反馈进展；到期未反馈会提醒。",
    )
    feedback_weekday = forms.TypedChoiceField(
        label="每周反馈日", choices=[("", "—"), *WEEKDAYS], coerce=int, required=False, empty_value=None
    )
    feedback_day = forms.IntegerField(
        label="每月反馈日", min_value=1, max_value=28, required=False, error_messages=INTEGER, help_text="1—28 日。"
    )
    feedback_every = forms.IntegerField(
        label="每隔几个工作日反馈", min_value=1, max_value=60, required=False, error_messages=INTEGER
    )


class ItemForm(FeedbackFields):
    """登记督办事项: every field of an item (issue 3 §1)."""

    field_order = [
        "title",
        "content",
        "source_type",
        "source_label",
        "instructing_leader",
        "instructed_on",
        "instruction",
        "lead_unit",
        "co_units",
        "officer",
        "urgency",
        "due_mode",
        "due_on",
        "due_workdays",
    ]

    request_key = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="事项名称", max_length=200, error_messages=REQUIRED)
    content = forms.CharField(label="事项内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    source_type = forms.ChoiceField(
        label="事项来源", choices=[("", "请选择"), *SourceType.choices], error_messages=REQUIRED
    )
    source_label = forms.CharField(
        label="来源说明", max_length=200, required=False, help_text="如来文字号、会议名称、批示件标题。"
    )
    instructing_leader = PersonChoiceField(
        label="批示领导", queryset=Person.objects.none(), required=False, empty_label="（无）"
    )
    instructed_on = forms.DateField(label="批示日期", widget=DateInput(), required=False, error_messages=DATE)
    instruction = forms.CharField(
        label="批示内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="照录领导批示原文。来源为“领导批示”时必填。",
    )
    lead_unit = UnitChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), empty_label="请选择单位", error_messages=REQUIRED
    )
    co_units = UnitsField(
        label="配合单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-picks"}),
    )
    officer = PersonChoiceField(label="督查员", queryset=Person.objects.none(), required=False, empty_label="（本人）")
    urgency = forms.ChoiceField(
        label="紧急程度",
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
    )
    due_mode = forms.ChoiceField(
        label="办结时限",
        choices=[(DueMode.WORKDAYS.value, "签收后N个工作日"), (DueMode.DATE.value, "指定日期")],
        initial=DueMode.WORKDAYS,
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
        help_text="工作日时限自签收次日起算，节假日和调休按工作日历计算。",
    )
    due_on = forms.DateField(label="办结日期", widget=DateInput(), required=False, error_messages=DATE)
    due_workdays = forms.IntegerField(
        label="工作日数", min_value=1, max_value=250, required=False, error_messages=INTEGER, initial=10
    )
    attachments = MultipleFileField(label="附件", help_text="可多选；单个文件大小和类型以督查督办设置为准。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instructing_leader"].queryset = people_with(Role.LEADER)  # type: ignore[attr-defined]
        self.fields["officer"].queryset = people_with(Role.SUPERVISOR, Role.DIRECTOR)  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = active_units()  # type: ignore[attr-defined]
        self.fields["co_units"].queryset = active_units()  # type: ignore[attr-defined]
        if not self.is_bound and not self.initial.get("request_key"):
            self.initial["request_key"] = uuid.uuid4().hex

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("due_mode")
        if mode == DueMode.DATE and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "请选择办结日期。")
        if mode == DueMode.WORKDAYS and not data.get("due_workdays") and "due_workdays" not in self.errors:
            self.add_error("due_workdays", "请填写签收后的工作日数。")
        return data


class ItemEditForm(FeedbackFields):
    """修改督办事项: what can change after registration (the deadline only before 交办)."""

    title = forms.CharField(label="事项名称", max_length=200, error_messages=REQUIRED)
    content = forms.CharField(label="事项内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    co_units = UnitsField(
        label="配合单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-picks"}),
    )
    officer = PersonChoiceField(label="督查员", queryset=Person.objects.none(), required=False, empty_label="（不变）")
    urgency = forms.ChoiceField(
        label="紧急程度", choices=Urgency.choices, widget=forms.RadioSelect(attrs={"class": "radio-row"})
    )
    due_mode = forms.ChoiceField(
        label="办结时限",
        choices=[(DueMode.WORKDAYS.value, "签收后N个工作日"), (DueMode.DATE.value, "指定日期")],
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
    )
    due_on = forms.DateField(label="办结日期", widget=DateInput(), required=False, error_messages=DATE)
    due_workdays = forms.IntegerField(
        label="工作日数", min_value=1, max_value=250, required=False, error_messages=INTEGER
    )

    field_order = ["title", "content", "co_units", "officer", "urgency", "due_mode", "due_on", "due_workdays"]

    def __init__(
        self, *args: Any, deadline_editable: bool = True, lead_unit_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people_with(Role.SUPERVISOR, Role.DIRECTOR)  # type: ignore[attr-defined]
        units = active_units() if lead_unit_id is None else active_units().exclude(pk=lead_unit_id)
        self.fields["co_units"].queryset = units  # type: ignore[attr-defined]
        if not deadline_editable:
            for name in ("due_mode", "due_on", "due_workdays"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "due_mode" not in self.fields:
            return data
        mode = data.get("due_mode")
        if mode == DueMode.DATE and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "请选择办结日期。")
        if mode == DueMode.WORKDAYS and not data.get("due_workdays") and "due_workdays" not in self.errors:
            self.add_error("due_workdays", "请填写签收后的工作日数。")
        return data


class MilestoneRow(forms.Form):
    """One planned step (节点) of a project: a blank row is ignored."""

    title = forms.CharField(label="节点名称", max_length=200, required=False)
    due_on = forms.DateField(label="计划完成日期", widget=DateInput(), required=False, error_messages=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "请填写该节点的计划完成日期。")
        if data.get("due_on") and not data.get("title"):
            self.add_error("title", "请填写节点名称。")
        return data


MilestoneFormSet = forms.formset_factory(MilestoneRow, extra=MILESTONE_ROWS, max_num=50, absolute_max=50)


class SplitForm(forms.Form):
    units = UnitsField(
        label="分解给以下单位",
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-picks"}),
        error_messages={"required": "请至少选择两个承办单位。"},
        help_text="每个单位生成一个子事项（编号如 0123-1号），内容和时限与本事项相同；全部子事项办结后本事项随之办结。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = active_units()  # type: ignore[attr-defined]


# Actions on the item page ------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the forms on the item page: ids carry the action so several forms share one page."""

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action.replace('-', '_')}_%s" if action else "id_%s")
        super().__init__(*args, **kwargs)


class EmptyForm(ActionForm):
    """An action with nothing to fill in (交办, 签收): the button posts it."""


class ReasonForm(ActionForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQUIRED)


class DeclineForm(ActionForm):
    reason = forms.CharField(
        label="退办理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写退办理由。"},
        help_text="说明该事项为何不属于本单位职责，以及建议的承办单位。",
    )


class DecideDeclineForm(ActionForm):
    decision = forms.ChoiceField(
        label="处理意见",
        choices=[("insist", "坚持由原单位办理"), ("reassign", "改派其他单位")],
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
        error_messages={"required": "请选择处理意见。"},
    )
    reassign_to = UnitChoiceField(
        label="改派单位", queryset=Unit.objects.none(), required=False, empty_label="请选择单位"
    )
    comment = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].queryset = active_units()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reassign" and not data.get("reassign_to"):
            self.add_error("reassign_to", "改派时请选择新的牵头单位。")
        return data


class ProgressForm(ActionForm):
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachments = MultipleFileField(label="附件", help_text="可拍照或选择文件，可多选。")


class MilestoneDoneForm(ActionForm):
    milestone = forms.TypedChoiceField(
        label="节点",
        coerce=int,
        choices=(),
        error_messages={"required": "请选择节点。", "invalid_choice": "请选择有效的节点。"},
    )
    done_on = forms.DateField(label="实际完成日期", widget=DateInput(), error_messages=DATE)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args: Any, milestones: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.title}（计划 {m.due_on:%Y-%m-%d}）") for m in (milestones or [])
        ]


class ExtendForm(ActionForm):
    due_on = forms.DateField(
        label="申请延至", widget=DateInput(), error_messages={**DATE, "required": "请选择申请延至的日期。"}
    )
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写延期理由。"}
    )


class DecideExtensionForm(ActionForm):
    approve = forms.TypedChoiceField(
        label="审批意见",
        choices=[("1", "同意延期"), ("0", "不同意")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
        error_messages={"required": "请选择同意或不同意。"},
    )
    comment = forms.CharField(label="说明", max_length=500, required=False, help_text="不同意时必须说明理由。")


class ReportForm(ActionForm):
    text = forms.CharField(
        label="办结情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写办结情况。"},
    )
    attachments = MultipleFileField(label="附件", help_text="佐证材料，如整改照片、文件，可多选。")


class CloseForm(ActionForm):
    rating = forms.ChoiceField(
        label="质量评价",
        choices=Rating.choices,
        widget=forms.RadioSelect(attrs={"class": "radio-row"}),
        error_messages={"required": "请选择质量评价。"},
    )
    comment = forms.CharField(label="核查意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReturnForm(ActionForm):
    reason = forms.CharField(
        label="退回理由", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写退回理由。"}
    )


class CancelForm(ActionForm):
    reason = forms.CharField(
        label="撤销原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写撤销原因。"},
    )


class RemindForm(ActionForm):
    message = forms.CharField(
        label="催办内容",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写催办内容。"},
        initial="请抓紧办理并及时反馈进展。",
    )


class InstructForm(ActionForm):
    text = forms.CharField(
        label="批示内容", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写批示内容。"}
    )
    on_behalf_of = forms.TypedChoiceField(label="批示人", coerce=int, required=False, empty_value=None, choices=())

    def __init__(self, *args: Any, signers: list[tuple[int | str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signers:
            self.fields["on_behalf_of"].choices = signers  # type: ignore[attr-defined]
            self.fields["on_behalf_of"].required = all(value != "" for value, _ in signers)
        else:
            del self.fields["on_behalf_of"]


class BulkRemindForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    message = forms.CharField(label="催办内容", max_length=1000, error_messages={"required": "请填写催办内容。"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        self.fields["items"].choices = [(value, value) for value in values]  # type: ignore[attr-defined]


# Settings ------------------------------------------------------------------------------------------


def _count(label: str, help_text: str = "", *, low: int = 0, high: int = 60) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=low, max_value=high, error_messages={**INTEGER, **REQUIRED}, help_text=help_text
    )


class ConfigForm(forms.Form):
    """督查督办设置 (one per office)."""

    number_prefix = forms.CharField(
        label="督办编号代字", max_length=20, error_messages=REQUIRED, help_text="编号形如“代字〔2026〕0001号”。"
    )
    sign_chase_workdays = _count("交办后几个工作日未签收即催签")
    auto_sign_workdays = _count("交办后几个工作日未签收即自动签收", "自动签收后时限开始计算，延误记入单位。")
    decline_decide_workdays = _count("退办几个工作日未处理视为坚持交办")
    remind_before = forms.CharField(
        label="到期前提醒（工作日）",
        max_length=40,
        required=False,
        help_text="逗号分隔，如“3,1”表示到期前3个和1个工作日各提醒一次。",
    )
    warn_workdays = _count("临近到期（工作日）", "到期前这么多个工作日内显示黄色，发蓝色督办单。")
    blue_enabled = forms.BooleanField(label="发蓝色督办单（临近到期）", required=False)
    yellow_enabled = forms.BooleanField(label="发黄色督办单（进度滞后或退回重办）", required=False)
    red_enabled = forms.BooleanField(label="发红色督办单（超期）", required=False)
    urge_enabled = forms.BooleanField(label="发催办通知书", required=False)
    urge_after_workdays = _count("超期后第几个工作日发催办通知书", low=1)
    bulletin_enabled = forms.BooleanField(label="列入督查通报", required=False)
    bulletin_after_workdays = _count("催办后再过几个工作日列入通报", low=1)
    leader_extension_workdays = _count("延期超过几个工作日需领导审批", high=250)
    assess_basis = forms.ChoiceField(label="考核口径", choices=AssessBasis.choices)
    max_upload_mb = _count("附件大小上限（MB）", low=1, high=200)
    allowed_extensions = forms.CharField(
        label="允许的附件类型", max_length=200, error_messages=REQUIRED, help_text="扩展名，逗号分隔。"
    )
