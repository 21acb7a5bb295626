"""Writing to the audit trail. `record` is called by every service, inside its transaction.

Usage from another app's service, after its own row locks are taken and the change is applied:

    from zhongshu.audit import services as audit
    audit.record(actor=actor, verb="org.unit.renamed", target=unit, changes=audit.diff(before, after))

`audit.timelines.register(Model, view_perm=...)` and `audit.verbs.register(verb, label)` are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from zhongshu.core import clock
from zhongshu.core.middleware import client_address

from . import chain, timelines, verbs
from .models import AppendOnlyError, ChainHead, Event, appending

__all__ = ["diff", "record", "snapshot", "target_type_of", "timelines", "verbs"]


def target_type_of(target: models.Model) -> str:
    """ "app_label.model" — the stable name of an object's kind in the trail (proxies share their model's)."""
    return timelines.type_of(type(target))


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The given fields of an object as JSON-ready values (foreign keys as their ids), for `diff`."""
    result: dict[str, Any] = {}
    for name in fields:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            result[name] = getattr(obj, name)
            continue
        result[name] = getattr(obj, getattr(field, "attname", name))
    return chain.jsonable(result)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed (in the order of `after`)."""
    keys = [*after, *(key for key in before if key not in after)]
    return {key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)}


def _person_name(person: Any) -> str:
    if person is None:
        return ""
    name = getattr(person, "name", "") or getattr(person, "username", "") or str(person)
    return chain.clean_text(name)[:60]


def _check_changes(changes: Mapping[str, Any]) -> None:
    for field, pair in changes.items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"audit changes[{field!r}] must be [before, after], got {pair!r}")


def _lock_head() -> ChainHead:
    """Lock the chain head; create it for the very first event only (a new or flushed database)."""
    head, created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    if created and Event.objects.exists():  # the head was deleted: refuse rather than fork the chain
        raise AppendOnlyError("留痕链头缺失，无法追加留痕。请运行 zhongshu audit verify 检查并联系系统管理员。")
    return head


def record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    on_behalf_of: Any = None,
) -> Event:
    """Append one event to the trail: who did `verb` ("<app>.<entity>.<past_verb>") to `target`, with
    `changes` as {field: [before, after]}. Call it last in the service's transaction, after its own row locks:
    appends are serialised on the chain head until that transaction commits. It opens no savepoint: if it
    fails, the service's whole transaction fails with it."""
    if not verbs.is_valid(verb):
        raise ValueError(f"audit verb {verb!r} must look like '<app>.<entity>.<past_verb>'")
    if target.pk is None:
        raise ValueError("audit.record needs a saved target")
    target_id = str(target.pk)
    if len(target_id) > 40:
        raise ValueError("audit target id longer than 40 characters")
    if changes:
        _check_changes(changes)
    if on_behalf_of is not None and actor is not None and getattr(on_behalf_of, "pk", None) == actor.pk:
        on_behalf_of = None
    with transaction.atomic(savepoint=False):  # no subtransaction per event inside a service
        head = _lock_head()
        fields: dict[str, Any] = {
            "seq": head.last_seq + 1,
            "occurred_at": clock.now(),
            "actor_id": getattr(actor, "pk", None),
            "actor_name": _person_name(actor),
            "on_behalf_of_id": getattr(on_behalf_of, "pk", None),
            "on_behalf_of_name": _person_name(on_behalf_of),
            "verb": verb,
            "target_type": target_type_of(target),
            "target_id": target_id,
            "target_repr": chain.clean_text(str(target))[:200],
            "changes": chain.jsonable(changes or {}),
            "data": chain.jsonable(data or {}),
            "client_address": chain.normalize_address(client_address()),
        }
        event_hash = chain.digest(fields, head.last_hash)
        event = Event(**fields, prev_hash=head.last_hash, hash=event_hash)
        with appending():
            event.save()
        head.last_seq = event.seq
        head.last_hash = event_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event
