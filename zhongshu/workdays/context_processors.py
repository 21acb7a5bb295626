"""The banner asking administrators to enter next year's holiday arrangement (shown by base.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import selectors


def calendar_banner(request: HttpRequest) -> dict[str, Any]:
    """{"calendar_notice": <unresolved CalendarNotice or None>} — only for people who may manage the
    calendar; at most one query per page (none for everyone else)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"calendar_notice": None}
    return {"calendar_notice": selectors.notice_open_for(user)}
