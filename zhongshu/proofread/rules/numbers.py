"""Numbers (GB/T 15835-2011 《出版物上数字用法》) and dates: NUM-02…NUM-06, NUM-09…NUM-11, NUM-15…NUM-17,
DATE-01 (a date that does not exist) and DATE-02 (a weekday that contradicts its date).

Every rule is a few precompiled regex passes over the whole text; the digest marks the NUM- rules [K], so
they are warnings, except NUM-10 (full-width digits, a safe fix). Dates are checked with the stdlib calendar.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ..document import Document
from ..finding import Category, Hit, Severity
from ..registry import RuleContext, rule

# --------------------------------------------------------------------------------------------------------
# Shared helpers

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGIT.update({"六": 6, "七": 7, "八": 8, "九": 9, "两": 2})
_CN_NUMERALS = "〇零一二三四五六七八九十"
_CN_OF_DIGIT = "〇一二三四五六七八九"
_WEEKDAY_NAMES = "一二三四五六日"  # Monday … Sunday, as datetime.weekday() counts them
_CJK = "\u4e00-\u9fff"
_INTEGER_BEFORE = re.compile(r"\d+$")  # searched with endpos: the digits just before a position
_SENTENCE_ENDS = "。；！？\n"
_SENTENCE_REACH = 300  # a longer "sentence" is cut there


def _sentence_around(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence holding `offset`: what a rule pairing two numbers may look across."""
    low, high = max(0, offset - _SENTENCE_REACH), min(len(text), offset + _SENTENCE_REACH)
    start = max(low - 1, *(text.rfind(mark, low, offset) for mark in _SENTENCE_ENDS)) + 1
    ends = [found for mark in _SENTENCE_ENDS if (found := text.find(mark, offset, high)) >= 0]
    return start, min(ends, default=high)


def _cn_small(text: str) -> int | None:
    """Value of a Chinese month or day numeral (一 … 三十九); None when it is not one."""
    if not text:
        return None
    if "十" not in text:
        return _CN_DIGIT.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    tens_value = 1 if tens == "" else _CN_DIGIT.get(tens)
    units_value = 0 if units == "" else _CN_DIGIT.get(units)
    if tens_value is None or units_value is None or len(tens) > 1 or len(units) > 1:
        return None
    return tens_value * 10 + units_value


def _cn_year(text: str) -> int:
    """Value of a year written digit by digit in Chinese numerals (二〇二六 → 2026)."""
    return int("".join(str(_CN_DIGIT[char]) for char in text))


def _component(text: str) -> tuple[int | None, bool]:
    """(value, written in Arabic digits) of one date component (full-width digits count as Arabic)."""
    if text.isdigit():
        return int(text), True
    return _cn_small(text), False


# --------------------------------------------------------------------------------------------------------
# Dates: one regex finds every 年月日 date (Arabic or Chinese numerals); NUM-03, DATE-01 and DATE-02 read it.

_CN_YEAR = "[〇零○一二三四五六七八九]{4}"
_CN_MONTH_DAY = "[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_DATE = re.compile(
    rf"(?<![\d０-９.．{_CN_NUMERALS}○])"
    rf"(?:(?P<year>\d{{4}}|{_CN_YEAR})年)?"
    rf"(?P<month>\d{{1,2}}|{_CN_MONTH_DAY})月"
    rf"(?:(?P<day>\d{{1,2}}|{_CN_MONTH_DAY})(?P<day_mark>[日号])(?![文楼院线令码]))?"
    r"(?P<weekday>\s?[（(](?:星期|周|礼拜)[一二三四五六日天七][）)]"
    r"|\s?(?:星期|礼拜)[一二三四五六日天](?![一二三四五六日天至到—～~、])"
    r"|周[一二三四五六日](?![一二三四五六日天至到—～~、]))?"
)
_WEEKDAY_PART = re.compile(r"(星期|周|礼拜)([一二三四五六日天七])")


class _Date:
    """One date as written: its components, their values and whether each is in Arabic digits."""

    def __init__(self, match: re.Match[str]) -> None:
        self.match = match
        year_text = match["year"]
        self.year: int | None = None
        self.arabic: list[bool] = []
        if year_text is not None:
            self.year = int(year_text) if year_text.isdigit() else _cn_year(year_text)
            self.arabic.append(year_text.isdigit())
        self.month, month_arabic = _component(match["month"])
        self.arabic.append(month_arabic)
        self.day: int | None = None
        if match["day"] is not None:
            self.day, day_arabic = _component(match["day"])
            self.arabic.append(day_arabic)

    @property
    def end_of_date(self) -> int:
        """Offset just after 日 (or after 月 when no day is written)."""
        weekday = self.match.start("weekday")
        return weekday if weekday >= 0 else self.match.end()

    def problem(self) -> str | None:
        """Why this date cannot exist, or None."""
        if self.month is None:
            return None
        if not 1 <= self.month <= 12:
            return f"月份只能是1至12，“{self.month}月”不存在"
        if self.day is None:
            return None
        if self.day == 0:
            return "日期不能是0日"
        if self.year is None:
            longest = 29 if self.month == 2 else calendar.monthrange(2001, self.month)[1]
            if self.day > longest:
                return f"{self.month}月只有{longest}天，“{self.month}月{self.day}日”不存在"
            return None
        if self.year < 1:
            return None
        longest = calendar.monthrange(self.year, self.month)[1]
        if self.day > longest:
            if self.month == 2 and self.day == 29:
                return f"{self.year}年不是闰年，2月只有28天，“2月29日”不存在"
            return f"{self.year}年{self.month}月只有{longest}天，“{self.month}月{self.day}日”不存在"
        return None


_MONTH_MARK = re.compile("月")
_DATE_BEFORE = 9  # 二〇二六年十二月: the longest year and month before 月
_DATE_AFTER = 20  # 三十一日 (星期三) and the look-ahead after it


@functools.lru_cache(maxsize=4)
def _dates(text: str) -> tuple[_Date, ...]:
    """Every date in the text, found from each 月 (a fast literal scan) and parsed once per text for the
    three rules that read dates."""
    found: list[_Date] = []
    last_end = 0
    for month_mark in _MONTH_MARK.finditer(text):
        at = month_mark.start()
        if at < last_end:
            continue
        match = _DATE.search(text, max(last_end, at - _DATE_BEFORE), min(len(text), at + _DATE_AFTER))
        while match is not None and match.end() <= at:
            match = _DATE.search(text, match.end(), min(len(text), at + _DATE_AFTER))
        if match is not None and match.start() <= at:
            found.append(_Date(match))
            last_end = match.end()
    return tuple(found)


@rule("DATE-01", category=Category.NUMBER, severity=Severity.ERROR, title="日期不存在")
def impossible_date(document: Document, context: RuleContext) -> Iterator[Hit]:
    """2月30日, 2023年2月29日, 2026年13月, 4月31日: a date that no calendar has."""
    for date in _dates(document.text):
        if date.day is None and date.year is None:
            continue  # a bare "13月" may be 13个月 or a wage term; only dated forms are judged
        reason = date.problem()
        if reason is not None:
            yield Hit(date.match.start(), date.end_of_date, f"日期错误：{reason}，请核对")


@rule("DATE-02", category=Category.NUMBER, severity=Severity.ERROR, title="星期与日期不符")
def weekday_contradicts_date(document: Document, context: RuleContext) -> Iterator[Hit]:
    """2026年11月30日(星期二): the weekday written beside a date is not that date's weekday.

    A date without a year takes the year of the nearest full date before it; when its month comes earlier
    than that date's (a January date in a December notice) it is flagged only if wrong for both years."""
    last_year, last_month = 0, 0
    for date in _dates(document.text):
        weekday_text = date.match["weekday"]
        if date.year is not None and date.month is not None:
            last_year, last_month = date.year, date.month
        if weekday_text is None or date.month is None or date.day is None or date.problem() is not None:
            continue
        part = _WEEKDAY_PART.search(weekday_text)
        if part is None or part[2] == "七":
            continue
        written = 6 if part[2] in "日天" else _WEEKDAY_NAMES.index(part[2])
        if date.year is not None:
            years = [date.year]
        elif not last_year:
            continue
        elif date.month < last_month:  # a January date after a December one: maybe the next year
            years = [last_year, last_year + 1]
        else:
            years = [last_year]
        actual: list[int] = []
        for year in years:
            try:
                actual.append(datetime.date(year, date.month, date.day).weekday())
            except ValueError:
                actual.append(-1)
        if not actual or written in actual:
            continue
        start = date.match.start("weekday") + part.start()
        true_name = f"{part[1]}{_WEEKDAY_NAMES[actual[0]]}"
        if date.year is not None:
            message = (
                f"星期与日期不符：{date.year}年{date.month}月{date.day}日是{true_name}，不是{part[0]}，请核对日期和星期"
            )
            yield Hit(start, start + len(part[0]), message, suggestion=true_name)
        else:
            message = (
                f"星期与日期不符：按上文的{years[0]}年，{date.month}月{date.day}日是{true_name}，"
                f"不是{part[0]}，请核对日期和星期"
            )
            yield Hit(start, start + len(part[0]), message, evidence=f"年份取自上文的{years[0]}年")


@rule("NUM-03", category=Category.NUMBER, severity=Severity.WARNING, title="日期数字形式混用")
def mixed_date_forms(document: Document, context: RuleContext) -> Iterator[Hit]:
    """二〇二六年8月8日: one date mixes Chinese and Arabic numerals (同类别同形式)."""
    for date in _dates(document.text):
        if len(date.arabic) < 2 or all(date.arabic) or not any(date.arabic):
            continue
        if date.month is None or (date.day is None and date.match["day"] is not None):
            continue
        suggestion = None
        if date.problem() is None:
            year = f"{date.year}年" if date.year is not None else ""
            day = f"{date.day}{date.match['day_mark']}" if date.day is not None else ""
            suggestion = f"{year}{date.month}月{day}"
        yield Hit(
            date.match.start(),
            date.end_of_date,
            "GB/T 15835：同一日期中的年、月、日应使用同一种数字形式，公历日期宜用阿拉伯数字",
            suggestion=suggestion,
        )


# --------------------------------------------------------------------------------------------------------
# NUM-02: fixed expressions and approximations are written with Chinese numerals.

_FIXED_EXPRESSIONS = [
    "一律",
    "一些",
    "一切",
    "一般",
    "一直",
    "一旦",
    "一方面",
    "一系列",
    "进一步",
    "唯一",
    "第一时间",
    "第一书记",
    "一体化",
    "一站式",
    "一网通办",
    "一网统管",
    "一次性",
    "一把手",
    "一岗双责",
    "一事一议",
    "一带一路",
    "一票否决",
    "一刀切",
    "一心一意",
    "三公经费",
    "三重一大",
    "五位一体",
    "四个全面",
    "四个自信",
    "三令五申",
    "三番五次",
    "四书五经",
    "八国联军",
    "五四运动",
    "三大攻坚战",
    "六稳六保",
    "最多跑一次",
    "一件事一次办",
]
_ARABIC_OF = str.maketrans({char: str(_CN_DIGIT[char]) for char in "一二三四五六七八九"})
_FIXED_BY_VARIANT = {expr.translate(_ARABIC_OF): expr for expr in _FIXED_EXPRESSIONS}
_FIXED = re.compile(
    "(?:" + "|".join(re.escape(v) for v in sorted(_FIXED_BY_VARIANT, key=len, reverse=True)) + r")(?![\d.])"
)
_NUMBER_BEFORE = frozenset("0123456789.．０１２３４５６７８９")
_WEEKDAY_DIGIT = re.compile(r"(星期|礼拜)([1-7])(?![\d.])")
# 10几 (digits before 几, read backwards) or 几10; found from 几, rarer than digits.
_APPROX = re.compile(r"几(?:(?<=\d几)|(\d+)(?![\d.]))")
_NOT_APPROX_BEFORE = frozenset("茶案条窗炕")  # 茶几1张 is furniture
_TENS = {10 * n: ("" if n == 1 else _CN_OF_DIGIT[n]) + "十" for n in range(1, 10)}
_POWERS = {"10": "十", "100": "百", "1000": "千", "10000": "万"}


@rule("NUM-02", category=Category.NUMBER, severity=Severity.WARNING, title="应使用汉字数字")
def fixed_expression_in_arabic(document: Document, context: RuleContext) -> Iterator[Hit]:
    """1律, 进1步, 星期5, 10几天: fixed expressions, weekdays and 几-approximations take Chinese numerals."""
    text = document.text
    for match in _FIXED.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        if before in _NUMBER_BEFORE or (before == "第" and match[0][0] != "第"):
            continue
        right = _FIXED_BY_VARIANT[match[0]]
        yield Hit(
            match.start(),
            match.end(),
            f"GB/T 15835:“{right}”是固定词语，其中的数字应使用汉字",
            suggestion=right,
        )
    for match in _WEEKDAY_DIGIT.finditer(text):
        weekday = match[1] + ("日" if match[2] == "7" else _CN_OF_DIGIT[int(match[2])])
        yield Hit(
            match.start(),
            match.end(),
            f"GB/T 15835：星期的名称应使用汉字，写作“{weekday}”",
            suggestion=weekday,
        )
    for match in _APPROX.finditer(text):
        start = match.start()
        if match[1] is None:
            digits = _INTEGER_BEFORE.search(text, max(0, start - 12), start)
            if digits is None:  # pragma: no cover - the look-behind saw a digit
                continue
            start = digits.start()
            tens = _TENS.get(int(digits[0]))
            approx = None if tens is None else tens + "几"
        else:
            power = _POWERS.get(match[1])
            approx = None if power is None else "几" + power
        before = text[start - 1] if start else ""
        if before in _NUMBER_BEFORE or (match[1] is not None and before in _NOT_APPROX_BEFORE):
            continue
        yield Hit(
            start,
            match.end(),
            "GB/T 15835：带“几”的概数应使用汉字数字（如“十几天”“几十个”）",
            suggestion=approx,
        )


# --------------------------------------------------------------------------------------------------------
# NUM-04: one number mixes Arabic digits and Chinese numerals (万 and 亿 as units are fine).

_MIXED_NUMBER = re.compile(r"(\d(?<![\d.．]\d)\d{0,2}(?:\.\d+)?)([十百千])(?![米克瓦伏帕焦卡赫兆分大佳强优项件])")
# 一百08: the Chinese part comes first; found from 十/百/千 (rarer than digits) and checked backwards.
_MIXED_NUMBER_CN_FIRST = re.compile(r"[十百千](?<=[一二三四五六七八九两][十百千])[零〇]?\d+(?![\d.])")
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000}


@rule("NUM-04", category=Category.NUMBER, severity=Severity.WARNING, title="数字形式混用")
def mixed_number(document: Document, context: RuleContext) -> Iterator[Hit]:
    """4千, 3百万, 一百08: one number written half in digits, half in Chinese (万/亿 units excepted)."""
    message = "GB/T 15835：同一个数值不能阿拉伯数字与汉字数字混用（“万”“亿”作单位除外）"
    for match in _MIXED_NUMBER.finditer(document.text):
        try:
            value = Decimal(match[1]) * _MULTIPLIER[match[2]]
        except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
            continue
        yield Hit(match.start(), match.end(), message, suggestion=format(value.normalize(), "f"))
    for match in _MIXED_NUMBER_CN_FIRST.finditer(document.text):
        yield Hit(match.start() - 1, match.end(), message)


# --------------------------------------------------------------------------------------------------------
# NUM-05: a range drops the unit or sign of its first number where that is ambiguous (15～30%).

_RANGE = re.compile(
    r"(\d(?<![\d.．]\d)\d*(?:\.\d+)?)(\s?[～~—\-–－至]\s?)(\d+(?:\.\d+)?)(%|％|‰|万亿元|万亿|万元|亿元|万|亿)"
)


@rule("NUM-05", category=Category.NUMBER, severity=Severity.WARNING, title="数值范围省略单位")
def range_without_unit(document: Document, context: RuleContext) -> Iterator[Hit]:
    """15～30%, 9～16亿, 13～17万元: both ends of a range carry the sign or unit."""
    for match in _RANGE.finditer(document.text):
        unit = match[4]
        yield Hit(
            match.start(),
            match.end(),
            f"GB/T 15835：表示数值范围时，前后两个数值的“{unit}”都不能省略，以免产生歧义",
            suggestion=f"{match[1]}{unit}{match[2]}{match[3]}{unit}",
        )


# --------------------------------------------------------------------------------------------------------
# NUM-06: dates in 年月日 order with the full four-digit year.

_SHORT_YEAR = re.compile(r"年(?<=(?<![\d.．０-９'’A-Za-z])\d\d年)(?=\d{1,2}月)")
_OTHER_DATE = re.compile(r"(\d(?<![A-Za-z0-9_./:\-]\d)\d{3})([./\-])(\d{1,2})\2(\d{1,2})(?![A-Za-z0-9_./\-])")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


@rule("NUM-06", category=Category.NUMBER, severity=Severity.WARNING, title="日期写法不规范")
def date_form(document: Document, context: RuleContext) -> Iterator[Hit]:
    """26年3月, 2026.3.15, 2026/3/15, 2026-3-5: shortened years and non-standard date forms."""
    text = document.text
    for match in _SHORT_YEAR.finditer(text):
        start = match.start() - 2
        yield Hit(start, match.end(), f"GB/T 15835：年份应写全四位，不能简写为“{text[start : match.end()]}”")
    for match in _OTHER_DATE.finditer(text):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
        if not _valid(year, month, day):
            continue
        if match[2] != "-":
            yield Hit(
                match.start(),
                match.end(),
                f"GB/T 15835：日期应按年、月、日书写，不用“{match[2]}”分隔",
                suggestion=f"{year}年{month}月{day}日",
            )
        elif len(match[3]) < 2 or len(match[4]) < 2:
            yield Hit(
                match.start(),
                match.end(),
                "GB/T 15835：用“-”分隔的日期须写全并补零（如2026-03-05），或改用年月日形式",
                suggestion=f"{year:04d}-{month:02d}-{day:02d}",
            )


# --------------------------------------------------------------------------------------------------------
# NUM-09: 〇 (not 零, not ○ or a letter O) in years written in Chinese numerals.

_CN_YEAR_WRONG_ZERO = re.compile(
    r"[一二](?<![一二三四五六七八九〇零○十百千][一二])[〇零○OＯ一二三四五六七八九]{3}(?=年)"
)


@rule("NUM-09", category=Category.NUMBER, severity=Severity.WARNING, title="年份中的“〇”")
def year_zero(document: Document, context: RuleContext) -> Iterator[Hit]:
    """二零二六年, 二○二六年: the zero in a year written in Chinese numerals is 〇."""
    for match in _CN_YEAR_WRONG_ZERO.finditer(document.text):
        year = match[0]
        if not any(char in year for char in "零○OＯ"):
            continue
        right = "".join("〇" if char in "零○OＯ" else char for char in year)
        yield Hit(
            match.start(),
            match.end(),
            "GB/T 15835：用汉字数字表示年份时，“0”写作“〇”，不用“零”或形近符号",
            suggestion=right,
        )


# --------------------------------------------------------------------------------------------------------
# NUM-10: full-width digits.

_FULL_WIDTH_DIGITS = re.compile(r"[０-９]+")
_HALF_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@rule("NUM-10", category=Category.NUMBER, severity=Severity.ERROR, title="全角数字")
def full_width_digits(document: Document, context: RuleContext) -> Iterator[Hit]:
    """２０２６: Arabic digits are half-width."""
    for match in _FULL_WIDTH_DIGITS.finditer(document.text):
        yield Hit(
            match.start(),
            match.end(),
            "GB/T 15835：阿拉伯数字应使用半角形式，不用全角数字",
            suggestion=match[0].translate(_HALF_WIDTH),
        )


# --------------------------------------------------------------------------------------------------------
# NUM-11: decimals keep the leading 0; the decimal point is ".".

_BARE_DECIMAL = re.compile(rf"\.(?<=[{_CJK}，、；：（“\s]\.)(\d+)(?![\d.A-Za-z])(?=[%％‰{_CJK}])")
# Found from the wrong point (rarer than digits); the integer part is read backwards.
_WRONG_POINT = re.compile(r"([。·．])(?<=\d[。·．])(\d+)(?=[%％‰万亿元倍米吨])")


@rule("NUM-11", category=Category.NUMBER, severity=Severity.WARNING, title="小数写法错误")
def decimal_form(document: Document, context: RuleContext) -> Iterator[Hit]:
    """.46 → 0.46; 3。5% → 3.5%: decimals keep their 0 and use the point "."."""
    text = document.text
    for match in _BARE_DECIMAL.finditer(text):
        yield Hit(
            match.start(),
            match.end(),
            "GB/T 15835：纯小数的整数位“0”不能省略",
            suggestion=f"0.{match[1]}",
        )
    for match in _WRONG_POINT.finditer(text):
        integer = _INTEGER_BEFORE.search(text, max(0, match.start() - 20), match.start())
        if integer is None or (integer.start() and text[integer.start() - 1] in ".．"):
            continue
        yield Hit(
            integer.start(),
            match.end(),
            f"GB/T 15835：小数点应使用“.”，不用“{match[1]}”",
            suggestion=f"{integer[0]}.{match[2]}",
        )


# --------------------------------------------------------------------------------------------------------
# NUM-15: 减少/降低/下降 … N倍 is wrong (a quantity cannot fall by a multiple).

_FALL_BY_MULTIPLE = re.compile(
    r"(减少|降低|下降|缩小|缩减|减低)了?(?:约|近)?(\d+(?:\.\d+)?|[一二三四五六七八九十两半]+)多?倍"
)


@rule("NUM-15", category=Category.NUMBER, severity=Severity.WARNING, title="倍数用于减少")
def fall_by_multiple(document: Document, context: RuleContext) -> Iterator[Hit]:
    """降低了2倍: a decrease cannot be expressed in 倍; use a percentage or 分之."""
    for match in _FALL_BY_MULTIPLE.finditer(document.text):
        yield Hit(
            match.start(),
            match.end(),
            f"GB/T 15835:“{match[1]}”不能用倍数表示，应改用百分数或分数（如“降低50%”“减少一半”）",
        )


# --------------------------------------------------------------------------------------------------------
# NUM-16: a change between two percentages is given in 个百分点.

_PERCENT = r"(\d+(?:\.\d+)?)[%％]"
_FROM_TO = re.compile(rf"[由从]{_PERCENT}[^，。；]{{0,6}}?(?:到|至|为){_PERCENT}")
_CHANGE_BY = re.compile(rf"(?:提高|上升|增长|增加|下降|降低|减少|回落|提升|增幅为?|降幅为?)了?{_PERCENT}(?!个)")


@rule("NUM-16", category=Category.NUMBER, severity=Severity.WARNING, title="百分点误用")
def percentage_points(document: Document, context: RuleContext) -> Iterator[Hit]:
    """由15%提高到18%,提高了3%: the difference of two percentages is 3个百分点, not 3%."""
    text = document.text
    sentences = {_sentence_around(text, pair.start()) for pair in _FROM_TO.finditer(text)}
    for sentence in sorted(sentences):
        body = text[sentence[0] : sentence[1]]
        pairs = list(_FROM_TO.finditer(body))
        for change in _CHANGE_BY.finditer(body):
            if any(pair.start() <= change.start() < pair.end() for pair in pairs):
                continue
            amount = Decimal(change[1])
            for pair in pairs:
                difference = abs(Decimal(pair[2]) - Decimal(pair[1]))
                if difference == amount and difference != 0:
                    start = sentence[0] + change.start(1)
                    end = sentence[0] + change.end()
                    yield Hit(
                        start,
                        end,
                        f"两个百分数之差应以“百分点”表示：由{pair[1]}%到{pair[2]}%，变化的是"
                        f"{change[1]}个百分点，不是{change[1]}%",
                        suggestion=f"{change[1]}个百分点",
                        evidence=f"同句中“{pair[0]}”",
                    )
                    break


# --------------------------------------------------------------------------------------------------------
# NUM-17: redundant approximation (约…左右, 近…以上, 超过…以上).

_QUANTITY = r"[\d.,/０-９一二三四五六七八九十百千万亿两几半余多]+(?:分之[一二三四五六七八九十]+)?"
# 以上 after 县级, 规模, 限额, 本科 … is part of a term (县级以上), not an approximation.
_REDUNDANT_APPROX = re.compile(
    rf"(?P<lead>大约|约(?<![制节预签公违隐婉特相缔守践履誓合租契集简邀]约)|近(?<![附最就邻靠贴亲]近)|超过|多达)有?"
    rf"{_QUANTITY}(?:[{_CJK}%％‰]{{0,4}}?(?P<tail>左右|上下)|[{_CJK}%％‰]{{0,2}}?(?<![级模额科专])(?P<above>以上))"
)


@rule("NUM-17", category=Category.NUMBER, severity=Severity.WARNING, title="概数表达重复")
def redundant_approximation(document: Document, context: RuleContext) -> Iterator[Hit]:
    """约3000人左右, 超过100家以上: an approximation said twice (or contradicting itself)."""
    for match in _REDUNDANT_APPROX.finditer(document.text):
        yield Hit(
            match.start(),
            match.end(),
            f"概数表达重复：前有“{match['lead']}”，后又有“{match['tail'] or match['above']}”，二者只留其一",
        )
