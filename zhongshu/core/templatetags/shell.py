"""Template helpers of the page shell: the page title, the current navigation entry, the person's roles."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.utils.html import strip_tags

from zhongshu.core import authz

register = template.Library()

_ALERT_CLASSES = {"success": "alert-ok", "error": "alert-error", "warning": "alert-warn"}


@register.simple_tag(takes_context=True)
def block_text(context: template.Context, name: str) -> str:
    """The plain text of the most-derived `{% block name %}` (lets <title> repeat the page's title block,
    which Django allows only once per template)."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    found = block_context.get_block(name) if block_context is not None else None
    if found is None:
        return ""
    with context.push():
        block = BlockNode(found.name, found.nodelist)
        block.context = context
        context["block"] = block
        rendered = block.nodelist.render(context)
    return " ".join(html.unescape(strip_tags(rendered)).split())


@register.simple_tag
def active_nav_url(sections: Sequence[tuple[str, Iterable[Mapping[str, str]]]], path: str) -> str:
    """The URL of the navigation entry the current page belongs to: the longest entry URL that prefixes
    the path ("/" only for the home page itself)."""
    best = ""
    for _section, items in sections:
        for item in items:
            url = item["url"]
            matches = path == url if url == "/" else path.startswith(url)
            if matches and len(url) > len(best):
                best = url
    return best


@register.simple_tag
def role_labels(user: Any) -> list[str]:
    """The Chinese names of the roles the person holds, in the order of DESIGN.md (no query: the grants
    are cached on the user by the permission policy for the request)."""
    from zhongshu.org.choices import Role

    held = {grant.role for grant in authz.grants_of(user)}
    return [str(role.label) for role in Role if role.value in held]


@register.filter
def alert_class(message_tags: str) -> str:
    """The alert class for a Django message's level tag."""
    for tag in message_tags.split():
        if tag in _ALERT_CLASSES:
            return _ALERT_CLASSES[tag]
    return "alert-info"


@register.simple_tag
def elided_pages(page_obj: Any) -> list[int | str]:
    """Page numbers around the current page, with the paginator's ellipsis for the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
