"""Document conventions (GB/T 9704-2012 and the 条例's 行文规则): C-01 to C-12 and TL-02, TL-04, TL-05.

The rules read the structure of a plain-text 公文: the 标题 (title), 主送机关, 一、(一)1.(1) headings,
附件说明, 成文日期, 抄送 and 印发 lines. The TL rules depend on the document type: `document.doc_type`
when the caller gives it, otherwise `detect_doc_type()` takes it from the title — the 文种 word that ends
the first title-like paragraph (e.g. "关于转发……的通知的通知" → 通知; "……的请示报告" → 报告).
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

from ..document import Document
from ..finding import Category, Hit, Severity
from ..registry import RuleContext, rule

# The 15 文种 of the 条例 第八条; 命令 is also written 令. Longest first so that 命令 wins over 令.
DOC_TYPES: tuple[str, ...] = (
    "决议",
    "决定",
    "命令",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "纪要",
    "令",
    "函",
)
_DOC_TYPE_ALT = "|".join(DOC_TYPES)
# Not 文种: such texts are sent as the attachment of a "关于印发……的通知".
_NON_STATUTORY = ("方案", "计划", "总结", "要点", "办法", "规定", "规划", "细则", "说明", "汇报", "报告书")
# Titles of these types normally read "(发文机关)关于……的<文种>".
_NEEDS_GUANYU = frozenset({"通知", "通报", "报告", "请示", "批复", "意见", "函", "决定"})
_FORWARDING = ("转发", "印发", "批转", "颁发", "发布", "颁布")

_SPACE = "[ \t\u3000]"
_CJK = "\u4e00-\u9fff"

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_CN_NUMERAL = "一二三四五六七八九十"
_CN_UNITS = "一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral from 一 to 九十九 (十, 十二, 二十, 三十五), None when not one."""
    if not text or any(ch not in _CN_NUMERAL for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def int_to_cn(value: int) -> str:
    """Chinese numeral for 1–99 (the numbering of 一、 and (一) headings)."""
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_UNITS[tens - 1] + "十")
    return head + (_CN_UNITS[units - 1] if units else "")


# --- Shared structure: title, 主送, dates --------------------------------------------------------------

_T = TypeVar("_T")
# The engine runs every rule on one document in turn: what they share (paragraphs, title, dates …) is
# computed once for the document being checked and forgotten when the next one comes.
_memo_slot: tuple[Document, str, dict[str, object]] | None = None


def _memo(document: Document, key: str, compute: Callable[[], _T]) -> _T:
    global _memo_slot
    slot = _memo_slot
    if slot is None or slot[0] is not document or slot[1] is not document.text:
        slot = (document, document.text, {})
        _memo_slot = slot
    store = slot[2]
    if key not in store:
        store[key] = compute()
    return cast(_T, store[key])


def _lines_from(text: str, start: int) -> Iterator[tuple[int, str]]:
    """(offset, line) of the lines of `text` from the line starting at `start`, read lazily."""
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            yield start, text[start:]
            return
        yield start, text[start:end]
        start = end + 1


def _lines_before(text: str, start: int) -> Iterator[tuple[int, str]]:
    """(offset, line) of the lines before the line starting at `start`, nearest first."""
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        yield previous, text[previous : start - 1]
        start = previous


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


_BRACKETS_OPEN = "〔[(（【［﹝〖"
_BRACKETS_CLOSE = "〕])）】］﹞〗"
# 代字 + bracketed year + number + 号: the regex starts at the bracket (fast), a 代字 character before it.
_DOC_NUMBER = re.compile(
    rf"(?P<open>[{re.escape(_BRACKETS_OPEN)}])(?<=[{_CJK}][{re.escape(_BRACKETS_OPEN)}])"
    rf"(?P<year>[0-9]{{2,4}})(?P<close>[{re.escape(_BRACKETS_CLOSE)}])(?P<di>第?)(?P<number>[0-9]{{1,5}})号"
)
# Lines of the 版头 that come before the title: 份号, 密级, 紧急程度, 发文机关标志, 发文字号, 签发人.
_HEADER_LINE = re.compile(
    r"^(?:[0-9]{6}|(?:绝密|机密|秘密).*|特急|加急|特提|平急|.{0,40}文件|签发人.*"
    rf"|[{_CJK}]{{1,16}}[{re.escape(_BRACKETS_OPEN)}][0-9]{{2,4}}[{re.escape(_BRACKETS_CLOSE)}]第?[0-9]{{1,5}}号"
    rf"(?:{_SPACE}.*)?)$"
)
_TRAILING_PUNCT = re.compile(r"[。．.，,；;：:！!？?、]+$")
_INNER_PUNCT = re.compile(r"[。，,；;！!？?]")
_TITLE_TYPE_END = re.compile(rf"(?:{_DOC_TYPE_ALT})$")
_ADDRESSEE = re.compile(r"^(?P<name>[^，。；,;]{2,60}?)[：:]$")


@dataclass(frozen=True)
class Title:
    """The 标题 of the document: where it is and its text (a title may wrap onto a second line)."""

    start: int
    end: int  # end of the last line, trailing punctuation included
    text: str  # the lines joined, without line breaks
    has_guanyu: bool
    next_line: int  # offset of the line after the title


def _stripped(start: int, line: str) -> tuple[int, str]:
    """(offset, text) of a paragraph without its leading and trailing spaces."""
    left = len(line) - len(line.lstrip(" \t\u3000"))
    return start + left, line.strip(" \t\u3000\r")


_TITLE_END = re.compile(rf"(?:{_DOC_TYPE_ALT}|{'|'.join(_NON_STATUTORY)})$")
_OF_TYPE_END = re.compile(rf"的[{_CJK}]{{0,2}}(?:{_DOC_TYPE_ALT})$")


def _title_like(text: str, *, own_line: bool) -> bool:
    """Whether a first paragraph reads as a 标题 (strict, so that a body sentence is never taken for one)."""
    body = _TRAILING_PUNCT.sub("", text)
    punctuated = text != body
    if not 4 <= len(body) <= 100 or _INNER_PUNCT.search(body) or text.endswith(("：", ":")):
        return False
    if "关于" in body[:30]:
        if _TITLE_END.search(body):
            # With punctuation at the end it must still read "关于……的<文种>" to be a title.
            return not punctuated or body.startswith("关于") or bool(_OF_TYPE_END.search(body))
        return own_line and not punctuated  # "关于……" on its own line, without its 文种
    # A title without 关于 (纪要, 公告, 令 …): short, on its own line, no punctuation, ends with a 文种.
    return own_line and not punctuated and len(body) <= 40 and bool(_TITLE_TYPE_END.search(body))


def find_title(document: Document) -> Title | None:
    """The first title-like paragraph among the first ones (after the 版头 lines), or None."""
    return _memo(document, "title", lambda: _find_title(document))


def _find_title(document: Document) -> Title | None:
    own_line = "\n" in document.text
    seen = 0
    lines = _lines_from(document.text, 0)
    for start, line in lines:
        offset, text = _stripped(start, line)
        if not text or _HEADER_LINE.match(text):
            continue
        seen += 1
        if seen > 3:
            return None
        if not _title_like(text, own_line=own_line):
            continue
        body = _TRAILING_PUNCT.sub("", text)
        end = offset + len(text)
        following = start + len(line) + 1
        # A long title wrapped onto a second line: "关于进一步加强……" / "……工作的通知".
        next_line = next(lines, None)
        if not _TITLE_TYPE_END.search(body) and next_line is not None:
            next_offset, next_text = _stripped(*next_line)
            if (
                next_text
                and len(next_text) <= 40
                and not _INNER_PUNCT.search(_TRAILING_PUNCT.sub("", next_text))
                and _TITLE_TYPE_END.search(_TRAILING_PUNCT.sub("", next_text))
            ):
                text += next_text
                end = next_offset + len(next_text)
                following = next_line[0] + len(next_line[1]) + 1
        return Title(offset, end, text, "关于" in text, following)
    return None


def detect_doc_type(document: Document) -> str | None:
    """The document's 文种: `document.doc_type` when given, else the 文种 that ends its title (令 → 命令)."""
    if document.doc_type:
        return "命令" if document.doc_type == "令" else document.doc_type
    title = find_title(document)
    if title is None:
        return None
    match = _TITLE_TYPE_END.search(_TRAILING_PUNCT.sub("", title.text))
    if match is None:
        return None
    return "命令" if match.group() == "令" else match.group()


def find_addressee(document: Document) -> tuple[int, str] | None:
    """(offset, name) of the 主送机关 line — the first short line ending with a colon after the title."""
    title = find_title(document)
    first = title.next_line if title else 0
    for start, line in itertools.islice(_lines_from(document.text, first), 4):
        offset, text = _stripped(start, line)
        if not text:
            continue
        match = _ADDRESSEE.match(text)
        if match and not text.startswith(("附件", "抄送", "主送")):
            return offset, match.group("name")
        if title is not None:
            return None
    return None


_DATE = re.compile(
    r"(?P<ay>[0-9]{2,4})年(?P<am>[0-9]{1,2})月(?P<ad>[0-9]{1,2})日"
    r"|(?P<cy>[〇零○O0一二三四五六七八九]{2,4})年(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日"
    r"|(?P<sy>[0-9]{4})(?P<sep>[./\-－．])(?P<sm>[0-9]{1,2})(?P=sep)(?P<sd>[0-9]{1,2})日?"
)
_DATE_LINE = re.compile(rf"^{_SPACE}*(?P<date>{_DATE.pattern}){_SPACE}*\r?$", re.MULTILINE)
_ISSUE_LINE = re.compile(
    rf"^{_SPACE}*(?P<org>[{_CJK}（）()]{{2,40}}){_SPACE}+(?P<date>{_DATE.pattern})"
    rf"{_SPACE}*(?P<word>印发)?{_SPACE}*(?P<punct>[。．.，,；;]?){_SPACE}*\r?$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class ParsedDate:
    """A date as written, its value when readable, and its correct 公文 form when that is certain."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    problem: str | None  # why the written form is wrong (Chinese), None when it is right


def _cn_year(text: str) -> int | None:
    if any(ch not in _CN_DIGITS for ch in text):
        return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def parse_date(match: re.Match[str], base: int) -> ParsedDate:
    """Read a `_DATE` match (offsets relative to `base`) and say what is wrong with its form."""
    group = match.group
    start, end = base + match.start("date"), base + match.end("date")
    problem: str | None = None
    year: int | None
    month: int | None
    day: int | None
    if group("ay"):
        year, month, day = int(group("ay")), int(group("am")), int(group("ad"))
        if len(group("ay")) != 4:
            problem = "年份应写全四位"
            year = None
        elif group("am").startswith("0") or group("ad").startswith("0"):
            problem = "月、日不编虚位（不写“0”）"
    elif group("cy"):
        year, month, day = _cn_year(group("cy")), cn_to_int(group("cm")), cn_to_int(group("cd"))
        problem = "不用汉字数字"
        if year is not None and len(group("cy")) != 4:
            year = None
    else:
        year, month, day = int(group("sy")), int(group("sm")), int(group("sd"))
        problem = "日期应写作“××××年×月×日”，不用“.”“/”“-”分隔"
    if month is None or day is None or year is None:
        return ParsedDate(start, end, None, None, None, problem or "日期无法识别")
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return ParsedDate(start, end, None, None, None, f"日期不存在（{month}月没有{day}日）")
    return ParsedDate(start, end, year, month, day, problem)


def _date_hit(date: ParsedDate, what: str) -> Hit:
    suggestion = f"{date.year}年{date.month}月{date.day}日" if date.year else None
    return Hit(
        date.start,
        date.end,
        f"GB/T 9704-2012:{what}应写作“××××年×月×日”（阿拉伯数字，年份写全，月、日不编虚位）：{date.problem}",
        suggestion=suggestion,
    )


def _sign_dates(document: Document) -> list[ParsedDate]:
    """The 成文日期 lines: a line holding only a date, right under the 署名 (a line of names)."""
    return _memo(document, "sign_dates", lambda: list(_find_sign_dates(document)))


# A 署名: names of organisations (they end with 政府, 办公室, 委员会, 局, 街道办事处, 指挥部 …).
_SIGNATURE = re.compile(rf"[{_CJK}（）() \t\u3000]{{1,60}}[府室会局委办部厅院心所站队道镇乡处科司组社团馆署协]")


def _find_sign_dates(document: Document) -> Iterator[ParsedDate]:
    text = document.text
    for match in _DATE_LINE.finditer(text):
        earlier = (line.strip(" \t\u3000\r") for _, line in _lines_before(text, match.start()))
        previous = next((line for line in earlier if line), "")
        if _SIGNATURE.fullmatch(previous):
            yield parse_date(match, 0)


def _issue_lines(document: Document) -> list[tuple[re.Match[str], ParsedDate]]:
    """The 印发 lines of the 版记: "印发机关  日期印发", or "印发机关  日期" right after the 抄送 line."""
    return _memo(document, "issue_lines", lambda: list(_find_issue_lines(document)))


def _find_issue_lines(document: Document) -> Iterator[tuple[re.Match[str], ParsedDate]]:
    text = document.text
    for match in _ISSUE_LINE.finditer(text):
        if not match.group("word"):
            earlier = (line.strip(" \t\u3000\r") for _, line in _lines_before(text, match.start()))
            previous = next((line for line in earlier if line), "")
            if not previous.startswith(("抄送", "主送")):
                continue
        yield match, parse_date(match, 0)


# --- C-01 发文字号 ---------------------------------------------------------------------------------------


@rule("C-01", category=Category.FORMAT, severity=Severity.ERROR, title="发文字号格式")
def doc_number(document: Document, context: RuleContext) -> Iterable[Hit]:
    """代字〔YYYY〕N号: year in 六角括号, written in full; no 第, no zero padding."""
    for match in _DOC_NUMBER.finditer(document.text):
        year, number = match.group("year"), match.group("number")
        problems = []
        if match.group("open") != "〔" or match.group("close") != "〕":
            problems.append(f"年份应使用六角括号“〔〕”，不用“{match.group('open')}{match.group('close')}”")
        if len(year) != 4:
            problems.append("年份应写全四位")
        if match.group("di"):
            problems.append("序号前不加“第”")
        if number.startswith("0"):
            problems.append("序号不编虚位（不写“0”）")
        if not problems:
            continue
        suggestion = f"〔{year}〕{int(number)}号" if len(year) == 4 and int(number) > 0 else None
        yield Hit(
            match.start("open"),
            match.end(),
            "GB/T 9704-2012：发文字号由发文机关代字、年份和序号组成，写作“代字〔年份〕序号号”；" + ";".join(problems),
            suggestion=suggestion,
        )
    yield from _doc_number_year(document)


def _doc_number_year(document: Document) -> Iterator[Hit]:
    """The document's own 发文字号 (in the 版头, above the title) carries the year of its 成文日期."""
    title = find_title(document)
    if title is None:
        return
    own = [match for match in _DOC_NUMBER.finditer(document.text, 0, title.start) if len(match["year"]) == 4]
    signed = [date for date in _sign_dates(document) if date.start > title.end and date.year is not None]
    if own and signed and int(own[-1]["year"]) != signed[-1].year:
        year = own[-1]
        yield Hit(
            year.start("year"),
            year.end("year"),
            f"发文字号的年份（{year['year']}）与成文日期的年份（{signed[-1].year}）不一致，请核对",
            severity=Severity.WARNING,
        )


# --- C-02 成文日期 and 印发日期 ----------------------------------------------------------------------------


@rule("C-02", category=Category.FORMAT, severity=Severity.ERROR, title="成文日期、印发日期格式")
def sign_and_issue_dates(document: Document, context: RuleContext) -> Iterable[Hit]:
    """A 成文日期 line (a line holding only a date) and the 印发日期 use 2026年9月5日."""
    for date in _sign_dates(document):
        if date.problem:
            yield _date_hit(date, "成文日期")
    for _, date in _issue_lines(document):
        if date.problem:
            yield _date_hit(date, "印发日期")


# --- C-03 标题 -------------------------------------------------------------------------------------------

# Two 文种 at the end: side by side (请示报告), or stacked after a 的 (关于……的意见的通知).
_DOUBLED_TYPE = re.compile(
    rf"(?:(?P<first>{_DOC_TYPE_ALT})(?P<second>{_DOC_TYPE_ALT})|(?<=的)(?:{_DOC_TYPE_ALT})的(?:{_DOC_TYPE_ALT}))$"
)


@rule("C-03", category=Category.FORMAT, severity=Severity.WARNING, title="公文标题")
def title_rules(document: Document, context: RuleContext) -> Iterable[Hit]:
    """标题: "关于……的" + one of the 15 文种, no doubled 文种 unless 转发/印发."""
    title = find_title(document)
    if title is None:
        return
    trailing = _TRAILING_PUNCT.search(title.text)
    body = _TRAILING_PUNCT.sub("", title.text)
    body_end = title.end - (len(trailing.group()) if trailing else 0)
    # A mark at the end of the title is PUN-11's (it uses this module's find_title).
    type_match = _TITLE_TYPE_END.search(body)
    if type_match is None:
        for word in sorted(_NON_STATUTORY, key=len, reverse=True):
            if body.endswith(word):
                yield Hit(
                    body_end - len(word),
                    body_end,
                    f"“{word}”不是法定文种（《党政机关公文处理工作条例》第八条列有15种）："
                    f"应以“关于印发……的通知”行文，{word}作为附件",
                )
                return
        if title.has_guanyu:
            yield Hit(
                title.start,
                body_end,
                "公文标题应以文种结尾（《党政机关公文处理工作条例》：标题由发文机关名称、事由和文种组成）",
            )
        return
    doc_type = type_match.group()
    doubled = _DOUBLED_TYPE.search(body)
    if doubled and not any(word in body for word in _FORWARDING):
        yield Hit(
            body_end - len(doubled.group()),
            body_end,
            f"文种重叠：“{doubled.group()}”只应保留一个文种（转发、印发公文时除外）",
        )
    elif doc_type in _NEEDS_GUANYU and not title.has_guanyu:
        yield Hit(title.start, body_end, "公文标题一般写作“（发文机关）关于……的" + doc_type + "”，缺少“关于”")
    elif title.has_guanyu and "的" not in body[body.index("关于") :]:
        yield Hit(
            body_end - len(doc_type),
            body_end,
            f"公文标题一般写作“关于……的{doc_type}”，文种前缺少“的”",
            suggestion="的" + doc_type,
        )


# --- C-05 heading hierarchy -----------------------------------------------------------------------------

_HEADING = re.compile(
    rf"^{_SPACE}*(?:"
    rf"(?P<l1>[{_CN_NUMERAL}]{{1,3}})、(?![{_CN_NUMERAL}])"
    rf"|(?P<o2>[（(])(?P<l2>[{_CN_NUMERAL}]{{1,3}})(?P<c2>[）)])"
    r"|(?P<l3>[0-9]{1,2})(?P<d3>[.．、])(?![0-9])"
    r"|(?P<o4>[（(])(?P<l4>[0-9]{1,2})(?P<c4>[）)])"
    r")",
    re.MULTILINE,
)
_ATTACHMENT_PAGE = re.compile(rf"^{_SPACE}*附件{_SPACE}*(?P<number>[0-9]{{0,2}}){_SPACE}*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、 2 (一) 3 1. 4 (1)
    number: int | None
    start: int
    end: int
    parts: tuple[str, str]  # what surrounds the number: ("", "、"), ("（", "）"), ("", ".")

    def marker(self, number: int) -> str:
        written = int_to_cn(number) if self.level in (1, 2) else str(number)
        return self.parts[0] + written + self.parts[1]


def _headings(document: Document) -> list[Heading | None]:
    """The headings in order; None marks a reset (an attachment's pages start a new hierarchy)."""
    skip = _attachment_note_lines(document)
    text = document.text
    events = sorted(
        [(match.start(), None) for match in _ATTACHMENT_PAGE.finditer(text)]
        + [(match.start(), match) for match in _HEADING.finditer(text)],
        key=lambda event: event[0],
    )
    result: list[Heading | None] = []
    for _, match in events:
        if match is None:
            result.append(None)
            continue
        if match.start() in skip:
            continue
        group = match.group
        for level, key, parts in (
            (1, "l1", ("", "、")),
            (2, "l2", (group("o2"), group("c2"))),
            (3, "l3", ("", group("d3"))),
            (4, "l4", (group("o4"), group("c4"))),
        ):
            if group(key):
                number = cn_to_int(group(key)) if level in (1, 2) else int(group(key))
                start_at = match.start(key) if level in (1, 3) else match.start(f"o{level}")
                result.append(Heading(level, number, start_at, match.end(), parts))
                break
    return result


@rule("C-05", category=Category.FORMAT, severity=Severity.ERROR, title="结构层次序数")
def heading_hierarchy(document: Document, context: RuleContext) -> Iterable[Hit]:
    """一、(一)1.(1) in order, no level skipped, numbers consecutive and restarting under a new parent.

    Levels are ranked among those the text uses, so a document using only 一、 and 1. is in order. A text
    without a title may be an excerpt: its first heading of each level may then start at any number.
    """
    headings = _headings(document)
    levels = sorted({heading.level for heading in headings if heading is not None})
    rank = {level: position for position, level in enumerate(levels)}
    whole = find_title(document) is not None
    previous_rank = -1
    counters: dict[int, int] = {}
    for heading in headings:
        if heading is None:
            previous_rank, counters, whole = -1, {}, True
            continue
        current = rank[heading.level]
        for deeper in [key for key in counters if key > current]:
            del counters[deeper]
        if current not in counters and not whole and not any(key < current for key in counters):
            # An excerpt starting inside a section: this level's count is unknown so far.
            counters[current] = heading.number - 1 if heading.number is not None else 0
        if current > previous_rank + 1 and (whole or previous_rank >= 0):
            skipped = "、".join(_LEVEL_NAMES[level] for level in levels[previous_rank + 1 : current])
            yield Hit(
                heading.start,
                heading.end,
                f"GB/T 9704-2012：结构层次依次用“一、”“（一）”“1.”“（1）”，此处跳过了{skipped}一级",
                severity=Severity.WARNING,
            )
        # Count the headings of a level under their parent: after 一、二、四、五、 both 四 and 五 need
        # renumbering, and after 一、三、三、 only the first 三 does.
        expected = counters.get(current, 0) + 1
        if heading.number == 1:
            expected = 1  # a number 1 starts a new list: a second enumeration within one parent
        elif heading.number is not None and heading.number != expected:
            yield Hit(
                heading.start,
                heading.end,
                f"同一层级序数应连续：此处应为“{heading.marker(expected)}”",
                suggestion=heading.marker(expected),
            )
        counters[current] = expected
        previous_rank = current


_LEVEL_NAMES = {1: "“一、”", 2: "“(一)”", 3: "“1.”", 4: "“(1)”"}


# --- C-06 附件说明 ---------------------------------------------------------------------------------------

_NOTE_LINE = re.compile(rf"^{_SPACE}*附件(?P<colon>{_SPACE}*[：:]|{_SPACE}+)(?P<rest>.*\S)", re.MULTILINE)
_NOTE_ITEM = re.compile(rf"^{_SPACE}*(?P<number>[0-9]{{1,2}})(?P<dot>[.．、]){_SPACE}*(?P<name>.*\S)")
_NAME_TRAILING = re.compile(r"[。．.，,；;：:、]+$")


@dataclass(frozen=True)
class NoteItem:
    number: int | None
    number_start: int
    number_end: int
    dot: str
    name_start: int
    name: str  # as written, trailing punctuation included


@dataclass(frozen=True)
class AttachmentNote:
    colon_start: int
    colon: str  # "：" when right
    items: list[NoteItem]
    lines: frozenset[int]  # offsets of the lines it takes


def _note_item(start: int, text: str) -> NoteItem:
    match = _NOTE_ITEM.match(text)
    if match is None:
        left = len(text) - len(text.lstrip(" \t\u3000"))
        return NoteItem(None, start + left, start + left, "", start + left, text.strip(" \t\u3000\r"))
    return NoteItem(
        int(match.group("number")),
        start + match.start("number"),
        start + match.end("number"),
        match.group("dot"),
        start + match.start("name"),
        match.group("name").rstrip("\r"),
    )


def find_attachment_note(document: Document) -> AttachmentNote | None:
    """The 附件说明: "附件:1.xxx" and the following "2.xxx" lines (or a single unnumbered name)."""
    return _memo(document, "attachment_note", lambda: _find_attachment_note(document))


def _find_attachment_note(document: Document) -> AttachmentNote | None:
    text = document.text
    for match in _NOTE_LINE.finditer(text):
        if _ATTACHMENT_PAGE.match(text, match.start()):
            continue
        items = [_note_item(match.start("rest"), match.group("rest"))]
        used = {match.start()}
        line_end = text.find("\n", match.end())
        if items[0].number is not None and line_end >= 0:
            for item_start, item_line in _lines_from(text, line_end + 1):
                if not _NOTE_ITEM.match(item_line):
                    break
                items.append(_note_item(item_start, item_line))
                used.add(item_start)
        return AttachmentNote(match.start("colon"), match.group("colon"), items, frozenset(used))
    return None


def _attachment_note_lines(document: Document) -> frozenset[int]:
    note = find_attachment_note(document)
    return note.lines if note else frozenset()


@rule("C-06", category=Category.FORMAT, severity=Severity.ERROR, title="附件说明")
def attachment_note(document: Document, context: RuleContext) -> Iterable[Hit]:
    """附件说明: "附件" + full-width colon, items numbered 1. 2. …, no punctuation after names, and the
    names and their count match the attachments given and the attachment pages."""
    note = find_attachment_note(document)
    if note is None:
        if document.attachments:
            yield _missing_note_hit(document)
        return
    colon = note.colon.strip(" \t\u3000")
    if colon != "：":
        yield Hit(
            note.colon_start,
            note.colon_start + len(note.colon),
            "GB/T 9704-2012：“附件”后应使用全角冒号“：”",
            suggestion="：",
        )
    numbered = len(note.items) > 1 or note.items[0].number is not None
    names: list[str] = []
    for position, item in enumerate(note.items, start=1):
        if numbered and item.number is not None and item.number != position:
            yield Hit(
                item.number_start,
                item.number_end,
                f"附件说明的顺序号应连续：此处应为“{position}”",
                suggestion=str(position),
            )
        trailing = _NAME_TRAILING.search(item.name)
        name = _NAME_TRAILING.sub("", item.name)
        names.append(name)
        if trailing:
            end = item.name_start + len(item.name)
            yield Hit(
                end - len(trailing.group()),
                end,
                "GB/T 9704-2012：附件名称后不加标点符号",
                suggestion="",
            )
    yield from _compare_attachments(document, note, names)


def _missing_note_hit(document: Document) -> Hit:
    dates = _sign_dates(document)
    if dates:
        start, end = dates[0].start, dates[0].end
    else:
        end = len(document.text.rstrip())
        start = _line_start(document.text, end)
    return Hit(
        start,
        end,
        f"公文带有{len(document.attachments)}个附件，但正文后没有附件说明（应在正文下空一行注明“附件：”及附件名称）",
    )


def _compare_attachments(document: Document, note: AttachmentNote, names: list[str]) -> Iterator[Hit]:
    given = [name.strip() for name in document.attachments]
    if given:
        if len(given) != len(names):
            first, last = note.items[0], note.items[-1]
            yield Hit(
                first.number_start,
                last.name_start + len(last.name),
                f"附件说明列出{len(names)}个附件，实际附有{len(given)}个附件",
            )
        else:
            for position, (item, name, actual) in enumerate(zip(note.items, names, given, strict=True), 1):
                if name != actual:
                    yield Hit(
                        item.name_start,
                        item.name_start + len(name),
                        f"附件说明的名称应与附件标题一致：附件{position}的标题是“{actual}”",
                        suggestion=actual,
                    )
    # The attachment pages in the text: "附件2" on its own line, its title on the next non-empty line.
    for page in _ATTACHMENT_PAGE.finditer(document.text):
        number = int(page.group("number")) if page.group("number") else 1
        if not 1 <= number <= len(names):
            continue
        following = itertools.islice(_lines_from(document.text, page.end() + 1), 3)
        title = next(((s, t) for s, t in following if t.strip()), None)
        if title is None:
            continue
        offset, text = _stripped(*title)
        if text != names[number - 1]:
            yield Hit(
                offset,
                offset + len(text),
                f"GB/T 9704-2012：附件的顺序号和名称应与附件说明一致，附件说明中为“{names[number - 1]}”",
            )


# --- C-10 抄送 and C-11 印发 --------------------------------------------------------------------------------

_COPY_LINE = re.compile(rf"^{_SPACE}*抄送(?P<colon>{_SPACE}*[：:]|{_SPACE}+)(?P<names>.*?){_SPACE}*\r?$", re.MULTILINE)
_COPY_SEPARATOR = re.compile(rf"{_SPACE}*[、;；,，]{_SPACE}*|{_SPACE}+")


@rule("C-10", category=Category.FORMAT, severity=Severity.ERROR, title="抄送机关")
def copy_line(document: Document, context: RuleContext) -> Iterable[Hit]:
    """抄送: full-width colon, names separated by "，", a 句号 after the last name."""
    for match in _COPY_LINE.finditer(document.text):
        if not match.group("names"):
            continue
        colon = match.group("colon").strip(" \t\u3000")
        if colon != "：":
            yield Hit(
                match.start("colon"),
                match.end("colon"),
                "GB/T 9704-2012：“抄送”后应使用全角冒号“：”",
                suggestion="：",
            )
        names = match.group("names")
        base = match.start("names")
        body = names.rstrip("。.，,；;、")
        for separator in _COPY_SEPARATOR.finditer(body):
            if separator.group() == "，":
                continue
            yield Hit(
                base + separator.start(),
                base + separator.end(),
                "抄送机关名称之间用逗号“，”分隔",
                suggestion="，",
                severity=Severity.WARNING,
            )
        if names.endswith("。"):
            continue
        if body != names:
            yield Hit(
                base + len(body),
                base + len(names),
                "GB/T 9704-2012：抄送机关最后一个名称后标句号“。”",
                suggestion="。",
            )
        else:
            yield Hit(
                base + len(names) - 1,
                base + len(names),
                "GB/T 9704-2012：抄送机关最后一个名称后标句号“。”",
                suggestion=names[-1] + "。",
            )


@rule("C-11", category=Category.FORMAT, severity=Severity.ERROR, title="印发机关和印发日期")
def issue_line(document: Document, context: RuleContext) -> Iterable[Hit]:
    """版记: "印发机关  2026年9月5日印发" — the date followed by 印发, nothing after; not before 成文日期."""
    signed = [date for date in _sign_dates(document) if date.year is not None]
    signed_starts = [date.start for date in signed]
    for match, date in _issue_lines(document):
        if not match.group("word"):
            yield Hit(
                date.start,
                date.end,
                "GB/T 9704-2012：印发日期后应加“印发”二字",
                suggestion=f"{date.year}年{date.month}月{date.day}日印发" if date.year else None,
                severity=Severity.WARNING,
            )
        if match.group("punct"):
            yield Hit(
                match.start("punct"),
                match.end("punct"),
                "GB/T 9704-2012：印发日期“……印发”后不加标点符号",
                suggestion="",
            )
        before = bisect.bisect_left(signed_starts, date.start)
        if before and date.year is not None and date.month is not None and date.day is not None:
            last = signed[before - 1]  # the 成文日期 nearest above the 版记
            if (date.year, date.month, date.day) < (last.year or 0, last.month or 0, last.day or 0):
                yield Hit(
                    date.start,
                    date.end,
                    f"印发日期早于成文日期（{last.year}年{last.month}月{last.day}日），请核对",
                    severity=Severity.WARNING,
                )


# --- C-12 citation order ----------------------------------------------------------------------------------

# From the bracket of a 发文字号 to the 《标题》 right after it; the 代字 is read backwards from the bracket.
_CITATION = re.compile(
    rf"(?P<number>[{re.escape(_BRACKETS_OPEN)}](?<=[{_CJK}][{re.escape(_BRACKETS_OPEN)}])"
    rf"[0-9]{{4}}[{re.escape(_BRACKETS_CLOSE)}]"
    rf"第?[0-9]{{1,5}}号)(?:文件)?{_SPACE}*(?P<title>《[^《》\n]{{1,150}}》)"
)
_AGENCY_BEFORE = re.compile(rf"[{_CJK}]{{1,16}}$")
# Words that end the text before a 发文机关代字 ("根据示范府发〔2026〕3号…").
_LEAD_WORDS = re.compile(
    r"^.*(?:根据|按照|依据|依照|贯彻|落实|执行|参照|结合|对照|转发|印发|关于|的|将|把|对|和|与|及|在|由)"
)


@rule("C-12", category=Category.FORMAT, severity=Severity.WARNING, title="引用公文的顺序")
def citation_order(document: Document, context: RuleContext) -> Iterable[Hit]:
    """Citing a document: 先引标题,后引发文字号 — 《标题》(示范府发〔2026〕3号), not the other way round."""
    text = document.text
    for match in _CITATION.finditer(text):
        before = _AGENCY_BEFORE.search(text, max(0, match.start() - 16), match.start())
        if before is None:  # pragma: no cover - the regex requires a character before the bracket
            continue
        agency = before.group()
        lead = _LEAD_WORDS.match(agency)
        cut = lead.end() if lead and lead.end() < len(agency) else 0
        start = before.start() + cut
        number = agency[cut:] + match.group("number")
        yield Hit(
            start,
            match.end(),
            "引用公文应先引标题，后引发文字号：写作《标题》（发文字号）",
            suggestion=f"{match.group('title')}（{number}）",
        )


# --- TL-02, TL-04, TL-05 行文规则 -------------------------------------------------------------------------

_SENTENCE_MARKS = ("。", "！", "？", "!", "?", "；", ";", "\n")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_REQUEST = re.compile(r"(?:恳请|敬请|请予|请(?!示))[^，。；,;！？\n]{0,15}?(?:批准|批示|审批|批复|审定|核准|核批)")
_CLOSING = re.compile(r"妥否|当否|可否|是否妥当|^以上|^特此|^综上")
_REPORT_REQUEST = re.compile(
    r"(?:妥否|当否)(?:[，,]?请予?(?:批示|审批|批准|批复))?|(?<![报提申呈转])请予?(?:批示|审批|批准|批复)"
)
_PERSON = re.compile(
    r"(?:书记|区长|市长|县长|省长|镇长|乡长|主任|局长|部长|厅长|处长|科长|主席|秘书长|委员|同志|领导|总经理|董事长)$"
)


@rule("TL-02", category=Category.STYLE, severity=Severity.WARNING, title="请示一文一事")
def one_request(document: Document, context: RuleContext) -> Iterable[Hit]:
    """A 请示 asks for one thing: a second request sentence (beyond the closing 妥否,请批示) is flagged."""
    if detect_doc_type(document) != "请示":
        return
    text = document.text
    count, sentence_end = 0, -1
    for request in _REQUEST.finditer(text):
        if request.start() < sentence_end:
            continue  # one sentence, one request
        line = _line_start(text, request.start())
        sentence_start = max(text.rfind(mark, line, request.start()) + 1 for mark in _SENTENCE_MARKS)
        sentence_start = max(sentence_start, line)
        after = _SENTENCE_END.search(text, request.end())
        sentence_end = after.start() if after else len(text)
        sentence = text[sentence_start:sentence_end].strip(" \t\u3000\r")
        if _CLOSING.search(sentence) or len(sentence) <= 8:
            continue
        count += 1
        if count > 1:
            yield Hit(
                request.start(),
                request.end(),
                "《党政机关公文处理工作条例》：请示应当一文一事，本请示提出了不止一项请求事项",
            )


@rule("TL-04", category=Category.STYLE, severity=Severity.WARNING, title="请示报告不主送领导个人")
def addressed_to_leader(document: Document, context: RuleContext) -> Iterable[Hit]:
    """A 请示 or 报告 goes to an organisation, not to a leader in person ("张区长:")."""
    if detect_doc_type(document) not in ("请示", "报告"):
        return
    found = find_addressee(document)
    if found is None:
        return
    offset, name = found
    if _PERSON.search(name):
        yield Hit(
            offset,
            offset + len(name),
            "《党政机关公文处理工作条例》：除上级机关负责人直接交办事项外，不得以本机关名义"
            "向上级机关负责人报送公文；主送应为机关",
        )


@rule("TL-05", category=Category.STYLE, severity=Severity.WARNING, title="报告不夹带请示事项")
def request_in_report(document: Document, context: RuleContext) -> Iterable[Hit]:
    """A 报告 reports; asking for approval inside it (请批示, 妥否 …) belongs in a separate 请示."""
    if detect_doc_type(document) != "报告":
        return
    for match in _REPORT_REQUEST.finditer(document.text):
        yield Hit(
            match.start(),
            match.end(),
            "《党政机关公文处理工作条例》：不得在报告等非请示性公文中夹带请示事项，请求批准的事项应另行请示",
        )
