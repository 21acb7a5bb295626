"""The approved texts of modules that do not register them themselves (read here, without touching their
code): tracking's verified completion reports and verification remarks of closed items."""

from __future__ import annotations

from collections.abc import Iterator


def closed_item_texts() -> Iterator[str]:
    """The completion reports and verification texts (entries of kind report and verify) of closed items."""
    from zhongshu.tracking.choices import EntryKind, Status
    from zhongshu.tracking.models import Entry

    rows = (
        Entry.objects.filter(item__status=Status.CLOSED, kind__in=[EntryKind.REPORT, EntryKind.VERIFY])
        .exclude(text="")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    yield from rows.iterator(chunk_size=500)


def may_see_item(actor: object, ident: str) -> bool:
    """The dismissals of an item's texts are read by those who may see the item."""
    from zhongshu.tracking.selectors import visible_items

    return ident.isdigit() and visible_items(actor).filter(pk=int(ident)).exists()
