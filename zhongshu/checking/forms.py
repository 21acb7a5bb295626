"""Forms of the dictionary pages: one entry (its fields built from the dictionary's columns) and the import."""

from __future__ import annotations

from typing import Any

from django import forms

from . import dictionaries as dicts

LONG = {"before", "after", "message", "variants", "exceptions", "source", "note"}
SEVERITY_CHOICES = [("", "（默认）"), *dicts.SEVERITIES.items()]
HELP = {
    "exceptions": "包含错误写法的正确词语，用“|”分隔，如：公布署。",
    "before": "紧挨在词语前面的文字应符合的正则表达式，可留空。",
    "after": "紧挨在词语后面的文字应符合的正则表达式，可留空。",
    "variants": "多个写法用“|”分隔。",
    "effective_from": "格式 YYYY-MM-DD，可留空。",
    "effective_until": "格式 YYYY-MM-DD，可留空；此日期后提示该表述已停用。",
    "near_miss": "填 yes 或 no：是否查找与规范表述相差一两个字的写法（默认 yes）。",
}


class EntryForm(forms.Form):
    """The columns of a dictionary as fields (all text; the service checks them)."""

    def __init__(self, spec: dicts.Spec, *args: Any, locked: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        for column in spec.columns:
            label = spec.labels[column]
            required = column in spec.required
            field: forms.Field
            if column == "severity":
                field = forms.ChoiceField(label=label, choices=SEVERITY_CHOICES, required=False)
            else:
                widget: forms.Widget = forms.Textarea(attrs={"rows": 2}) if column in LONG else forms.TextInput()
                field = forms.CharField(
                    label=label,
                    required=required,
                    max_length=spec.limits[column],
                    strip=True,
                    widget=widget,
                    error_messages={"required": f"{label}不能为空。"},
                )
            field.help_text = HELP.get(column, "")
            if column in locked:
                field.disabled = True
                field.help_text = "系统内置词条的标识列，不能修改。"
            self.fields[column] = field


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV 文件",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
        help_text="UTF-8 编码（Excel 另存为“CSV UTF-8”），第一行为列名，与导出文件相同。",
    )
    dry_run = forms.BooleanField(label="只检查，不导入", required=False)
