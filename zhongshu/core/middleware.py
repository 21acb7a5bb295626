"""Request context for services that run below the view layer (the audit trail's client address)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def client_address() -> str | None:
    """The address of the client whose request is being served, or None outside a request."""
    return _client_address.get()


def address_of(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when the server sits behind a trusted proxy."""
    from django.conf import settings

    if getattr(settings, "AXES_IPWARE_PROXY_COUNT", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_address.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)
