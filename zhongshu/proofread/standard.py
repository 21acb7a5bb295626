"""W4 规范表述: the engine that checks standard formulations against a maintained dictionary (digest A4 W4).

The product ships only the mechanism and a small neutral example dictionary (`data/w4_example.csv`);
administrators maintain the content. An entry has a standard form, explicit wrong variants, generated
variants (quote-less forms, reordered enumerations, swapped neighbouring characters), effective dates, a
source and a severity. Matching uses a pure-Python Aho-Corasick automaton; forms not listed are found by a
near-miss search with a bounded edit distance (≤ 1 for standards of up to 8 characters, ≤ 2 above). Hits
are warnings that suggest the standard form; nothing is replaced automatically.

A profile replaces the example with `dictionaries["standard"]`: a CSV path, a list of `Entry` (or of dicts
with the CSV's columns), or a built `StandardDictionary`. The rule reads `options["today"]` (a date or an
ISO date string) to honour effective dates; without it, every entry counts as in force.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from .document import Document
from .finding import Category, Hit, Severity
from .registry import RuleContext, rule

EXAMPLE = Path(__file__).resolve().parent / "data" / "w4_example.csv"
_QUOTES = "“”‘’\"'「」"
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_BREAK = re.compile(r"[\s，。、；：？！,.;:?!（）()《》“”\"]")

T = TypeVar("T")


# Aho-Corasick -----------------------------------------------------------------------------------------


class AhoCorasick(Generic[T]):
    """All occurrences of many literal patterns in one pass; each pattern carries a payload.

    The scan jumps with a compiled regex to the next character that can start a pattern whenever the
    automaton is at its root, so text without any candidate costs one C-level search."""

    def __init__(self) -> None:
        self._goto: list[dict[str, int]] = [{}]
        self._fail: list[int] = [0]
        self._out: list[list[tuple[int, T]]] = [[]]
        self._first: re.Pattern[str] | None = None

    def add(self, pattern: str, payload: T) -> None:
        if not pattern:
            raise ValueError("empty pattern")
        state = 0
        for char in pattern:
            nxt = self._goto[state].get(char)
            if nxt is None:
                nxt = len(self._goto)
                self._goto[state][char] = nxt
                self._goto.append({})
                self._fail.append(0)
                self._out.append([])
            state = nxt
        self._out[state].append((len(pattern), payload))
        self._first = None

    def build(self) -> AhoCorasick[T]:
        queue = list(self._goto[0].values())
        for state in queue:
            self._fail[state] = 0
        index = 0
        while index < len(queue):
            state = queue[index]
            index += 1
            for char, nxt in self._goto[state].items():
                queue.append(nxt)
                fallback = self._fail[state]
                while fallback and char not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                target = self._goto[fallback].get(char, 0)
                self._fail[nxt] = target if target != nxt else 0
                self._out[nxt] = self._out[nxt] + self._out[self._fail[nxt]]
        firsts = "".join(sorted(self._goto[0]))
        self._first = re.compile(f"[{re.escape(firsts)}]" if firsts else r"(?!x)x")
        return self

    def _starts(self) -> re.Pattern[str]:
        if self._first is None:
            raise RuntimeError("automaton not built")
        return self._first

    def iter(self, text: str) -> Iterator[tuple[int, int, T]]:
        """(start, end, payload) for every occurrence, overlapping ones included, by end position."""
        first = self._first or self.build()._starts()
        goto, fail, out = self._goto, self._fail, self._out
        state, position, length = 0, 0, len(text)
        while position < length:
            if state == 0:
                match = first.search(text, position)
                if match is None:
                    return
                position = match.start()
            char = text[position]
            while state and char not in goto[state]:
                state = fail[state]
            state = goto[state].get(char, 0)
            position += 1
            for size, payload in out[state]:
                yield position - size, position, payload


# Entries ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One standard formulation (规范表述) with its known wrong forms and where it comes from."""

    standard: str
    variants: tuple[str, ...] = ()
    category: str = "固定表述"
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None  # after this date the standard itself is no longer used
    source: str = ""
    severity: Severity = Severity.WARNING
    near_miss: bool = True  # look for unlisted forms within the edit distance
    note: str = ""
    id: str = ""

    def in_force(self, today: dt.date | None) -> bool:
        return today is None or self.effective_from is None or self.effective_from <= today

    def retired(self, today: dt.date | None) -> bool:
        return today is not None and self.effective_until is not None and today > self.effective_until


def generated_variants(standard: str) -> list[str]:
    """Forms a writer plausibly produces from `standard`: without its quotes, with the items of an
    enumeration (A、B、C) reordered, and with two neighbouring characters swapped (for forms of 4+)."""
    found: list[str] = []
    bare = standard.translate({ord(q): None for q in _QUOTES})
    if bare != standard:
        found.append(bare)
    for form in dict.fromkeys((standard, bare)):
        items = form.split("、")
        if 2 <= len(items) <= 4 and all(items):
            found.extend("、".join(order) for order in itertools.permutations(items) if list(order) != items)
    if len(standard) >= 4:
        for index in range(len(standard) - 1):
            a, b = standard[index], standard[index + 1]
            if a != b and _HAN.match(a) and _HAN.match(b):
                found.append(standard[:index] + b + a + standard[index + 2 :])
    unique: list[str] = []
    for form in found:
        if form != standard and form not in unique:
            unique.append(form)
    return unique


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def entry_from_row(row: Mapping[str, Any]) -> Entry:
    """An entry from a CSV row or a dict: `variants` separated by |, dates as YYYY-MM-DD."""
    variants = row.get("variants") or ()
    if isinstance(variants, str):
        variants = tuple(v.strip() for v in variants.split("|") if v.strip())
    near_miss = row.get("near_miss", True)
    if isinstance(near_miss, str):
        near_miss = near_miss.strip().lower() not in {"no", "false", "0", "否"}
    standard = str(row["standard"]).strip()
    if not standard:
        raise ValueError("规范表述词典：standard（标准表述）不能为空")
    return Entry(
        standard=standard,
        variants=tuple(variants),
        category=str(row.get("category") or "固定表述"),
        effective_from=_date(row.get("effective_from")),
        effective_until=_date(row.get("effective_until")),
        source=str(row.get("source") or ""),
        severity=Severity(row.get("severity") or "warning"),
        near_miss=bool(near_miss),
        note=str(row.get("note") or ""),
        id=str(row.get("id") or ""),
    )


def read_entries(path: str | Path) -> list[Entry]:
    """Read a dictionary CSV (UTF-8, header: id,standard,variants,category,effective_from,effective_until,
    source,severity,near_miss,note)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return [entry_from_row(row) for row in csv.DictReader(handle) if (row.get("standard") or "").strip()]


# Matching --------------------------------------------------------------------------------------------

STANDARD, VARIANT, GENERATED, PIECE = "standard", "variant", "generated", "piece"


@dataclass(frozen=True)
class _Key:
    kind: str
    entry: int
    offset: int = 0  # for pieces: where the piece starts in the standard


@dataclass(frozen=True)
class Match:
    """A place in the text where a dictionary entry applies."""

    start: int
    end: int
    entry: Entry
    kind: str  # standard (retired form), variant, generated or near-miss
    distance: int = 0


def max_distance(standard: str) -> int:
    return 1 if len(standard) <= 8 else 2


def bounded_distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance of a and b, or bound + 1 as soon as it must exceed `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        low = bound + 1
        for j, char_b in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            low = min(low, current[j])
        if min(low, current[0]) > bound:
            return bound + 1
        previous = current
    return min(previous[-1], bound + 1)


def _pieces(standard: str, count: int) -> list[tuple[int, str]]:
    size = len(standard) // count
    bounds = [index * size for index in range(count)] + [len(standard)]
    return [(bounds[i], standard[bounds[i] : bounds[i + 1]]) for i in range(count)]


@dataclass
class StandardDictionary:
    """Entries compiled for matching: one automaton for standards, variants and near-miss pieces."""

    entries: list[Entry]
    min_near_miss_length: int = 4
    automaton: AhoCorasick[_Key] = field(init=False)

    def __post_init__(self) -> None:
        automaton: AhoCorasick[_Key] = AhoCorasick()
        standards = {entry.standard for entry in self.entries}
        listed = {variant for entry in self.entries for variant in entry.variants}
        for index, entry in enumerate(self.entries):
            automaton.add(entry.standard, _Key(STANDARD, index))
            for variant in entry.variants:
                if variant not in standards:
                    automaton.add(variant, _Key(VARIANT, index))
            for variant in generated_variants(entry.standard):
                if variant not in standards and variant not in listed:
                    automaton.add(variant, _Key(GENERATED, index))
            if entry.near_miss and len(entry.standard) >= self.min_near_miss_length:
                bound = max_distance(entry.standard)
                for offset, piece in _pieces(entry.standard, bound + 1):
                    automaton.add(piece, _Key(PIECE, index, offset))
        self.automaton = automaton.build()

    def matches(self, text: str, *, today: dt.date | None = None) -> list[Match]:
        """Retired standards, listed and generated variants, and near misses, without overlaps."""
        exact: list[tuple[int, int, _Key]] = []
        pieces: list[tuple[int, _Key]] = []
        for start, end, key in self.automaton.iter(text):
            if not self.entries[key.entry].in_force(today):
                continue
            if key.kind == PIECE:
                pieces.append((start, key))
            else:
                exact.append((start, end, key))
        # A standard occurrence inside a longer listed variant (部 in 部门) does not protect the text.
        variants = _Spans((s, e) for s, e, k in exact if k.kind != STANDARD)
        protected = [(s, e) for s, e, k in exact if k.kind == STANDARD and not variants.covers(s, e)]
        protected_index = _Spans(protected)
        found: list[Match] = []
        for start, end, key in exact:
            entry = self.entries[key.entry]
            if key.kind == STANDARD:
                if entry.retired(today):
                    found.append(Match(start, end, entry, STANDARD))
            elif not protected_index.overlaps(start, end):
                found.append(Match(start, end, entry, key.kind))
        taken = _Spans(protected + [(m.start, m.end) for m in found])
        found.extend(self._near_misses(text, pieces, taken, today))
        return _without_overlaps(found)

    def _near_misses(
        self, text: str, pieces: list[tuple[int, _Key]], taken: _Spans, today: dt.date | None
    ) -> Iterator[Match]:
        seen: set[tuple[int, int]] = set()
        for position, key in pieces:
            anchor = position - key.offset
            if (key.entry, anchor) in seen:
                continue
            seen.add((key.entry, anchor))
            entry = self.entries[key.entry]
            if entry.retired(today) or taken.overlaps(position, position + 1):
                continue
            best = self._best_window(text, entry.standard, anchor, taken)
            if best is not None:
                start, end, distance = best
                yield Match(start, end, entry, "near-miss", distance)

    @staticmethod
    def _best_window(text: str, standard: str, anchor: int, taken: _Spans) -> tuple[int, int, int] | None:
        bound = max_distance(standard)
        allow_breaks = bool(_BREAK.search(standard))
        best: tuple[int, int, int, int] | None = None  # (distance, length difference, start, end)
        for start in range(max(0, anchor - bound), anchor + bound + 1):
            for size in range(len(standard) - bound, len(standard) + bound + 1):
                end = start + size
                if size <= 0 or end > len(text):
                    continue
                window = text[start:end]
                if window == standard or taken.overlaps(start, end):
                    continue
                if not allow_breaks and _BREAK.search(window):
                    continue
                if not (_HAN.match(window[0]) and _HAN.match(window[-1])):
                    continue
                distance = bounded_distance(window, standard, bound)
                if distance > bound:
                    continue
                candidate = (distance, abs(size - len(standard)), start, end)
                if best is None or candidate < best:
                    best = candidate
        return None if best is None else (best[2], best[3], best[0])


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


class _Spans:
    """Spans already claimed, answering "does [start, end) overlap any?" in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._max_end: list[int] = []
        highest = -1
        for _, end in ordered:
            highest = max(highest, end)
            self._max_end.append(highest)

    def covers(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self._starts, start)
        return index > 0 and self._max_end[index - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)
        return index > 0 and self._max_end[index - 1] > start


def _without_overlaps(found: list[Match]) -> list[Match]:
    """Exact forms before near misses, then longer before shorter; first come keeps its span."""
    order = {STANDARD: 0, VARIANT: 1, GENERATED: 2, "near-miss": 3}
    kept: list[Match] = []
    for match in sorted(found, key=lambda m: (order[m.kind], m.distance, -(m.end - m.start), m.start)):
        if not _overlaps(match.start, match.end, [(m.start, m.end) for m in kept]):
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))


# Loading ---------------------------------------------------------------------------------------------


@cache
def _from_path(path: Path, mtime_ns: int) -> StandardDictionary:
    return StandardDictionary(read_entries(path))


def load(path: str | Path) -> StandardDictionary:
    """The compiled dictionary of a CSV file, built once per file version (path and modification time)."""
    resolved = Path(path).resolve()
    return _from_path(resolved, resolved.stat().st_mtime_ns)


@cache
def _example() -> StandardDictionary:
    """The shipped example, built once per process (no file check per call: it only changes on upgrade)."""
    return StandardDictionary(read_entries(EXAMPLE))


_BUILT: dict[int, tuple[object, StandardDictionary]] = {}


def dictionary_for(source: object) -> StandardDictionary:
    """The dictionary a profile names: None (the example), a path, a built dictionary or a list of entries
    (Entry or dicts); a list is compiled once and kept while it lives in the profile."""
    if source is None:
        return _example()
    if isinstance(source, StandardDictionary):
        return source
    if isinstance(source, str | Path):
        return load(source)
    if isinstance(source, list | tuple):
        cached = _BUILT.get(id(source))
        if cached is not None and cached[0] is source:
            return cached[1]
        entries = [item if isinstance(item, Entry) else entry_from_row(item) for item in source]
        built = StandardDictionary(entries)
        if len(_BUILT) > 16:
            _BUILT.clear()
        _BUILT[id(source)] = (source, built)
        return built
    raise TypeError(f"规范表述词典的类型无法识别：{type(source).__name__}（应为文件路径或词条列表）")


def _today(options: Mapping[str, object]) -> dt.date | None:
    return _date(options.get("today"))


def _message(match: Match) -> str:
    entry = match.entry
    source = f"（依据：{entry.source}）" if entry.source else ""
    if match.kind == STANDARD:
        until = entry.effective_until.isoformat() if entry.effective_until else ""
        return f"{entry.standard}：该表述自{until}后已不再使用，请按现行规范表述改写{source}"
    what = "近似写法" if match.kind == "near-miss" else "不规范写法"
    return f"疑为规范表述的{what}，规范表述为：{entry.standard}{source}"


@rule("W4", category=Category.STANDARD_WORDING, severity=Severity.WARNING, title="规范表述")
def standard_wording(document: Document, context: RuleContext) -> Iterable[Hit]:
    """Variants and near misses of the dictionary's standard formulations; never replaced automatically."""
    dictionary = dictionary_for(context.dictionaries.get("standard"))
    for match in dictionary.matches(document.text, today=_today(context.options)):
        yield Hit(
            match.start,
            match.end,
            _message(match),
            suggestion=None if match.kind == STANDARD else match.entry.standard,
            evidence=f"{match.kind}" + (f"，编辑距离{match.distance}" if match.distance else ""),
            severity=match.entry.severity,
        )
