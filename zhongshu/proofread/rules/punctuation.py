"""Punctuation rules after GB/T 15834-2011 《标点符号用法》 (digest A3.1: PUN-01 to PUN-11 and PUN-13).

Each rule makes a few regex passes over the whole text; spans inside URLs and e-mail addresses are never
touched (nor HTML entities, which the junk rules report), and marks between digits or inside Latin words
are left alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from ..document import Document
from ..finding import Category, Hit, Severity
from ..registry import RuleContext, rule

STANDARD = "GB/T 15834"

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
# Full-width marks that make a neighbouring half-width mark part of Chinese text.
FULL_MARKS = "，。、；：？！“”‘’（）《》〈〉【】〔〕［］…—～·「」『』"
POINT_MARKS = "，。、；：？！"  # 点号 that may not be doubled
CHINESE_NUMERALS = "一二三四五六七八九十"

_URL_TAIL = r"[^\s\u3000-\u303f\uff00-\uffef" + HAN + r"]"
# (what the text must contain, the pattern): one literal-led pattern each keeps the scan fast
_URLS = (
    ("http", re.compile(r"https?://" + _URL_TAIL + "+")),
    ("ftp://", re.compile(r"ftp://" + _URL_TAIL + "+")),
    ("www.", re.compile(r"www\.[A-Za-z0-9.\-]+" + _URL_TAIL + "*")),
)
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#[xX][0-9A-Fa-f]{1,6});")
_MAIL_USER = re.compile(r"[A-Za-z0-9._%+\-]+\Z")
_MAIL_HOST = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def _is_chinese(char: str) -> bool:
    return bool(char) and (_HAN_CHAR.match(char) is not None or char in FULL_MARKS)


def _is_han(char: str) -> bool:
    return bool(char) and _HAN_CHAR.match(char) is not None


@dataclass(frozen=True)
class _Protected:
    """Spans (URLs, e-mail addresses, HTML entities) where no punctuation rule looks."""

    starts: list[int]
    ends: list[int]

    def covers(self, offset: int) -> bool:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.ends[index]


_NO_PROTECTION = _Protected([], [])


_LAST_PROTECTED: list[tuple[str, _Protected]] = []  # the last text seen: every rule asks for the same one


def _protected(text: str) -> _Protected:
    if "://" not in text and "@" not in text and "www." not in text and "&" not in text:
        return _NO_PROTECTION
    if _LAST_PROTECTED and _LAST_PROTECTED[0][0] is text:
        return _LAST_PROTECTED[0][1]
    spans: list[tuple[int, int]] = []
    for sign, pattern in _URLS:
        if sign in text:
            for match in pattern.finditer(text):
                # a mark right after a URL belongs to the sentence: 详见https://www.gov.cn,请查阅
                spans.append((match.start(), match.start() + len(match.group().rstrip(",.;:!?)'\""))))
    if "&" in text:
        # &nbsp; &#160; are residue of a web page: the junk rules report them, whole
        spans.extend(match.span() for match in _HTML_ENTITY.finditer(text))
    at = text.find("@")
    while at != -1:
        user = _MAIL_USER.search(text, max(0, at - 64), at)
        host = _MAIL_HOST.match(text, at + 1)
        if user and host:
            spans.append((user.start(), host.end()))
        at = text.find("@", at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    protected = _Protected([start for start, _ in merged], [end for _, end in merged])
    _LAST_PROTECTED[:] = [(text, protected)]
    return protected


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _char(text: str, index: int) -> str:
    """The character at `index`, or a space outside the text (the text's edges act like white space)."""
    return text[index] if 0 <= index < len(text) else " "


# ---------------------------------------------------------------------------------------------------------
# PUN-01 half-width marks in Chinese text

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_MARK_NAMES = {
    ",": "逗号",
    ";": "分号",
    ":": "冒号",
    "?": "问号",
    "!": "叹号",
    "(": "括号",
    ")": "括号",
    ".": "句号",
    '"': "双引号",
    "'": "单引号",
}
_HALF_MARK = re.compile(r"[,;:?!.\"']")
_PAREN_PAIR = re.compile(r"\(([^()\n]{0,80})\)")
_LONE_PAREN = re.compile(r"[()]")
# 发文字号 with look-alike brackets (示范府办发(2026)17号) belong to C-01, which knows the right bracket.
_DOC_NUMBER_PAREN = re.compile(r"\((?:19|20)\d{2}\)\s*第?\s*\d+\s*号")


def _half_message(mark: str, full: str | None) -> str:
    name = _MARK_NAMES[mark]
    if full:
        return f"{STANDARD}：中文语句中应使用全角{name}“{full}”，不用半角“{mark}”"
    return f"{STANDARD}：中文语句中应使用全角{name}，不用半角“{mark}”"


@rule("PUN-01", category=Category.PUNCTUATION, severity=Severity.ERROR, title="中文中使用半角标点")
def half_width_marks(document: Document, context: RuleContext) -> Iterator[Hit]:
    """ASCII , ; : ? ! ( ) . " ' next to Chinese text, outside URLs, numbers, codes and Latin words."""
    text = document.text
    protected = _protected(text)
    seen_parens: set[int] = set()
    for match in _PAREN_PAIR.finditer(text):
        start, end = match.start(), match.end() - 1
        seen_parens.update((start, end))
        if protected.covers(start) or _DOC_NUMBER_PAREN.match(text, start):
            continue
        inner = match.group(1)
        if _char(text, start - 1) == "]" and protected.covers(start + 1):
            continue  # a Markdown link: [全文](https://…)
        if (
            _HAN_CHAR.search(inner)
            or any(char in FULL_MARKS for char in inner)
            or _is_chinese(_char(text, start - 1))
            or _is_chinese(_char(text, end + 1))
        ):
            yield Hit(start, start + 1, _half_message("(", "（"), suggestion="（")
            yield Hit(end, end + 1, _half_message(")", "）"), suggestion="）")
    for match in _LONE_PAREN.finditer(text):
        index = match.start()
        if index in seen_parens or protected.covers(index):
            continue
        if _is_chinese(_char(text, index - 1)) or _is_chinese(_char(text, index + 1)):
            mark = match.group()
            yield Hit(index, index + 1, _half_message(mark, _HALF_TO_FULL[mark]), suggestion=_HALF_TO_FULL[mark])
    yield from _half_marks(document, protected)


def _half_marks(document: Document, protected: _Protected) -> Iterator[Hit]:
    text = document.text
    quote_suggestions = _quote_suggestions(document, protected)
    for match in _HALF_MARK.finditer(text):
        index = match.start()
        mark = match.group()
        if protected.covers(index):
            continue
        before, after = _char(text, index - 1), _char(text, index + 1)
        if mark in "\"'":
            if index in quote_suggestions:
                suggestion = quote_suggestions[index]
                yield Hit(index, index + 1, _half_message(mark, suggestion), suggestion=suggestion)
            continue
        if before in POINT_MARKS or after in POINT_MARKS or (mark in ",;:" and (before in ",;:" or after in ",;:")):
            continue  # a doubled mark: PUN-10 reports the whole run
        if mark in ",." and _LEADING_NUMERAL.fullmatch(text, _line_start(text, index), index):
            continue  # 一.总体要求: a 序次语, PUN-05 says which mark it takes
        if before.isdigit() and after.isdigit():
            continue  # 1,000  15:40  3.5
        if mark == ".":
            if before == "." or after in ".．":
                continue  # an ellipsis written with dots: PUN-08
            if before.isdigit() or before in "%％":
                # 整改率达到93.7%. at a sentence end, but not 附件：1.清单 (a numbered item)
                if not (after.isspace() and _is_han(_char(text, _number_start(text, index) - 1))):
                    continue
            elif not _is_chinese(before) or before in "…—":
                continue
            if not (after.isspace() or _is_chinese(after)):
                continue
        elif not (_is_chinese(before) or _is_chinese(after)):
            continue
        full = _HALF_TO_FULL[mark]
        yield Hit(index, index + 1, _half_message(mark, full), suggestion=full)


_APOSTROPHE_CONTEXT = re.compile(r"[A-Za-z]")
_LEADING_NUMERAL = re.compile(f"[ \t\u3000]*[{CHINESE_NUMERALS}]{{1,3}}")
_NUMBER_BEFORE = re.compile(r"[\d.,%％]+\Z")


def _number_start(text: str, index: int) -> int:
    """Where the number (3.5%, 1,200) that ends at `index` begins."""
    match = _NUMBER_BEFORE.search(text, max(0, index - 24), index)
    return match.start() if match else index


def _quote_suggestions(document: Document, protected: _Protected) -> dict[int, str | None]:
    """Straight quotes next to Chinese text → the curly quote to use (None when the pairing is unclear)."""
    text = document.text
    if '"' not in text and "'" not in text:
        return {}
    result: dict[int, str | None] = {}
    for offset, paragraph in document.paragraphs():
        for mark, (opening, closing) in (('"', ("“", "”")), ("'", ("‘", "’"))):
            if mark not in paragraph:
                continue
            positions = [
                offset + index
                for index, char in enumerate(paragraph)
                if char == mark and not protected.covers(offset + index)
            ]
            if mark == "'":
                positions = [
                    p
                    for p in positions
                    if not (
                        _APOSTROPHE_CONTEXT.match(_char(text, p - 1)) and _APOSTROPHE_CONTEXT.match(_char(text, p + 1))
                    )
                ]
            paired = len(positions) % 2 == 0
            for number, position in enumerate(positions):
                if _is_chinese(_char(text, position - 1)) or _is_chinese(_char(text, position + 1)):
                    result[position] = (opening if number % 2 == 0 else closing) if paired else None
    return result


# ---------------------------------------------------------------------------------------------------------
# PUN-02 quotes, PUN-03 书名号 and brackets: balanced and correctly nested, paragraph by paragraph

_QUOTE = re.compile("[“”‘’「」『』]")
_VERTICAL_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’"}
_QUOTE_PAIRS = {"“": "”", "‘": "’"}
_QUOTE_CLOSERS = {"”": "“", "’": "‘"}
_LATIN = re.compile("[A-Za-z]")


@rule("PUN-02", category=Category.PUNCTUATION, severity=Severity.WARNING, title="引号不配对或嵌套错误")
def quotes(document: Document, context: RuleContext) -> Iterator[Hit]:
    """Curly quotes balanced and nested “‘’” within a paragraph; 「」『』 only in vertical text."""
    text = document.text
    if not _QUOTE.search(text):
        return
    protected = _protected(text)
    paragraphs = document.paragraphs()
    for number, (offset, paragraph) in enumerate(paragraphs):
        marks = [
            (offset + match.start(), match.group())
            for match in _QUOTE.finditer(paragraph)
            if not protected.covers(offset + match.start())
        ]
        if marks:
            yield from _paragraph_quotes(
                text, marks, last_opens_on=partial(_next_paragraph_opens_quote, paragraphs, number)
            )


def _paragraph_quotes(text: str, marks: list[tuple[int, str]], *, last_opens_on: Callable[[], bool]) -> Iterator[Hit]:
    stack: list[tuple[str, int]] = []
    forgive_orphan_close = 0
    for position, (index, mark) in enumerate(marks):
        if mark in _VERTICAL_QUOTES:
            yield Hit(
                index,
                index + 1,
                f"{STANDARD}：横排文字的引号用“”和‘’，「」『』用于竖排文字",
                suggestion=_VERTICAL_QUOTES[mark],
            )
            continue
        if mark == "’" and _LATIN.match(_char(text, index - 1)) and _LATIN.match(_char(text, index + 1)):
            continue  # an apostrophe in a Latin word (don’t)
        if mark == "“" and stack and stack[-1][0] == "“":
            following = [m for _, m in marks[position + 1 : position + 3]]
            if following[:1] == ["”"] and following[1:] != ["”"] and _short_quoted_term(text, index, marks):
                stack.append((mark, index))  # 指出“存在“重部署”问题: the outer “ is the one left open
                continue
            yield Hit(
                index,
                index + 1,
                f"{STANDARD}：前一个双引号尚未闭合，此处应为后引号“””；引号内再用引号时应改用单引号“‘’”",
            )
            if following == ["”", "”"]:
                stack.append((mark, index))  # “A“B”C”: doubles nested in doubles
            else:
                stack.pop()  # “A“: a mistyped closing quote
                forgive_orphan_close += 1
            continue
        if mark in _QUOTE_PAIRS:
            stack.append((mark, index))
            continue
        opener = _QUOTE_CLOSERS[mark]
        if stack and stack[-1][0] == opener:
            stack.pop()
        elif any(item[0] == opener for item in stack):
            while stack[-1][0] != opener:
                stack.pop()
                forgive_orphan_close += 1  # its closing quote comes later: the same crossing
            stack.pop()
            yield Hit(index, index + 1, f"{STANDARD}：引号交叉嵌套，双引号内的单引号应先闭合")
        elif forgive_orphan_close:
            forgive_orphan_close -= 1  # the same confusion as the “ reported before
        else:
            yield Hit(index, index + 1, f"{STANDARD}：后引号“{mark}”前缺少对应的前引号“{opener}”")
    if stack and not last_opens_on():
        for mark, index in stack:
            yield Hit(index, index + 1, f"{STANDARD}：前引号“{mark}”在本段内没有对应的后引号“{_QUOTE_PAIRS[mark]}”")


def _short_quoted_term(text: str, index: int, marks: list[tuple[int, str]]) -> bool:
    closing = next(offset for offset, _ in marks if offset > index)
    term = text[index + 1 : closing]
    return len(term) <= 12 and not any(char in term for char in "。！？")


def _next_paragraph_opens_quote(paragraphs: list[tuple[int, str]], number: int) -> bool:
    for _, paragraph in paragraphs[number + 1 :]:
        stripped = paragraph.strip()
        if stripped:
            return stripped.startswith("“")
    return False


_BRACKET = re.compile(r"[《》〈〉（）()［］\[\]【】〔〕]")
_OPENERS = {"《": "》", "〈": "〉", "（": "）", "(": "）", "［": "］", "[": "］", "【": "】", "〔": "〕"}
_CLOSER_OF = {"》": "《", "〉": "〈", "）": "（", ")": "（", "］": "［", "]": "［", "】": "【", "〕": "〔"}
_NORMAL_OPENER = {"(": "（", "[": "［"}
# A closing bracket used as a 序次语 (1） a）) at the start of a paragraph or after a mark.
_ORDINAL_BEFORE = re.compile(r"(?:^|[\s：:；;，,。])(?:\d{1,2}|[A-Za-z]|[" + CHINESE_NUMERALS + r"]{1,3})\Z")


def _bracket_name(mark: str) -> str:
    return "书名号" if mark in "《》〈〉" else "括号"


@rule("PUN-03", category=Category.PUNCTUATION, severity=Severity.WARNING, title="书名号或括号不配对")
def brackets(document: Document, context: RuleContext) -> Iterator[Hit]:
    """书名号 and brackets balanced within a paragraph; 《》 nested in 《》 become 〈〉."""
    text = document.text
    if not _BRACKET.search(text):
        return
    protected = _protected(text)
    for offset, paragraph in document.paragraphs():
        stack: list[tuple[str, int, bool]] = []  # (normalized opener, offset, nested 《 inside 《)
        for match in _BRACKET.finditer(paragraph):
            index = offset + match.start()
            mark = match.group()
            if protected.covers(index):
                continue
            if mark in _OPENERS:
                opener = _NORMAL_OPENER.get(mark, mark)
                nested = opener == "《" and any(item[0] == "《" for item in stack)
                stack.append((opener, index, nested))
                continue
            opener = _CLOSER_OF[mark]
            if stack and stack[-1][0] == opener:
                _, start, nested = stack.pop()
                if nested:
                    inner = text[start + 1 : index]
                    yield Hit(
                        start,
                        index + 1,
                        f"{STANDARD}：书名号内再用书名号时，内层应改用单书名号〈〉",
                        suggestion=f"〈{inner}〉" if "《" not in inner else None,
                    )
                continue
            if opener == "（" and _ORDINAL_BEFORE.search(paragraph, 0, match.start()):
                continue  # 1）加强领导
            if any(item[0] == opener for item in stack):
                while stack[-1][0] != opener:
                    _, start, _ = stack.pop()
                    yield Hit(
                        start,
                        start + 1,
                        f"{STANDARD}：{_bracket_name(text[start])}“{text[start]}”没有闭合，与后面的“{mark}”交错",
                    )
                stack.pop()
                continue
            if stack:
                wrong_opener = text[stack.pop()[1]]
                right = _OPENERS[wrong_opener]
                yield Hit(
                    index,
                    index + 1,
                    f"{STANDARD}：“{mark}”与前面的“{wrong_opener}”不配对，应为“{right}”",
                    suggestion=right,
                )
                continue
            yield Hit(
                index,
                index + 1,
                f"{STANDARD}：{_bracket_name(mark)}“{mark}”前缺少对应的“{opener}”",
            )
        for opener, start, _ in stack:
            yield Hit(
                start,
                start + 1,
                f"{STANDARD}：{_bracket_name(opener)}“{text[start]}”在本段内没有对应的“{_OPENERS[text[start]]}”",
            )


# ---------------------------------------------------------------------------------------------------------
# PUN-04 no 顿号 between items that each carry 引号 or 书名号

_PAIRED_ITEMS = re.compile(r"》、《|”、“")


@rule("PUN-04", category=Category.PUNCTUATION, severity=Severity.WARNING, title="书名号、引号之间用顿号")
def enumeration_comma_between_marks(document: Document, context: RuleContext) -> Iterator[Hit]:
    """No 顿号 between items that each carry 书名号 or 引号: 《A》、《B》. A warning: the standard says
    "通常不用", and published State Council documents write “两个屏障”、“两个基地” (国发〔2023〕16号)."""
    for match in _PAIRED_ITEMS.finditer(document.text):
        kind = "书名号" if match.group().startswith("》") else "引号"
        yield Hit(
            match.start() + 1,
            match.start() + 2,
            f"{STANDARD}：标有{kind}的并列成分之间通常不用顿号",
            suggestion="",
        )


# ---------------------------------------------------------------------------------------------------------
# PUN-05 序次语 punctuation

_N = CHINESE_NUMERALS
# 序次语 at the start of a paragraph: (pattern matched at the paragraph start, suggestion, reason)
_ORDINAL_AT_START: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(rf"[ \t\u3000]*[{_N}]{{1,3}}([，,.．])(?![{_N}\d])"),
        "、",
        "“一”“二”等汉字序次语后用顿号“、”",
    ),
    (
        re.compile(r"[ \t\u3000]*\d{1,2}([、，])(?![\d０-９])"),
        ".",
        "阿拉伯数字序次语后用下脚点“.”，不用顿号或逗号",
    ),
    (
        re.compile(rf"[ \t\u3000]*(?:第[{_N}]{{1,3}}|首先|其次|再次)(、)"),
        "，",
        "“第一”“首先”等序次语后用逗号“，”",
    ),
]
_BRACKETED_ORDINAL = re.compile(rf"[（(](?:[{_N}]{{1,3}}|\d{{1,2}})[）)]([、，,.．:：])")
_ORDINAL_LEAD = re.compile(r"[ \t\u3000]*\Z")


@rule("PUN-05", category=Category.PUNCTUATION, severity=Severity.ERROR, title="序次语标点错误")
def ordinal_marks(document: Document, context: RuleContext) -> Iterator[Hit]:
    """The mark after a 序次语: 一、 1. （一） 第一，."""
    text = document.text
    for paragraph_start in document.paragraph_starts:
        for pattern, suggestion, reason in _ORDINAL_AT_START:
            match = pattern.match(text, paragraph_start)
            if match:
                yield Hit(match.start(1), match.end(1), f"{STANDARD}：{reason}", suggestion=suggestion)
    for match in _BRACKETED_ORDINAL.finditer(text):
        lead = _ORDINAL_LEAD.search(text, max(0, match.start() - 8), match.start())
        before = _char(text, lead.start() - 1) if lead else " "
        if lead and (lead.start() == 0 or before in "\n：:；;。"):
            yield Hit(
                match.start(1),
                match.end(1),
                f"{STANDARD}：加括号的序次语后面不再加标点",
                suggestion="",
            )


# ---------------------------------------------------------------------------------------------------------
# PUN-06 adjacent numerals for an approximation take no 顿号 (三五天, 七八十种)

_APPROXIMATION = re.compile(
    rf"([{_N}两])、([{_N}]{{1,2}})(?:天|个|人|次|种|岁|万|千|百|十(?![{_N}])|年(?!级))",
    re.MULTILINE,
)
_DIGIT_VALUE = {char: value for value, char in enumerate(_N, start=1)} | {"两": 2}


@rule("PUN-06", category=Category.PUNCTUATION, severity=Severity.ERROR, title="概数之间用顿号")
def approximation_comma(document: Document, context: RuleContext) -> Iterator[Hit]:
    """No 顿号 inside an approximation made of adjacent numerals: 三五天, 七八十人."""
    text = document.text
    for match in _APPROXIMATION.finditer(text):
        if _char(text, match.start() - 1) in "第一二三四五六七八九":
            continue  # 第一、二季度: an enumeration of ordinals
        if not text[_line_start(text, match.start()) : match.start()].strip():
            continue  # 一、二十个部门…: a heading's 序次语, not an approximation
        first = _DIGIT_VALUE[match.group(1)]
        second = _DIGIT_VALUE[match.group(2)[0]]
        if second - first != 1 and (first, second) != (3, 5):
            continue  # 一、三个 is a list of two values; 三五 is the one customary skip
        comma = match.start(1) + 1
        yield Hit(comma, comma + 1, f"{STANDARD}：相邻数字连用表示概数时，中间不用顿号", suggestion="")


# ---------------------------------------------------------------------------------------------------------
# PUN-07 connecting marks in ranges

_RANGE_UNIT = r"(?=[年月日号时分秒%％万亿元人个天次岁周项家所户名台辆件吨米])"
_HYPHEN_RANGE = re.compile(r"(\d{1,4}(?:\.\d+)?)(-)(\d{1,4}(?:\.\d+)?)" + _RANGE_UNIT)
_NOT_BEFORE_RANGE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-/－–")
_IME_RANGE = re.compile(r"\d([一－–])(?=\d)(?!\d+[－–\-])")
_TILDE_RANGE = re.compile(r"\d(~)(?=\d)")
_DASH_RANGE = re.compile(r"\d([～—])(?=\d)")
_CODE_BEFORE = re.compile(r"[A-Za-z]+(?:/[A-Za-z]+)?\s?\d*\Z")
_NUMBER_CHAIN_BEFORE = re.compile(r"[－–\-]\d+\Z")


def _range_mark(context: RuleContext) -> str | None:
    mark = context.options.get("range_mark")
    return mark if isinstance(mark, str) and mark in ("～", "—") else None


@rule("PUN-07", category=Category.PUNCTUATION, severity=Severity.WARNING, title="连接号使用不当")
def range_marks(document: Document, context: RuleContext) -> Iterator[Hit]:
    """Ranges use ～ or —, not a hyphen, an ASCII tilde or an IME 一 between digits."""
    text = document.text
    chosen = _range_mark(context)
    accepted = f"“{chosen}”" if chosen else "浪纹线“～”或一字线“—”"
    protected = _protected(text)
    for match in _HYPHEN_RANGE.finditer(text) if "-" in text else ():
        if _char(text, match.start() - 1) in _NOT_BEFORE_RANGE:
            continue  # part of a code, a date or a phone number
        if protected.covers(match.start()) or _CODE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        start = match.start(2)
        yield Hit(
            start,
            start + 1,
            f"{STANDARD}：表示数值或时间范围用{accepted}，短横线“-”用于型号、编号等",
            suggestion=chosen,
        )
    for match in _IME_RANGE.finditer(text):
        start = match.start(1)
        if protected.covers(start) or _CODE_BEFORE.search(text, max(0, start - 16), start):
            continue
        if _NUMBER_CHAIN_BEFORE.search(text, max(0, start - 8), start):
            continue  # 2026－03－15: a date or a code, not a range
        yield Hit(
            start,
            start + 1,
            f"{STANDARD}：数字之间的“{match.group(1)}”不是连接号，表示范围应用{accepted}",
            suggestion=chosen,
            severity=Severity.ERROR if match.group(1) == "一" else None,
        )
    for match in _TILDE_RANGE.finditer(text) if "~" in text else ():
        if protected.covers(match.start()):
            continue
        start = match.start(1)
        yield Hit(
            start,
            start + 1,
            f"{STANDARD}：浪纹线应使用全角“～”，不用半角“~”",
            suggestion=chosen or "～",
        )
    if chosen:
        for match in _DASH_RANGE.finditer(text):
            if match.group(1) == chosen:
                continue
            start = match.start(1)
            yield Hit(
                start,
                start + 1,
                f"{STANDARD}：本单位约定数值范围统一使用“{chosen}”",
                suggestion=chosen,
            )


# ---------------------------------------------------------------------------------------------------------
# PUN-08 省略号 is six dots ……

# (what the text must contain, the pattern of an ellipsis written wrongly or of …… itself)
_ELLIPSES = (
    ("…", re.compile("…+")),
    ("...", re.compile(r"\.{3,}")),
    ("。。。", re.compile("。{3,}")),
    ("．．．", re.compile("．{3,}")),
    ("···", re.compile("·{3,}")),
)
_ELLIPSIS_SIGNS = tuple(sign for sign, _ in _ELLIPSES)
_ELLIPSIS_WITH_ETC = re.compile(r"……(?:等等|等)")
_ELLIPSIS_THEN_MARK = re.compile(r"……[，、；：。]")


@rule("PUN-08", category=Category.PUNCTUATION, severity=Severity.WARNING, title="省略号使用不当")
def ellipsis(document: Document, context: RuleContext) -> Iterator[Hit]:
    """The 省略号 is ……; not ... or 。。。, not followed by 等 or by another mark."""
    text = document.text
    if not any(sign in text for sign in _ELLIPSIS_SIGNS):
        return
    protected = _protected(text)
    candidates = (m for sign, pattern in _ELLIPSES if sign in text for m in pattern.finditer(text))
    for match in candidates:
        start, end = match.span()
        if match.group()[0] == "…" and len(match.group()) in (2, 4):
            continue  # …… and, for a whole omitted paragraph, …………
        if protected.covers(start):
            continue
        if match.group()[0] != "。" and not (_is_chinese(_char(text, start - 1)) or _is_chinese(_char(text, end))):
            continue  # an ellipsis in Latin text or a leader line
        yield Hit(
            start,
            end,
            f"{STANDARD}：省略号应为六个点“……”（占两个字的位置），不用“{match.group()}”",
            suggestion="……",
        )
    for match in _ELLIPSIS_WITH_ETC.finditer(text):
        yield Hit(
            match.start(),
            match.end(),
            f"{STANDARD}：省略号不与“等”“等等”连用，二者只保留其一",
        )
    for match in _ELLIPSIS_THEN_MARK.finditer(text):
        yield Hit(
            match.end() - 1,
            match.end(),
            f"{STANDARD}：省略号后一般不再用点号，句子已完整时句末点号放在省略号之前",
        )


# ---------------------------------------------------------------------------------------------------------
# PUN-09 破折号 is ——

_BAD_DASH = re.compile(r"-{2,}|－{2,}|─{2,}|—{3,}|—－|－—")
_SINGLE_DASH = re.compile("—+")
_DASH_SIGNS = ("--", "－", "─", "—")
_HAN_RUN_BEFORE = re.compile(rf"[{HAN}]+\Z")
_HAN_RUN_AFTER = re.compile(rf"[{HAN}]+")
_PLACE_END = re.compile(r"[省市县区镇乡村站港州京海岛路街园口湾山河桥场]$")


@rule("PUN-09", category=Category.PUNCTUATION, severity=Severity.WARNING, title="破折号形式错误")
def dashes(document: Document, context: RuleContext) -> Iterator[Hit]:
    """The 破折号 is ——; not --, －－ or a single — between clauses."""
    text = document.text
    if not any(sign in text for sign in _DASH_SIGNS):
        return
    for match in _BAD_DASH.finditer(text):
        start, end = match.span()
        if len(match.group()) == 4 and match.group() == "————":
            continue
        if not (_is_chinese(_char(text, start - 1)) and _is_chinese(_char(text, end))):
            continue  # a--b in code, a rule line of dashes
        yield Hit(
            match.start(),
            match.end(),
            f"{STANDARD}：破折号为两个连续的一字线“——”，不用“{match.group()}”",
            suggestion="——",
        )
    if "—" not in text:
        return
    for match in _SINGLE_DASH.finditer(text):
        start = match.start()
        if match.end() - start != 1 or not _is_han(_char(text, start - 1)):
            continue
        if not (_is_han(_char(text, start + 1)) or _char(text, start + 1) == "“"):
            continue
        before = _HAN_RUN_BEFORE.search(text, max(0, start - 40), start)
        after = _HAN_RUN_AFTER.match(text, start + 1)
        before_text = before.group() if before else ""
        after_text = after.group() if after else ""
        if len(before_text) < 6 and len(after_text) < 6:
            continue  # 北京—上海, 一字线 between places
        if _PLACE_END.search(before_text):
            continue  # 开通示范区—市区公交线路
        yield Hit(
            start,
            start + 1,
            f"{STANDARD}：句中用作破折号时应为“——”（两个字的位置）；一字线“—”只用于时间、地域等的起止",
        )


# ---------------------------------------------------------------------------------------------------------
# PUN-10 doubled 点号

_DOUBLED = re.compile(r"[，、；：。,;:？！?!]{2,}")
_ONLY_EMPHATIC = re.compile(r"[？！?!]+")


@rule("PUN-10", category=Category.PUNCTUATION, severity=Severity.WARNING, title="点号重复")
def doubled_marks(document: Document, context: RuleContext) -> Iterator[Hit]:
    """No two 点号 in a row (，， ；。); ？！ and ！！！ are allowed."""
    text = document.text
    protected = _protected(text)
    for match in _DOUBLED.finditer(text):
        run = match.group()
        start, end = match.span()
        if _ONLY_EMPHATIC.fullmatch(run):
            continue  # ？！ ！！！ are allowed for emphasis (ASCII ones are PUN-01's)
        if not any(char in POINT_MARKS for char in run) and not (
            _is_chinese(_char(text, start - 1)) or _is_chinese(_char(text, end))
        ):
            continue  # ASCII only, away from Chinese: a Latin text or code
        if protected.covers(start):
            continue
        if set(run) == {"。"} and len(run) >= 3:
            continue  # an ellipsis written with 句号: PUN-08
        normalized = run.translate(str.maketrans(",;:?!", "，；：？！"))
        suggestion = normalized[0] if len(set(normalized)) == 1 else None
        yield Hit(start, end, f"{STANDARD}：点号不能连用，“{run}”只应保留一个", suggestion=suggestion)


# ---------------------------------------------------------------------------------------------------------
# PUN-11 no punctuation at the end of the title

# the 15 文种 of the 条例 (令 and 函 only in their unambiguous forms)
_TITLE_END_MARKS = re.compile(r"[。．.，,；;：:！!？?、]+$")


@rule("PUN-11", category=Category.PUNCTUATION, severity=Severity.ERROR, title="标题末尾使用标点")
def title_end_mark(document: Document, context: RuleContext) -> Iterable[Hit]:
    """No mark at the end of the document's title (关于……的通知。); the title is found as C-03 finds it."""
    from .conventions import find_title

    title = find_title(document)
    if title is None or _ITEM_START.match(title.text):
        return []  # no title, or a numbered heading inside the body (一、关于……的意见。)
    if re.search(r"[：:。]", document.text[: title.start]):
        return []  # the 主送机关 line or the body came first: what follows is not the title
    mark = _TITLE_END_MARKS.search(title.text.rstrip())
    if mark is None:
        return []
    length = len(mark.group())  # the title may wrap onto a second line: count back from its end
    return [
        Hit(
            title.end - length,
            title.end,
            "GB/T 9704、GB/T 15834：公文标题末尾不用标点符号",
            suggestion="",
        )
    ]


# ---------------------------------------------------------------------------------------------------------
# PUN-13 items that already contain 句号 do not end with 分号

_ITEM_START = re.compile(
    rf"^[ \t\u3000]*(?:[（(](?:[{_N}]{{1,3}}|\d{{1,2}})[）)]|\d{{1,2}}[.．]"
    rf"|[{_N}]{{1,3}}、|第[{_N}]{{1,3}}[，,]|[{_N}]是)"
)
_INLINE_ITEM = re.compile(rf"[{_N}]是|[（(][{_N}]{{1,3}}[）)]")


@rule("PUN-13", category=Category.PUNCTUATION, severity=Severity.WARNING, title="含句号的分项末尾用分号")
def item_semicolon(document: Document, context: RuleContext) -> Iterator[Hit]:
    """Items that already contain a 句号 end with 。, not ；."""
    text = document.text
    if "；" not in text:
        return
    message = f"{STANDARD}：分项列举的各项中已有句号时，各项末尾不能再用分号，应改用句号"
    for offset, paragraph in document.paragraphs():
        if "；" not in paragraph:
            continue
        stripped = paragraph.rstrip()
        if _ITEM_START.match(stripped) and stripped.endswith("；") and "。" in stripped[:-1]:
            end = offset + len(stripped)
            yield Hit(end - 1, end, message, suggestion="。")
            continue
        if "。" not in paragraph:
            continue
        starts = [
            match.start()
            for match in _INLINE_ITEM.finditer(paragraph)
            if match.start() == 0 or paragraph[match.start() - 1] in "。；;：:"
        ]
        if len(starts) < 2:
            continue
        for first, second in zip(starts, starts[1:], strict=False):
            item = paragraph[first:second]
            if item.endswith("；") and "。" in item[:-1]:
                end = offset + second
                yield Hit(end - 1, end, message, suggestion="。")
