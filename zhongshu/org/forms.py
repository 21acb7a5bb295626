"""Forms of the org pages: they check the shape of the input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from .choices import Role, UnitKind
from .models import Person, Unit


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from the tree, shown as its full name (inactive ones marked)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name if obj.active else f"{obj.full_name}（已停用）"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.unit.short_name} · {obj.username})"


def _units(active_only: bool = True) -> Any:
    qs = Unit.objects.order_by("display_order", "id")
    return qs.filter(active=True) if active_only else qs


REQUIRED = {"required": "此项为必填项。"}


class UnitForm(forms.Form):
    code = forms.CharField(
        label="单位代码",
        max_length=40,
        error_messages=REQUIRED,
        help_text="小写字母、数字、“-”和“_”，如 jiaowei；导入文件按代码对应单位。",
    )
    full_name = forms.CharField(label="全称", max_length=100, error_messages=REQUIRED)
    short_name = forms.CharField(label="简称", max_length=40, error_messages=REQUIRED, help_text="如“区教委”。")
    kind = forms.ChoiceField(label="类别", choices=UnitKind.choices, error_messages=REQUIRED)
    parent = UnitChoiceField(label="上级单位", queryset=_units(), required=False, empty_label="（无，顶层单位）")
    display_order = forms.IntegerField(
        label="排序号",
        min_value=0,
        required=False,
        help_text="各类表格和导出中单位的固定排列顺序，数字小的在前；留空则排在最后。",
        error_messages={"invalid": "排序号应为整数。", "min_value": "排序号不能小于 0。"},
    )


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


def _leaders() -> Any:
    return Person.objects.filter(is_active=True, grants__role=Role.LEADER).distinct().order_by("display_order", "id")


class UnitEditForm(UnitForm):
    """Editing a unit: the names change through the rename form, which keeps the former names."""

    leader_in_charge = LeaderChoiceField(
        label="分管区领导",
        queryset=_leaders(),
        required=False,
        empty_label="（未设置）",
        help_text="催办通知书抄送分管区领导。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["full_name"]
        del self.fields["short_name"]


class UnitRenameForm(forms.Form):
    full_name = forms.CharField(label="新全称", max_length=100, error_messages=REQUIRED)
    short_name = forms.CharField(label="新简称", max_length=40, error_messages=REQUIRED)


class UnitMergeForm(forms.Form):
    target = UnitChoiceField(label="并入单位", queryset=_units(), error_messages=REQUIRED, empty_label="请选择单位")
    move_people = forms.BooleanField(
        label="将本单位的在职人员调入并入单位",
        required=False,
        initial=True,
        help_text="本单位的部门联络员角色将被撤销，如需要请在并入单位重新授权。",
    )


class PersonForm(forms.Form):
    username = forms.CharField(
        label="账号",
        max_length=40,
        error_messages=REQUIRED,
        help_text="登录用，小写字母、数字、“-”和“_”，3–40 个字符；创建后不能修改。",
    )
    name = forms.CharField(label="姓名", max_length=40, error_messages=REQUIRED)
    title = forms.CharField(label="职务", max_length=60, required=False)
    unit = UnitChoiceField(label="所在单位", queryset=_units(), error_messages=REQUIRED, empty_label="请选择单位")
    phone = forms.CharField(label="电话", max_length=40, required=False)
    display_order = forms.IntegerField(
        label="排序号",
        min_value=0,
        required=False,
        initial=0,
        help_text="同一单位内人员的排列顺序，数字小的在前。",
        error_messages={"invalid": "排序号应为整数。", "min_value": "排序号不能小于 0。"},
    )
    password = forms.CharField(
        label="初始密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(),
        help_text="可留空，之后再设置；至少 10 个字符，不能过于简单或与账号、姓名相近。",
    )


class PersonEditForm(PersonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["username"]
        del self.fields["password"]
        self.fields["unit"].help_text = "调到其他单位时，原单位的部门联络员角色将被撤销。"


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput,
        error_messages=REQUIRED,
        help_text="至少 10 个字符，不能过于简单或与账号、姓名相近。",
    )
    password_again = forms.CharField(
        label="再次输入新密码", strip=False, widget=forms.PasswordInput, error_messages=REQUIRED
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "两次输入的密码不一致。")
        return data


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label="授予角色", choices=[("", "请选择角色"), *Role.choices], error_messages=REQUIRED)
    unit = UnitChoiceField(
        label="授权单位",
        queryset=_units(),
        required=False,
        empty_label="（本人所在单位）",
        help_text="部门联络员只能在本人所在单位授权。",
    )


class DelegationForm(forms.Form):
    deputy = PersonChoiceField(
        label="代理人",
        queryset=Person.objects.filter(is_active=True).select_related("unit").order_by("unit__display_order", "id"),
        error_messages=REQUIRED,
        empty_label="请选择代理人",
        help_text="代理人可以代本人办理（如文秘代领导登记批示），留痕显示为“代理人 代 本人”。",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="导入文件",
        error_messages={"required": "请选择要导入的 .xlsx 文件。", "empty": "上传的文件是空的。"},
        help_text="请使用本页提供的模板（.xlsx，不超过 5 MB）。",
    )
    dry_run = forms.BooleanField(
        label="只检查，不导入",
        required=False,
        help_text="勾选后只校验文件并预览将要新建和更新的数量，不写入任何数据。",
    )
