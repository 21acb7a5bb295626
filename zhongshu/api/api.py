"""The JSON API under /api/v1/: one NinjaAPI, each app mounting its router from its own api.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth

from zhongshu.core.api import install_error_handlers
from zhongshu.core.schemas import InputSchema

from . import services


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = services.token_person(token)
        if person is not None:
            request.user = person
        return person


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 Chinese in responses, readable as is (not \\uXXXX escapes)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="中枢 Zhongshu API",
    version="1",
    description="区政府办公室工作平台接口。认证：POST /api/v1/auth/token 取得令牌，"
    "之后在请求头中携带 Authorization: Bearer <令牌>。错误统一为 "
    '{"detail": "说明", "errors": {"字段": ["说明"]}}。',
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)
install_error_handlers(api)

auth_router = Router(tags=["认证"])


class TokenIn(InputSchema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@auth_router.post("/token", response=TokenOut, auth=None, summary="获取接口令牌")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    return {"token": services.token_issue(request=request, username=payload.username, password=payload.password)}


api.add_router("/auth", auth_router)


def _mount() -> None:
    from zhongshu.audit.api import router as audit_router
    from zhongshu.notify.api import router as notify_router
    from zhongshu.org.api import router as org_router
    from zhongshu.tracking.api import router as tracking_router
    from zhongshu.workdays.api import router as workdays_router

    from .proofread import router as proofread_router

    api.add_router("", org_router)
    api.add_router("/calendar", workdays_router)
    api.add_router("/audit", audit_router)
    api.add_router("/proofread", proofread_router)
    api.add_router("/notify", notify_router)
    api.add_router("/tracking", tracking_router)


_mount()
