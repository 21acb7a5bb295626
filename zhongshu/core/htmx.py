"""One view serves the full page and its htmx partial: helpers for choosing the template and redirecting.

A request sent by htmx (header HX-Request, exposed by django-htmx as `request.htmx`) gets the partial
template (named `_something.html`); a normal request, or an htmx-boosted navigation, gets the full page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect


def is_htmx(request: HttpRequest) -> bool:
    """True for a request sent by htmx that wants a fragment (boosted navigations want the full page)."""
    details = getattr(request, "htmx", None)
    return bool(details) and not bool(getattr(details, "boosted", False))


def render_page_or_partial(
    request: HttpRequest,
    full_template: str,
    partial_template: str,
    ctx: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render the partial for an htmx request and the full page otherwise, with the same context."""
    template = partial_template if is_htmx(request) else full_template
    return render(request, template, dict(ctx or {}), status=status)


def hx_redirect(url: str) -> HttpResponse:
    """Tell htmx to load `url` as a full page (HX-Redirect), e.g. after a form posted with hx-post."""
    return HttpResponseClientRedirect(url)


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """HX-Redirect for an htmx request, a plain 302 otherwise: the end of every successful form post."""
    if is_htmx(request):
        return hx_redirect(url)
    return HttpResponseRedirect(url)
