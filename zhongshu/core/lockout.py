"""The answer to a locked-out login (django-axes): JSON for the API, the lockout page for people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGE = "登录失败次数过多，账号已暂时锁定 {minutes} 分钟，请稍后再试或联系系统管理员。"


def lockout_minutes() -> int:
    return round(float(settings.AXES_COOLOFF_TIME) * 60)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    message = MESSAGE.format(minutes=lockout_minutes())
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(
        request,
        "registration/locked_out.html",
        {"message": message, "cooloff_minutes": lockout_minutes()},
        status=429,
    )
