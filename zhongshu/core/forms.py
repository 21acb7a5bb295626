"""Forms of the shell: signing in and changing one's own password. They validate shape only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

INVALID_LOGIN = "用户名或密码错误，请重新输入（注意区分大小写）。"


class LoginForm(AuthenticationForm):
    """The sign-in form: 用户名 and 密码, with one Chinese message for any wrong pair."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN,
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请填写用户名。"
        self.fields["password"].error_messages["required"] = "请填写密码。"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class OwnPasswordChangeForm(PasswordChangeForm):
    """A person changing their own password: the old one, then the new one twice."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {"old_password": "原密码", "new_password1": "新密码", "new_password2": "再次输入新密码"}
        for name, label in labels.items():
            field: forms.Field = self.fields[name]
            field.label = label
            field.error_messages["required"] = f"请填写{label}。"
        self.fields["new_password2"].help_text = "与上面的新密码一致。"
