"""The API's one error shape: {"detail": "<中文说明>", "errors": {"<field>": ["<中文说明>", ...]}}.

Bad input answers 400 with messages per field, a refused rule 400, missing or hidden objects 404, refused
permission 403, no credentials 401 — never a 500 for bad input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .exceptions import ApplicationError, NotFound

_PYDANTIC_MESSAGES = {
    "missing": "此项为必填项",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长（最多 {max_length} 个字符）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是或否（true/false）",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "enum": "取值无效，可选：{expected}",
    "literal_error": "取值无效，可选：{expected}",
    "string_type": "应为文本",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象",
    "model_type": "应为对象",
    "value_error": "{msg}",
}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "form", "header", "cookie", "payload"}]
    return ".".join(parts) or "__all__"


def chinese_message(error: dict[str, Any]) -> str:
    template = _PYDANTIC_MESSAGES.get(error.get("type", ""), "")
    if not template:
        return "取值无效"
    ctx = dict(error.get("ctx") or {})
    ctx.setdefault("msg", str(error.get("msg", "")).removeprefix("Value error, "))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def field_errors_from_pydantic(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        result.setdefault(_field_name(error.get("loc", ())), []).append(chinese_message(error))
    return result


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every exception a request can raise to the one error shape."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = field_errors_from_pydantic(list(exc.errors))
        return error_response(api, request, 400, "输入有误，请检查各字段。", errors)

    @api.exception_handler(ApplicationError)
    def _application(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return error_response(api, request, 400, exc.message, exc.field_errors())

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, str(exc) or "您无权进行此操作。")

    @api.exception_handler(NotFound)
    def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return error_response(api, request, 404, exc.message)

    @api.exception_handler(Http404)
    def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "未找到该对象，或您无权查看。")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "未登录或令牌无效，请先获取令牌。")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, str(exc))
