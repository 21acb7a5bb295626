"""Template tags of the checker, for any module that edits or shows text:

    {% load checking %}
    {% proofread_panel "id_content" doc_key="tracking:item"|doc_key:item.pk doc_type="通知" %}
    {% proofread_dismissals "tracking:item"|doc_key:item.pk %}

`proofread_panel` attaches the editor panel to the textarea with that id (findings beside the text,
underlined in it; without JavaScript nothing changes and the form submits as usual). `proofread_dismissals`
lists the findings that the writers dismissed, with their reasons, for reviewers.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString

from .. import selectors

register = template.Library()


@register.filter
def doc_key(prefix: str, ident: Any) -> str:
    """ "tracking:item"|doc_key:12 → "tracking:item:12" (empty when the id is empty)."""
    if ident in (None, ""):
        return ""
    return f"{prefix}:{ident}"


@register.simple_tag(takes_context=True)
def proofread_panel(context: template.Context, textarea_id: str, doc_key: str = "", doc_type: str = "") -> SafeString:
    """The panel for one textarea (the script is included once per page)."""
    render_context = context.render_context
    first = not render_context.get("proofread_script_done")
    render_context["proofread_script_done"] = True
    return SafeString(
        render_to_string(
            "checking/_panel.html",
            {
                "target": textarea_id,
                "doc_key": doc_key or "",
                "doc_type": doc_type or "",
                "api": reverse("api:proofread"),
                "dismiss_api": reverse("api:proofread_dismiss"),
                "script": static("js/proofread-panel.js") if first else "",
            },
        )
    )


@register.inclusion_tag("checking/_dismissals.html")
def proofread_dismissals(*doc_keys: str) -> dict[str, Any]:
    """The dismissed findings of a document (under any of the given keys) with their reasons."""
    return {"dismissals": selectors.dismissals_for(doc_keys)}
