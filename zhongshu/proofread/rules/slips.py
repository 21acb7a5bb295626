"""W3 input-method slips and ORG-01 misspelt unit names (digest A4 W3 and W4 "organisation names").

W3: a real word where a same-pinyin word fits the neighbouring words far better (阻止实施 → 组织实施),
judged by the statistics of `zhongshu.proofread.slips` (the shipped base table, merged with the
installation's own statistics when the profile carries them). Only ever a warning with a suggestion.

ORG-01: a span that differs in exactly one character from a registered unit name (`Profile.unit_names`,
full and short names) and is not itself a registered name: 示范区教育委员汇 → 示范区教育委员会.

Names the installation registers (`Profile.local_names` and `unit_names`) are never flagged by these rules;
the engine also drops any other wording finding that overlaps them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import slips
from ..document import Document
from ..finding import Category, Hit, Severity
from ..registry import RuleContext, rule

MIN_UNIT_NAME = 4  # shorter names differ from ordinary words by one character too often
# A different level or number makes another, real unit (市教育委员会 beside 区教育委员会, 第二中学).
_LEVEL_OR_NUMBER = set("省市区县州旗盟镇乡村街道社一二三四五六七八九十〇零百")
_HAN_LOW, _HAN_HIGH = "\u4e00", "\u9fff"


def _names(context: RuleContext, key: str) -> tuple[str, ...]:
    value = context.dictionaries.get(key)
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(name) for name in value) if isinstance(value, list | tuple | set | frozenset) else ()


def protected_spans(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Where the registered names occur in the text."""
    if not names:
        return []
    return [(start, end) for start, end, _ in _exact(tuple(sorted(set(names)))).occurrences(text)]


class LiteralIndex:
    """Every occurrence (overlapping ones too) of many literal strings, found by one regular expression
    whose alternatives share their prefixes (a trie), so that the scan runs in C whatever the number of
    strings (a district registers hundreds of units)."""

    def __init__(self, strings: Iterable[str]) -> None:
        self.strings = frozenset(s for s in strings if s)
        trie: dict[str, Any] = {}
        for string in self.strings:
            node = trie
            for char in string:
                node = node.setdefault(char, {})
            node[""] = {}
        body = _trie_pattern(trie) if self.strings else "(?!x)x"
        self.pattern = re.compile(f"(?=({body}))")

    def occurrences(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, string) for every occurrence, the strings at one place from the longest down."""
        for match in self.pattern.finditer(text):
            start, found = match.start(), match.group(1)
            for size in range(len(found), 0, -1):
                piece = found[:size]
                if piece in self.strings:
                    yield start, start + size, piece


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a string ends here: what follows is optional (greedy, so the longest is found)
        return f"(?:{body})?"
    return body


@lru_cache(maxsize=16)
def _exact(names: tuple[str, ...]) -> LiteralIndex:
    return LiteralIndex(names)


@dataclass(frozen=True)
class _NearIndex:
    """The unit names prepared for the one-substitution search: their halves (one half of a name written
    with one wrong character is intact), which window lengths and offsets each half implies, and every name
    with each of its characters in turn replaced by a wildcard."""

    halves: LiteralIndex
    windows: dict[str, frozenset[tuple[int, int]]]  # half → {(offset of the half in a name, name length)}
    wildcards: dict[str, tuple[str, ...]]  # name with one character replaced by "\0" → names


@lru_cache(maxsize=16)
def _near(units: tuple[str, ...]) -> _NearIndex:
    windows: dict[str, set[tuple[int, int]]] = defaultdict(set)
    wildcards: dict[str, list[str]] = defaultdict(list)
    for name in units:
        if len(name) < MIN_UNIT_NAME:
            continue
        middle = len(name) // 2
        windows[name[:middle]].add((0, len(name)))
        windows[name[middle:]].add((middle, len(name)))
        for index in range(len(name)):
            wildcards[name[:index] + "\0" + name[index + 1 :]].append(name)
    return _NearIndex(
        LiteralIndex(windows),
        {half: frozenset(found) for half, found in windows.items()},
        {key: tuple(names) for key, names in wildcards.items()},
    )


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


@rule("W3", category=Category.CHARACTER, severity=Severity.WARNING, title="输入法同音误字")
def input_slips(document: Document, context: RuleContext) -> Iterable[Hit]:
    """A real word where a same-pinyin word fits the neighbours far better; names are left alone."""
    text = document.text
    model = slips.model_for(context.dictionaries.get("slips_stats"))
    found = model.find(text)
    if not found:
        return
    names = _names(context, "local_names") + _names(context, "unit_names")
    protected = protected_spans(text, names)
    for slip in found:
        if _overlaps(slip.start, slip.end, protected):
            continue
        telling = [where.strip("_") for where, n_other, _ in slip.detail if n_other]
        neighbours = "".join(f"“{word}”" for word in telling)
        evidence = "；".join(
            f"{where.replace('_', slip.suggestion)} {n_other} 次，{where.replace('_', slip.word)} {n_own} 次"
            for where, n_other, n_own in slip.detail
        )
        yield Hit(
            slip.start,
            slip.end,
            f"“{slip.word}”疑为同音词“{slip.suggestion}”之误（输入法误选）：在统计语料中，与相邻的{neighbours}"
            f"搭配的是“{slip.suggestion}”，未见或极少见“{slip.word}”",
            suggestion=slip.suggestion,
            evidence=f"语料统计：{evidence}",
        )


@rule("ORG-01", category=Category.STANDARD_WORDING, severity=Severity.WARNING, title="单位名称误写")
def misspelt_unit_names(document: Document, context: RuleContext) -> Iterable[Hit]:
    """A span one character away from a registered unit name (same length) that is not a registered name."""
    units = _names(context, "unit_names")
    if not units:
        return
    text = document.text
    registered = set(units) | set(_names(context, "local_names"))
    taken = [(start, end) for start, end, _ in _exact(tuple(sorted(registered))).occurrences(text)]
    near = _near(tuple(sorted(set(units))))
    windows = {
        (position - offset, length)
        for position, _end, half in near.halves.occurrences(text)
        for offset, length in near.windows[half]
        if position >= offset and position - offset + length <= len(text)
    }
    for start, length in sorted(windows):
        end = start + length
        window = text[start:end]
        if window in registered or _overlaps(start, end, taken):
            continue
        for index, wrong in enumerate(window):
            names = near.wildcards.get(window[:index] + "\0" + window[index + 1 :])
            if not names:
                continue
            name = names[0]
            right = name[index]
            if _HAN_LOW <= wrong <= _HAN_HIGH and wrong not in _LEVEL_OR_NUMBER and right not in _LEVEL_OR_NUMBER:
                taken.append((start, end))
                yield Hit(
                    start,
                    end,
                    f"“{window}”与登记的单位名称“{name}”只差一字，疑为误写（“{wrong}”应为“{right}”）",
                    suggestion=name,
                    evidence=f"单位名称登记表：{name}",
                )
            break
