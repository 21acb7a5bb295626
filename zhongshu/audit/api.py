"""An object's timeline over the API: `GET /api/v1/audit/timeline?type=org.unit&id=5`, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from . import selectors, verbs
from .models import Event

router = Router(tags=["留痕"])


class PersonRef(Schema):
    id: int | None
    name: str


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor: PersonRef | None
    on_behalf_of: PersonRef | None
    actor_display: str
    verb: str
    verb_label: str
    changes: dict[str, Any]
    data: dict[str, Any]
    client_address: str | None


class TimelineOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


def _event_out(event: Event) -> dict[str, Any]:
    actor = {"id": event.actor_id, "name": event.actor_name} if event.actor_id or event.actor_name else None
    principal = (
        {"id": event.on_behalf_of_id, "name": event.on_behalf_of_name}
        if event.on_behalf_of_id or event.on_behalf_of_name
        else None
    )
    return {
        "seq": event.seq,
        "occurred_at": timezone.localtime(event.occurred_at),
        "actor": actor,
        "on_behalf_of": principal,
        "actor_display": event.actor_display,
        "verb": event.verb,
        "verb_label": verbs.label(event.verb),
        "changes": event.changes,
        "data": event.data,
        "client_address": event.client_address,
    }


@router.get("/timeline", response=TimelineOut, summary="对象的留痕时间线（新的在前）")
def timeline(
    request: HttpRequest,
    target_type: str = Query(..., alias="type", description="对象类型，如 org.unit"),
    target_id: str = Query(..., alias="id", description="对象编号"),
    limit: int = Query(50, ge=1, le=200, description="每次最多返回的条数（1–200）"),
    offset: int = Query(0, ge=0, description="跳过的条数"),
) -> dict[str, Any]:
    """400 for an unknown type or malformed id, 404 when the object is missing or its timeline hidden."""
    target = selectors.timeline_target(actor=request.user, target_type=target_type, target_id=target_id)
    events = selectors.timeline_events(actor=request.user, target=target, offset=offset, limit=limit)
    return {
        "count": selectors.timeline_count(actor=request.user, target=target),
        "limit": limit,
        "offset": offset,
        "items": [_event_out(event) for event in events],
    }
