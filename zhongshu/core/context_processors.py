"""Values every page's shell needs: the pinned-clock banner and the navigation the person may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import clock, nav


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "district_name": settings.ZHONGSHU_DISTRICT_NAME,
        "pinned_clock": clock.pinned_moment(),
        "nav_sections": nav.sections_for(request.user) if request.user.is_authenticated else [],
    }
