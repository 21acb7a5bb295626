"""Every change to the checker's installation data: dictionary entries (add, edit, disable, enable,
import), dismissed findings, and the rebuild of the W3 statistics. Each service checks the permission, runs
in one transaction, writes its audit event and bumps the profile version (so every process rebuilds its
cached profile on its next check)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import transaction
from django.db.models import F

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, NotFound, ValidationFailed
from zhongshu.proofread import slips

from . import corpus, selectors
from . import dictionaries as dicts
from . import permissions as perms
from .models import CorpusStats, DictionaryEntry, Dismissal, ProfileVersion

MAX_IMPORT_BYTES: Final = 2 * 1024 * 1024
MAX_IMPORT_ROWS: Final = 5000
REASON_MAX: Final = 200

VERB_LABELS: Final[dict[str, str]] = {
    "checking.dictionary.added": "增加校核词条",
    "checking.dictionary.updated": "修改校核词条",
    "checking.dictionary.disabled": "停用校核词条",
    "checking.dictionary.enabled": "启用校核词条",
    "checking.dictionary.imported": "导入校核词典",
    "checking.finding.dismissed": "忽略校核提示",
    "checking.stats.rebuilt": "重建本单位用语统计",
}
"""Chinese labels of this app's audit verbs (registered with the audit trail in CheckingConfig.ready)."""


def bump_version() -> None:
    """Mark the checker's data as changed (inside the caller's transaction)."""
    stamp = secrets.token_hex(8)
    if ProfileVersion.objects.filter(pk=1).update(version=F("version") + 1, stamp=stamp):
        return
    _, created = ProfileVersion.objects.get_or_create(pk=1, defaults={"version": 1, "stamp": stamp})
    if not created:
        ProfileVersion.objects.filter(pk=1).update(version=F("version") + 1, stamp=stamp)


def _spec(dictionary: str) -> dicts.Spec:
    try:
        return dicts.spec(dictionary)
    except KeyError:
        raise ValidationFailed({"dictionary": "没有这个词典。"}) from None


def _clean(spec: dicts.Spec, values: Mapping[str, Any]) -> dict[str, str]:
    row, errors = dicts.clean_row(spec, dict(values))
    if errors:
        raise ValidationFailed(errors)
    return row


def _locked(entry_id: int) -> DictionaryEntry:
    entry = DictionaryEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("未找到该词条。")
    return entry


def _data(entry: DictionaryEntry, **extra: Any) -> dict[str, Any]:
    return {"dictionary": entry.dictionary, "label": entry.label, "shipped": entry.shipped, **extra}


def _changes(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, list[Any]]:
    return audit.diff(dict(before), dict(after))


@transaction.atomic
def entry_save(
    *, actor: Any, dictionary: str, values: Mapping[str, Any], entry_id: int | None = None
) -> DictionaryEntry:
    """Add an entry, or change one (`entry_id`). An entry with the key of a shipped entry overrides it."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(dictionary)
    row = _clean(spec, values)
    key = spec.key_of(row)
    clash = DictionaryEntry.objects.select_for_update().filter(dictionary=spec.code, key=key).first()
    if entry_id is None:
        if clash is not None:
            what = "（已停用，可在列表中启用）" if not clash.active else ""
            raise ValidationFailed({spec.key_columns[0]: f"词典中已有此词条{what}，请修改原词条。"})
        shipped = dicts.shipped_by_key(spec.code).get(key)
        if shipped is not None and shipped == row:
            raise ValidationFailed({spec.key_columns[0]: "系统内置词典中已有完全相同的词条，无需增加。"})
        entry = DictionaryEntry.objects.create(
            dictionary=spec.code,
            key=key,
            label=spec.label_of(row),
            fields=row,
            shipped=shipped is not None,
            created_by=actor if getattr(actor, "pk", None) else None,
            updated_by=actor if getattr(actor, "pk", None) else None,
        )
        before = dict(shipped) if shipped is not None else {}
        audit.record(
            actor=actor,
            verb="checking.dictionary.added" if shipped is None else "checking.dictionary.updated",
            target=entry,
            changes=_changes(before, row),
            data=_data(entry),
        )
        bump_version()
        return entry
    entry = _locked(entry_id)
    if entry.dictionary != spec.code:
        raise NotFound("未找到该词条。")
    if clash is not None and clash.pk != entry.pk:
        raise ValidationFailed({spec.key_columns[0]: "词典中已有相同的词条，不能改成与之重复。"})
    if entry.shipped and key != entry.key:
        raise ValidationFailed(
            {spec.key_columns[0]: f"这是系统内置词条，“{spec.labels[spec.key_columns[0]]}”等标识列不能修改。"}
        )
    changes = _changes(entry.fields, row)
    if not changes:
        return entry
    entry.key = key
    entry.fields = row
    entry.label = spec.label_of(row)
    entry.updated_at = clock.now()
    entry.updated_by = actor if getattr(actor, "pk", None) else None
    entry.save(update_fields=["key", "fields", "label", "updated_at", "updated_by"])
    audit.record(actor=actor, verb="checking.dictionary.updated", target=entry, changes=changes, data=_data(entry))
    bump_version()
    return entry


@transaction.atomic
def shipped_override(*, actor: Any, dictionary: str, key: str, active: bool) -> DictionaryEntry:
    """Disable (or enable again) a shipped entry that has no row yet: a row copying it is created."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(dictionary)
    existing = DictionaryEntry.objects.select_for_update().filter(dictionary=spec.code, key=key).first()
    if existing is not None:
        return entry_set_active(actor=actor, entry_id=existing.pk, active=active)
    shipped = dicts.shipped_by_key(spec.code).get(key)
    if shipped is None:
        raise NotFound("未找到该内置词条。")
    if active:
        raise ApplicationError("该内置词条已在使用中。")
    entry = DictionaryEntry.objects.create(
        dictionary=spec.code,
        key=key,
        label=spec.label_of(shipped),
        fields=dict(shipped),
        shipped=True,
        active=False,
        created_by=actor if getattr(actor, "pk", None) else None,
        updated_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        verb="checking.dictionary.disabled",
        target=entry,
        changes={"active": [True, False]},
        data=_data(entry),
    )
    bump_version()
    return entry


@transaction.atomic
def entry_set_active(*, actor: Any, entry_id: int, active: bool) -> DictionaryEntry:
    """Disable an entry (it no longer takes part in checks; a shipped one is switched off) or enable it."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    entry = _locked(entry_id)
    if entry.active == active:
        raise ApplicationError("该词条已启用。" if active else "该词条已停用。")
    entry.active = active
    entry.updated_at = clock.now()
    entry.updated_by = actor if getattr(actor, "pk", None) else None
    entry.save(update_fields=["active", "updated_at", "updated_by"])
    audit.record(
        actor=actor,
        verb="checking.dictionary.enabled" if active else "checking.dictionary.disabled",
        target=entry,
        changes={"active": [not active, active]},
        data=_data(entry),
    )
    bump_version()
    return entry


# Import and export -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: the line number (1 is the header), the column and the reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}“{self.column}”列：{self.message}" if self.column else f"{where}：{self.message}"


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do); `errors` non-empty means nothing was written."""

    dry_run: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Raised inside the import's transaction to undo a dry run or a file with errors."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError("文件编码无法识别：请保存为 UTF-8 编码的 CSV 文件。", field="file")


def read_csv(spec: dicts.Spec, data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The rows of an uploaded CSV file (header = the dictionary's columns, in English as in the shipped
    files or in Chinese as on the page), checked one by one."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError("文件过大：导入文件不能超过 2 MB。", field="file")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    errors: list[RowError] = []
    if not header:
        return [], [RowError(0, "", "文件是空的。")]
    by_label = {label: column for column, label in spec.labels.items()}
    names = [by_label.get(name.strip(), name.strip()) for name in header]
    for name in names:
        if name and name not in spec.columns:
            errors.append(RowError(1, name, f"不是“{spec.label}”词典的列，可用的列：{'、'.join(spec.columns)}。"))
    for column in spec.required:
        if column not in names:
            errors.append(RowError(1, column, "缺少此列（必填）。"))
    if errors:
        return [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            errors.append(RowError(number, "", f"一次最多导入 {MAX_IMPORT_ROWS} 行。"))
            break
        raw = {name: (values[index] if index < len(values) else "") for index, name in enumerate(names) if name}
        row, problems = dicts.clean_row(spec, raw)
        for column, message in problems.items():
            errors.append(RowError(number, column, message))
        if problems:
            continue
        key = spec.key_of(row)
        if key in seen:
            errors.append(RowError(number, spec.key_columns[0], f"与第 {seen[key]} 行是同一词条。"))
            continue
        seen[key] = number
        rows.append((number, row))
    if not rows and not errors:
        errors.append(RowError(0, "", "文件中没有词条。"))
    return rows, errors


def import_csv(*, actor: Any, dictionary: str, data: bytes, dry_run: bool = False) -> ImportResult:
    """Import a CSV file into a dictionary, all or nothing: every row is checked first (line, column and
    reason in Chinese) and nothing is written if any is wrong; otherwise each entry is added, changed or
    enabled again through the services (one audit event each). A dry run does the same and rolls back."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(dictionary)
    result = ImportResult(dry_run=dry_run)
    rows, errors = read_csv(spec, data)
    if errors:
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            for number, row in rows:
                key = spec.key_of(row)
                existing = DictionaryEntry.objects.filter(dictionary=spec.code, key=key).first()
                try:
                    if existing is None:
                        if dicts.shipped_by_key(spec.code).get(key) == row:
                            result.unchanged += 1
                            continue
                        entry_save(actor=actor, dictionary=spec.code, values=row)
                        result.added += 1
                        continue
                    changed = existing.fields != row
                    if changed:
                        entry_save(actor=actor, dictionary=spec.code, values=row, entry_id=existing.pk)
                    if not existing.active:
                        entry_set_active(actor=actor, entry_id=existing.pk, active=True)
                    if changed or not existing.active:
                        result.updated += 1
                    else:
                        result.unchanged += 1
                except ValidationFailed as exc:
                    for column, messages in exc.errors.items():
                        result.errors.extend(RowError(number, column, message) for message in messages)
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if result.errors:
        result.added = result.updated = result.unchanged = 0
    return result


def export_csv(*, actor: Any, dictionary: str) -> bytes:
    """The dictionary in force as a CSV file with the shipped file's columns (UTF-8): it can be imported
    again, or given to `zhongshu check --profile` outside the app."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = _spec(dictionary)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.columns)
    for row in selectors.effective_rows(spec.code):
        writer.writerow([row[column] for column in spec.columns])
    return buffer.getvalue().encode("utf-8")


# Dismissals --------------------------------------------------------------------------------------------


@transaction.atomic
def dismiss(*, actor: Any, doc_key: str, rule: str, text: str, reason: str, message: str = "") -> Dismissal:
    """Remember that the writer of `doc_key` dismissed a finding (`rule` on `text`) and why; the finding is
    no longer shown for that document and reviewers see the reason. Dismissing again changes the reason."""
    authz.require(actor, perms.PROOFREAD_USE)
    errors: dict[str, str] = {}
    doc_key = (doc_key or "").strip()
    rule = (rule or "").strip()
    reason = (reason or "").strip()
    if not doc_key or len(doc_key) > 120:
        errors["doc_key"] = "文稿标识不能为空，最多 120 个字符。"
    if not rule or len(rule) > 20:
        errors["rule"] = "规则编号不能为空，最多 20 个字符。"
    if not text or len(text) > 200:
        errors["text"] = "原文不能为空，最多 200 个字符。"
    if not reason:
        errors["reason"] = "请填写忽略的理由。"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"理由最多 {REASON_MAX} 个字符（现有 {len(reason)} 个）。"
    if errors:
        raise ValidationFailed(errors)
    name = str(getattr(actor, "name", "") or getattr(actor, "username", "") or actor)[:60]
    dismissal = Dismissal.objects.select_for_update().filter(doc_key=doc_key, rule=rule, text=text).first()
    if dismissal is None:
        dismissal = Dismissal.objects.create(
            doc_key=doc_key,
            rule=rule,
            text=text,
            message=(message or "")[:500],
            reason=reason,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_by_name=name,
        )
        changes = {"reason": [None, reason]}
    else:
        changes = {"reason": [dismissal.reason, reason]}
        dismissal.reason = reason
        dismissal.created_by = actor if getattr(actor, "pk", None) else None
        dismissal.created_by_name = name
        dismissal.created_at = clock.now()
        dismissal.save(update_fields=["reason", "created_by", "created_by_name", "created_at"])
    audit.record(
        actor=actor,
        verb="checking.finding.dismissed",
        target=dismissal,
        changes=changes,
        data={"doc_key": doc_key, "rule": rule, "text": text},
    )
    return dismissal


# W3 statistics of approved documents ---------------------------------------------------------------------


def _digest(texts: list[str]) -> str:
    hasher = hashlib.sha256()
    for text in texts:
        hasher.update(text.encode("utf-8"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


@transaction.atomic
def stats_rebuild(*, actor: Any, now: dt.datetime | None = None) -> str:
    """Rebuild the W3 statistics from the approved documents every module contributes (`corpus`). Does
    nothing when the texts are the same as last time; bumps the profile version when it writes."""
    authz.require(actor, perms.STATS_REBUILD)
    now = now or clock.now()
    per_source = corpus.collect()
    texts = sorted(text for found in per_source.values() for text in found)
    digest = _digest(texts)
    row = CorpusStats.objects.select_for_update().filter(pk=1).first()
    if row is not None and row.digest == digest:
        return f"已通过的文稿没有变化（{row.documents} 篇），统计未重建。"
    if row is None and not texts:
        return "还没有已通过的文稿，统计未生成。"
    stats = slips.build_stats(texts, source="本单位已通过的文稿")
    counts = {name: len(found) for name, found in per_source.items()}
    before = {"documents": row.documents, "characters": row.characters} if row is not None else {}
    values = {
        "data": slips.dumps(stats),
        "digest": digest,
        "documents": stats.documents,
        "characters": stats.characters,
        "sources": counts,
        "built_at": now,
    }
    row, _ = CorpusStats.objects.update_or_create(pk=1, defaults=values)
    audit.record(
        actor=actor,
        verb="checking.stats.rebuilt",
        target=row,
        changes=audit.diff(before, {"documents": row.documents, "characters": row.characters}),
        data={"sources": counts},
    )
    bump_version()
    return f"已用 {stats.documents} 篇已通过的文稿（{stats.characters} 字）重建本单位用语统计。"
