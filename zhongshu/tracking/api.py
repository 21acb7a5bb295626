"""督查督办 over the API (`/api/v1/tracking/`): the same selectors, services and permission policy as the pages.

Integrations (a 12345 hotline pushing items, other modules' clients) rely on these names: keep them.

- `POST /items` registers an item (201; 409 for a duplicate submission, with the existing item).
- `POST /items/{id}/{action}` takes one step of the lifecycle; the action names are those that
  `selectors.available_actions` lists in the item's `actions`. Answers 200 with the item.
- `GET /items` lists the visible items with the board's filters (50 a page, a fixed number of queries);
  `GET /items/{id}` gives everything about one item, with its audit timeline.
- `GET /ledger.xlsx` streams the ledger with the list's filters; the statistics endpoints come from
  `api_stats.py`.

Who may not see an item gets 404; who sees it but may not take the step (a co-operating unit's liaison
signing for the lead unit, a leader closing an item) gets 403.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

import pydantic
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status as HttpStatus

from zhongshu.audit import selectors as audit_selectors
from zhongshu.audit import verbs as audit_verbs
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import NotFound, ValidationFailed
from zhongshu.org.models import Person, Unit
from zhongshu.workdays.core import MAX_YEAR, MIN_YEAR

from . import permissions as perms
from . import selectors, services
from .choices import (
    Colour,
    DeclineStatus,
    EntryKind,
    ExtensionStatus,
    NoticeLevel,
    PartRole,
    Rating,
    SourceType,
    Status,
    Urgency,
)
from .models import Attachment, Item, Part

router = Router(tags=["督查督办"])

PAGE_SIZE = 50
TIMELINE_LIMIT = 500
DUE_FORMAT = "时间格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SS+08:00。"


# Output schemas ---------------------------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class PersonRef(Schema):
    username: str
    name: str


class ItemRef(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    lead_unit: UnitRef


class ItemSummaryOut(Schema):
    """An item as lists show it."""

    id: int
    number: str
    title: str
    status: str
    status_label: str
    source_type: str
    source_type_label: str
    due_mode: str
    due_in_workdays: int | None
    due_at: dt.datetime | None = Field(description="现行办结时限；按工作日计算的事项在签收前为 null")
    original_due_at: dt.datetime | None
    overdue: bool
    overdue_workdays: int
    colour: str = Field(description="green 正常、yellow 临近到期或进度滞后、red 超期、grey 已结束")
    lead_unit: UnitRef
    co_units: list[UnitRef]
    officer: PersonRef | None
    instructing_leader: PersonRef | None
    urgency: str
    urgency_label: str
    created_at: dt.datetime
    assigned_at: dt.datetime | None
    accepted_at: dt.datetime | None
    reported_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_on_time: bool | None
    rating: str
    rating_label: str
    parent: ItemRef | None
    children: list[ItemRef]


class ItemOut(ItemSummaryOut):
    """An item with what the caller may do to it now."""

    actions: list[str] = Field(description="调用者当前可以进行的操作（即 POST /items/{id}/{action} 的 action）")


class ItemPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemSummaryOut]


class ConflictOut(Schema):
    detail: str
    errors: dict[str, list[str]]
    item: ItemOut


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str
    entry_id: int | None
    uploaded_at: dt.datetime


class EntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit: UnitRef | None
    author: str
    recorded_by: str | None = Field(description="代为录入的人（文秘代领导录入再批示时），否则为 null")
    text: str
    rating: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class PartOut(Schema):
    unit: UnitRef
    role: str
    role_label: str
    last_report_at: dt.datetime | None
    report_count: int


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None
    note: str
    late: bool


class DeadlineChangeOut(Schema):
    before: dt.datetime | None
    after: dt.datetime
    reason: str
    changed_at: dt.datetime
    changed_by: str


class ExtensionOut(Schema):
    id: int
    status: str
    status_label: str
    requested_by: str
    requested_at: dt.datetime
    reason: str
    proposed_due_at: dt.datetime
    previous_due_at: dt.datetime
    extra_workdays: int
    needs_leader: bool
    decided_by: str
    decided_at: dt.datetime | None
    comment: str


class DeclineOut(Schema):
    id: int
    status: str
    status_label: str
    unit: UnitRef
    declined_by: str
    declined_at: dt.datetime
    reason: str
    new_unit: UnitRef | None
    decided_by: str
    decided_at: dt.datetime | None
    comment: str


class NoticeOut(Schema):
    id: int
    level: str
    level_label: str
    number: str
    unit: UnitRef
    issued_at: dt.datetime
    due_at: dt.datetime | None
    overdue_workdays: int
    reason: str
    bulletin_no: str
    url: str = Field(description="可打印的通知（DOCX）")


class EventRef(Schema):
    id: int | None
    name: str


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor: EventRef | None
    on_behalf_of: EventRef | None
    verb: str
    verb_label: str
    changes: dict[str, Any]
    data: dict[str, Any]


class SourceOut(Schema):
    type: str
    id: str
    label: str
    url: str


class FeedbackOut(Schema):
    cycle: str
    cycle_label: str
    weekday: int | None
    day: int | None
    every: int | None


class ItemDetailOut(ItemOut):
    content: str
    instruction: str
    instructed_on: dt.date | None
    source: SourceOut | None
    feedback: FeedbackOut
    extended_in_time: bool
    accepted_auto: bool
    sign_late_workdays: int
    returned_count: int
    cancelled_at: dt.datetime | None
    cancel_reason: str
    closed_on_time_original: bool | None
    parts: list[PartOut]
    milestones: list[MilestoneOut]
    entries: list[EntryOut]
    deadline_changes: list[DeadlineChangeOut]
    extensions: list[ExtensionOut]
    declines: list[DeclineOut]
    notices: list[NoticeOut]
    attachments: list[AttachmentOut]
    timeline_count: int
    timeline: list[EventOut] = Field(description=f"留痕（新的在前，最多 {TIMELINE_LIMIT} 条）")


class CountOut(Schema):
    count: int


# Input schemas ----------------------------------------------------------------------------------------------
# Plain pydantic models, not ninja Schemas: a Schema reads any object by its attributes, so a JSON string body
# would be taken as an object ("title" → str.title()). These refuse anything but a JSON object.


class In(pydantic.BaseModel):
    """Base of request bodies (pydantic, not ninja's Schema: only a JSON object validates)."""


class FeedbackIn(In):
    cycle: str = Field("", description="weekly 每周、monthly 每月、workdays 每 N 个工作日，空为不定期")
    weekday: int | None = Field(None, description="每周反馈：0=周一 … 6=周日")
    day: int | None = Field(None, description="每月反馈日：1—28")
    every: int | None = Field(None, description="每 N 个工作日")


class MilestoneIn(In):
    title: str
    due_on: dt.date


class ItemCreateIn(In):
    title: str
    content: str = ""
    source_type: str = Field(..., description="、".join(SourceType.values))
    lead_unit: str | None = Field(None, description="牵头单位代码")
    co_units: list[str] = Field(default_factory=list, description="配合单位代码")
    due_in_workdays: int | None = Field(None, description="签收次日起算的工作日数（与 due_at 二者选一）")
    due_at: str | None = Field(None, description="办结时限，ISO 8601 日期（当日下班时间）或日期时间")
    instruction: str = Field("", description="批示内容（照录）")
    instructing_leader: str | None = Field(None, description="批示领导的用户名")
    instructed_on: dt.date | None = None
    urgency: str = Field(Urgency.NORMAL.value, description="、".join(Urgency.values))
    officer: str | None = Field(None, description="督查员的用户名（缺省为登记的督查员本人）")
    feedback: FeedbackIn | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list)
    source_label: str = Field("", description="来源说明，例如热线工单号")
    assign: bool = Field(False, description="登记后立即交办")
    request_key: str | None = Field(
        None, max_length=64, description="提交标识：同一标识只登记一次（也可用请求头 Idempotency-Key）"
    )


class ItemEditIn(In):
    title: str | None = None
    content: str | None = None
    officer: str | None = None
    urgency: str | None = None
    co_units: list[str] | None = None
    due_at: str | None = None
    due_in_workdays: int | None = None
    feedback: FeedbackIn | None = None


class SplitIn(In):
    units: list[str] = Field(..., description="承办单位代码（至少两个）")


class ReasonIn(In):
    reason: str = ""


class DecideDeclineIn(In):
    reassign_to: str | None = Field(None, description="改派单位代码；null 为坚持交办")
    comment: str = ""


class TextIn(In):
    text: str = ""
    unit: str | None = Field(None, description="以哪个单位的名义反馈（联络员兼管多个单位时）")


class ExtendIn(In):
    reason: str = ""
    due_at: str | None = Field(None, description="申请延至：ISO 8601 日期或日期时间")


class DecideExtensionIn(In):
    approve: bool
    comment: str = ""


class CloseIn(In):
    rating: str = Field("", description="、".join(Rating.values))
    comment: str = ""


class RemindIn(In):
    message: str = ""


class RemindManyIn(In):
    ids: list[int]
    message: str = ""


class InstructIn(In):
    text: str = ""
    on_behalf_of: str | None = Field(None, description="代哪位领导录入（用户名；文秘代领导）")


class MilestoneDoneIn(In):
    milestone_id: int
    done_on: dt.date
    note: str = ""


# Helpers ----------------------------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):
        raise NotFound()
    return user


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _unit_ref(unit: Unit | None) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.short_name} if unit is not None else None


def _person_ref(person: Person | None) -> dict[str, str] | None:
    return {"username": person.username, "name": person.name} if person is not None else None


def _unit_by_code(errors: dict[str, str], field: str, code: str | None) -> int | None:
    code = (code or "").strip()
    if not code:
        return None
    unit_id = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
    if unit_id is None:
        errors[field] = f"没有代码为“{code}”的单位。"
    return unit_id


def _units_by_code(errors: dict[str, str], field: str, codes: Sequence[str]) -> list[int]:
    wanted = [c.strip() for c in codes if c and c.strip()]
    found = dict(Unit.objects.filter(code__in=wanted).values_list("code", "pk"))
    missing = [c for c in wanted if c not in found]
    if missing:
        errors[field] = f"没有代码为“{'”“'.join(missing)}”的单位。"
    return [found[c] for c in wanted if c in found]


def _person_by_username(errors: dict[str, str], field: str, username: str | None, label: str) -> Person | None:
    username = (username or "").strip()
    if not username:
        return None
    person = Person.objects.filter(username=username).first()
    if person is None:
        errors[field] = f"没有用户名为“{username}”的{label}。"
    return person


def _moment(errors: dict[str, str], field: str, raw: str | None) -> dt.datetime | dt.date | None:
    """An ISO 8601 date (the end of that working day, decided by the service) or date-time (a value without
    an offset is read as local time), within the years the working-day calendar answers for."""
    text = (raw or "").strip()
    if not text:
        return None
    value: dt.datetime | dt.date
    try:
        value = dt.date.fromisoformat(text) if len(text) == 10 else clock.localtime(dt.datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        errors[field] = f"“{text[:40]}”不是有效的时间：{DUE_FORMAT}"
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        errors[field] = f"时间超出工作日历支持的范围（{MIN_YEAR}—{MAX_YEAR}年）。"
        return None
    return value


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _feedback(data: FeedbackIn | None) -> services.Feedback | None:
    if data is None:
        return None
    return services.Feedback(cycle=data.cycle or "", weekday=data.weekday, day=data.day, every=data.every)


def _overdue_workdays(item: Item, now: dt.datetime, cal: Any) -> int:
    return selectors.overdue_workdays(item, now, cal)


def _item_ref(item: Item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "status": item.status,
        "status_label": item.get_status_display(),
        "lead_unit": _unit_ref(item.lead_unit),
    }


def _summary(item: Item, now: dt.datetime, cal: Any) -> dict[str, Any]:
    """The fields of ItemSummaryOut. `item` comes from `_items()` (annotated, related rows prefetched)."""
    parts = list(item.parts.all())
    overdue = getattr(item, "is_overdue", None)
    return {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "status": item.status,
        "status_label": item.get_status_display(),
        "source_type": item.source_type,
        "source_type_label": item.get_source_type_display(),
        "due_mode": item.due_mode,
        "due_in_workdays": item.due_workdays,
        "due_at": _local(item.due_at),
        "original_due_at": _local(item.original_due_at),
        "overdue": bool(overdue) if overdue is not None else selectors.is_overdue(item, now),
        "overdue_workdays": _overdue_workdays(item, now, cal),
        "colour": getattr(item, "colour", "") or Colour.GREY.value,
        "lead_unit": _unit_ref(item.lead_unit),
        "co_units": [_unit_ref(part.unit) for part in parts if part.role == PartRole.CO],
        "officer": _person_ref(item.officer),
        "instructing_leader": _person_ref(item.instructing_leader),
        "urgency": item.urgency,
        "urgency_label": item.get_urgency_display(),
        "created_at": _local(item.created_at),
        "assigned_at": _local(item.assigned_at),
        "accepted_at": _local(item.accepted_at),
        "reported_at": _local(item.reported_at),
        "closed_at": _local(item.closed_at),
        "closed_on_time": item.closed_on_time,
        "rating": item.rating,
        "rating_label": item.get_rating_display() if item.rating else "",
        "parent": _item_ref(item.parent) if item.parent_id and item.parent is not None else None,
        "children": [_item_ref(child) for child in item.children.all()],
    }


def _items(user: Any, now: dt.datetime) -> QuerySet[Item]:
    """Visible items with their state and the related rows a summary shows (a fixed number of queries)."""
    return (
        selectors.with_state(selectors.visible_items(user), now)
        .select_related("lead_unit", "officer", "instructing_leader", "parent__lead_unit")
        .prefetch_related(
            Prefetch("parts", queryset=Part.objects.select_related("unit").order_by("role", "unit__display_order")),
            Prefetch("children", queryset=Item.objects.select_related("lead_unit").order_by("sub")),
        )
    )


def _calendar() -> Any:
    from zhongshu.workdays.selectors import calendar

    return calendar()


def _fetch(user: Any, item_id: int, now: dt.datetime) -> Item:
    item = _items(user, now).filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def _item_out(user: Any, item_id: int) -> dict[str, Any]:
    now = clock.now()
    item = _fetch(user, item_id, now)
    return {**_summary(item, now, _calendar()), "actions": selectors.available_actions(user, item, now)}


def _attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": reverse("tracking:attachment", args=[attachment.pk]),
        "entry_id": attachment.entry_id,
        "uploaded_at": _local(attachment.uploaded_at),
    }


def _event_out(event: Any) -> dict[str, Any]:
    actor = {"id": event.actor_id, "name": event.actor_name} if event.actor_id or event.actor_name else None
    principal = (
        {"id": event.on_behalf_of_id, "name": event.on_behalf_of_name}
        if event.on_behalf_of_id or event.on_behalf_of_name
        else None
    )
    return {
        "seq": event.seq,
        "occurred_at": _local(event.occurred_at),
        "actor": actor,
        "on_behalf_of": principal,
        "verb": event.verb,
        "verb_label": audit_verbs.label(event.verb),
        "changes": event.changes,
        "data": event.data,
    }


def _detail(user: Any, item_id: int) -> dict[str, Any]:
    now = clock.now()
    item = _fetch(user, item_id, now)
    out = {**_summary(item, now, _calendar()), "actions": selectors.available_actions(user, item, now)}
    attachments = list(item.attachments.order_by("uploaded_at", "id"))
    by_entry: dict[int, list[dict[str, Any]]] = {}
    for attachment in attachments:
        if attachment.entry_id is not None:
            by_entry.setdefault(attachment.entry_id, []).append(_attachment_out(attachment))
    today = clock.localtime(now).date()
    entries = item.entries.select_related("unit", "recorded_by").order_by("created_at", "id")
    out.update(
        content=item.content,
        instruction=item.instruction,
        instructed_on=item.instructed_on,
        source=(
            {"type": item.source_model, "id": item.source_id, "label": item.source_label, "url": item.source_url}
            if item.source_model or item.source_label
            else None
        ),
        feedback={
            "cycle": item.feedback_cycle,
            "cycle_label": item.get_feedback_cycle_display(),
            "weekday": item.feedback_weekday,
            "day": item.feedback_day,
            "every": item.feedback_every,
        },
        extended_in_time=item.extended_in_time,
        accepted_auto=item.accepted_auto,
        sign_late_workdays=item.sign_late_workdays,
        returned_count=item.returned_count,
        cancelled_at=_local(item.cancelled_at),
        cancel_reason=item.cancel_reason,
        closed_on_time_original=item.closed_on_time_original,
        parts=[
            {
                "unit": _unit_ref(part.unit),
                "role": part.role,
                "role_label": part.get_role_display(),
                "last_report_at": _local(part.last_report_at),
                "report_count": part.report_count,
            }
            for part in sorted(item.parts.all(), key=lambda p: (p.role != PartRole.LEAD, p.unit.display_order))
        ],
        milestones=[
            {
                "id": m.pk,
                "title": m.title,
                "due_on": m.due_on,
                "done_on": m.done_on,
                "note": m.note,
                "late": (m.done_on or today) > m.due_on,
            }
            for m in item.milestones.order_by("due_on", "id")
        ],
        entries=[
            {
                "id": entry.pk,
                "kind": entry.kind,
                "kind_label": EntryKind(entry.kind).label,
                "unit": _unit_ref(entry.unit),
                "author": entry.author_name,
                "recorded_by": entry.recorded_by.name if entry.recorded_by is not None else None,
                "text": entry.text,
                "rating": entry.rating,
                "created_at": _local(entry.created_at),
                "attachments": by_entry.get(entry.pk, []),
            }
            for entry in entries
        ],
        deadline_changes=[
            {
                "before": _local(change.before),
                "after": _local(change.after),
                "reason": change.reason,
                "changed_at": _local(change.changed_at),
                "changed_by": change.changed_by_name,
            }
            for change in item.deadline_changes.order_by("changed_at", "id")
        ],
        extensions=[
            {
                "id": ext.pk,
                "status": ext.status,
                "status_label": ExtensionStatus(ext.status).label,
                "requested_by": ext.requested_by_name,
                "requested_at": _local(ext.requested_at),
                "reason": ext.reason,
                "proposed_due_at": _local(ext.proposed_due_at),
                "previous_due_at": _local(ext.previous_due_at),
                "extra_workdays": ext.extra_workdays,
                "needs_leader": ext.needs_leader,
                "decided_by": ext.decided_by_name,
                "decided_at": _local(ext.decided_at),
                "comment": ext.comment,
            }
            for ext in item.extensions.order_by("requested_at", "id")
        ],
        declines=[
            {
                "id": decline.pk,
                "status": decline.status,
                "status_label": DeclineStatus(decline.status).label,
                "unit": _unit_ref(decline.unit),
                "declined_by": decline.declined_by_name,
                "declined_at": _local(decline.declined_at),
                "reason": decline.reason,
                "new_unit": _unit_ref(decline.new_unit),
                "decided_by": decline.decided_by_name,
                "decided_at": _local(decline.decided_at),
                "comment": decline.comment,
            }
            for decline in item.declines.select_related("unit", "new_unit").order_by("declined_at", "id")
        ],
        notices=[
            {
                "id": notice.pk,
                "level": notice.level,
                "level_label": NoticeLevel(notice.level).label,
                "number": notice.number,
                "unit": _unit_ref(notice.unit),
                "issued_at": _local(notice.issued_at),
                "due_at": _local(notice.due_at),
                "overdue_workdays": notice.overdue_workdays,
                "reason": notice.reason,
                "bulletin_no": notice.bulletin_no,
                "url": reverse("tracking:notice_docx", args=[notice.pk]),
            }
            for notice in item.notices.select_related("unit").order_by("issued_at", "id")
        ],
        attachments=[_attachment_out(a) for a in attachments],
        timeline_count=audit_selectors.timeline_count(actor=user, target=item),
        timeline=[
            _event_out(e) for e in audit_selectors.timeline_events(actor=user, target=item, limit=TIMELINE_LIMIT)
        ],
    )
    return out


def _visible_id(user: Any, item_id: int) -> int:
    """404 unless `user` may see the item (before any service is asked to change it)."""
    if not selectors.visible_items(user).filter(pk=item_id).exists():
        raise NotFound()
    return item_id


def _body(request: HttpRequest, schema: type[pydantic.BaseModel]) -> tuple[Any, list[UploadedFile]]:
    """The request's fields as `schema`, from JSON or from a multipart form (with its `attachments` files)."""
    content_type = (request.content_type or "").lower()
    files: list[UploadedFile] = []
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        data: Any = {key: request.POST.get(key) for key in request.POST}
        files = list(request.FILES.getlist("attachments"))
    elif not request.body.strip():
        data = {}
    else:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise NinjaValidationError([{"type": "json_invalid", "loc": ("body",), "msg": ""}]) from None
    if not isinstance(data, dict):
        raise NinjaValidationError([{"type": "model_attributes_type", "loc": ("body",), "msg": ""}])
    try:
        return schema.model_validate(data), files
    except pydantic.ValidationError as exc:
        raise NinjaValidationError([dict(e) for e in exc.errors()]) from None


def _text_body_openapi(text_label: str) -> dict[str, Any]:
    fields = {
        "text": {"type": "string", "description": text_label},
        "unit": {"type": "string", "description": "以哪个单位的名义反馈（单位代码，可省略）"},
    }
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object", "properties": fields}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            **fields,
                            "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            }
        }
    }


# Items ------------------------------------------------------------------------------------------------------


@router.post(
    "/items",
    response={201: ItemOut, 409: ConflictOut},
    summary="登记督办事项（assign=true 同时交办）",
    description="重复提交（同一 request_key 或请求头 Idempotency-Key，或一分钟内同名同牵头单位）答 409，"
    "body 中 item 为已登记的事项。",
)
def item_create(request: HttpRequest, payload: ItemCreateIn) -> HttpStatus[Any]:
    actor = _actor(request)
    authz.require(actor, perms.ITEM_CREATE)
    errors: dict[str, str] = {}
    lead_id = _unit_by_code(errors, "lead_unit", payload.lead_unit)
    co_ids = _units_by_code(errors, "co_units", payload.co_units)
    leader = _person_by_username(errors, "instructing_leader", payload.instructing_leader, "领导")
    officer = _person_by_username(errors, "officer", payload.officer, "督查员")
    due_at = _moment(errors, "due_at", payload.due_at)
    _raise(errors)
    key = payload.request_key or request.headers.get("Idempotency-Key") or None
    try:
        item = services.item_create(
            actor=actor,
            title=payload.title,
            content=payload.content,
            source_type=payload.source_type,
            lead_unit_id=lead_id,
            co_unit_ids=co_ids,
            due_at=due_at,
            due_in_workdays=payload.due_in_workdays,
            instruction=payload.instruction,
            instructing_leader_id=leader.pk if leader else None,
            instructed_on=payload.instructed_on,
            urgency=payload.urgency,
            officer_id=officer.pk if officer else None,
            feedback=_feedback(payload.feedback),
            milestones=[services.MilestoneIn(m.title, m.due_on) for m in payload.milestones],
            source_label=payload.source_label,
            request_key=key[:64] if key else None,
            assign=payload.assign,
        )
    except services.DuplicateSubmission as exc:
        return HttpStatus(
            409,
            {
                "detail": exc.message,
                "errors": {"request_key": [exc.message]},
                "item": _item_out(actor, exc.item.pk),
            },
        )
    return HttpStatus(201, _item_out(actor, item.pk))


def _filters(
    errors: dict[str, str],
    *,
    unit: str | None,
    status: str | None,
    overdue: bool | None,
    source_type: str | None,
    due_before: dt.date | None,
    colour: str | None,
    leader: str | None,
    officer: str | None,
    q: str | None,
    due_this_week: bool,
    parent: int | None,
) -> selectors.Filters:
    if status and status not in Status.values and status != "open":
        errors["status"] = f"状态无效，可选：{'、'.join([*Status.values, 'open'])}。"
    if source_type and source_type not in SourceType.values:
        errors["source_type"] = f"事项来源无效，可选：{'、'.join(SourceType.values)}。"
    if colour and colour not in Colour.values:
        errors["colour"] = f"颜色无效，可选：{'、'.join(Colour.values)}。"
    unit_id = _unit_by_code(errors, "unit", unit)
    leader_person = _person_by_username(errors, "leader", leader, "领导")
    officer_person = _person_by_username(errors, "officer", officer, "督查员")
    _raise(errors)
    return selectors.Filters(
        unit=unit_id,
        status=status or "",
        source_type=source_type or "",
        leader=leader_person.pk if leader_person else None,
        officer=officer_person.pk if officer_person else None,
        overdue=overdue,
        due_this_week=due_this_week,
        due_before=due_before,
        colour=colour or "",
        q=(q or "").strip()[:100],
        parent=parent,
    )


class ListQuery(Schema):
    unit: str | None = Field(None, description="单位代码（牵头或配合）")
    status: str | None = Field(None, description="状态；open 为办理中的全部（待签收、办理中、待核查）")
    overdue: bool | None = None
    source_type: str | None = None
    due_before: dt.date | None = Field(None, description="办结时限不晚于该日")
    colour: str | None = Field(None, description="green、yellow、red、grey")
    leader: str | None = Field(None, description="批示领导的用户名")
    officer: str | None = Field(None, description="督查员的用户名")
    q: str | None = Field(None, description="按名称、编号、批示内容查找")
    due_this_week: bool = False
    parent: int | None = Field(None, description="某一分解事项的子事项")
    sort: str = Field("-number", description="、".join(selectors.SORTS))


def _list_filters(query: ListQuery) -> selectors.Filters:
    errors: dict[str, str] = {}
    if query.sort not in selectors.SORTS:
        errors["sort"] = f"排序方式无效，可选：{'、'.join(selectors.SORTS)}。"
    return _filters(
        errors,
        unit=query.unit,
        status=query.status,
        overdue=query.overdue,
        source_type=query.source_type,
        due_before=query.due_before,
        colour=query.colour,
        leader=query.leader,
        officer=query.officer,
        q=query.q,
        due_this_week=query.due_this_week,
        parent=query.parent,
    )


@router.get("/items", response=ItemPageOut, summary="督办事项列表（每页 50 条）")
def item_list(request: HttpRequest, query: Query[ListQuery], page: int = 1) -> dict[str, Any]:
    actor = _actor(request)
    if page < 1:
        raise ValidationFailed({"page": "页码应从 1 开始。"})
    filters = _list_filters(query)
    now = clock.now()
    qs = selectors.filter_items(_items(actor, now), filters, now).order_by(*selectors.SORTS[query.sort])
    count = qs.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    cal = _calendar()
    return {"count": count, "page": page, "pages": pages, "items": [_summary(item, now, cal) for item in rows]}


@router.get("/items/{item_id}", response=ItemDetailOut, summary="督办事项详情（含办理记录和留痕）")
def item_detail(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _detail(_actor(request), item_id)


# Lifecycle actions ---------------------------------------------------------------------------------------------


@router.post("/items/{item_id}/assign", response=ItemOut, summary="交办")
def item_assign(request: HttpRequest, item_id: int) -> dict[str, Any]:
    actor = _actor(request)
    services.item_assign(actor=actor, item=_visible_id(actor, item_id))
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/accept", response=ItemOut, summary="签收（工作日时限次日起算）")
def item_accept(request: HttpRequest, item_id: int) -> dict[str, Any]:
    actor = _actor(request)
    services.item_accept(actor=actor, item=_visible_id(actor, item_id))
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/decline", response=ItemOut, summary="退办（说明理由，由督查员处理）")
def item_decline(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    actor = _actor(request)
    services.item_decline(actor=actor, item=_visible_id(actor, item_id), reason=payload.reason)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/decide-decline", response=ItemOut, summary="处理退办：改派或坚持交办")
def item_decide_decline(request: HttpRequest, item_id: int, payload: DecideDeclineIn) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    errors: dict[str, str] = {}
    unit_id = _unit_by_code(errors, "reassign_to", payload.reassign_to)
    _raise(errors)
    services.decline_decide(actor=actor, item=item_id, reassign_to_id=unit_id, comment=payload.comment)
    return _item_out(actor, item_id)


def _unit_for(payload: TextIn) -> int | None:
    errors: dict[str, str] = {}
    unit_id = _unit_by_code(errors, "unit", payload.unit)
    _raise(errors)
    return unit_id


@router.post(
    "/items/{item_id}/progress",
    response=ItemOut,
    summary="反馈进展（JSON，或 multipart 表单带附件 attachments）",
    openapi_extra=_text_body_openapi("进展情况（与附件至少其一）"),
)
def item_progress(request: HttpRequest, item_id: int) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    payload, files = _body(request, TextIn)
    services.item_progress(actor=actor, item=item_id, text=payload.text, attachments=files, unit_id=_unit_for(payload))
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/milestone-done", response=ItemOut, summary="报告节点完成")
def item_milestone_done(request: HttpRequest, item_id: int, payload: MilestoneDoneIn) -> dict[str, Any]:
    actor = _actor(request)
    services.milestone_done(
        actor=actor,
        item=_visible_id(actor, item_id),
        milestone_id=payload.milestone_id,
        done_on=payload.done_on,
        note=payload.note,
    )
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/extend", response=ItemOut, summary="申请延期（到期前，说明理由和延至日期）")
def item_extend(request: HttpRequest, item_id: int, payload: ExtendIn) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    errors: dict[str, str] = {}
    due_at = _moment(errors, "due_at", payload.due_at)
    if due_at is None:
        raise ValidationFailed({"due_at": errors.get("due_at", "请填写申请延至的日期。")})
    services.extension_request(actor=actor, item=item_id, reason=payload.reason, due_at=due_at)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/decide-extension", response=ItemOut, summary="审批延期")
def item_decide_extension(request: HttpRequest, item_id: int, payload: DecideExtensionIn) -> dict[str, Any]:
    actor = _actor(request)
    services.extension_decide(
        actor=actor, item=_visible_id(actor, item_id), approve=payload.approve, comment=payload.comment
    )
    return _item_out(actor, item_id)


@router.post(
    "/items/{item_id}/report",
    response=ItemOut,
    summary="报送办结报告（JSON，或 multipart 表单带附件 attachments）",
    openapi_extra=_text_body_openapi("办结情况"),
)
def item_report(request: HttpRequest, item_id: int) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    payload, files = _body(request, TextIn)
    services.item_report(actor=actor, item=item_id, text=payload.text, attachments=files)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/close", response=ItemOut, summary="核查办结（质量评价）")
def item_close(request: HttpRequest, item_id: int, payload: CloseIn) -> dict[str, Any]:
    actor = _actor(request)
    services.item_close(actor=actor, item=_visible_id(actor, item_id), rating=payload.rating, comment=payload.comment)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/return", response=ItemOut, summary="退回重办（说明理由）")
def item_return(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    actor = _actor(request)
    services.item_return(actor=actor, item=_visible_id(actor, item_id), reason=payload.reason)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/cancel", response=ItemOut, summary="撤销（说明原因）")
def item_cancel(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    actor = _actor(request)
    services.item_cancel(actor=actor, item=_visible_id(actor, item_id), reason=payload.reason)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/remind", response=ItemOut, summary="催办")
def item_remind(request: HttpRequest, item_id: int, payload: RemindIn) -> dict[str, Any]:
    actor = _actor(request)
    services.item_remind(actor=actor, item=_visible_id(actor, item_id), message=payload.message)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/instruct", response=ItemOut, summary="再批示（文秘可代领导录入）")
def item_instruct(request: HttpRequest, item_id: int, payload: InstructIn) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    errors: dict[str, str] = {}
    principal = _person_by_username(errors, "on_behalf_of", payload.on_behalf_of, "领导")
    _raise(errors)
    services.item_instruct(actor=actor, item=item_id, text=payload.text, on_behalf_of=principal)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/edit", response=ItemOut, summary="修改事项（时限只能在交办前修改）")
def item_edit(request: HttpRequest, item_id: int, payload: ItemEditIn) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    errors: dict[str, str] = {}
    officer = _person_by_username(errors, "officer", payload.officer, "督查员")
    co_ids = _units_by_code(errors, "co_units", payload.co_units) if payload.co_units is not None else None
    due_at = _moment(errors, "due_at", payload.due_at)
    _raise(errors)
    services.item_update(
        actor=actor,
        item=item_id,
        title=payload.title,
        content=payload.content,
        officer_id=officer.pk if officer else None,
        urgency=payload.urgency,
        co_unit_ids=co_ids,
        due_at=due_at,
        due_in_workdays=payload.due_in_workdays,
        feedback=_feedback(payload.feedback),
    )
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/split", response=ItemOut, summary="分解为各单位的子事项（交办前）")
def item_split(request: HttpRequest, item_id: int, payload: SplitIn) -> dict[str, Any]:
    actor = _actor(request)
    _visible_id(actor, item_id)
    errors: dict[str, str] = {}
    unit_ids = _units_by_code(errors, "units", payload.units)
    _raise(errors)
    services.item_split(actor=actor, item=item_id, unit_ids=unit_ids)
    return _item_out(actor, item_id)


@router.post("/items/{item_id}/{action}", response=ItemOut, summary="（未知的操作答 404）", include_in_schema=False)
def item_unknown_action(request: HttpRequest, item_id: int, action: str) -> dict[str, Any]:
    raise NotFound(f"没有“{action[:40]}”这个操作。")


@router.post("/remind", response=CountOut, summary="批量催办（督办台）")
def remind_many(request: HttpRequest, payload: RemindManyIn) -> dict[str, int]:
    actor = _actor(request)
    authz.require(actor, perms.ITEM_MANAGE)
    if not (payload.message or "").strip():
        raise ValidationFailed({"message": "催办内容不能为空。"})
    if not payload.ids:
        raise ValidationFailed({"ids": "请选择要催办的事项。"})
    return {"count": services.remind_many(actor=actor, item_ids=payload.ids[:500], message=payload.message)}


# Ledger and statistics ------------------------------------------------------------------------------------------


@router.get(
    "/ledger.xlsx",
    response={200: None},
    summary="督办台账（XLSX，筛选条件同列表）",
    openapi_extra={
        "responses": {
            "200": {
                "description": "XLSX",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
            }
        }
    },
)
def ledger_xlsx(request: HttpRequest, query: Query[ListQuery]) -> HttpResponseBase:
    actor = _actor(request)
    filters = _list_filters(query)
    from . import ledger

    response: HttpResponseBase = ledger.ledger_response(actor, filters, clock.now())
    return response


def _mount_stats() -> None:
    from .api_stats import router as stats_router

    router.add_router("", stats_router)


_mount_stats()
