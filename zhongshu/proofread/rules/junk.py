"""Stray junk (JUNK-01): residue of copying from web pages and other programs inside Chinese text.

A candidate is a run of Latin letters, digits, ASCII symbols, Latin-1 characters and invisible characters.
Runs are junk only on positive evidence — an HTML entity or tag, mojibake (UTF-8 read as Latin-1, such as
ï»¿), invisible or control characters, braces, backslashes, or a cluster of unrelated symbols (%$#). Words,
numbers, codes, URLs and e-mail addresses (GB/T 9704-2012, PM2.5, 3.5%, No.1, www.gov.cn) are never junk;
lone half-width punctuation is left to the punctuation rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..document import Document
from ..finding import Category, Hit, Severity
from ..registry import RuleContext, rule

_INVISIBLE = "\u00a0\u00ad\u200b-\u200f\u2060\ufeff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# CP1252 characters that are not Chinese punctuation (Œ œ Š š Ÿ Ž ž ƒ ˆ ˜ ‚ „ † ‡ ‰ ‹ › € ™).
_CP1252 = (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u201a\u201e\u2020\u2021\u2030\u2039\u203a\u20ac\u2122"
)
_TAG_SOURCE = r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>"
_RUN = re.compile(f"(?:{_TAG_SOURCE}|[!-~\u00a1-\u024f{_CP1252}{_INVISIBLE}])+")

_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[!-~]+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
)
_INVISIBLE_CHARS = re.compile(f"[{_INVISIBLE}]+")
# Markup and encoding damage, each a junk segment of its own: HTML entities and tags, invisible characters,
# and mojibake (UTF-8 read as Latin-1/CP1252 gives clusters of accented letters and symbols: ï»¿, â€œ).
_MARKUP = re.compile(
    r"(?P<entity>(?:&(?:[A-Za-z]{2,8}|#[0-9]{2,6}|#[xX][0-9A-Fa-f]{2,5});)+|&(?:nbsp|amp|lt|gt|quot)\b)"
    f"|(?P<tag>(?:{_TAG_SOURCE})+)"
    f"|(?P<invisible>[{_INVISIBLE}]+)"
    f"|(?P<mojibake>(?=[\u00a1-\u00ff{_CP1252}]*[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff{_CP1252}])"
    f"[\u00a1-\u00d6\u00d8-\u00f6\u00f8-\u00ff{_CP1252}{_INVISIBLE}]{{2,}})"
)
# Every junk run holds one of these; runs without them (words, numbers, codes) are passed over at once.
_SUSPECT = re.compile(f"[#$&@*^_=+<>|\\\\{{}}`\u00a1-\u024f{_CP1252}{_INVISIBLE}]")
_BAD_CHAR = re.compile(r"[\\^]")
_SYMBOLS = r"[!-/:-@\[-`{-~]"
_CLUSTER = re.compile(f"{_SYMBOLS}{{2,}}")
_STRONG = set("#$&@^=<>|\\{}")  # + * _ ~ alone do not make a cluster junk
_REPEATABLE = set("_*-=#~.+!?/")  # ____ blanks, ** emphasis, ---- rules, ## headings
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}")  # Markdown **bold** and __emphasis__
_ALLOWED_CLUSTERS = {"<=", ">=", "->", "=>", "<-", "+/-"}
_OUTER_PUNCTUATION = ",.;:?!()[]\"'"
_SOLO_JUNK = set("|ÂÃâ")

Segment = tuple[int, int, "str | None"]  # start, end, certain replacement


def _cluster_is_junk(cluster: str, *, table_line: bool) -> bool:
    core = _EMPHASIS.sub("", cluster).strip(_OUTER_PUNCTUATION)
    if table_line:  # | and :---: belong to a Markdown table
        core = core.replace("|", "")
    if len(core) < 2 or core in _ALLOWED_CLUSTERS:
        return False
    if len(set(core)) == 1 and core[0] in _REPEATABLE:
        return False
    return bool(_STRONG & set(core))


def _plain_is_junk(core: str, *, table_line: bool, braces_balanced: bool) -> bool:
    """Positive evidence in a run without markup: a backslash, a stray symbol, a symbol cluster (}{, %$#)
    or a brace without its partner in the paragraph."""
    if core in _SOLO_JUNK:
        return not (core == "|" and table_line)
    if _BAD_CHAR.search(core) or (not braces_balanced and ("{" in core or "}" in core)):
        return True
    return any(_cluster_is_junk(match.group(), table_line=table_line) for match in _CLUSTER.finditer(core))


def _plain(piece: str, at: int, table_line: bool, braces_balanced: bool) -> Iterator[Segment]:
    core = piece.strip(_OUTER_PUNCTUATION)
    if core and _plain_is_junk(core, table_line=table_line, braces_balanced=braces_balanced):
        lead = len(piece) - len(piece.lstrip(_OUTER_PUNCTUATION))
        yield at + lead, at + lead + len(core), None


def _segments(run: str, at: int, table_line: bool, braces_balanced: bool) -> Iterator[Segment]:
    """Junk segments of one run: markup pieces on their own, the rest judged as plain text."""
    position = 0
    for match in _MARKUP.finditer(run):
        if match.start() > position:
            yield from _plain(run[position : match.start()], at + position, table_line, braces_balanced)
        certain = match.lastgroup in {"entity", "tag", "invisible"} or match.group() == "ï»¿"
        yield at + match.start(), at + match.end(), "" if certain else None
        position = match.end()
    if position < len(run):
        yield from _plain(run[position:], at + position, table_line, braces_balanced)


_CODE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$|``[^\n]+?``|`[^`\n]+`", re.MULTILINE | re.DOTALL)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Markdown code (fenced blocks and `inline code`): program text, never checked for junk."""
    return [match.span() for match in _CODE.finditer(text)] if "`" in text or "~~~" in text else []


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    for span_start, span_end in spans:
        if span_end <= position or span_start >= end:
            continue
        if span_start > position:
            yield position, span_start
        position = max(position, span_end)
    if position < end:
        yield position, end


def _without_urls(run: str, offset: int) -> Iterator[tuple[int, str]]:
    """The parts of a run outside URLs and e-mail addresses, with their offsets."""
    position = 0
    for match in _URL.finditer(run):
        if match.start() > position:
            yield offset + position, run[position : match.start()]
        position = match.end()
    if position < len(run):
        yield offset + position, run[position:]


def _merged(segments: Iterable[Segment]) -> list[Segment]:
    """Touching segments become one run (&nbsp;&nbsp;ï»¿)."""
    merged: list[Segment] = []
    for start, end, fix in sorted(segments):
        if merged and merged[-1][1] == start:
            previous = merged[-1]
            joined = None if previous[2] is None or fix is None else previous[2] + fix
            merged[-1] = (previous[0], end, joined)
        else:
            merged.append((start, end, fix))
    return merged


def _paragraph_text(document: Document, offset: int) -> str:
    starts = document.paragraph_starts
    index = document.paragraph_of(offset)[0]
    end = starts[index + 1] - 1 if index + 1 < len(starts) else len(document.text)
    return document.text[starts[index] : end]


def _table_lines(text: str) -> set[int]:
    starts: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            starts.add(offset)
        offset += len(line) + 1
    return starts


@rule("JUNK-01", category=Category.CHARACTER, severity=Severity.ERROR, title="乱码与残留符号")
def stray_junk(document: Document, context: RuleContext) -> Iterable[Hit]:
    """Runs of symbols, markup or mojibake that are not words, numbers, codes, addresses or URLs."""
    text = document.text
    tables: set[int] | None = None
    code = _code_spans(text)
    for match in _RUN.finditer(text):
        run = match.group()
        if _SUSPECT.search(run) is None:  # the common case: a word, a number or a code
            continue
        table_line, braces_balanced = False, True
        if "{" in run or "}" in run:
            paragraph_text = _paragraph_text(document, match.start())
            braces_balanced = paragraph_text.count("{") == paragraph_text.count("}")
        if "|" in run:
            tables = _table_lines(text) if tables is None else tables
            paragraph = document.paragraph_of(match.start())[0]
            table_line = document.paragraph_starts[paragraph] in tables
        segments = [
            segment
            for piece_start, piece_end in _outside(code, *match.span())
            for start, part in _without_urls(text[piece_start:piece_end], piece_start)
            for segment in _segments(part, start, table_line, braces_balanced)
        ]
        for start, end, fix in _merged(segments):
            yield Hit(
                start,
                end,
                f"“{_visible(text[start:end])}”疑为复制网页或其他程序时残留的乱码、符号或不可见字符，应删除或改正",
                suggestion=fix,
            )


def _visible(run: str) -> str:
    """The run with invisible characters shown as their code points, for the message."""
    return _INVISIBLE_CHARS.sub(lambda m: "".join(f"<U+{ord(c):04X}>" for c in m.group()), run)
