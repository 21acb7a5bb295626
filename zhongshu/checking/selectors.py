"""Reads of the checker's installation data, and `profile()`: the proofread Profile of this installation.

`profile()` is built from the shipped dictionaries plus the administrators' entries, the names of the
units (full, short and former names) and people in `org`, the W3 statistics of the approved documents and
the optional profile file `ZHONGSHU_PROOFREAD_PROFILE` (rule selection and severities). It is kept once
per process and checked on each call with two cheap queries: the version row (bumped in the same
transaction as every dictionary change and statistics rebuild) and one aggregate over units and people
(count and latest change). A person renamed without any other change is picked up within `ORG_TTL`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max, Q, QuerySet

from zhongshu.audit.models import Event
from zhongshu.core import authz
from zhongshu.proofread import Profile, slips
from zhongshu.proofread.rules.wording import NonWord, compile_nonwords, context_pair_from_row
from zhongshu.proofread.standard import StandardDictionary, entry_from_row

from . import dictionaries as dicts
from . import permissions as perms
from .models import CorpusStats, DictionaryEntry, Dismissal, ProfileVersion

ORG_TTL = 600.0  # seconds after which the names are read again even when the cheap signature is unchanged

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], float, Profile] | None = None


def profile_version() -> tuple[int, str]:
    row = ProfileVersion.objects.filter(pk=1).values_list("version", "stamp").first()
    return (int(row[0]), str(row[1])) if row else (0, "")


def _org_signature() -> tuple[Any, ...]:
    from zhongshu.org.models import Person, Unit, UnitName

    units = Unit.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    people = Person.objects.aggregate(n=Count("pk"), last=Max("pk"), active=Count("pk", filter=Q(is_active=True)))
    former = UnitName.objects.count()
    return (units["n"], units["changed"], people["n"], people["last"], people["active"], former)


def _org_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(local names: people and former unit names, unit names: full and short names of active units)."""
    from zhongshu.org.models import Person, Unit, UnitName

    units: list[str] = []
    for full, short in Unit.objects.filter(active=True).values_list("full_name", "short_name"):
        units.extend((full, short))
    local = list(Person.objects.filter(is_active=True).values_list("name", flat=True))
    for full, short in UnitName.objects.values_list("full_name", "short_name"):
        local.extend((full, short))
    clean = lambda names: tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))  # noqa: E731
    return clean(local), clean(units)


def _rows_by_dictionary() -> dict[str, list[DictionaryEntry]]:
    found: dict[str, list[DictionaryEntry]] = {code: [] for code in dicts.SPECS}
    for entry in DictionaryEntry.objects.order_by("created_at", "pk"):
        found.setdefault(entry.dictionary, []).append(entry)
    return found


def effective_of(code: str, own: list[DictionaryEntry]) -> list[dict[str, str]]:
    spec = dicts.spec(code)
    by_key = {entry.key: entry for entry in own}
    result: list[dict[str, str]] = []
    for key, shipped in dicts.shipped_by_key(code).items():
        entry = by_key.pop(key, None)
        if entry is None:
            result.append(dict(shipped))
        elif entry.active:
            result.append({column: str(entry.fields.get(column, "")) for column in spec.columns})
    for entry in by_key.values():
        if entry.active:
            result.append({column: str(entry.fields.get(column, "")) for column in spec.columns})
    return result


def effective_rows(code: str) -> list[dict[str, str]]:
    """The entries of a dictionary in force: the shipped rows (as overridden) without the disabled ones, then
    the installation's own, each in the dictionary's columns."""
    return effective_of(code, list(DictionaryEntry.objects.filter(dictionary=code).order_by("created_at", "pk")))


def _base_profile() -> Profile:
    path = getattr(settings, "ZHONGSHU_PROOFREAD_PROFILE", "") or ""
    return Profile.load(path) if path else Profile.default()


def build_profile(
    rows: dict[str, list[DictionaryEntry]],
    local_names: Iterable[str],
    unit_names: Iterable[str],
    stats: slips.Stats | None,
) -> Profile:
    """The Profile from the given data (no database access)."""
    base = _base_profile()
    dictionaries: dict[str, Any] = dict(base.dictionaries)
    if rows.get("w1"):
        entries = [
            NonWord(
                wrong=row["wrong"],
                correct=row["correct"],
                note=row["note"],
                exceptions=tuple(w for w in row["exceptions"].split("|") if w.strip()),
            )
            for row in effective_of("w1", rows["w1"])
        ]
        dictionaries["w1_table"] = compile_nonwords(entries)
    if rows.get("w2"):
        dictionaries["w2_pairs"] = tuple(context_pair_from_row(row) for row in effective_of("w2", rows["w2"]))
    if rows.get("w4"):
        dictionaries["standard"] = StandardDictionary([entry_from_row(row) for row in effective_of("w4", rows["w4"])])
    whitelist = tuple(row["name"] for row in effective_of("whitelist", rows.get("whitelist", [])))
    return dataclasses.replace(
        base,
        name=f"{base.name}（本单位）",
        dictionaries=dictionaries,
        local_names=tuple(dict.fromkeys((*base.local_names, *whitelist, *local_names))),
        unit_names=tuple(dict.fromkeys((*base.unit_names, *unit_names))),
        extra_stats=stats if stats is not None else base.extra_stats,
    )


def profile() -> Profile:
    """This installation's proofread profile, cached per process and rebuilt when its data changed."""
    global _cached
    try:
        key = (profile_version(), _org_signature())
        cached = _cached
        if cached is not None and cached[0] == key and time.monotonic() - cached[1] < ORG_TTL:
            return cached[2]
        rows = _rows_by_dictionary()
        local, units = _org_names()
        blob = CorpusStats.objects.filter(pk=1).values_list("data", flat=True).first()
    except DatabaseError:  # no tables yet (a fresh data directory): the shipped profile
        return _base_profile()
    stats = slips.loads(bytes(blob)) if blob else None
    built = build_profile(rows, local, units, stats)
    with _lock:
        _cached = (key, time.monotonic(), built)
    return built


def forget_profile() -> None:
    """Drop this process's cached profile (tests; the version check makes it unnecessary otherwise)."""
    global _cached
    with _lock:
        _cached = None


# Pages ---------------------------------------------------------------------------------------------------


def dictionary_rows(actor: Any, code: str, *, query: str = "", status: str = "") -> list[dict[str, Any]]:
    """The rows of a dictionary for its page: shipped entries (as overridden) and the installation's own,
    each as {"key", "fields", "entry" (the row or None), "source" ("shipped"/"override"/"own"), "active"}."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    spec = dicts.spec(code)
    own = {entry.key: entry for entry in DictionaryEntry.objects.filter(dictionary=code).order_by("created_at", "pk")}
    rows: list[dict[str, Any]] = []
    for key, shipped in dicts.shipped_by_key(code).items():
        entry = own.pop(key, None)
        rows.append(
            {
                "key": key,
                "fields": entry.fields if entry is not None else shipped,
                "entry": entry,
                "source": "override" if entry is not None else "shipped",
                "active": entry.active if entry is not None else True,
            }
        )
    for key, entry in own.items():
        rows.append({"key": key, "fields": entry.fields, "entry": entry, "source": "own", "active": entry.active})
    needle = query.strip().lower()
    if needle:
        rows = [row for row in rows if any(needle in str(value).lower() for value in row["fields"].values())]
    if status == "own":
        rows = [row for row in rows if row["source"] != "shipped"]
    elif status == "disabled":
        rows = [row for row in rows if not row["active"]]
    for row in rows:
        row["cells"] = [str(row["fields"].get(column, "")) for column in spec.columns]
    # The installation's own and changed entries first (latest change first), then the shipped ones.
    changed = sorted((r for r in rows if r["entry"] is not None), key=lambda r: r["entry"].updated_at, reverse=True)
    return changed + [row for row in rows if row["entry"] is None]


def entry_get(actor: Any, entry_id: int) -> DictionaryEntry | None:
    authz.require(actor, perms.DICTIONARY_MANAGE)
    return DictionaryEntry.objects.filter(pk=entry_id).first()


def history(actor: Any, code: str, *, limit: int = 50) -> QuerySet[Event]:
    """The latest changes of one dictionary (from the audit trail), newest first."""
    authz.require(actor, perms.DICTIONARY_MANAGE)
    return Event.objects.filter(verb__startswith="checking.dictionary.", data__dictionary=code).order_by("-seq")[:limit]


def stats_row() -> CorpusStats | None:
    return CorpusStats.objects.defer("data").filter(pk=1).first()


# Dismissals ---------------------------------------------------------------------------------------------

_DOCUMENTS: dict[str, Any] = {}


def register_document(prefix: str, may_see: Any) -> None:
    """Say who may read the dismissals of documents whose key starts with `prefix:`:
    `may_see(actor, ident) -> bool`. Keys with an unregistered prefix are readable by every user of the
    checker (a key such as a form's random submission key is itself the secret)."""
    _DOCUMENTS[prefix] = may_see


def may_see_document(actor: Any, doc_key: str) -> bool:
    if not authz.can(actor, perms.PROOFREAD_USE):
        return False
    prefix, _, ident = doc_key.rpartition(":")
    check = _DOCUMENTS.get(prefix)
    return True if check is None else bool(check(actor, ident))


def dismissals_for(doc_keys: Iterable[str]) -> list[Dismissal]:
    """The dismissed findings of a document (under any of its keys), oldest first."""
    keys = [key for key in doc_keys if key]
    if not keys:
        return []
    return list(Dismissal.objects.filter(doc_key__in=keys).order_by("created_at", "pk"))
