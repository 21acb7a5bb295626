"""The unread count next to the person's name in the header (base.html): one COUNT per rendered page,
computed only when the template shows it (an htmx fragment or an API call pays nothing)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from zhongshu.core import authz

from . import permissions as perms
from . import selectors


class UnreadBadge:
    """`{{ notify_badge.count }}` in a template runs the one query, once."""

    def __init__(self, person: Any) -> None:
        self._person = person

    @cached_property
    def count(self) -> int:
        return selectors.unread_count(self._person)


def inbox_badge(request: HttpRequest) -> dict[str, Any]:
    """{"notify_badge": UnreadBadge or None}; None for the anonymous and for those without an inbox."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or authz.scope_of(user, perms.INBOX_VIEW) is None:
        return {"notify_badge": None}
    return {"notify_badge": UnreadBadge(user)}
