"""The navigation: each app registers its entries with the permission that opens them; a person sees only
the entries whose permission they hold (the same policy that guards the page itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from . import authz


@dataclass(frozen=True)
class Entry:
    section: str
    label: str
    url_name: str
    perm: str | None = None  # None: every signed-in person
    order: int = 100
    unless_perm: str | None = None  # hidden from those who hold this (they reach the page elsewhere)


_ENTRIES: list[Entry] = []
SECTION_ORDER = ["工作台", "督查督办", "公文", "会议", "值班", "信息", "考核", "系统管理"]


def register(entry: Entry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def sections_for(user: Any) -> list[tuple[str, list[dict[str, str]]]]:
    """[(section, [{"label", "url", "url_name"}...])...] in the fixed section order."""
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for entry in _ENTRIES:
        if entry.perm is not None and authz.scope_of(user, entry.perm) is None:
            continue
        if entry.unless_perm is not None and authz.scope_of(user, entry.unless_perm) is not None:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        grouped.setdefault(entry.section, []).append(
            (entry.order, {"label": entry.label, "url": url, "url_name": entry.url_name})
        )
    order = {name: i for i, name in enumerate(SECTION_ORDER)}
    return [
        (section, [item for _, item in sorted(items, key=lambda pair: pair[0])])
        for section, items in sorted(grouped.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]
