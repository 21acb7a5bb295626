"""`{% load audit_tags %}{% timeline obj %}`: the timeline component any object's page includes.

It is a table: put it in the page's own card,
`<div class="card"><h2 class="card-title">留痕</h2>{% timeline obj %}</div>`.

By default it renders a placeholder that loads the newest entries with htmx from `audit:timeline` (no query
while the page renders); `{% timeline obj lazy=False %}` renders the first entries inline (one query).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.http import urlencode

from zhongshu.audit import selectors, timelines
from zhongshu.core.exceptions import NotFound

register = template.Library()


@register.inclusion_tag("audit/_timeline.html", takes_context=True)
def timeline(context: template.Context, obj: Model, lazy: bool = True) -> dict[str, Any]:
    if obj is None or obj.pk is None:
        return {"url": ""}
    target_type = timelines.type_of(type(obj))
    if timelines.get(target_type) is None:
        return {"url": ""}
    url = reverse("audit:timeline", args=[target_type, obj.pk])
    ctx: dict[str, Any] = {"url": url, "lazy": lazy, "target": obj}
    if not lazy:
        request = context.get("request")
        try:
            page = selectors.timeline_page(actor=getattr(request, "user", None), target=obj)
        except NotFound:
            return {"url": ""}
        ctx.update(
            entries=page.entries,
            offset=0,
            next_url=f"{url}?{urlencode({'offset': str(page.next_offset)})}" if page.has_more else "",
        )
    return ctx
