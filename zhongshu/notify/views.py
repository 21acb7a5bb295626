"""Pages: 消息中心 (the signed-in person's inbox and delivery mode), 消息推送渠道 (channels per kind, for the
administrator and the office director) and 推送失败记录 (failed deliveries with 重新发送, administrators).
Views only call the selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError, NotFound
from zhongshu.core.htmx import render_page_or_partial
from zhongshu.org.models import Person

from . import channels, kinds, selectors, services
from . import permissions as perms
from .choices import Mode

PAGE_SIZE = 20
FAILURES_PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):  # login_required runs first; this narrows the type
        raise Http404
    return user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    authz.require(actor, perms.INBOX_VIEW)
    show = "unread" if request.GET.get("show") == "unread" else "all"
    page_obj = Paginator(selectors.inbox_list(actor, unread_only=show == "unread"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [(message, kinds.label(message.kind)) for message in page_obj.object_list]
    context = {
        "page_obj": page_obj,
        "items": items,
        "show": show,
        "mode": selectors.mode_of(actor),
        "modes": Mode.choices,
    }
    return render_page_or_partial(request, "notify/inbox.html", "notify/_inbox_list.html", context)


@login_required
def open_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the message read and go where it points (only one's own messages: another's is 404)."""
    actor = _actor(request)
    try:
        message = services.mark_read(actor=actor, message=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    link = message.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return HttpResponseRedirect(link)
    return redirect("notify:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=_actor(request))
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect("notify:inbox")


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        chosen = services.set_preference(actor=actor, mode=request.POST.get("mode", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"推送方式已设为“{chosen.get_mode_display()}”。")
    return redirect("notify:inbox")


@login_required
def channel_rules(request: HttpRequest) -> HttpResponse:
    """One form for every kind: ticked channels are on; saving changes only the kinds that changed."""
    actor = _actor(request)
    rows = selectors.channel_rules(actor)
    if request.method == "POST":
        changed = 0
        try:
            for row in rows:
                email = request.POST.get(f"email:{row.kind}") == "on"
                webhook = request.POST.get(f"webhook:{row.kind}") == "on"
                if (email, webhook) != (row.email, row.webhook):
                    services.set_channel_rule(actor=actor, kind=row.kind, email=email, webhook=webhook)
                    changed += 1
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已保存 {changed} 类消息的推送渠道。" if changed else "推送渠道没有变化。")
        return redirect("notify:channels")
    context = {
        "rows": rows,
        "email_on": channels.email_configured(),
        "webhook_on": channels.webhook_configured(),
        "webhook_format": getattr(settings, "ZHONGSHU_WEBHOOK_FORMAT", "generic"),
        "email_host": getattr(settings, "EMAIL_HOST", ""),
    }
    return render(request, "notify/channels.html", context)


@login_required
def failures(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page_obj = Paginator(selectors.failures_list(actor), FAILURES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "rows": page_obj.object_list, "pending": selectors.pending_count()}
    return render(request, "notify/failures.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        services.delivery_retry(actor=actor, delivery_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新排队发送，后台任务将在一分钟内发送。")
    return redirect(reverse("notify:failures"))
