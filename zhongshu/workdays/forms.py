"""Forms of the calendar pages: they check the shape of the input; the services decide."""

from __future__ import annotations

from django import forms

WORKDAY_CHOICES = [("0", "休息（放假、补假）"), ("1", "上班（含调休上班）")]


class DayForm(forms.Form):
    """Set one date as a working day or a day off."""

    workday = forms.TypedChoiceField(
        label="这一天",
        choices=WORKDAY_CHOICES,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择这一天上班还是休息。", "invalid_choice": "请选择上班或休息。"},
    )
    note = forms.CharField(
        label="说明",
        max_length=100,
        required=False,
        help_text="例如“元旦”“国庆节调休上班”“国务院办公厅通知调整”。",
        error_messages={"max_length": "说明最多100个字（现在有%(show_value)d个字）。"},
    )


class ArrangementForm(forms.Form):
    """A year's official arrangement as a simple list of dates, one per line."""

    dates = forms.CharField(
        label="放假和调休上班日期",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        help_text=(
            "每行一个日期或日期范围，后面写“休”（放假）或“班”（调休上班），再写名称，例如：<br>"
            "<code>2027-01-01 休 元旦</code><br><code>2027-02-14 班 春节调休</code><br>"
            "<code>2027-10-01至2027-10-07 休 国庆节</code><br>"
            "周末照常休息，无需填写；以 # 开头的行是注释。"
        ),
        error_messages={"required": "请填写日期，每行一个。"},
    )
    note = forms.CharField(
        label="依据",
        max_length=200,
        required=False,
        help_text="例如“国办发明电〔2026〕×号”。",
        error_messages={"max_length": "依据最多200个字（现在有%(show_value)d个字）。"},
    )
