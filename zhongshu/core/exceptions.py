"""Errors that services raise and that pages and the API turn into Chinese messages.

`ApplicationError` is a refused business rule; `ValidationFailed` carries field errors (field -> messages);
`PermissionDenied` is Django's own; `NotFound` covers both "missing" and "not yours" (no existence leak).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied

__all__ = ["ApplicationError", "InvalidTransition", "NotFound", "PermissionDenied", "ValidationFailed"]


class ApplicationError(Exception):
    """A request that the office's rules refuse; `message` is shown to the user as is (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def field_errors(self) -> dict[str, list[str]]:
        return {self.field or "__all__": [self.message]}

    def add_to_form(self, form: Any) -> None:
        """Put the refusal on a Django form, next to the field it is about (`unit_id` → `unit`), or on top."""
        for name, problems in self.field_errors().items():
            target = next((c for c in (name, name.removesuffix("_id")) if c in form.fields), None)
            for problem in problems:
                form.add_error(target, problem)


class ValidationFailed(ApplicationError):
    """Bad input, with messages per field (`__all__` for the form as a whole)."""

    def __init__(self, errors: Mapping[str, Sequence[str] | str]) -> None:
        self.errors: dict[str, list[str]] = {
            field: [msgs] if isinstance(msgs, str) else list(msgs) for field, msgs in errors.items()
        }
        first = next((m for msgs in self.errors.values() for m in msgs), "输入有误")
        super().__init__(first)

    def field_errors(self) -> dict[str, list[str]]:
        return self.errors


class InvalidTransition(ApplicationError):
    """An action that the object's current state does not allow."""


class NotFound(Exception):
    """The object does not exist or the user may not see it; both answer 404."""

    def __init__(self, message: str = "未找到该对象，或您无权查看。") -> None:
        super().__init__(message)
        self.message = message
