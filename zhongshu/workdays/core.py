"""Working-day arithmetic as the office counts it — pure Python, no Django (an architecture test checks).

Where a day's status comes from, strongest first:

1. an administrator's override for that date (e.g. a mid-year change by the State Council);
2. for a year whose official arrangement an administrator has entered: weekends only (the entered holidays
   and make-up workdays are overrides), never provisional;
3. the `chinesecalendar` package, for the years it covers (2004–2026 in version 1.11);
4. otherwise PROVISIONAL statutory holidays computed from 《全国年节及纪念日放假办法》 (2024 revision), with
   the law's 补假 rule; the make-up workdays (调休) of such a year cannot be predicted.

Counting rule ("N个工作日", 次日起算): the working days are counted from the day after the start day; the
deadline is the end of the N-th one at the office's closing time. Every answer that depends on a
provisional day says so (`Result.provisional`, `Day.provisional`).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

import chinese_calendar
from lunar_python import Lunar

T = TypeVar("T")

MIN_YEAR = 1901
MAX_YEAR = 2099
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_OFFICE_START = dt.time(8, 30)
DEFAULT_OFFICE_END = dt.time(17, 30)


class Kind(StrEnum):
    """What a day is in the office's calendar."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    SHIFTED_WORKDAY = "shifted_workday"  # 调休上班: a weekend day that is worked
    IN_LIEU = "in_lieu"  # 补假: a day off for a statutory holiday that fell on a weekend


KIND_LABELS: dict[Kind, str] = {
    Kind.WORKDAY: "工作日",
    Kind.WEEKEND: "周末",
    Kind.HOLIDAY: "法定节假日",
    Kind.SHIFTED_WORKDAY: "调休上班",
    Kind.IN_LIEU: "补假",
}


class Source(StrEnum):
    """Where a day's status comes from."""

    OVERRIDE = "override"
    PACKAGE = "package"
    PROVISIONAL = "provisional"
    WEEKLY = "weekly"  # the plain week in a year whose official arrangement has been entered


SOURCE_LABELS: dict[Source, str] = {
    Source.OVERRIDE: "管理员设置",
    Source.PACKAGE: "国务院办公厅安排（内置数据）",
    Source.PROVISIONAL: "暂定（按放假办法推算）",
    Source.WEEKLY: "已录入年度安排",
}

WEEKDAY_LABELS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

_PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarRangeError(ValueError):
    """A date outside the years the calendar can answer for (MIN_YEAR–MAX_YEAR)."""

    def __init__(self, value: dt.date | int) -> None:
        year = value if isinstance(value, int) else value.year
        super().__init__(f"日期超出工作日历支持的范围（{MIN_YEAR}—{MAX_YEAR}年）：{year}年")


@dataclass(frozen=True)
class Result(Generic[T]):
    """An answer and whether it depends on provisional (not yet officially arranged) days."""

    value: T
    provisional: bool


@dataclass(frozen=True)
class Day:
    """One date as the office sees it."""

    date: dt.date
    workday: bool
    kind: Kind
    name: str = ""
    provisional: bool = False
    source: Source = Source.WEEKLY

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.date.weekday()]

    @property
    def special(self) -> bool:
        """A holiday, 补假 or make-up workday (what a year's arrangement lists)."""
        return self.kind in (Kind.HOLIDAY, Kind.IN_LIEU, Kind.SHIFTED_WORKDAY)


# --- sources --------------------------------------------------------------------------------------------


@cache
def package_covers(year: int) -> bool:
    """Whether the installed `chinesecalendar` has the official arrangement of `year`."""
    try:
        chinese_calendar.get_holiday_detail(dt.date(year, 1, 1))
        chinese_calendar.get_holiday_detail(dt.date(year, 12, 31))
    except (NotImplementedError, ValueError):
        return False
    return True


def _package_day(date: dt.date) -> Day:
    is_holiday, raw_name = chinese_calendar.get_holiday_detail(date)
    name = _PACKAGE_NAMES.get(raw_name, raw_name or "") if raw_name else ""
    weekend = date.weekday() >= 5
    if not is_holiday:
        kind = Kind.SHIFTED_WORKDAY if weekend else Kind.WORKDAY
    elif name:
        kind = Kind.HOLIDAY
    else:
        kind = Kind.WEEKEND
    return Day(date, not is_holiday, kind, name, False, Source.PACKAGE)


def _qingming(year: int) -> dt.date:
    """The date of the 清明 solar term in `year` (always 4–6 April)."""
    for lunar_year in (year, year + 1, year - 1):
        solar = Lunar.fromYmd(lunar_year, 3, 1).getJieQiTable().get("清明")
        if solar is not None and solar.getYear() == year:
            return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    raise CalendarRangeError(year)  # pragma: no cover — lunar_python always has it


def _lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The 13 statutory days off of 《全国年节及纪念日放假办法》(2024), in date order (may repeat a date
    when two festivals coincide, e.g. 中秋 on 1–3 October)."""
    new_year = _lunar_to_solar(year, 1, 1)
    days = [
        (dt.date(year, 1, 1), "元旦"),
        (new_year - dt.timedelta(days=1), "春节"),  # 除夕: the day before 正月初一
        (new_year, "春节"),
        (new_year + dt.timedelta(days=1), "春节"),
        (new_year + dt.timedelta(days=2), "春节"),
        (_qingming(year), "清明节"),
        (dt.date(year, 5, 1), "劳动节"),
        (dt.date(year, 5, 2), "劳动节"),
        (_lunar_to_solar(year, 5, 5), "端午节"),
        (_lunar_to_solar(year, 8, 15), "中秋节"),
        (dt.date(year, 10, 1), "国庆节"),
        (dt.date(year, 10, 2), "国庆节"),
        (dt.date(year, 10, 3), "国庆节"),
    ]
    return sorted(days, key=lambda pair: pair[0])


def provisional_days(year: int) -> dict[dt.date, Day]:
    """The provisional holidays and 补假 of a year not yet arranged: each statutory day off that falls on a
    Saturday or Sunday (or on another festival's day) gives a 补假 on the next weekday that is not already a
    holiday. Make-up workdays (调休) cannot be predicted and are not invented."""
    result: dict[dt.date, Day] = {}
    owed: list[tuple[dt.date, str]] = []
    for date, name in statutory_holidays(year):
        existing = result.get(date)
        if existing is not None:
            if name not in existing.name.split("、"):
                result[date] = Day(date, False, Kind.HOLIDAY, f"{existing.name}、{name}", True, Source.PROVISIONAL)
            owed.append((date, name))
            continue
        result[date] = Day(date, False, Kind.HOLIDAY, name, True, Source.PROVISIONAL)
        if date.weekday() >= 5:
            owed.append((date, name))
    for date, name in owed:
        candidate = date + dt.timedelta(days=1)
        while candidate.weekday() >= 5 or candidate in result:
            candidate += dt.timedelta(days=1)
        result[candidate] = Day(candidate, False, Kind.IN_LIEU, name, True, Source.PROVISIONAL)
    return result


# --- the calendar ---------------------------------------------------------------------------------------


@dataclass
class _Year:
    """One year's days, with running counts so that counting and stepping cost a bisect."""

    year: int
    first: int  # ordinal of 1 January
    days: list[Day]
    work_cum: list[int]  # work_cum[i] = working days among the first i days
    prov_cum: list[int]  # prov_cum[i] = provisional days among the first i days
    work_ords: list[int]  # ordinals of the working days, ascending

    @property
    def total(self) -> int:
        return self.work_cum[-1]


def _override_day(date: dt.date, workday: bool, note: str) -> Day:
    weekend = date.weekday() >= 5
    if workday:
        kind = Kind.SHIFTED_WORKDAY if weekend else Kind.WORKDAY
    else:
        kind = Kind.WEEKEND if weekend and not note else Kind.HOLIDAY
    return Day(date, workday, kind, note, False, Source.OVERRIDE)


@dataclass
class WorkCalendar:
    """The office's calendar: overrides {date: (is_workday, note)} win, then entered years (weekends only),
    then the package, then provisional statutory holidays. Years are built lazily and cached."""

    overrides: Mapping[dt.date, tuple[bool, str]] = field(default_factory=dict)
    official_years: Iterable[int] = ()
    tz: dt.tzinfo = DEFAULT_TZ
    office_start: dt.time = DEFAULT_OFFICE_START
    office_end: dt.time = DEFAULT_OFFICE_END

    def __post_init__(self) -> None:
        self.overrides = dict(self.overrides)
        self._official = frozenset(self.official_years)
        self._years: dict[int, _Year] = {}
        if self.office_end <= self.office_start:
            raise ValueError("office_end must be after office_start")

    # --- per-year facts ---

    def is_official(self, year: int) -> bool:
        """An administrator has entered this year's official arrangement."""
        return year in self._official

    def is_provisional_year(self, year: int) -> bool:
        """Neither entered by an administrator nor covered by the package: holidays are guesses."""
        return not self.is_official(year) and not package_covers(year)

    def provisional_years(self, first_year: int, last_year: int) -> list[int]:
        """The provisional years among first_year..last_year (inclusive)."""
        return [y for y in range(first_year, last_year + 1) if self.is_provisional_year(y)]

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CalendarRangeError(year)
        first = dt.date(year, 1, 1)
        count = (dt.date(year + 1, 1, 1) - first).days
        official = self.is_official(year)
        package = not official and package_covers(year)
        guesses = provisional_days(year) if not (official or package) else {}
        days: list[Day] = []
        for offset in range(count):
            date = first + dt.timedelta(days=offset)
            override = self.overrides.get(date)
            if override is not None:
                day = _override_day(date, override[0], override[1])
            elif official:
                weekend = date.weekday() >= 5
                day = Day(date, not weekend, Kind.WEEKEND if weekend else Kind.WORKDAY, "", False, Source.WEEKLY)
            elif package:
                day = _package_day(date)
            elif date in guesses:
                day = guesses[date]
            else:
                weekend = date.weekday() >= 5
                kind = Kind.WEEKEND if weekend else Kind.WORKDAY
                day = Day(date, not weekend, kind, "", True, Source.PROVISIONAL)
            days.append(day)
        work_cum = [0]
        prov_cum = [0]
        work_ords: list[int] = []
        for day in days:
            work_cum.append(work_cum[-1] + day.workday)
            prov_cum.append(prov_cum[-1] + day.provisional)
            if day.workday:
                work_ords.append(day.date.toordinal())
        built = _Year(year, first.toordinal(), days, work_cum, prov_cum, work_ords)
        self._years[year] = built
        return built

    # --- single days ---

    def day(self, d: dt.date) -> Day:
        """The status of one date."""
        d = _as_date(d)
        year = self._year(d.year)
        return year.days[d.toordinal() - year.first]

    def is_workday(self, d: dt.date) -> bool:
        return self.day(d).workday

    def days(self, start: dt.date, end: dt.date) -> list[Day]:
        """Every day from start to end inclusive."""
        start, end = _as_date(start), _as_date(end)
        result: list[Day] = []
        for year in range(start.year, end.year + 1):
            data = self._year(year)
            lo = max(start.toordinal(), data.first) - data.first
            hi = min(end.toordinal(), data.first + len(data.days) - 1) - data.first
            result.extend(data.days[lo : hi + 1])
        return result

    def year_days(self, year: int) -> list[Day]:
        """All days of a year (for the year view)."""
        return list(self._year(year).days)

    def special_days(self, year: int) -> list[Day]:
        """The holidays, 补假 and make-up workdays of a year, in date order."""
        return [day for day in self._year(year).days if day.special]

    # --- counting ---

    def _count(self, start: dt.date, end: dt.date, cum: str) -> int:
        """Days flagged in `cum` within (start, end], for start <= end."""
        total = 0
        a, b = self._year(start.year), self._year(end.year)
        ia = start.toordinal() - a.first + 1
        ib = end.toordinal() - b.first + 1
        if a.year == b.year:
            values: list[int] = getattr(a, cum)
            return values[ib] - values[ia]
        values = getattr(a, cum)
        total += values[-1] - values[ia]
        for year in range(start.year + 1, end.year):
            total += getattr(self._year(year), cum)[-1]
        total += getattr(b, cum)[ib]
        return total

    def _provisional_in(self, after: dt.date, upto: dt.date) -> bool:
        """Whether any day in (after, upto] is provisional."""
        if upto <= after:
            return False
        return self._count(after, upto, "prov_cum") > 0

    def workdays_between(self, start: dt.date, end: dt.date) -> Result[int]:
        """The working days after `start` up to and including `end` (the inverse of `add_workdays`).
        When `end` is before `start`, minus the working days from `end` up to but excluding `start`, so that
        `workdays_between(s, add_workdays(s, n).value).value == n` for every n."""
        start, end = _as_date(start), _as_date(end)
        if end >= start:
            return Result(self._count(start, end, "work_cum"), self._provisional_in(start, end))
        before = end - dt.timedelta(days=1)
        last = start - dt.timedelta(days=1)
        return Result(-self._count(before, last, "work_cum"), self._provisional_in(before, last))

    def add_workdays(self, start: dt.date, n: int) -> Result[dt.date]:
        """The n-th working day after `start` (counted from the next day, 次日起算). n = 0 returns `start`
        itself (nothing counted); negative n gives the n-th working day before `start` (counted from the
        day before)."""
        start = _as_date(start)
        if n == 0:
            return Result(start, False)
        if n > 0:
            result = self._step_forward(start, n)
            return Result(result, self._provisional_in(start, result))
        result = self._step_backward(start, -n)
        return Result(result, self._provisional_in(result - dt.timedelta(days=1), start - dt.timedelta(days=1)))

    def _step_forward(self, start: dt.date, n: int) -> dt.date:
        ordinal = start.toordinal()
        year = start.year
        while True:
            data = self._year(year)
            idx = bisect_right(data.work_ords, ordinal)
            available = len(data.work_ords) - idx
            if n <= available:
                return dt.date.fromordinal(data.work_ords[idx + n - 1])
            n -= available
            year += 1

    def _step_backward(self, start: dt.date, n: int) -> dt.date:
        ordinal = start.toordinal()
        year = start.year
        while True:
            data = self._year(year)
            idx = bisect_left(data.work_ords, ordinal)  # working days strictly before start
            if n <= idx:
                return dt.date.fromordinal(data.work_ords[idx - n])
            n -= idx
            year -= 1

    def next_workday(self, d: dt.date, *, inclusive: bool = False) -> Result[dt.date]:
        """The first working day after `d` (or `d` itself when `inclusive` and it is a working day)."""
        d = _as_date(d)
        if inclusive and self.is_workday(d):
            return Result(d, self.day(d).provisional)
        return self.add_workdays(d, 1)

    # --- moments ---

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self.tz)
        return moment.astimezone(self.tz)

    def _at(self, d: dt.date, t: dt.time) -> dt.datetime:
        return dt.datetime.combine(d, t, tzinfo=self.tz)

    def deadline(self, start: dt.date | dt.datetime, n: int) -> Result[dt.datetime]:
        """End of the n-th working day after the start day, at the office's closing time (aware, in `tz`).
        A naive datetime is read in `tz`. n = 0 means "the same day": the end of the start day, or of the
        next working day when the start day is not one; negative n counts back from the start day."""
        day = self._local(start).date() if isinstance(start, dt.datetime) else start
        found = self.next_workday(day, inclusive=True) if n == 0 else self.add_workdays(day, n)
        return Result(self._at(found.value, self.office_end), found.provisional)

    def add_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """`hours` calendar hours after `start` (urgent matters count every hour, day and night)."""
        return self._local(start) + dt.timedelta(hours=hours)

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> Result[float]:
        """Hours between a and b that fall inside office hours on working days (negative when b < a)."""
        a, b = self._local(a), self._local(b)
        if b < a:
            result = self.working_hours_between(b, a)
            return Result(-result.value, result.provisional)
        office_day = _hours(self.office_start, self.office_end)
        first, last = a.date(), b.date()

        def within(d: dt.date, lo: dt.datetime, hi: dt.datetime) -> float:
            if not self.is_workday(d):
                return 0.0
            opens, closes = self._at(d, self.office_start), self._at(d, self.office_end)
            span = (min(hi, closes) - max(lo, opens)).total_seconds()
            return max(span, 0.0) / 3600

        if first == last:
            hours = within(first, a, b)
        else:
            hours = within(first, a, self._at(first, dt.time.max))
            middle = self.workdays_between(first, last - dt.timedelta(days=1)).value if last - first > _ONE else 0
            hours += middle * office_day
            hours += within(last, self._at(last, dt.time.min), b)
        before_first = first - _ONE
        return Result(round(hours, 6), self._provisional_in(before_first, last))


_ONE = dt.timedelta(days=1)


def _hours(start: dt.time, end: dt.time) -> float:
    return (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).total_seconds() / 3600


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- a simple list of dates (the short form of a year's arrangement) ---------------------------------------

_REST_WORDS = {"休", "放假", "休息", "假"}
_WORK_WORDS = {"班", "上班", "工作", "补班"}
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|到|—|--)\s*{_DATE})?\s+(\S+)(?:\s+(.*))?$")


@dataclass(frozen=True)
class Arrangement:
    """A year's holidays and make-up workdays as an administrator typed them."""

    holidays: list[dt.date]
    workdays: list[dt.date]
    names: dict[dt.date, str]


class ArrangementError(ValueError):
    """Lines that could not be read; each message names its line (Chinese)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(";".join(errors))
        self.errors = errors


def _parse_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_range(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def parse_arrangement(text: str) -> Arrangement:
    """Read one date (or range) per line: `2027-01-01 休 元旦`, `2027-02-14 班`,
    `2027-10-01至2027-10-07 休 国庆节`. Blank lines and lines starting with # are ignored. Raises
    ArrangementError listing every bad line."""
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    names: dict[dt.date, str] = {}
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(f"第{number}行“{line}”格式不对，应为“2027-01-01 休 元旦”或“2027-02-14 班”")
            continue
        groups = match.groups()
        first = _parse_date(*groups[0:3])
        last = _parse_date(*groups[3:6]) if groups[3] else first
        word, note = groups[6], (groups[7] or "").strip()
        if first is None or last is None:
            errors.append(f"第{number}行的日期不存在，请检查年月日")
            continue
        if last < first:
            errors.append(f"第{number}行的结束日期早于开始日期")
            continue
        if (last - first).days > 31:
            errors.append(f"第{number}行的日期范围超过31天，请分行填写")
            continue
        if word in _REST_WORDS:
            target = holidays
        elif word in _WORK_WORDS:
            target = workdays
        else:
            errors.append(f"第{number}行的“{word}”无法识别，请写“休”（放假）或“班”（上班）")
            continue
        if len(note) > 100:
            errors.append(f"第{number}行的说明太长（最多100个字）")
            continue
        for date in _date_range(first, last):
            if date in seen:
                errors.append(f"第{number}行的{date.isoformat()}已在第{seen[date]}行出现过")
                continue
            seen[date] = number
            target.append(date)
            if note:
                names[date] = note
    if errors:
        raise ArrangementError(errors)
    return Arrangement(sorted(holidays), sorted(workdays), names)


def format_arrangement(days: Iterable[Day]) -> str:
    """The special days as lines that `parse_arrangement` reads back (to prefill the entry form)."""
    lines = []
    for day in days:
        if not day.special:
            continue
        word = "班" if day.workday else "休"
        lines.append(f"{day.date.isoformat()} {word} {day.name}".rstrip())
    return "\n".join(lines)


def parse_date(value: str) -> dt.date:
    """A date typed as YYYY-MM-DD; ValueError with a Chinese message otherwise."""
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        raise ValueError(f"日期“{value}”格式不对，应为 YYYY-MM-DD，例如 2026-09-30")
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期“{value}”不存在，请检查年月日") from None
