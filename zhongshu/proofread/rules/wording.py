"""Wording rules (digest A4): W1 non-words, W2 context-dependent pairs and W-DUP duplicated characters/words.

W1 and W2 read shipped CSV tables (`data/w1_nonwords.csv`, `data/w2_context.csv`), loaded once per process;
a profile may add its own W1 table under `dictionaries["w1"]` (a path). The web app hands over complete
tables instead (`dictionaries["w1_table"]`, a NonWordTable, and `dictionaries["w2_pairs"]`, a tuple of
ContextPair): the shipped rows minus those its administrators disabled, plus their own. Nothing is ever
replaced: every hit carries the suggested form and the reason.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import standard as _standard  # noqa: F401  (importing it declares rule W4)
from ..document import Document
from ..finding import Category, Hit, Severity
from ..registry import RuleContext, rule

DATA = Path(__file__).resolve().parent.parent / "data"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


# W1 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NonWord:
    """One W1 pair: a form that is never a word, its correct form, and words that contain it legitimately."""

    wrong: str
    correct: str
    note: str
    exceptions: tuple[str, ...] = ()

    @property
    def soft(self) -> bool:
        """Variant forms (异形词) are suggested as a warning, not an error."""
        return self.note.startswith("异形词")


@dataclass(frozen=True)
class NonWordTable:
    """W1 pairs compiled into one alternation (longest first)."""

    entries: dict[str, NonWord]
    pattern: re.Pattern[str]

    def hits(self, text: str) -> Iterator[Hit]:
        for match in self.pattern.finditer(text):
            entry = self.entries[match.group()]
            start, end = match.span()
            if _inside_exception(text, start, entry.wrong, entry.exceptions):
                continue
            reason = f"“{entry.wrong}”不是规范词语，应为“{entry.correct}”（{entry.note}）"
            yield Hit(
                start,
                end,
                reason,
                suggestion=entry.correct,
                severity=Severity.WARNING if entry.soft else None,
            )


def _inside_exception(text: str, start: int, wrong: str, exceptions: tuple[str, ...]) -> bool:
    """True when the match at `start` is part of a valid word listed as an exception (e.g. 以经济)."""
    for word in exceptions:
        at = word.find(wrong)
        while at >= 0:
            begin = start - at
            if begin >= 0 and text.startswith(word, begin):
                return True
            at = word.find(wrong, at + 1)
    return False


def read_nonwords(path: Path) -> list[NonWord]:
    """Read a W1 table (CSV, UTF-8, header `wrong,correct,note[,exceptions]`, exceptions separated by |)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            NonWord(
                wrong=row["wrong"].strip(),
                correct=row["correct"].strip(),
                note=(row.get("note") or "").strip(),
                exceptions=tuple(w for w in (row.get("exceptions") or "").split("|") if w.strip()),
            )
            for row in csv.DictReader(handle)
            if row.get("wrong") and row.get("correct")
        ]


def compile_nonwords(entries: Iterable[NonWord]) -> NonWordTable:
    table = {entry.wrong: entry for entry in entries}
    alternatives = sorted(table, key=lambda word: (-len(word), word))
    pattern = re.compile("|".join(map(re.escape, alternatives)) if alternatives else r"(?!x)x")
    return NonWordTable(table, pattern)


@cache
def nonword_table(path: Path = DATA / "w1_nonwords.csv") -> NonWordTable:
    return compile_nonwords(read_nonwords(path))


@rule("W1", category=Category.CHARACTER, severity=Severity.ERROR, title="错别字（非词）")
def nonwords(document: Document, context: RuleContext) -> Iterable[Hit]:
    """Forms that are never words (布署, 再接再励): the correct form is certain."""
    given = context.dictionaries.get("w1_table")  # the app's complete table (shipped rows + its own)
    tables = [given if isinstance(given, NonWordTable) else nonword_table()]
    extra = context.dictionaries.get("w1")
    if isinstance(extra, str | Path):
        tables.append(nonword_table(Path(extra)))
    for table in tables:
        yield from table.hits(document.text)


# W2 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextPair:
    """One W2 collocation rule: `word` in the context before/after reads better as `alternative`."""

    word: str
    alternative: str
    pattern: re.Pattern[str]
    message: str
    severity: Severity


@cache
def context_pairs(path: Path = DATA / "w2_context.csv") -> tuple[ContextPair, ...]:
    """W2 rules (CSV header `word,alternative,before,after,message,severity`; before/after are regexes)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(context_pair_from_row(row) for row in csv.DictReader(handle))


def context_pair_from_row(row: dict[str, str]) -> ContextPair:
    """One W2 rule from a row with the CSV's columns (the app builds its rows with it too)."""
    before, after = row.get("before") or "", row.get("after") or ""
    pattern = re.compile(f"(?:{before})(?P<w>{re.escape(row['word'])})(?:{after})")
    return ContextPair(
        word=row["word"],
        alternative=row["alternative"],
        pattern=pattern,
        message=row["message"],
        severity=Severity(row.get("severity") or "warning"),
    )


@rule("W2", category=Category.CHARACTER, severity=Severity.WARNING, title="易混词语")
def context_dependent(document: Document, context: RuleContext) -> Iterable[Hit]:
    """Real words that are wrong in this collocation (截止2026年底 → 截至); only warned, never fixed."""
    text = document.text
    seen: set[tuple[int, int]] = set()
    given = context.dictionaries.get("w2_pairs")  # the app's complete rules (shipped rows + its own)
    for pair in given if isinstance(given, tuple) else context_pairs():
        if pair.word not in text:
            continue
        for match in pair.pattern.finditer(text):
            span = match.span("w")
            if span in seen:
                continue
            seen.add(span)
            yield Hit(
                span[0],
                span[1],
                f"“{pair.word}”在此处宜作“{pair.alternative}”：{pair.message}",
                suggestion=pair.alternative,
                evidence=match.group(),
                severity=pair.severity,
            )


# W-DUP ----------------------------------------------------------------------------------------------

FUNCTION_CHARS = "的了在是和对与及把被将"

# A doubled function character is valid when the first copy ends a word (为了|了解, 现在|在) or the second
# begins one (针对|对象): the characters that form such words with it, before and after.
_WORD_BEFORE = {
    "的": "目标",
    "了": "为除罢",
    "在": "现存所实正内外潜健自好旨意重贵难",
    "是": "但就还总可只于要若或凡正不也都即确则乃真倒老硬自像算求",
    "和": "温平缓柔祥谦随饱中调附总共人讲违暖融亲协",
    "对": "核针面相绝应比反校查敌配成派",
    "与": "参给赋授赠寄施",
    "及": "以涉普顾危触提论不企波惠遍殃言赶",
    "把": "一车拿火刀",
    "被": "棉",
    "将": "即必终行大少中上武猛干名良主老悍麻激",
}
_WORD_AFTER = {
    "的": "确士",
    "了": "解结然却无如不断事得",
    "在": "场于编建线岗册职校押逃途案内外即望乎",
    "是": "否非",
    "和": "平谐睦美解气蔼善顺约煦",
    "对": "象手方话策接照比标口外于待应立抗等称联付齐",
    "与": "会其否",
    "及": "时早格其",
    "把": "关握手持柄控脉守玩戏",
    "被": "子褥告动迫害保执",
    "将": "来军士领近要就",
}
_DOUBLED_FUNCTION = re.compile(f"([{FUNCTION_CHARS}])\\1")
_DOUBLED_WORD = re.compile(f"([{HAN}]{{2,8}})\\1")
_NUMERALS = "一二两三四五六七八九十几每"
_STACKED_TITLE = re.compile("的(?:通知|通报|报告|请示|意见|决定|批复|函|公告|通告|纪要|决议|命令|议案|公报)")


@cache
def reduplications(path: Path = DATA / "reduplications.csv") -> frozenset[str]:
    """Valid reduplicated words (常常, 研究研究, 家家户户 …), one per row under the header `word`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["word"].strip() for row in csv.DictReader(handle) if row.get("word"))


def _function_doubles(text: str) -> Iterator[Hit]:
    for match in _DOUBLED_FUNCTION.finditer(text):
        start, end = match.span()
        char = match.group(1)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if before and before in _WORD_BEFORE[char]:
            continue
        if after and after in _WORD_AFTER[char]:
            continue
        if start >= 2 and text[start - 1] == text[start - 2]:  # AABB: 实实在在
            continue
        if end + 1 < len(text) and text[end] == text[end + 1]:  # AABB: 是是非非, 的的确确
            continue
        if text.startswith("不了了之", start - 1):
            continue
        yield Hit(start, end, f"“{char}”字重复，疑为多打", suggestion=char)


def _word_doubles(text: str, whitelist: frozenset[str]) -> Iterator[Hit]:
    position = 0
    while True:
        match = _DOUBLED_WORD.search(text, position)
        if match is None:
            return
        word = match.group(1)
        start, end = match.span()
        position = start + 1
        if len(set(word)) == 1 or match.group() in whitelist or word in whitelist:
            continue
        if len(word) == 2 and word[0] in _NUMERALS:  # 一个一个, 一步一步
            continue
        if len(word) == 2 and word[1] in "着一":  # 走着走着 (V着V着), 想一想一下 (V一V)
            continue
        if _STACKED_TITLE.fullmatch(word):  # 关于转发……的通知的通知: a title convention (C-rules), not a typo
            continue
        position = end
        if len(word) >= 3:
            yield Hit(start, end, f"“{word}”重复出现，疑为多打", suggestion=word)
        else:
            yield Hit(
                start,
                end,
                f"“{word}”重复出现，疑为多打（若为有意重叠请忽略）",
                suggestion=word,
                severity=Severity.WARNING,
            )


@rule("W-DUP", category=Category.CHARACTER, severity=Severity.ERROR, title="字词重复")
def duplicates(document: Document, context: RuleContext) -> Iterable[Hit]:
    """Doubled function characters (的的) and doubled words (进一步进一步), not valid reduplications."""
    text = document.text
    whitelist = reduplications()
    words = list(_word_doubles(text, whitelist))
    covered = [(hit.start, hit.end) for hit in words]
    yield from words
    for hit in _function_doubles(text):
        if not any(start <= hit.start and hit.end <= end for start, end in covered):
            yield hit
