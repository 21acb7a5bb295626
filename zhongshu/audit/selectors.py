"""Reads of the audit trail: the full log, an object's timeline, and the verification of the chain.

Events are read only here. `verify()` streams the table in chunks ordered by `seq` (constant memory) and
recomputes every hash; it names the first bad event and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from zhongshu.core import authz
from zhongshu.core.exceptions import NotFound, ValidationFailed

from . import chain, display, timelines
from . import permissions as perms
from .filters import EventFilter
from .models import ChainHead, Event

TIMELINE_PAGE_SIZE = 50
VERIFY_CHUNK_SIZE = 2000


# The full log ------------------------------------------------------------------------------------------


def events_visible_to(actor: Any) -> QuerySet[Event]:
    """Every event the actor may read in the full log (newest first); none without `audit.view_all`."""
    return authz.visible(actor, perms.VIEW_ALL, Event.objects.order_by("-seq"))


def event_filterset(*, actor: Any, data: Mapping[str, Any] | None = None) -> EventFilter:
    """The log's filters bound to `data` over what the actor may see; `.qs` is the filtered list.
    Raises PermissionDenied without `audit.view_all`."""
    authz.require(actor, perms.VIEW_ALL)
    return EventFilter(data or None, queryset=events_visible_to(actor))


def event_list(*, actor: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Event]:
    """The filtered log; bad filter values raise ValidationFailed with Chinese messages per field."""
    filterset = event_filterset(actor=actor, data=filters)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationFailed({field: list(messages) for field, messages in filterset.errors.items()})
    return filterset.qs


def event_entries(events: list[Event]) -> list[display.Entry]:
    """Events as page entries (verb labels, changed fields with their labels)."""
    return display.entries(events)


# Timelines ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelinePage:
    """A page of an object's timeline, newest first."""

    target: models.Model
    target_type: str
    entries: list[display.Entry]
    offset: int
    limit: int
    has_more: bool

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.has_more else None


def timeline_model(target_type: str) -> timelines.Timeline:
    """The registration of a target type; ValidationFailed (field `type`) when there is none."""
    spec = timelines.get(target_type)
    if spec is None:
        raise ValidationFailed({"type": [f"对象类型“{target_type}”不存在或不支持查看留痕。"]})
    return spec


def timeline_target(*, actor: Any, target_type: str, target_id: str) -> models.Model:
    """The object whose timeline the actor asks for. ValidationFailed for a bad type or id (fields `type`,
    `id`); NotFound when the object is missing or the actor may not read its timeline."""
    spec = timeline_model(target_type)
    raw = str(target_id).strip()
    if not raw or len(raw) > 40:
        raise ValidationFailed({"id": ["对象编号不能为空，且不超过 40 个字符。"]})
    pk_field = spec.model._meta.pk
    if pk_field is None:  # abstract models have no primary key and cannot be registered usefully
        raise NotFound()
    try:
        pk = pk_field.to_python(raw)
    except ValidationError:
        kind = "整数" if isinstance(pk_field, models.IntegerField) else "有效的编号"
        raise ValidationFailed({"id": [f"对象编号“{raw}”格式不正确，应为{kind}。"]}) from None
    if isinstance(pk, int) and pk < 1:
        raise NotFound()
    obj = spec.model._base_manager.filter(pk=pk).first()
    if obj is None or not authz.can(actor, spec.view_perm, obj):
        raise NotFound()
    return obj


def _require_timeline(actor: Any, target: models.Model) -> str:
    target_type = timelines.type_of(type(target))
    spec = timelines.get(target_type)
    if spec is None or not authz.can(actor, spec.view_perm, target):
        raise NotFound()
    return target_type


def _timeline_events(target_type: str, target: models.Model) -> QuerySet[Event]:
    return Event.objects.filter(target_type=target_type, target_id=str(target.pk)).order_by("-seq")


def timeline_events(
    *, actor: Any, target: models.Model, offset: int = 0, limit: int = TIMELINE_PAGE_SIZE
) -> list[Event]:
    """Events of an object, newest first (one query); NotFound when the actor may not read them."""
    target_type = _require_timeline(actor, target)
    return list(_timeline_events(target_type, target)[offset : offset + limit])


def timeline_count(*, actor: Any, target: models.Model) -> int:
    """How many events an object has; NotFound when the actor may not read them."""
    return _timeline_events(_require_timeline(actor, target), target).count()


def timeline_page(
    *, actor: Any, target: models.Model, offset: int = 0, limit: int = TIMELINE_PAGE_SIZE
) -> TimelinePage:
    """A page of an object's timeline for the timeline component (one query for the events, plus one per
    model that changed foreign keys point to); NotFound when the actor may not read it."""
    target_type = _require_timeline(actor, target)
    offset = max(offset, 0)
    events = list(_timeline_events(target_type, target)[offset : offset + limit + 1])
    return TimelinePage(
        target=target,
        target_type=target_type,
        entries=display.entries(events[:limit]),
        offset=offset,
        limit=limit,
        has_more=len(events) > limit,
    )


# Verification ------------------------------------------------------------------------------------------


class Reason(StrEnum):
    MODIFIED = "内容被修改"
    MISSING = "序号缺失（记录被删除）"
    REORDERED = "顺序被调换"
    HEAD_MISMATCH = "链头不符"


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: intact with the number of events and the tail hash, or the first
    bad event with the reason."""

    ok: bool
    count: int
    last_seq: int
    last_hash: str
    bad_seq: int | None = None
    reason: Reason | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            if not self.count:
                return "留痕完整：共 0 条事件。"
            return f"留痕完整：共 {self.count} 条事件，链尾哈希 {self.last_hash[:12]}…"
        reason = str(self.reason)
        text = f"第 {self.bad_seq} 号事件：{reason}"
        if self.detail:
            text += f",{self.detail}" if reason.endswith(")") else f"({self.detail})"
        return text


_COLUMNS = (*chain.HASHED_FIELDS, "prev_hash", "hash", "pk")


@dataclass(frozen=True)
class _Row:
    fields: dict[str, Any]
    prev_hash: str
    hash: str
    pk: int

    @property
    def seq(self) -> int:
        return int(self.fields["seq"])

    @classmethod
    def of(cls, values: tuple[Any, ...]) -> _Row:
        n = len(chain.HASHED_FIELDS)
        fields = dict(zip(chain.HASHED_FIELDS, values[:n], strict=True))
        return cls(fields, values[n], values[n + 1], values[n + 2])

    def valid_at(self, seq: int) -> bool:
        """Would this row's hash be right if it stood at `seq`?"""
        return chain.digest({**self.fields, "seq": seq}, self.prev_hash) == self.hash


def _row(*, exclude_pk: int | None = None, **lookup: Any) -> _Row | None:
    events = Event.objects.filter(**lookup)
    if exclude_pk is not None:
        events = events.exclude(pk=exclude_pk)
    values = events.order_by("seq").values_list(*_COLUMNS).first()
    return _Row.of(values) if values else None


def _head() -> tuple[int, str] | None:
    return ChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()


def verify(*, chunk_size: int = VERIFY_CHUNK_SIZE, anchors: Mapping[int, str] | None = None) -> Verification:
    """Check the whole chain: every hash recomputed, `seq` without gaps, each event linked to the previous
    one, the last event matching the chain head. `anchors` ({seq: hash} kept outside the database) also
    catch a chain rewritten from some point on. Streams `chunk_size` events at a time."""
    anchors = dict(anchors or {})
    head = _head()
    head_seq, head_hash = head or (0, chain.GENESIS)
    expected, prev, count = 1, chain.GENESIS, 0

    def fail(seq: int, reason: Reason, detail: str = "") -> Verification:
        return Verification(False, count, expected - 1, prev, seq, reason, detail)

    after = -1
    while True:
        chunk = list(Event.objects.filter(seq__gt=after).order_by("seq").values_list(*_COLUMNS)[:chunk_size])
        if not chunk:
            break
        for values in chunk:
            row = _Row.of(values)
            if row.seq < expected:
                return fail(row.seq, Reason.MODIFIED, f"序号 {row.seq} 不在链上（疑似伪造插入）")
            if row.seq > expected:
                span = f"第 {expected} 至 {row.seq - 1} 号事件均不存在" if row.seq - 1 > expected else ""
                return fail(expected, Reason.MISSING, span)
            if row.seq > head_seq:
                head = _head()  # appended since the head was read, or not on the chain at all?
                head_seq, head_hash = head or (0, chain.GENESIS)
                if row.seq > head_seq:
                    if head is None:
                        return fail(row.seq, Reason.HEAD_MISMATCH, "链头记录缺失")
                    return fail(
                        row.seq,
                        Reason.HEAD_MISMATCH,
                        f"链头只记录到第 {head_seq} 号事件，此后的事件不在链上（疑似伪造插入）",
                    )
            own_ok = chain.digest(row.fields, row.prev_hash) == row.hash
            if not own_ok or row.prev_hash != prev:
                return _diagnose(row, expected, prev, own_ok, fail)
            if row.seq in anchors and anchors[row.seq] != row.hash:
                return fail(
                    row.seq, Reason.MODIFIED, "哈希与留存的记录不符：该事件或此前的事件被改写，且哈希被重新计算"
                )
            count += 1
            prev = row.hash
            expected += 1
        after = int(chunk[-1][0])

    last_seq = expected - 1
    if head_seq > last_seq:
        return fail(
            last_seq + 1,
            Reason.HEAD_MISMATCH,
            f"链头记录共 {head_seq} 条事件，表中只到第 {last_seq} 号：末尾 {head_seq - last_seq} 条事件被删除",
        )
    if count and head_hash != prev:
        return fail(last_seq, Reason.HEAD_MISMATCH, "末条事件的哈希与链头记录不符（末条事件被替换）")
    missing = sorted(seq for seq in anchors if seq > last_seq)
    if missing:
        return fail(missing[0], Reason.MISSING, "留存哈希的事件已不在表中")
    return Verification(True, count, last_seq, prev)


def _diagnose(row: _Row, expected: int, prev: str, own_ok: bool, fail: Callable[..., Verification]) -> Verification:
    """Why the row at position `expected` does not continue the chain that ended with `prev`."""
    if own_ok:  # the row is intact, but its link to the previous event is broken
        if expected == 1:
            return fail(1, Reason.MODIFIED, "首条事件的前序哈希不是链的起点")
        before = expected - 1
        return fail(
            before,
            Reason.MODIFIED,
            f"第 {before} 号与第 {expected} 号事件之间的链接断开：第 {before} 号事件被替换或其哈希被重新计算",
        )
    successor = _row(prev_hash=prev, exclude_pk=row.pk)  # the event that really follows the previous one
    if successor is not None and successor.valid_at(expected):
        if row.valid_at(successor.seq):
            return fail(expected, Reason.REORDERED, f"第 {expected} 号与第 {successor.seq} 号事件互换了位置")
        return fail(
            expected,
            Reason.MODIFIED,
            f"该事件不在原链上（被篡改或系伪造插入），原第 {expected} 号事件现排在第 {successor.seq} 号",
        )
    if row.prev_hash != chain.GENESIS:
        predecessor = _row(hash=row.prev_hash)
        if predecessor is None:
            return fail(expected, Reason.MISSING, f"原第 {expected} 号事件被删除，其后的事件被重新编号")
        if predecessor.seq < expected - 1 and row.valid_at(predecessor.seq + 1):
            first = predecessor.seq + 1
            return fail(
                first,
                Reason.MODIFIED,
                f"第 {first} 至 {expected - 1} 号事件不在原链上（疑似伪造插入），其后的事件被重新编号",
            )
    return fail(expected, Reason.MODIFIED, "内容与哈希不符，该事件写入后被改动")


def chain_verify(*, actor: Any) -> Verification:
    """Verify the chain on behalf of a person (the log page's button); requires `audit.verify`."""
    authz.require(actor, perms.VERIFY)
    return verify()
