"""The 督办台账 from the database: items mapped to the pure writers' rows (`exports.rows.LedgerRow`), streamed
chunk by chunk into the XLSX writer so that memory does not grow with the number of rows; the office's own
template; and the weekly snapshots (第N期台账).

The page, the API (GET /api/v1/tracking/ledger.xlsx) and the snapshot job all come through `ledger_items` and
`ledger_rows`, so the three cannot disagree about what the ledger says.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, Final, Literal, NamedTuple, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.http import FileResponse
from django.utils import timezone

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ValidationFailed
from zhongshu.render.text import cn_date, cn_month_day

from . import permissions as perms
from . import selectors, services
from .choices import OPEN_STATUSES, EntryKind, PartRole, Rating, SourceType, Status
from .exports.rows import Colour, LedgerMeta, LedgerRow, ProgressEntry
from .models import Decline, Entry, Item, LedgerSnapshot, Part
from .selectors import Filters

CHUNK_SIZE: Final = 1000
"""Items read (with their log, co-operating units and pending declines) per round trip."""

XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOG_KINDS: Final = (
    EntryKind.PROGRESS,
    EntryKind.CO_REPORT,
    EntryKind.REPORT,
    EntryKind.RETURN,
    EntryKind.VERIFY,
    EntryKind.INSTRUCTION,
)
"""What the 进展情况 column shows: what the units reported and what came of it (not the office's 催办)."""

TEMPLATE_PATH: Final = "tracking/templates/ledger-template.xlsx"
TEMPLATE_INFO_PATH: Final = "tracking/templates/ledger-template.json"
TEMPLATE_MAX_BYTES: Final = 5 * 1024 * 1024

Paper = Literal["A3", "A4"]
COLOURS: Final = ("green", "yellow", "red", "grey")


# Which items ------------------------------------------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def ledger_items(
    user: Any,
    filters: Filters,
    now: dt.datetime,
    *,
    assigned_from: dt.date | None = None,
    assigned_to: dt.date | None = None,
) -> QuerySet[Item]:
    """The items of the ledger as `user` may see them, with the board's filters, in the fixed unit order (the
    lead unit's display order, then the number). Drafts are left out unless the status filter asks for them:
    the ledger records what was assigned."""
    qs = selectors.filter_items(selectors.with_state(selectors.visible_items(user), now), filters, now)
    if not filters.status:
        qs = qs.exclude(status=Status.DRAFT)
    if assigned_from:
        qs = qs.filter(assigned_at__gte=_day_start(assigned_from))
    if assigned_to:
        qs = qs.filter(assigned_at__lt=_day_start(assigned_to + dt.timedelta(days=1)))
    return qs.select_related("lead_unit", "instructing_leader").order_by(
        "lead_unit__display_order", "lead_unit_id", "year", "seq", "sub"
    )


class _ItemRow(NamedTuple):
    """One item as the ledger reads it: the columns a line needs (the other columns are not read) and the state
    `selectors.with_state` annotates, as a tuple: 10,000 model instances take longer to build than the rest of
    the rows."""

    id: int
    number: str
    year: int
    seq: int
    sub: int
    title: str
    content: str
    instruction: str
    source_type: str
    status: str
    lead_unit_id: int
    instructing_leader_id: int | None
    assigned_at: dt.datetime | None
    due_at: dt.datetime | None
    original_due_at: dt.datetime | None
    reported_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_on_time: bool | None
    rating: str
    returned_count: int
    accepted_auto: bool
    sign_late_workdays: int
    cancel_reason: str
    is_parent: bool
    lead_unit__short_name: str
    lead_unit__display_order: int
    instructing_leader__name: str | None
    is_overdue: bool
    colour: str


ROW_FIELDS: Final = _ItemRow._fields
"""What a ledger line needs of an item, in the tuple's order (the other columns are not read)."""


@dataclass
class _Extras:
    """What a chunk of items brings from the other tables, ready for the rows."""

    progress: dict[int, list[ProgressEntry]]
    co_units: dict[int, str]
    declined: set[int]


# Items → rows ----------------------------------------------------------------------------------------------


def _date(moment: dt.datetime | None) -> dt.date | None:
    return clock.localtime(moment).date() if moment else None


def _day(moment: dt.datetime) -> dt.date:
    return clock.localtime(moment).date()


class _Mapper:
    """Turns items of one ledger into rows: the calendar, the time zone, the unit names and the labels are read
    once per ledger, not once per row."""

    def __init__(self, now: dt.datetime, *, reference_year: int | None = None) -> None:
        from zhongshu.org.models import Unit
        from zhongshu.workdays.selectors import calendar

        self.now = now
        self.cal = calendar()
        self.tz = timezone.get_current_timezone()
        self.year = reference_year or _day(now).year
        self.units: dict[int, str] = dict(Unit.objects.values_list("pk", "short_name"))
        self.ratings = dict(Rating.choices)
        self.statuses = dict(Status.choices)
        self.sources = dict(SourceType.choices)

    def day(self, moment: dt.datetime | None) -> dt.date | None:
        return moment.astimezone(self.tz).date() if moment else None

    def extras(self, chunk: list[_ItemRow]) -> _Extras:
        """The progress log, co-operating units and pending declines of a chunk of items: three queries."""
        lead = {item.id: item.lead_unit_id for item in chunk}
        ids = list(lead)
        progress: dict[int, list[ProgressEntry]] = {}
        entries = (
            Entry.objects.filter(item_id__in=ids, kind__in=LOG_KINDS)
            .order_by("item_id", "created_at", "id")
            .values_list(
                "item_id", "kind", "unit_id", "text", "rating", "created_at", "author_name", "recorded_by__name"
            )
        )
        tz, units = self.tz, self.units
        line = self.log_text
        current, lines = 0, []
        for item_id, kind, unit_id, text, rating, created_at, author_name, principal in entries:
            if item_id != current:  # entries come item by item
                current, lines = item_id, progress.setdefault(item_id, [])
            unit = units.get(unit_id, "") if unit_id and unit_id != lead[item_id] else ""
            on = created_at.astimezone(tz).date()
            lines.append(ProgressEntry(on=on, text=line(kind, text, rating, author_name, principal), unit=unit))
        co_names: dict[int, list[str]] = {}
        parts = (
            Part.objects.filter(item_id__in=ids, role=PartRole.CO)
            .order_by("unit__display_order", "unit_id")
            .values_list("item_id", "unit_id")
        )
        for item_id, unit_id in parts:
            co_names.setdefault(item_id, []).append(units.get(unit_id, ""))
        declined = set(
            Decline.objects.filter(item_id__in=ids, status="pending").values_list("item_id", flat=True).distinct()
        )
        return _Extras(
            progress=progress,
            co_units={item_id: "、".join(names) for item_id, names in co_names.items()},
            declined=declined,
        )

    def log_text(self, kind: str, text: str, rating: str, author_name: str, principal: str | None) -> str:
        """What a log entry says in the 进展情况 column (one line, with what kind of step it was)."""
        text = _one_line(text)
        if kind == EntryKind.REPORT:
            return f"报送办结报告：{text}" if text else "报送办结报告。"
        if kind == EntryKind.RETURN:
            return f"退回重办：{text}" if text else "退回重办。"
        if kind == EntryKind.VERIFY:
            label = f"，质量评价“{self.ratings[rating]}”" if rating in self.ratings else ""
            return f"核查办结{label}。{text}" if text else f"核查办结{label}。"
        if kind == EntryKind.INSTRUCTION:
            leader = principal or author_name  # the leader a secretary recorded the instruction for
            return f"{leader}再批示：{text}" if leader else f"再批示：{text}"
        return text

    def remark(self, item: _ItemRow, *, declined: bool) -> str:
        notes: list[str] = []
        if item.status == Status.CANCELLED:
            notes.append(f"已撤销：{item.cancel_reason}" if item.cancel_reason else "已撤销")
        original, due = self.day(item.original_due_at), self.day(item.due_at)
        if original and due and original != due:
            notes.append(f"已延期（原定{cn_month_day(original, reference_year=self.year)}）")
        if declined:
            notes.append("退办待处理")
        if item.returned_count:
            notes.append(f"退回重办{item.returned_count}次")
        if item.accepted_auto:
            notes.append("逾期自动签收")
        elif item.sign_late_workdays:
            notes.append(f"签收延误{item.sign_late_workdays}个工作日")
        if item.status == Status.CLOSED and item.closed_on_time is False:
            notes.append("超期办结")
        if item.is_parent:
            notes.append("已分解办理")
        return "；".join(notes)

    def row(self, item: _ItemRow, extras: _Extras) -> LedgerRow:
        late_close = item.status == Status.CLOSED and item.closed_on_time is False
        colour = cast(Colour, item.colour if item.colour in COLOURS else "grey")
        due_on = self.day(item.due_at)
        # The rules of selectors.overdue_workdays read the deadline, the report and the status, which the tuple
        # has under the same names as the model.
        overdue_workdays = selectors.overdue_workdays(cast(Item, item), self.now, self.cal)
        return LedgerRow(
            number=item.number,
            source=self.sources.get(item.source_type, item.source_type),
            leader=(item.instructing_leader__name or "") if item.instructing_leader_id else "",
            instruction=item.instruction.strip() or item.content.strip(),
            title=item.title,
            lead_unit=item.lead_unit__short_name,
            co_units=extras.co_units.get(item.id, ""),
            assigned_on=self.day(item.assigned_at),
            due_on=due_on,
            original_due_on=self.day(item.original_due_at) or due_on,
            progress=tuple(extras.progress.get(item.id, ())),
            status=self.statuses.get(item.status, item.status),
            overdue=bool(item.is_overdue) or late_close,
            overdue_workdays=overdue_workdays,
            closed_on=self.day(item.closed_at) if item.status == Status.CLOSED else None,
            rating=self.ratings.get(item.rating, ""),
            remark=self.remark(item, declined=item.id in extras.declined),
            colour=colour,
            unit_order=item.lead_unit__display_order,
        )


def _one_line(text: str) -> str:
    lines = text.splitlines()
    if len(lines) == 1:
        return lines[0].strip()
    return " ".join(part.strip() for part in lines if part.strip())


def ledger_rows(
    qs: QuerySet[Item], now: dt.datetime, *, reference_year: int | None = None, chunk_size: int | None = None
) -> Iterator[LedgerRow]:
    """The rows of `qs` (from `ledger_items`), read `chunk_size` items at a time; each chunk brings its log,
    co-operating units and pending declines in three more queries. Only one chunk is in memory at a time."""
    size = chunk_size or CHUNK_SIZE
    mapper = _Mapper(now, reference_year=reference_year)
    chunk: list[_ItemRow] = []
    for values in qs.values_list(*ROW_FIELDS).iterator(chunk_size=size):
        chunk.append(_ItemRow._make(values))
        if len(chunk) >= size:
            extras = mapper.extras(chunk)
            yield from (mapper.row(each, extras) for each in chunk)
            chunk = []
    if chunk:
        extras = mapper.extras(chunk)
        yield from (mapper.row(each, extras) for each in chunk)


# Writing -------------------------------------------------------------------------------------------------


def district() -> str:
    return str(getattr(settings, "ZHONGSHU_DISTRICT_NAME", "示范区"))


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """2026年1月1日至11月29日 (the year is not repeated within one year)."""
    if start and end:
        tail = cn_month_day(end, reference_year=start.year)
        return f"{cn_date(start)}至{tail}"
    if start:
        return f"{cn_date(start)}以来"
    if end:
        return f"截至{cn_date(end)}交办"
    return ""


def write(
    user: Any,
    filters: Filters,
    now: dt.datetime,
    out: IO[bytes],
    *,
    assigned_from: dt.date | None = None,
    assigned_to: dt.date | None = None,
    period_no: int | None = None,
    label: str | None = None,
    use_template: bool = False,
    paper: Paper = "A3",
) -> int:
    """Write the ledger of the items `user` may see to `out` (the standard layout, or the office's template);
    returns the number of items."""
    from .exports.ledger import write_ledger

    today = _day(now)
    meta = LedgerMeta(
        district=district(),
        period_no=period_no,
        period_label=period_label(assigned_from, assigned_to) if label is None else label,
        as_of=today,
    )
    qs = ledger_items(user, filters, now, assigned_from=assigned_from, assigned_to=assigned_to)
    rows = ledger_rows(qs, now)
    if use_template:
        template = current_template()
        if template is None:
            raise ValidationFailed({"format": "尚未上传本单位台账模板，请先上传模板或选择标准台账。"})
        fill_template, _validate, template_error = _template_api()
        with default_storage.open(TEMPLATE_PATH, "rb") as source:
            try:
                return int(fill_template(cast(BinaryIO, source), meta, rows, cast(BinaryIO, out)))
            except template_error as exc:
                raise ValidationFailed({"format": f"本单位台账模板有误：{exc}"}) from exc
    return write_ledger(meta, rows, cast(BinaryIO, out), paper=paper)


def ledger_filename(now: dt.datetime, period_no: int | None = None) -> str:
    day = _day(now)
    issue = f"-第{period_no}期" if period_no else ""
    return f"督办台账{issue}-{day:%Y%m%d}.xlsx"


def ledger_response(
    user: Any,
    filters: Filters,
    now: dt.datetime,
    *,
    assigned_from: dt.date | None = None,
    assigned_to: dt.date | None = None,
    use_template: bool = False,
    paper: Paper = "A3",
) -> FileResponse:
    """The ledger as an XLSX download (督办台账-YYYYMMDD.xlsx, RFC 5987 filename*), written to a temporary file
    and streamed from it: used by the ledger page and by GET /api/v1/tracking/ledger.xlsx with the board's
    filters. Raises PermissionDenied for people who may not see items at all."""
    authz.require(user, perms.ITEM_VIEW)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when the download ends
    try:
        write(
            user,
            filters,
            now,
            spool,
            assigned_from=assigned_from,
            assigned_to=assigned_to,
            use_template=use_template,
            paper=paper,
        )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=ledger_filename(now), content_type=XLSX_CONTENT_TYPE)


# The office's own template ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateInfo:
    """The ledger template the office uploaded (one at a time)."""

    name: str
    uploaded_by: str
    uploaded_at: str
    placeholders: tuple[str, ...]
    size: int


def _template_api() -> tuple[Any, Any, type[Exception]]:
    """fill_template, validate_template and TemplateError of the pure writers."""
    from .exports import template as pure

    return pure.fill_template, pure.validate_template, pure.TemplateError


def current_template() -> TemplateInfo | None:
    if not default_storage.exists(TEMPLATE_PATH):
        return None
    info: dict[str, Any] = {}
    if default_storage.exists(TEMPLATE_INFO_PATH):
        with default_storage.open(TEMPLATE_INFO_PATH, "rb") as handle:
            try:
                info = json.loads(handle.read().decode("utf-8"))
            except ValueError:
                info = {}
    return TemplateInfo(
        name=str(info.get("name") or "台账模板.xlsx"),
        uploaded_by=str(info.get("uploaded_by") or ""),
        uploaded_at=str(info.get("uploaded_at") or ""),
        placeholders=tuple(info.get("placeholders") or ()),
        size=int(info.get("size") or default_storage.size(TEMPLATE_PATH)),
    )


def check_template(content: bytes) -> list[str]:
    """The placeholders of an uploaded template; a Chinese ValidationFailed on the `file` field when it is not
    a usable template (not XLSX, unknown placeholder, no row template)."""
    import io

    if not content:
        raise ValidationFailed({"file": "上传的文件是空的。"})
    if len(content) > TEMPLATE_MAX_BYTES:
        raise ValidationFailed({"file": f"模板文件不能超过 {TEMPLATE_MAX_BYTES // 1024 // 1024} MB。"})
    _fill, validate_template, template_error = _template_api()
    try:
        found = list(validate_template(io.BytesIO(content)))
    except template_error as exc:
        raise ValidationFailed({"file": str(exc)}) from exc
    return found


def ledger_template_save(*, actor: Any, content: bytes, name: str) -> TemplateInfo:
    """Keep the office's own ledger template (replacing the previous one) after checking its placeholders."""
    authz.require(actor, perms.ITEM_MANAGE)
    placeholders = check_template(content)
    name = (name or "台账模板.xlsx").replace("/", "_").replace("\\", "_")[-100:]
    info = {
        "name": name,
        "uploaded_by": services._name(actor),  # noqa: SLF001 — the services' way of naming an actor
        "uploaded_at": clock.localtime(clock.now()).strftime("%Y-%m-%d %H:%M"),
        "placeholders": placeholders,
        "size": len(content),
    }
    with transaction.atomic():
        cfg = services.config()
        for path in (TEMPLATE_PATH, TEMPLATE_INFO_PATH):
            if default_storage.exists(path):
                default_storage.delete(path)
        default_storage.save(TEMPLATE_PATH, ContentFile(content))
        default_storage.save(TEMPLATE_INFO_PATH, ContentFile(json.dumps(info, ensure_ascii=False).encode("utf-8")))
        audit.record(
            actor=actor,
            verb="tracking.ledger_template.uploaded",
            target=cfg,
            data={"name": name, "size": len(content), "placeholders": placeholders},
        )
    found = current_template()
    if found is None:  # pragma: no cover — the storage lost the file it just saved
        raise ValidationFailed({"file": "模板保存失败，请重试。"})
    return found


def ledger_template_delete(*, actor: Any) -> bool:
    """Stop using the office's template (downloads fall back to the standard ledger)."""
    authz.require(actor, perms.ITEM_MANAGE)
    found = current_template()
    if found is None:
        return False
    with transaction.atomic():
        cfg = services.config()
        for path in (TEMPLATE_PATH, TEMPLATE_INFO_PATH):
            if default_storage.exists(path):
                default_storage.delete(path)
        audit.record(actor=actor, verb="tracking.ledger_template.deleted", target=cfg, data={"name": found.name})
    return True


# Snapshots (第N期台账) ------------------------------------------------------------------------------------


def next_period_no(year: int) -> int:
    last = LedgerSnapshot.objects.filter(year=year).aggregate(last=Max("period_no"))["last"]
    return int(last or 0) + 1


def take_snapshot(actor: Any, now: dt.datetime) -> LedgerSnapshot:
    """Generate and keep the next 第N期台账 of the year as of today: every item assigned this year, plus those
    of earlier years still open. A weekly job may call it with a system actor."""
    authz.require(actor, perms.ITEM_MANAGE)
    today = _day(now)
    year = today.year
    period_no = next_period_no(year)
    start = dt.date(year, 1, 1)
    meta = LedgerMeta(district=district(), period_no=period_no, period_label=period_label(start, today), as_of=today)
    qs = ledger_items(actor, Filters(), now).filter(_year_q(year))
    from .exports.ledger import write_ledger

    with tempfile.TemporaryFile() as spool:
        count = write_ledger(meta, ledger_rows(qs, now, reference_year=year), cast(BinaryIO, spool))
        spool.seek(0)
        content = spool.read()
    try:
        return services.ledger_snapshot_save(
            actor=actor, year=year, period_no=period_no, as_of=today, content=content, row_count=count
        )
    except IntegrityError as exc:  # someone took the same number a moment ago
        raise ValidationFailed({"period_no": f"{year}年第{period_no}期台账刚刚已由他人生成，请刷新后重试。"}) from exc


def _year_q(year: int) -> Q:
    """Items of the year's ledger: assigned this year, or still open (from an earlier year), or closed this
    year."""
    start = _day_start(dt.date(year, 1, 1))
    return Q(assigned_at__gte=start) | Q(status__in=OPEN_STATUSES) | Q(closed_at__gte=start)


def snapshots() -> QuerySet[LedgerSnapshot]:
    return LedgerSnapshot.objects.order_by("-year", "-period_no")


def may_see_all(user: Any) -> bool:
    """Snapshots and the template concern every unit: the office (everyone who sees all items) only."""
    return authz.scope_of(user, perms.ITEM_VIEW) == authz.Scope.ALL
