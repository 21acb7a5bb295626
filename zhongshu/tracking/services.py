"""Every change to a tracked item. Each function checks the permission policy, runs in one transaction, writes
the audit event and tells the people concerned; nothing else changes an item's state.

Other modules create their follow-up work here:

    from zhongshu.tracking import services as tracking
    item = tracking.item_create(actor=secretary, title=..., content=..., source_type="incoming_document",
                                lead_unit_id=unit.pk, due_in_workdays=5, source=incoming_doc, assign=True)

Statuses: draft → assigned (待签收) → in_progress → reported (待核查) → closed, or back to in_progress when
returned; cancelled from any open state. Declining (退办) keeps the item assigned with a pending Decline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhongshu.org.choices import Role
from zhongshu.org.models import Person, Unit
from zhongshu.workdays.core import MAX_YEAR, MIN_YEAR

from . import notifications
from . import permissions as perms
from .choices import (
    DeclineStatus,
    DueMode,
    EntryKind,
    ExtensionStatus,
    FeedbackCycle,
    NoticeLevel,
    PartRole,
    Rating,
    SourceType,
    Status,
    Urgency,
)
from .models import (
    Attachment,
    Config,
    Counter,
    DeadlineChange,
    Decline,
    Entry,
    Extension,
    Item,
    LedgerSnapshot,
    Milestone,
    Notice,
    Part,
)

MAX_DUE_WORKDAYS: Final = 250
DUPLICATE_WINDOW: Final = dt.timedelta(seconds=60)
ITEM_FIELDS: Final = (
    "title",
    "content",
    "source_type",
    "instructing_leader",
    "instruction",
    "instructed_on",
    "lead_unit",
    "officer",
    "urgency",
    "due_mode",
    "due_workdays",
    "due_at",
    "feedback_cycle",
    "feedback_weekday",
    "feedback_day",
    "feedback_every",
)

VERB_LABELS: Final[dict[str, str]] = {
    "tracking.item.created": "登记督办事项",
    "tracking.item.updated": "修改督办事项",
    "tracking.item.split": "分解督办事项",
    "tracking.item.assigned": "交办",
    "tracking.item.accepted": "签收",
    "tracking.item.auto_accepted": "逾期自动签收",
    "tracking.item.declined": "退办",
    "tracking.item.reassigned": "改派",
    "tracking.item.insisted": "坚持交办",
    "tracking.item.decline_lapsed": "退办逾期未处理",
    "tracking.item.progressed": "反馈进展",
    "tracking.item.co_reported": "配合单位反馈",
    "tracking.item.milestone_done": "完成节点",
    "tracking.item.extension_requested": "申请延期",
    "tracking.item.extension_approved": "同意延期",
    "tracking.item.extension_refused": "不同意延期",
    "tracking.item.reported": "报送办结报告",
    "tracking.item.closed": "核查办结",
    "tracking.item.returned": "退回重办",
    "tracking.item.cancelled": "撤销",
    "tracking.item.reminded": "催办",
    "tracking.item.instructed": "再批示",
    "tracking.item.notice_issued": "发出督办通知",
    "tracking.config.updated": "修改督查督办设置",
    "tracking.ledger.snapshot_taken": "生成台账",
    "tracking.bulletin.issued": "印发督查通报",
    "tracking.ledger_template.uploaded": "上传台账模板",
    "tracking.ledger_template.deleted": "停用台账模板",
}


class DuplicateSubmission(ApplicationError):
    """The same item was just submitted (a double click, or a client retrying with the same request key)."""

    def __init__(self, item: Item) -> None:
        super().__init__(f"该事项刚刚已经提交（{item.number}），请勿重复提交。")
        self.item = item


@dataclass(frozen=True)
class MilestoneIn:
    title: str
    due_on: dt.date


@dataclass(frozen=True)
class Feedback:
    """Periodic feedback for long-running items: weekly on a weekday (0 = Monday), monthly on a day, or every
    N working days."""

    cycle: str = FeedbackCycle.NONE
    weekday: int | None = None
    day: int | None = None
    every: int | None = None


# Helpers ------------------------------------------------------------------------------------------------


def config() -> Config:
    """The office's settings (created with the defaults on first use)."""
    found = Config.objects.filter(pk=1).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Config.objects.create(pk=1, number_prefix=_default_prefix())
        except IntegrityError:
            found = Config.objects.get(pk=1)
    return found


def _default_prefix() -> str:
    from django.conf import settings

    district = str(getattr(settings, "ZHONGSHU_DISTRICT_NAME", "示范区"))
    return (district[:-1] if district.endswith("区") and len(district) > 1 else district) + "督"


def _calendar() -> Any:
    from zhongshu.workdays.selectors import calendar

    return calendar()


def local_date(moment: dt.datetime) -> dt.date:
    return clock.localtime(moment).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline given as a date means the end of that working day (the office's closing time)."""
    cal = _calendar()
    return dt.datetime.combine(day, cal.office_end, tzinfo=cal.tz)


def workday_deadline(start: dt.date, days: int) -> dt.datetime:
    """The end of the `days`-th working day after `start` (次日起算)."""
    return _calendar().deadline(start, days).value


def _name(person: Any) -> str:
    return str(getattr(person, "name", "") or getattr(person, "username", "") or person or "系统")[:60]


def _locked(item_id: int) -> Item:
    item = Item.objects.select_for_update().filter(pk=item_id).order_by().first()
    if item is None:
        raise NotFound()
    return item


def _item_id(item: Item | int) -> int:
    return item if isinstance(item, int) else item.pk


def _require_view(actor: Any, item: Item) -> None:
    if not authz.can(actor, perms.ITEM_VIEW, item):
        raise NotFound()


def acts_for_unit(actor: Any, unit_id: int) -> bool:
    """Whether `actor` handles items for `unit_id` (a liaison of that unit or of a unit above it)."""
    scope = authz.scope_of(actor, perms.ITEM_HANDLE)
    if scope is None:
        return False
    return not isinstance(scope, set) or unit_id in scope


def _require_lead(actor: Any, item: Item, action: str) -> None:
    _require_view(actor, item)
    authz.require(actor, perms.ITEM_HANDLE, item)
    if not acts_for_unit(actor, item.lead_unit_id):
        raise PermissionDenied(f"只有牵头单位（{item.lead_unit.short_name}）才能{action}。")


def _require_status(item: Item, allowed: Iterable[str], action: str) -> None:
    allowed = tuple(allowed)
    if item.status not in allowed:
        wanted = "、".join(Status(s).label for s in allowed)
        raise InvalidTransition(f"事项当前为“{item.get_status_display()}”，不能{action}（仅限“{wanted}”的事项）。")


def _text(errors: dict[str, str], field: str, label: str, value: str | None, *, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = f"{label}不能为空。"
    elif len(text) > max_length:
        errors[field] = f"{label}最多 {max_length} 个字符（现有 {len(text)} 个）。"
    return text


def _take_number(key: str, year: int) -> int:
    """The next number of a yearly sequence; the counter row is locked until the caller's transaction ends,
    so concurrent creations get distinct, gapless numbers."""
    Counter.objects.get_or_create(key=key, year=year)
    counter = Counter.objects.select_for_update().get(key=key, year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return counter.last


def item_number(prefix: str, year: int, seq: int, sub: int = 0) -> str:
    """示范督〔2026〕0123号; a child item of a split is 示范督〔2026〕0123-2号."""
    return f"{prefix}〔{year}〕{seq:04d}{f'-{sub}' if sub else ''}号"


def _active_unit(errors: dict[str, str], field: str, unit_id: int | None, label: str) -> Unit | None:
    if unit_id is None:
        errors[field] = f"请选择{label}。"
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors[field] = f"{label}不存在。"
    elif not unit.active:
        errors[field] = f"{label}“{unit.full_name}”已停用，不能接收新的督办事项。"
        return None
    return unit


def _check_files(errors: dict[str, str], files: Sequence[UploadedFile], field: str = "attachments") -> None:
    cfg = config()
    allowed = cfg.extensions()
    limit = cfg.max_upload_mb * 1024 * 1024
    for upload in files:
        name = os.path.basename(upload.name or "")
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in allowed:
            errors[field] = f"附件“{name}”的类型不允许上传（允许：{'、'.join(sorted(allowed))}）。"
        elif (upload.size or 0) > limit:
            errors[field] = f"附件“{name}”超过大小上限 {cfg.max_upload_mb} MB。"
        elif not upload.size:
            errors[field] = f"附件“{name}”是空文件。"


def _store_files(item: Item, entry: Entry | None, files: Sequence[UploadedFile], actor: Any) -> list[Attachment]:
    stored = []
    for upload in files:
        name = os.path.basename(upload.name or "附件")[:200]
        attachment = Attachment(
            item=item,
            entry=entry,
            name=name,
            size=upload.size or 0,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            uploaded_by=actor if isinstance(actor, Person) else None,
            uploaded_at=clock.now(),
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _entry(
    item: Item,
    kind: str,
    actor: Any,
    text: str = "",
    *,
    unit: Unit | None = None,
    rating: str = "",
    recorded_by: Any = None,
) -> Entry:
    return Entry.objects.create(
        item=item,
        kind=kind,
        unit=unit,
        author=actor if isinstance(actor, Person) else None,
        author_name=_name(actor),
        recorded_by=recorded_by if isinstance(recorded_by, Person) else None,
        text=text,
        rating=rating,
        created_at=clock.now(),
    )


def _deadline_change(item: Item, before: dt.datetime | None, after: dt.datetime, reason: str, actor: Any) -> None:
    DeadlineChange.objects.create(
        item=item, before=before, after=after, reason=reason[:500], changed_at=clock.now(), changed_by_name=_name(actor)
    )


def _touch(item: Item, *fields: str) -> None:
    item.updated_at = clock.now()
    item.save(update_fields=[*fields, "updated_at"])


def _check_due(
    errors: dict[str, str], due_at: dt.datetime | dt.date | None, due_in_workdays: int | None, *, now: dt.datetime
) -> tuple[str, dt.datetime | None, int | None]:
    if (due_at is None) == (due_in_workdays is None):
        errors["due_at"] = "请填写办结时限：指定日期，或签收后的工作日数（二者选一）。"
        return DueMode.DATE, None, None
    if due_in_workdays is not None:
        if not 1 <= due_in_workdays <= MAX_DUE_WORKDAYS:
            errors["due_in_workdays"] = f"办理时限应为 1—{MAX_DUE_WORKDAYS} 个工作日。"
        return DueMode.WORKDAYS, None, due_in_workdays
    if due_at is None:  # unreachable: exactly one of the two is given here
        return DueMode.DATE, None, None
    moment = end_of_day(due_at) if not isinstance(due_at, dt.datetime) else clock.localtime(due_at)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        errors["due_at"] = f"办结时限应在 {MIN_YEAR}—{MAX_YEAR} 年之间。"
        return DueMode.DATE, None, None
    if moment <= now:
        errors["due_at"] = f"办结时限（{moment:%Y-%m-%d %H:%M}）早于交办时间，请选择今后的日期。"
    return DueMode.DATE, moment, None


def _check_feedback(errors: dict[str, str], feedback: Feedback | None) -> Feedback:
    feedback = feedback or Feedback()
    if feedback.cycle not in FeedbackCycle.values:
        errors["feedback_cycle"] = "请选择有效的定期反馈方式。"
    elif feedback.cycle == FeedbackCycle.WEEKLY and (feedback.weekday is None or not 0 <= feedback.weekday <= 6):
        errors["feedback_weekday"] = "每周反馈请选择星期几（周一至周日）。"
    elif feedback.cycle == FeedbackCycle.MONTHLY and (feedback.day is None or not 1 <= feedback.day <= 28):
        errors["feedback_day"] = "每月反馈日应为 1—28 日（避免没有该日的月份）。"
    elif feedback.cycle == FeedbackCycle.WORKDAYS and (feedback.every is None or not 1 <= feedback.every <= 60):
        errors["feedback_every"] = "反馈间隔应为 1—60 个工作日。"
    return feedback


def _check_milestones(errors: dict[str, str], milestones: Sequence[MilestoneIn]) -> list[MilestoneIn]:
    cleaned = []
    for position, milestone in enumerate(milestones, start=1):
        title = (milestone.title or "").strip()
        if not title:
            errors["milestones"] = f"第 {position} 个节点缺少名称。"
        elif len(title) > 200:
            errors["milestones"] = f"第 {position} 个节点名称过长（最多 200 个字符）。"
        elif not isinstance(milestone.due_on, dt.date):
            errors["milestones"] = f"第 {position} 个节点缺少计划完成日期。"
        else:
            cleaned.append(MilestoneIn(title, milestone.due_on))
    return cleaned


def _leader(errors: dict[str, str], field: str, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not person.grants.filter(role=Role.LEADER).exists():
        errors[field] = "批示领导应为在职的区领导。"
        return None
    return person


def _officer(errors: dict[str, str], person_id: int | None, actor: Any) -> Person | None:
    if person_id is None:
        if isinstance(actor, Person) and actor.grants.filter(role=Role.SUPERVISOR).exists():
            return actor
        return None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not person.grants.filter(role__in=[Role.SUPERVISOR, Role.DIRECTOR]).exists():
        errors["officer"] = "督查员应为在职的督查人员。"
        return None
    return person


def _source_fields(source: models.Model | None) -> dict[str, str]:
    if source is None:
        return {}
    url = ""
    if hasattr(source, "get_absolute_url"):
        try:
            url = str(source.get_absolute_url())
        except Exception:  # noqa: BLE001 — a source without a page still links back by type and id
            url = ""
    return {
        "source_model": audit.target_type_of(source),
        "source_id": str(source.pk),
        "source_label": str(source)[:200],
        "source_url": url[:300],
    }


# Creating and editing -----------------------------------------------------------------------------------


def item_create(
    *,
    actor: Any,
    title: str,
    content: str = "",
    source_type: str,
    lead_unit_id: int | None,
    co_unit_ids: Sequence[int] = (),
    due_at: dt.datetime | dt.date | None = None,
    due_in_workdays: int | None = None,
    instruction: str = "",
    instructing_leader_id: int | None = None,
    instructed_on: dt.date | None = None,
    urgency: str = Urgency.NORMAL,
    officer_id: int | None = None,
    feedback: Feedback | None = None,
    milestones: Sequence[MilestoneIn] = (),
    attachments: Sequence[UploadedFile] = (),
    source: models.Model | None = None,
    source_label: str = "",
    request_key: str | None = None,
    assign: bool = False,
) -> Item:
    """Register an item (督办编号 taken at once). With `assign=True` it is also assigned (交办) in the same
    transaction. `source` links the item to the object it came from (an incoming document, a meeting...)."""
    authz.require(actor, perms.ITEM_CREATE)
    now = clock.now()
    errors: dict[str, str] = {}
    title = _text(errors, "title", "事项名称", title, max_length=200)
    content = (content or "").strip()
    if len(content) > 10_000:
        errors["content"] = "事项内容最多 10000 个字符。"
    if source_type not in SourceType.values:
        errors["source_type"] = "请选择有效的事项来源。"
    if urgency not in Urgency.values:
        errors["urgency"] = "请选择有效的紧急程度（特急、加急或平件）。"
    lead = _active_unit(errors, "lead_unit", lead_unit_id, "牵头单位")
    co_units: list[Unit] = []
    seen: set[int] = set()
    for unit_id in co_unit_ids:
        if lead_unit_id is not None and unit_id == lead_unit_id:
            errors["co_units"] = "配合单位不能与牵头单位相同。"
            continue
        if unit_id in seen:
            continue
        seen.add(unit_id)
        unit = _active_unit(errors, "co_units", unit_id, "配合单位")
        if unit is not None:
            co_units.append(unit)
    mode, due_moment, workdays = _check_due(errors, due_at, due_in_workdays, now=now)
    instruction = (instruction or "").strip()
    leader = _leader(errors, "instructing_leader", instructing_leader_id)
    if source_type == SourceType.LEADER_INSTRUCTION:
        if leader is None and "instructing_leader" not in errors:
            errors["instructing_leader"] = "来源为领导批示的事项，请选择批示领导。"
        if not instruction:
            errors["instruction"] = "来源为领导批示的事项，请照录批示内容。"
    if instructed_on is not None and instructed_on > local_date(now):
        errors["instructed_on"] = "批示日期不能晚于今天。"
    officer = _officer(errors, officer_id, actor)
    feedback = _check_feedback(errors, feedback)
    cleaned_milestones = _check_milestones(errors, milestones)
    if due_moment is not None:
        last = local_date(due_moment)
        if any(m.due_on > last for m in cleaned_milestones):
            errors["milestones"] = "节点的计划完成日期不能晚于办结时限。"
    _check_files(errors, attachments)
    request_key = (request_key or "").strip()[:64] or None
    if errors:
        raise ValidationFailed(errors)
    if lead is None:  # unreachable: a missing lead unit is a field error above
        raise ValidationFailed({"lead_unit": "请选择牵头单位。"})

    with transaction.atomic():
        if request_key and (earlier := Item.objects.filter(request_key=request_key).first()) is not None:
            raise DuplicateSubmission(earlier)
        if isinstance(actor, Person):
            recent = (
                Item.objects.filter(
                    created_by=actor, title=title, lead_unit=lead, created_at__gte=now - DUPLICATE_WINDOW
                )
                .order_by("-created_at")
                .first()
            )
            if recent is not None:
                raise DuplicateSubmission(recent)
        cfg = config()
        year = local_date(now).year
        seq = _take_number("item", year)
        item = Item(
            number=item_number(cfg.number_prefix, year, seq),
            year=year,
            seq=seq,
            title=title,
            content=content,
            source_type=source_type,
            instructing_leader=leader,
            instruction=instruction,
            instructed_on=instructed_on or (local_date(now) if leader else None),
            lead_unit=lead,
            officer=officer,
            urgency=urgency,
            due_mode=mode,
            due_workdays=workdays,
            due_at=due_moment,
            original_due_at=due_moment,
            feedback_cycle=feedback.cycle,
            feedback_weekday=feedback.weekday if feedback.cycle == FeedbackCycle.WEEKLY else None,
            feedback_day=feedback.day if feedback.cycle == FeedbackCycle.MONTHLY else None,
            feedback_every=feedback.every if feedback.cycle == FeedbackCycle.WORKDAYS else None,
            status=Status.DRAFT,
            created_by=actor if isinstance(actor, Person) else None,
            created_at=now,
            updated_at=now,
            request_key=request_key,
            **_source_fields(source),
        )
        if source_label and not item.source_label:
            item.source_label = source_label.strip()[:200]
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            if request_key and (earlier := Item.objects.filter(request_key=request_key).first()) is not None:
                raise DuplicateSubmission(earlier) from None
            raise
        Part.objects.create(item=item, unit=lead, role=PartRole.LEAD)
        Part.objects.bulk_create([Part(item=item, unit=unit, role=PartRole.CO) for unit in co_units])
        Milestone.objects.bulk_create(
            [Milestone(item=item, title=m.title, due_on=m.due_on) for m in cleaned_milestones]
        )
        _store_files(item, None, attachments, actor)
        audit.record(
            actor=actor,
            verb="tracking.item.created",
            target=item,
            changes=audit.diff({}, audit.snapshot(item, ITEM_FIELDS)),
            data={
                "number": item.number,
                "co_units": [unit.pk for unit in co_units],
                "milestones": len(cleaned_milestones),
                "source": item.source_model and f"{item.source_model}:{item.source_id}",
            },
        )
        if assign:
            item = _assign(actor, item, now)
    return item


def item_update(
    *,
    actor: Any,
    item: Item | int,
    title: str | None = None,
    content: str | None = None,
    officer_id: int | None = None,
    urgency: str | None = None,
    co_unit_ids: Sequence[int] | None = None,
    due_at: dt.datetime | dt.date | None = None,
    due_in_workdays: int | None = None,
    feedback: Feedback | None = None,
) -> Item:
    """Edit an item. The deadline can be changed only before assignment; afterwards only an approved
    extension moves it."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        _require_status(item, (Status.DRAFT, Status.ASSIGNED, Status.IN_PROGRESS), "修改")
        before = audit.snapshot(item, ITEM_FIELDS)
        errors: dict[str, str] = {}
        if title is not None:
            item.title = _text(errors, "title", "事项名称", title, max_length=200)
        if content is not None:
            item.content = content.strip()
        if urgency is not None:
            if urgency not in Urgency.values:
                errors["urgency"] = "请选择有效的紧急程度（特急、加急或平件）。"
            item.urgency = urgency
        if officer_id is not None:
            item.officer = _officer(errors, officer_id, actor)
        if due_at is not None or due_in_workdays is not None:
            if item.status != Status.DRAFT:
                errors["due_at"] = "事项已交办，办结时限只能通过延期申请变更。"
            else:
                mode, moment, workdays = _check_due(errors, due_at, due_in_workdays, now=clock.now())
                item.due_mode, item.due_at, item.original_due_at, item.due_workdays = mode, moment, moment, workdays
        if feedback is not None:
            feedback = _check_feedback(errors, feedback)
            item.feedback_cycle = feedback.cycle
            item.feedback_weekday = feedback.weekday if feedback.cycle == FeedbackCycle.WEEKLY else None
            item.feedback_day = feedback.day if feedback.cycle == FeedbackCycle.MONTHLY else None
            item.feedback_every = feedback.every if feedback.cycle == FeedbackCycle.WORKDAYS else None
        new_co: list[Unit] = []
        if co_unit_ids is not None:
            for unit_id in dict.fromkeys(co_unit_ids):
                if unit_id == item.lead_unit_id:
                    errors["co_units"] = "配合单位不能与牵头单位相同。"
                elif (unit := _active_unit(errors, "co_units", unit_id, "配合单位")) is not None:
                    new_co.append(unit)
        if errors:
            raise ValidationFailed(errors)
        item.updated_at = clock.now()
        item.save()
        data: dict[str, Any] = {}
        if co_unit_ids is not None:
            old = set(item.parts.filter(role=PartRole.CO).values_list("unit_id", flat=True))
            wanted = {unit.pk for unit in new_co}
            item.parts.filter(role=PartRole.CO, unit_id__in=old - wanted).delete()
            Part.objects.bulk_create([Part(item=item, unit=u, role=PartRole.CO) for u in new_co if u.pk not in old])
            if old != wanted:
                data["co_units"] = [sorted(old), sorted(wanted)]
        changes = audit.diff(before, audit.snapshot(item, ITEM_FIELDS))
        if changes or data:
            audit.record(actor=actor, verb="tracking.item.updated", target=item, changes=changes, data=data)
    return item


def item_split(*, actor: Any, item: Item | int, unit_ids: Sequence[int]) -> list[Item]:
    """Split a draft into child items, one per unit (each with the parent's content and deadline); the
    parent closes when its children close."""
    with transaction.atomic():
        parent = _locked(_item_id(item))
        _require_view(actor, parent)
        authz.require(actor, perms.ITEM_MANAGE, parent)
        _require_status(parent, (Status.DRAFT,), "分解")
        if parent.parent_id is not None:
            raise ApplicationError("分解出的子事项不能再分解。")
        errors: dict[str, str] = {}
        units: list[Unit] = []
        for unit_id in dict.fromkeys(unit_ids):
            if (unit := _active_unit(errors, "units", unit_id, "承办单位")) is not None:
                units.append(unit)
        if len(units) < 2 and "units" not in errors:
            errors["units"] = "分解至少需要两个承办单位。"
        if errors:
            raise ValidationFailed(errors)
        existing = parent.children.count()
        children = []
        for position, unit in enumerate(units, start=existing + 1):
            child = Item.objects.create(
                number=item_number(config().number_prefix, parent.year, parent.seq, position),
                year=parent.year,
                seq=parent.seq,
                sub=position,
                parent=parent,
                title=parent.title,
                content=parent.content,
                source_type=parent.source_type,
                source_model=parent.source_model,
                source_id=parent.source_id,
                source_label=parent.source_label,
                source_url=parent.source_url,
                instructing_leader=parent.instructing_leader,
                instruction=parent.instruction,
                instructed_on=parent.instructed_on,
                lead_unit=unit,
                officer=parent.officer,
                urgency=parent.urgency,
                due_mode=parent.due_mode,
                due_workdays=parent.due_workdays,
                due_at=parent.due_at,
                original_due_at=parent.original_due_at,
                feedback_cycle=parent.feedback_cycle,
                feedback_weekday=parent.feedback_weekday,
                feedback_day=parent.feedback_day,
                feedback_every=parent.feedback_every,
                created_by=actor if isinstance(actor, Person) else None,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            Part.objects.create(item=child, unit=unit, role=PartRole.LEAD)
            Milestone.objects.bulk_create(
                [Milestone(item=child, title=m.title, due_on=m.due_on) for m in parent.milestones.all()]
            )
            children.append(child)
        parent.is_parent = True
        _touch(parent, "is_parent")
        audit.record(
            actor=actor,
            verb="tracking.item.split",
            target=parent,
            data={"children": [child.number for child in children], "units": [u.pk for u in units]},
        )
    return children


# Assignment and signing -----------------------------------------------------------------------------------


def _assign(actor: Any, item: Item, now: dt.datetime) -> Item:
    if item.due_mode == DueMode.DATE and item.due_at is not None and item.due_at <= now:
        raise ValidationFailed(
            {"due_at": f"办结时限（{clock.localtime(item.due_at):%Y-%m-%d %H:%M}）已过，请先修改时限再交办。"}
        )
    if not item.lead_unit.active:
        raise ValidationFailed({"lead_unit": f"牵头单位“{item.lead_unit.full_name}”已停用，请先更换牵头单位。"})
    item.assigned_at = now
    if item.is_parent:
        # The parent is a container: its children are signed for; it runs until they finish.
        item.status = Status.IN_PROGRESS
        item.accepted_at = now
        _touch(item, "status", "assigned_at", "accepted_at")
        for child in item.children.filter(status=Status.DRAFT).select_related("lead_unit"):
            _assign(actor, child, now)
    else:
        item.status = Status.ASSIGNED
        _touch(item, "status", "assigned_at")
        if item.due_at is not None:
            _deadline_change(item, None, item.due_at, "交办时确定的办结时限", actor)
        notifications.assigned(item)
    audit.record(
        actor=actor, verb="tracking.item.assigned", target=item, changes={"status": [Status.DRAFT, item.status]}
    )
    return item


def item_assign(*, actor: Any, item: Item | int) -> Item:
    """交办: the lead unit now has to sign for the item."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        _require_status(item, (Status.DRAFT,), "交办")
        return _assign(actor, item, clock.now())


def _start_clock(item: Item, actor: Any, now: dt.datetime, *, reason: str) -> None:
    """签收: a working-day deadline counts from the next day; the signing delay is recorded against the unit."""
    cfg = config()
    today = local_date(now)
    item.accepted_at = now
    assigned_on = local_date(item.assigned_at or now)
    elapsed = _calendar().workdays_between(assigned_on, today).value
    item.sign_late_workdays = max(0, elapsed - cfg.sign_chase_workdays)
    fields = ["status", "accepted_at", "accepted_auto", "sign_late_workdays"]
    if item.due_mode == DueMode.WORKDAYS and item.due_workdays:
        item.due_at = workday_deadline(today, item.due_workdays)
        item.original_due_at = item.due_at
        fields += ["due_at", "original_due_at"]
        _deadline_change(item, None, item.due_at, f"{reason}，{item.due_workdays} 个工作日次日起算", actor)
    item.status = Status.IN_PROGRESS
    _touch(item, *fields)


def item_accept(*, actor: Any, item: Item | int) -> Item:
    """签收 by the lead unit: the clock starts."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_lead(actor, item, "签收")
        _require_status(item, (Status.ASSIGNED,), "签收")
        if item.declines.filter(status=DeclineStatus.PENDING).exists():
            raise InvalidTransition("本单位的退办申请正在等待督查员处理，处理前不能签收。")
        now = clock.now()
        item.accepted_auto = False
        _start_clock(item, actor, now, reason="签收")
        audit.record(
            actor=actor,
            verb="tracking.item.accepted",
            target=item,
            changes={"status": [Status.ASSIGNED, Status.IN_PROGRESS]},
            data={"due_at": item.due_at, "sign_late_workdays": item.sign_late_workdays},
        )
        notifications.accepted(item)
    return item


def auto_accept(item: Item, *, now: dt.datetime, actor: Any) -> bool:
    """The unit did not sign in time: the item is signed for it and the delay is recorded (worker job).
    Locks and re-checks the item: False when it was signed, declined or withdrawn meanwhile."""
    with transaction.atomic():
        locked = _locked(item.pk)
        if locked.status != Status.ASSIGNED or locked.declines.filter(status=DeclineStatus.PENDING).exists():
            return False
        _auto_accept(locked, now=now, actor=actor)
    item.refresh_from_db()
    return True


def _auto_accept(item: Item, *, now: dt.datetime, actor: Any) -> None:
    item.accepted_auto = True
    _start_clock(item, actor, now, reason="逾期未签收，系统自动签收")
    audit.record(
        actor=actor,
        verb="tracking.item.auto_accepted",
        target=item,
        changes={"status": [Status.ASSIGNED, Status.IN_PROGRESS]},
        data={"due_at": item.due_at, "sign_late_workdays": item.sign_late_workdays},
    )
    notifications.auto_accepted(item)


def item_decline(*, actor: Any, item: Item | int, reason: str) -> Decline:
    """退办: the lead unit says the item is not theirs; the officer decides."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_lead(actor, item, "退办")
        _require_status(item, (Status.ASSIGNED,), "退办")
        errors: dict[str, str] = {}
        reason = _text(errors, "reason", "退办理由", reason, max_length=2000)
        if errors:
            raise ValidationFailed(errors)
        if item.declines.filter(status=DeclineStatus.PENDING).exists():
            raise InvalidTransition("退办申请已提交，正在等待督查员处理。")
        if item.declines.filter(unit=item.lead_unit).exclude(status=DeclineStatus.PENDING).exists():
            raise InvalidTransition("督查员已对本单位的退办作出处理，不能再次退办，请签收办理。")
        decline = Decline.objects.create(
            item=item, unit=item.lead_unit, declined_by_name=_name(actor), declined_at=clock.now(), reason=reason
        )
        _touch(item)
        audit.record(actor=actor, verb="tracking.item.declined", target=item, data={"reason": reason})
        notifications.declined(item, decline)
    return decline


def decline_decide(*, actor: Any, item: Item | int, reassign_to_id: int | None, comment: str = "") -> Item:
    """The officer answers a 退办: reassign to another unit (whose signing clock starts now), or insist
    (the original unit's signing clock never stopped)."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        decline = item.declines.filter(status=DeclineStatus.PENDING).first()
        if decline is None:
            raise InvalidTransition("该事项没有待处理的退办申请。")
        _require_status(item, (Status.ASSIGNED,), "处理退办")
        now = clock.now()
        decline.decided_by_name = _name(actor)
        decline.decided_at = now
        decline.comment = (comment or "").strip()[:500]
        if reassign_to_id is None:
            decline.status = DeclineStatus.INSISTED
            decline.save()
            _touch(item)
            audit.record(actor=actor, verb="tracking.item.insisted", target=item, data={"comment": decline.comment})
            notifications.insisted(item, decline)
            return item
        errors: dict[str, str] = {}
        unit = _active_unit(errors, "reassign_to", reassign_to_id, "改派单位")
        if unit is not None and unit.pk == item.lead_unit_id:
            errors["reassign_to"] = "改派单位不能是原牵头单位；坚持由原单位办理请选择“坚持交办”。"
        if errors:
            raise ValidationFailed(errors)
        if unit is None:  # unreachable: reported as a field error above
            raise ValidationFailed({"reassign_to": "请选择改派单位。"})
        old_unit = item.lead_unit_id
        decline.status = DeclineStatus.REASSIGNED
        decline.new_unit = unit
        decline.save()
        item.parts.filter(role=PartRole.LEAD).delete()
        item.parts.filter(unit=unit).delete()  # a co-operating unit that becomes the lead
        Part.objects.create(item=item, unit=unit, role=PartRole.LEAD)
        item.lead_unit = unit
        item.assigned_at = now
        _touch(item, "lead_unit", "assigned_at")
        audit.record(
            actor=actor,
            verb="tracking.item.reassigned",
            target=item,
            changes={"lead_unit": [old_unit, unit.pk]},
            data={"comment": decline.comment},
        )
        notifications.assigned(item)
    return item


def lapse_decline(decline: Decline, *, now: dt.datetime, actor: Any) -> None:
    """A 退办 the officer left undecided too long counts as insisted (worker job): declining does not stop the
    clock for ever."""
    decline.status = DeclineStatus.LAPSED
    decline.decided_at = now
    decline.decided_by_name = _name(actor)
    decline.save(update_fields=["status", "decided_at", "decided_by_name"])
    audit.record(actor=actor, verb="tracking.item.decline_lapsed", target=decline.item, data={"decline": decline.pk})


# Handling ---------------------------------------------------------------------------------------------


def item_progress(
    *, actor: Any, item: Item | int, text: str, attachments: Sequence[UploadedFile] = (), unit_id: int | None = None
) -> Entry:
    """A progress report: from the lead unit (进展反馈) or from a co-operating unit to the lead unit."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_HANDLE, item)
        _require_status(item, (Status.IN_PROGRESS,), "反馈进展")
        if item.is_parent:
            raise InvalidTransition("已分解的事项请在各子事项中反馈进展。")
        parts = {part.unit_id: part for part in item.parts.select_related("unit")}
        if unit_id is None:
            mine = [uid for uid in parts if acts_for_unit(actor, uid)]
            unit_id = item.lead_unit_id if item.lead_unit_id in mine else (mine[0] if mine else None)
        if unit_id is None or unit_id not in parts or not acts_for_unit(actor, unit_id):
            raise PermissionDenied("只有牵头单位和配合单位才能反馈该事项的进展。")
        errors: dict[str, str] = {}
        text = (text or "").strip()
        if not text and not attachments:
            errors["text"] = "请填写进展情况或上传附件（二者至少其一）。"
        elif len(text) > 10_000:
            errors["text"] = "进展情况最多 10000 个字符。"
        _check_files(errors, attachments)
        if errors:
            raise ValidationFailed(errors)
        part = parts[unit_id]
        now = clock.now()
        kind = EntryKind.PROGRESS if part.role == PartRole.LEAD else EntryKind.CO_REPORT
        entry = _entry(item, kind, actor, text, unit=part.unit)
        _store_files(item, entry, attachments, actor)
        part.last_report_at = now
        part.report_count += 1
        part.save(update_fields=["last_report_at", "report_count"])
        if part.role == PartRole.LEAD:
            item.last_progress_at = now
            _touch(item, "last_progress_at")
        else:
            _touch(item)
        audit.record(
            actor=actor,
            verb="tracking.item.progressed" if part.role == PartRole.LEAD else "tracking.item.co_reported",
            target=item,
            data={"entry": entry.pk, "unit": unit_id, "attachments": len(attachments)},
        )
        if part.role == PartRole.CO:
            notifications.co_reported(item, part.unit)
    return entry


def milestone_done(*, actor: Any, item: Item | int, milestone_id: int, done_on: dt.date, note: str = "") -> Milestone:
    """The lead unit reports a planned step (节点) done."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_lead(actor, item, "报告节点完成")
        _require_status(item, (Status.IN_PROGRESS,), "报告节点完成")
        milestone = item.milestones.filter(pk=milestone_id).first()
        if milestone is None:
            raise NotFound("该事项没有这个节点。")
        if done_on > local_date(clock.now()):
            raise ValidationFailed({"done_on": "完成日期不能晚于今天。"})
        before = milestone.done_on
        milestone.done_on = done_on
        milestone.note = (note or "").strip()[:500]
        milestone.save(update_fields=["done_on", "note"])
        _touch(item)
        audit.record(
            actor=actor,
            verb="tracking.item.milestone_done",
            target=item,
            changes={f"milestone:{milestone.title}": [before, done_on]},
        )
    return milestone


def extension_request(*, actor: Any, item: Item | int, reason: str, due_at: dt.datetime | dt.date) -> Extension:
    """延期: asked by the lead unit before the deadline, with a reason and the proposed date."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_lead(actor, item, "申请延期")
        _require_status(item, (Status.IN_PROGRESS,), "申请延期")
        if item.is_parent:
            raise InvalidTransition("已分解的事项请在各子事项中申请延期。")
        now = clock.now()
        errors: dict[str, str] = {}
        reason = _text(errors, "reason", "延期理由", reason, max_length=2000)
        if item.due_at is None:
            raise InvalidTransition("该事项尚未确定办结时限，不能申请延期。")
        proposed = end_of_day(due_at) if not isinstance(due_at, dt.datetime) else clock.localtime(due_at)
        if not MIN_YEAR <= proposed.year <= MAX_YEAR:
            raise ValidationFailed({"due_at": f"申请延至的日期应在 {MIN_YEAR}—{MAX_YEAR} 年之间。"})
        if now > item.due_at:
            raise InvalidTransition(
                f"办结时限（{clock.localtime(item.due_at):%Y-%m-%d}）已过，不能再申请延期；请尽快办结并说明情况。"
            )
        if proposed <= item.due_at:
            errors["due_at"] = f"申请延至的日期应晚于现行办结时限（{clock.localtime(item.due_at):%Y-%m-%d}）。"
        if item.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise InvalidTransition("已有一项延期申请正在审批，请等待审批结果。")
        if errors:
            raise ValidationFailed(errors)
        extra = _calendar().workdays_between(local_date(item.due_at), local_date(proposed)).value
        extension = Extension.objects.create(
            item=item,
            requested_by=actor if isinstance(actor, Person) else None,
            requested_by_name=_name(actor),
            requested_at=now,
            reason=reason,
            proposed_due_at=proposed,
            previous_due_at=item.due_at,
            extra_workdays=max(0, min(extra, 32767)),
            needs_leader=extra > config().leader_extension_workdays,
        )
        _touch(item)
        audit.record(
            actor=actor,
            verb="tracking.item.extension_requested",
            target=item,
            data={"proposed_due_at": proposed, "reason": reason, "needs_leader": extension.needs_leader},
        )
        notifications.extension_requested(item, extension)
    return extension


def extension_decide(*, actor: Any, item: Item | int, approve: bool, comment: str = "") -> Extension:
    """The officer (or a leader, for long extensions) approves or refuses; approval moves the deadline in
    force and keeps the original."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        extension = item.extensions.filter(status=ExtensionStatus.PENDING).first()
        if extension is None:
            raise InvalidTransition("该事项没有待审批的延期申请。")
        _require_status(item, (Status.IN_PROGRESS, Status.REPORTED), "审批延期")
        if extension.needs_leader:
            authz.require(actor, perms.EXTENSION_DECIDE_LONG, item)
        elif not authz.can(actor, perms.EXTENSION_DECIDE_LONG, item):
            authz.require(actor, perms.ITEM_MANAGE, item)
        comment = (comment or "").strip()
        if not approve and not comment:
            raise ValidationFailed({"comment": "不同意延期时请填写审批意见（说明理由）。"})
        now = clock.now()
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by = actor if isinstance(actor, Person) else None
        extension.decided_by_name = _name(actor)
        extension.decided_at = now
        extension.comment = comment[:500]
        extension.save()
        if approve:
            before = item.due_at
            item.due_at = extension.proposed_due_at
            fields = ["due_at"]
            if item.original_due_at is not None and now <= item.original_due_at:
                item.extended_in_time = True
                fields.append("extended_in_time")
            _touch(item, *fields)
            _deadline_change(item, before, item.due_at, f"同意延期：{extension.reason}"[:500], actor)
            audit.record(
                actor=actor,
                verb="tracking.item.extension_approved",
                target=item,
                changes={"due_at": [before, item.due_at]},
                data={"comment": comment},
            )
        else:
            _touch(item)
            audit.record(actor=actor, verb="tracking.item.extension_refused", target=item, data={"comment": comment})
        notifications.extension_decided(item, extension)
    return extension


def item_report(*, actor: Any, item: Item | int, text: str, attachments: Sequence[UploadedFile] = ()) -> Entry:
    """办结报告 by the lead unit: the item waits for the officer's verification."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_lead(actor, item, "报送办结报告")
        _require_status(item, (Status.IN_PROGRESS,), "报送办结报告")
        if item.is_parent:
            raise InvalidTransition("已分解的事项随各子事项办结，不需要单独报送办结报告。")
        errors: dict[str, str] = {}
        text = (text or "").strip()
        if not text:
            errors["text"] = "请填写办结情况。"
        elif len(text) > 10_000:
            errors["text"] = "办结情况最多 10000 个字符。"
        _check_files(errors, attachments)
        if errors:
            raise ValidationFailed(errors)
        now = clock.now()
        entry = _entry(item, EntryKind.REPORT, actor, text, unit=item.lead_unit)
        _store_files(item, entry, attachments, actor)
        item.status = Status.REPORTED
        item.reported_at = now
        item.last_progress_at = now
        _touch(item, "status", "reported_at", "last_progress_at")
        audit.record(
            actor=actor,
            verb="tracking.item.reported",
            target=item,
            changes={"status": [Status.IN_PROGRESS, Status.REPORTED]},
            data={"entry": entry.pk},
        )
        notifications.reported(item)
    return entry


def _finish_parent(parent_id: int | None, actor: Any) -> None:
    """Close a split parent when its last child is closed or cancelled."""
    if parent_id is None:
        return
    parent = _locked(parent_id)
    if parent.status != Status.IN_PROGRESS:
        return
    children = list(parent.children.all())
    if any(child.status not in (Status.CLOSED, Status.CANCELLED) for child in children):
        return
    closed = [child for child in children if child.status == Status.CLOSED]
    now = clock.now()
    parent.status = Status.CLOSED if closed else Status.CANCELLED
    parent.closed_at = now if closed else None
    parent.cancelled_at = None if closed else now
    parent.reported_at = max((c.reported_at for c in closed if c.reported_at), default=None)
    parent.closed_on_time = all(c.closed_on_time for c in closed) if closed else None
    parent.closed_on_time_original = all(c.closed_on_time_original for c in closed) if closed else None
    _touch(parent, "status", "closed_at", "cancelled_at", "reported_at", "closed_on_time", "closed_on_time_original")
    audit.record(
        actor=actor,
        verb="tracking.item.closed" if closed else "tracking.item.cancelled",
        target=parent,
        changes={"status": [Status.IN_PROGRESS, parent.status]},
        data={"by_children": True},
    )


def item_close(*, actor: Any, item: Item | int, rating: str, comment: str = "") -> Item:
    """核查办结: the officer verifies the completion report and rates its quality. "Closed on time" is
    decided here, against the deadline in force and against the original deadline, and kept."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        _require_status(item, (Status.REPORTED,), "核查办结")
        if rating not in Rating.values:
            raise ValidationFailed({"rating": "请选择质量评价（优秀、良好、一般或差）。"})
        now = clock.now()
        done = item.reported_at or now
        item.status = Status.CLOSED
        item.closed_at = now
        item.rating = rating
        item.closed_on_time = item.due_at is None or done <= item.due_at
        item.closed_on_time_original = item.original_due_at is None or done <= item.original_due_at
        _touch(item, "status", "closed_at", "rating", "closed_on_time", "closed_on_time_original")
        _entry(item, EntryKind.VERIFY, actor, (comment or "").strip(), rating=rating)
        audit.record(
            actor=actor,
            verb="tracking.item.closed",
            target=item,
            changes={"status": [Status.REPORTED, Status.CLOSED]},
            data={"rating": rating, "closed_on_time": item.closed_on_time},
        )
        notifications.closed(item)
        _finish_parent(item.parent_id, actor)
    return item


def item_return(*, actor: Any, item: Item | int, reason: str) -> Item:
    """退回重办: the report did not satisfy; the unit works on (the deadline does not move)."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        _require_status(item, (Status.REPORTED,), "退回重办")
        errors: dict[str, str] = {}
        reason = _text(errors, "reason", "退回理由", reason, max_length=2000)
        if errors:
            raise ValidationFailed(errors)
        now = clock.now()
        item.status = Status.IN_PROGRESS
        item.reported_at = None
        item.returned_count += 1
        item.last_returned_at = now
        _touch(item, "status", "reported_at", "returned_count", "last_returned_at")
        _entry(item, EntryKind.RETURN, actor, reason)
        audit.record(
            actor=actor,
            verb="tracking.item.returned",
            target=item,
            changes={"status": [Status.REPORTED, Status.IN_PROGRESS]},
            data={"reason": reason},
        )
        notifications.returned(item, reason)
    return item


def item_cancel(*, actor: Any, item: Item | int, reason: str) -> Item:
    """撤销 with a reason (a split parent takes its open children with it)."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        _require_status(item, (Status.DRAFT, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPORTED), "撤销")
        errors: dict[str, str] = {}
        reason = _text(errors, "reason", "撤销原因", reason, max_length=500)
        if errors:
            raise ValidationFailed(errors)
        before = item.status
        item.status = Status.CANCELLED
        item.cancelled_at = clock.now()
        item.cancel_reason = reason
        _touch(item, "status", "cancelled_at", "cancel_reason")
        audit.record(
            actor=actor,
            verb="tracking.item.cancelled",
            target=item,
            changes={"status": [before, item.status]},
            data={"reason": reason},
        )
        for child in item.children.exclude(status__in=[Status.CLOSED, Status.CANCELLED]):
            child_before = child.status
            child.status = Status.CANCELLED
            child.cancelled_at = item.cancelled_at
            child.cancel_reason = f"上级事项撤销：{reason}"[:500]
            _touch(child, "status", "cancelled_at", "cancel_reason")
            audit.record(
                actor=actor,
                verb="tracking.item.cancelled",
                target=child,
                changes={"status": [child_before, Status.CANCELLED]},
                data={"reason": child.cancel_reason},
            )
        if before != Status.DRAFT:
            notifications.cancelled(item, reason)
        _finish_parent(item.parent_id, actor)
    return item


def item_remind(*, actor: Any, item: Item | int, message: str) -> Entry:
    """Manual 催办 by the officer: a message to the lead unit's liaisons (and the co-operating units')."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        _require_view(actor, item)
        authz.require(actor, perms.ITEM_MANAGE, item)
        _require_status(item, (Status.ASSIGNED, Status.IN_PROGRESS), "催办")
        errors: dict[str, str] = {}
        message = _text(errors, "message", "催办内容", message, max_length=1000)
        if errors:
            raise ValidationFailed(errors)
        entry = _entry(item, EntryKind.REMIND, actor, message, unit=item.lead_unit)
        audit.record(actor=actor, verb="tracking.item.reminded", target=item, data={"message": message})
        notifications.reminded(item, message, entry)
    return entry


def remind_many(*, actor: Any, item_ids: Sequence[int], message: str) -> int:
    """Bulk 催办 from the board: every open item among `item_ids` the officer may manage; returns the count.
    A person who may not remind at all, or an empty message, is refused as a whole (not a silent 0)."""
    authz.require(actor, perms.ITEM_MANAGE)
    errors: dict[str, str] = {}
    message = _text(errors, "message", "催办内容", message, max_length=1000)
    if errors:
        raise ValidationFailed(errors)
    sent = 0
    for item_id in dict.fromkeys(item_ids):
        try:
            item_remind(actor=actor, item=item_id, message=message)
        except (InvalidTransition, NotFound, PermissionDenied):
            continue
        sent += 1
    return sent


def item_instruct(*, actor: Any, item: Item | int, text: str, on_behalf_of: Person | None = None) -> Entry:
    """再批示: a leader's further instruction on an item (a secretary may record it on the leader's behalf)."""
    with transaction.atomic():
        item = _locked(_item_id(item))
        leader = on_behalf_of or actor
        _require_view(leader, item)
        authz.require(actor, perms.ITEM_INSTRUCT, item, on_behalf_of=on_behalf_of)
        _require_status(item, (Status.DRAFT, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPORTED), "再批示")
        errors: dict[str, str] = {}
        text = _text(errors, "text", "批示内容", text, max_length=5000)
        if errors:
            raise ValidationFailed(errors)
        entry = _entry(item, EntryKind.INSTRUCTION, leader, text, recorded_by=actor if on_behalf_of else None)
        _touch(item)
        audit.record(
            actor=actor, verb="tracking.item.instructed", target=item, data={"text": text}, on_behalf_of=on_behalf_of
        )
        notifications.instructed(item, entry)
    return entry


# The escalation ladder ------------------------------------------------------------------------------------

NOTICE_PREFIX: Final = {
    NoticeLevel.BLUE: "蓝督",
    NoticeLevel.YELLOW: "黄督",
    NoticeLevel.RED: "红督",
    NoticeLevel.URGE: "催办",
    NoticeLevel.BULLETIN: "通报",
}


def notice_issue(
    item: Item,
    level: str,
    *,
    now: dt.datetime,
    actor: Any,
    reason: str,
    overdue_workdays: int = 0,
    occasion: int = 0,
) -> Notice | None:
    """Issue one ladder step for an item (worker job): once per (item, level, deadline in force, occasion);
    a second call for the same step returns None and writes nothing. Items without a deadline get none."""
    if item.due_at is None:
        return None
    if Notice.objects.filter(item=item, level=level, due_at=item.due_at, occasion=occasion).exists():
        return None
    year = local_date(now).year
    try:
        with transaction.atomic():
            seq = _take_number(f"notice-{level}", year)
            notice = Notice.objects.create(
                item=item,
                unit_id=item.lead_unit_id,
                level=level,
                number=f"{config().number_prefix[:-1] or ''}{NOTICE_PREFIX[NoticeLevel(level)]}〔{year}〕{seq}号",
                issued_at=now,
                due_at=item.due_at,
                overdue_workdays=max(0, overdue_workdays),
                reason=reason[:300],
                occasion=occasion,
            )
            audit.record(
                actor=actor,
                verb="tracking.item.notice_issued",
                target=item,
                data={"level": level, "number": notice.number, "reason": reason, "occasion": occasion},
            )
            notifications.notice_issued(item, notice)
    except IntegrityError:
        return None
    return notice


# Settings and ledger snapshots ------------------------------------------------------------------------------

CONFIG_FIELDS: Final = (
    "number_prefix",
    "sign_chase_workdays",
    "auto_sign_workdays",
    "decline_decide_workdays",
    "remind_before",
    "warn_workdays",
    "blue_enabled",
    "yellow_enabled",
    "red_enabled",
    "urge_enabled",
    "urge_after_workdays",
    "bulletin_enabled",
    "bulletin_after_workdays",
    "leader_extension_workdays",
    "assess_basis",
    "max_upload_mb",
    "allowed_extensions",
)


def config_update(*, actor: Any, **values: Any) -> Config:
    """Change the office's 督查督办 settings (numbering prefix, signing rule, reminders, ladder thresholds)."""
    authz.require(actor, perms.CONFIG_MANAGE)
    with transaction.atomic():
        cfg = config()
        cfg = Config.objects.select_for_update().get(pk=cfg.pk)
        before = audit.snapshot(cfg, CONFIG_FIELDS)
        errors: dict[str, str] = {}
        for name, value in values.items():
            if name not in CONFIG_FIELDS:
                raise ValueError(f"unknown tracking setting {name}")
            setattr(cfg, name, value)
        prefix = (cfg.number_prefix or "").strip()
        if not prefix or len(prefix) > 20 or any(ch in prefix for ch in "〔〕[]()（）号 "):
            errors["number_prefix"] = "督办编号代字应为 1—20 个字符，不含括号、空格和“号”。"
        cfg.number_prefix = prefix
        if not cfg.remind_days() and cfg.remind_before.strip():
            errors["remind_before"] = "到期前提醒应为逗号分隔的工作日数，例如“3,1”。"
        if cfg.auto_sign_workdays < cfg.sign_chase_workdays:
            errors["auto_sign_workdays"] = "自动签收的工作日数不能少于催签的工作日数。"
        if cfg.assess_basis not in {"auto", "original", "in_force"}:
            errors["assess_basis"] = "请选择有效的考核口径。"
        if not 1 <= cfg.max_upload_mb <= 200:
            errors["max_upload_mb"] = "附件大小上限应为 1—200 MB。"
        if not cfg.extensions():
            errors["allowed_extensions"] = "请至少允许一种附件类型。"
        if errors:
            raise ValidationFailed(errors)
        cfg.updated_at = clock.now()
        cfg.save()
        changes = audit.diff(before, audit.snapshot(cfg, CONFIG_FIELDS))
        if changes:
            audit.record(actor=actor, verb="tracking.config.updated", target=cfg, changes=changes)
    return cfg


def ledger_snapshot_save(
    *, actor: Any, year: int, period_no: int, as_of: dt.date, content: bytes, row_count: int
) -> LedgerSnapshot:
    """Keep the ledger as it stood (第N期台账); one per year and period number."""
    authz.require(actor, perms.ITEM_MANAGE)
    from django.core.files.base import ContentFile

    with transaction.atomic():
        if LedgerSnapshot.objects.filter(year=year, period_no=period_no).exists():
            raise ValidationFailed({"period_no": f"{year}年第{period_no}期台账已经生成过。"})
        snapshot = LedgerSnapshot(
            year=year,
            period_no=period_no,
            as_of=as_of,
            taken_at=clock.now(),
            taken_by_name=_name(actor),
            row_count=row_count,
        )
        digest = hashlib.sha256(content).hexdigest()[:8]
        snapshot.file.save(f"ledger-{year}-{period_no:03d}-{digest}.xlsx", ContentFile(content), save=False)
        snapshot.save()
        audit.record(
            actor=actor,
            verb="tracking.ledger.snapshot_taken",
            target=snapshot,
            data={
                "year": year,
                "period_no": period_no,
                "rows": row_count,
                "sha256": hashlib.sha256(content).hexdigest(),
            },
        )
    return snapshot
