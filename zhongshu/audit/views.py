"""Pages of the audit trail: the full log (留痕日志) with its verify button, and an object's timeline."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from zhongshu.core import authz
from zhongshu.core.exceptions import NotFound, ValidationFailed
from zhongshu.core.htmx import is_htmx, render_page_or_partial

from . import permissions as perms
from . import selectors

LOG_PAGE_SIZE = 50


def _log_context(request: HttpRequest) -> dict[str, Any]:
    filterset = selectors.event_filterset(actor=request.user, data=request.GET)
    valid = not filterset.is_bound or filterset.is_valid()
    events = filterset.qs if valid else filterset.queryset.none()
    page_obj = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "filterset": filterset,
        "form": filterset.form,
        "page_obj": page_obj,
        "entries": selectors.event_entries(list(page_obj.object_list)),
        "can_verify": authz.can(request.user, perms.VERIFY),
    }


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    """The full log, newest first, with filters; for those holding audit.view_all."""
    return render_page_or_partial(request, "audit/log.html", "audit/_log_rows.html", _log_context(request))


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Run the verification now (audit.verify) and show the outcome."""
    verification = selectors.chain_verify(actor=request.user)
    if is_htmx(request):
        return render_page_or_partial(
            request, "audit/log.html", "audit/_verify_result.html", {"verification": verification}
        )
    ctx = _log_context(request)
    ctx["verification"] = verification
    return render_page_or_partial(request, "audit/log.html", "audit/_log_rows.html", ctx)


def _offset(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("offset", "0")), 0)
    except ValueError:
        return 0


@login_required
@require_GET
def timeline(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    """An object's timeline: the full page, or (htmx) the next entries of the timeline component."""
    try:
        target = selectors.timeline_target(actor=request.user, target_type=target_type, target_id=target_id)
        page = selectors.timeline_page(actor=request.user, target=target, offset=_offset(request))
    except (NotFound, ValidationFailed) as exc:
        raise Http404(getattr(exc, "message", "")) from None
    url = reverse("audit:timeline", args=[page.target_type, target_id])
    ctx = {
        "target": target,
        "target_label": str(target._meta.verbose_name),
        "page": page,
        "entries": page.entries,
        "offset": page.offset,
        "next_url": f"{url}?{urlencode({'offset': str(page.next_offset)})}" if page.has_more else "",
    }
    return render_page_or_partial(request, "audit/timeline.html", "audit/_timeline_entries.html", ctx)
