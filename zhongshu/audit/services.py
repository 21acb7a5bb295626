"""Writing to the audit trail. `record` is called by every service, inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from zhongshu.core import clock
from zhongshu.core.middleware import client_address

from . import chain
from .models import ChainHead, Event


def target_type_of(target: models.Model) -> str:
    """"app_label.model" — the stable name of an object's kind in the trail."""
    return target._meta.label_lower


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The given fields of an object as JSON-ready values (foreign keys as their ids)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = getattr(obj, attname)
    return chain.jsonable(result)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    on_behalf_of: Any = None,
) -> Event:
    """Append one event: `verb` is "<app>.<entity>.<past_verb>"; `changes` is {field: [before, after]}."""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        fields: dict[str, Any] = {
            "seq": head.last_seq + 1,
            "occurred_at": clock.now(),
            "actor_id": getattr(actor, "pk", None),
            "actor_name": (getattr(actor, "name", "") or getattr(actor, "username", "")) if actor else "",
            "on_behalf_of_id": getattr(on_behalf_of, "pk", None),
            "on_behalf_of_name": getattr(on_behalf_of, "name", "") if on_behalf_of else "",
            "verb": verb,
            "target_type": target_type_of(target),
            "target_id": str(target.pk),
            "target_repr": str(target)[:200],
            "changes": chain.jsonable(changes or {}),
            "data": chain.jsonable(data or {}),
            "client_address": client_address(),
        }
        event_hash = chain.digest(fields, head.last_hash)
        event = Event(**fields, prev_hash=head.last_hash, hash=event_hash)
        event.save(force_insert=True)
        head.last_seq = event.seq
        head.last_hash = event_hash
        head.save(update_fields=["last_seq", "last_hash"])
        return event
