"""The pure calendar arithmetic: exact dates around real arrangements, provisional years, and properties."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongshu.workdays import core
from zhongshu.workdays.core import Kind, Source, WorkCalendar

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()


# --- exact expectations of the issue ---------------------------------------------------------------------


def test_add_five_workdays_over_national_day_2026():
    assert CAL.add_workdays(D(2026, 9, 30), 5) == core.Result(D(2026, 10, 13), False)


def test_add_three_workdays_into_2027_is_provisional():
    assert CAL.add_workdays(D(2026, 12, 30), 3) == core.Result(D(2027, 1, 5), True)


def test_workdays_between_national_day_2026():
    assert CAL.workdays_between(D(2026, 9, 30), D(2026, 10, 13)) == core.Result(5, False)


# --- 2026 from the package -------------------------------------------------------------------------------


@pytest.mark.parametrize("day", range(1, 8))
def test_national_day_week_2026_is_off(day):
    found = CAL.day(D(2026, 10, day))
    assert (found.workday, found.kind, found.name, found.source) == (
        False,
        Kind.HOLIDAY,
        "国庆节",
        Source.PACKAGE,
    )


def test_shifted_saturday_2026_10_10_is_a_workday():
    found = CAL.day(D(2026, 10, 10))
    assert found.workday is True
    assert (found.kind, found.kind_label, found.provisional) == (Kind.SHIFTED_WORKDAY, "调休上班", False)


def test_sunday_after_the_shifted_saturday_is_weekend():
    assert CAL.day(D(2026, 10, 11)).kind == Kind.WEEKEND


def test_spring_festival_2026():
    assert [CAL.is_workday(D(2026, 2, d)) for d in range(14, 25)] == [
        True,  # 14 Sat: 调休上班
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,  # 15–23 off
        True,  # 24 Tue
    ]
    assert CAL.day(D(2026, 2, 17)).name == "春节"
    assert CAL.day(D(2026, 2, 28)).kind == Kind.SHIFTED_WORKDAY


def test_package_years_are_not_provisional():
    assert core.package_covers(2026) is True
    assert core.package_covers(2027) is False
    assert CAL.provisional_years(2025, 2028) == [2027, 2028]


# --- 2027: provisional from the law -----------------------------------------------------------------------

PROVISIONAL_2027 = [
    (D(2027, 1, 1), Kind.HOLIDAY, "元旦"),
    (D(2027, 2, 5), Kind.HOLIDAY, "春节"),  # 除夕
    (D(2027, 2, 6), Kind.HOLIDAY, "春节"),
    (D(2027, 2, 7), Kind.HOLIDAY, "春节"),
    (D(2027, 2, 8), Kind.HOLIDAY, "春节"),
    (D(2027, 2, 9), Kind.IN_LIEU, "春节"),  # for Saturday the 6th
    (D(2027, 2, 10), Kind.IN_LIEU, "春节"),  # for Sunday the 7th
    (D(2027, 4, 5), Kind.HOLIDAY, "清明节"),
    (D(2027, 5, 1), Kind.HOLIDAY, "劳动节"),
    (D(2027, 5, 2), Kind.HOLIDAY, "劳动节"),
    (D(2027, 5, 3), Kind.IN_LIEU, "劳动节"),
    (D(2027, 5, 4), Kind.IN_LIEU, "劳动节"),
    (D(2027, 6, 9), Kind.HOLIDAY, "端午节"),
    (D(2027, 9, 15), Kind.HOLIDAY, "中秋节"),
    (D(2027, 10, 1), Kind.HOLIDAY, "国庆节"),
    (D(2027, 10, 2), Kind.HOLIDAY, "国庆节"),
    (D(2027, 10, 3), Kind.HOLIDAY, "国庆节"),
    (D(2027, 10, 4), Kind.IN_LIEU, "国庆节"),
    (D(2027, 10, 5), Kind.IN_LIEU, "国庆节"),
]


def test_provisional_2027_special_days_are_exactly_the_law():
    found = [(d.date, d.kind, d.name) for d in CAL.special_days(2027)]
    assert found == PROVISIONAL_2027
    assert all(d.provisional and d.source == Source.PROVISIONAL and not d.workday for d in CAL.special_days(2027))


def test_provisional_year_plain_days_are_marked_provisional():
    tuesday = CAL.day(D(2027, 3, 2))
    assert (tuesday.workday, tuesday.kind, tuesday.provisional) == (True, Kind.WORKDAY, True)


def test_no_make_up_workdays_are_invented_in_provisional_years():
    assert not [d for d in CAL.year_days(2027) if d.kind == Kind.SHIFTED_WORKDAY]


def test_coinciding_festivals_each_give_a_day_off():
    # 2028: 国庆节 starts on Sunday 1 October and 中秋节 falls on 3 October, inside 国庆节: one 补假 for the
    # Sunday and one for the coinciding festival.
    days = {d.date: d for d in CAL.special_days(2028)}
    assert days[D(2028, 10, 3)].name == "中秋节、国庆节"
    in_lieu = sorted(d.date for d in days.values() if d.kind == Kind.IN_LIEU and d.date.month == 10)
    assert in_lieu == [D(2028, 10, 4), D(2028, 10, 5)]


def test_qingming_is_the_solar_term_of_the_same_year():
    assert {y: core._qingming(y) for y in (2027, 2028, 2030)} == {
        2027: D(2027, 4, 5),
        2028: D(2028, 4, 4),
        2030: D(2030, 4, 5),
    }


# --- overrides and entered years ---------------------------------------------------------------------------


def test_override_wins_over_the_package():
    cal = WorkCalendar(overrides={D(2026, 10, 8): (False, "临时调整")})
    day = cal.day(D(2026, 10, 8))
    assert (day.workday, day.kind, day.name, day.source) == (False, Kind.HOLIDAY, "临时调整", Source.OVERRIDE)
    assert cal.add_workdays(D(2026, 9, 30), 5).value == D(2026, 10, 14)


def test_override_in_provisional_year_is_not_provisional_but_others_are():
    cal = WorkCalendar(overrides={D(2027, 2, 20): (True, "春节调休")})
    day = cal.day(D(2027, 2, 20))
    assert (day.workday, day.kind, day.provisional) == (True, Kind.SHIFTED_WORKDAY, False)
    assert cal.day(D(2027, 2, 22)).provisional is True


def test_official_year_uses_only_overrides_and_weekends():
    cal = WorkCalendar(overrides={D(2027, 1, 1): (False, "元旦")}, official_years={2027})
    assert cal.is_provisional_year(2027) is False
    assert [(d.date, d.name) for d in cal.special_days(2027)] == [(D(2027, 1, 1), "元旦")]
    assert cal.day(D(2027, 2, 8)).workday is True  # no provisional 春节 any more
    assert cal.add_workdays(D(2026, 12, 30), 3) == core.Result(D(2027, 1, 5), False)


# --- edge cases of the arithmetic ---------------------------------------------------------------------------


def test_zero_workdays_returns_the_start_itself():
    assert CAL.add_workdays(D(2026, 10, 3), 0) == core.Result(D(2026, 10, 3), False)


def test_negative_workdays_count_back_from_the_day_before():
    assert CAL.add_workdays(D(2026, 10, 13), -5) == core.Result(D(2026, 9, 30), False)
    assert CAL.workdays_between(D(2026, 10, 13), D(2026, 9, 30)) == core.Result(-5, False)


def test_starting_on_a_holiday_counts_from_the_next_working_day():
    assert CAL.add_workdays(D(2026, 10, 3), 1).value == D(2026, 10, 8)


def test_next_workday():
    assert CAL.next_workday(D(2026, 10, 1)).value == D(2026, 10, 8)
    assert CAL.next_workday(D(2026, 10, 8), inclusive=True).value == D(2026, 10, 8)
    assert CAL.next_workday(D(2026, 10, 8)).value == D(2026, 10, 9)


def test_outside_supported_years_raises_a_chinese_range_error():
    with pytest.raises(core.CalendarRangeError, match="超出工作日历支持的范围"):
        CAL.day(D(2100, 1, 1))
    with pytest.raises(core.CalendarRangeError):
        CAL.add_workdays(D(2099, 12, 30), 10)


def test_days_lists_every_date_across_years():
    found = CAL.days(D(2026, 12, 30), D(2027, 1, 2))
    assert [(d.date, d.provisional) for d in found] == [
        (D(2026, 12, 30), False),
        (D(2026, 12, 31), False),
        (D(2027, 1, 1), True),
        (D(2027, 1, 2), True),
    ]


# --- deadlines and hours ------------------------------------------------------------------------------------


def test_deadline_is_the_end_of_the_nth_working_day_in_shanghai():
    result = CAL.deadline(dt.datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI), 5)
    assert result == core.Result(dt.datetime(2026, 10, 13, 17, 30, tzinfo=SHANGHAI), False)
    assert result.value.utcoffset() == dt.timedelta(hours=8)


def test_deadline_reads_an_evening_utc_moment_as_the_next_local_day():
    # 2026-09-30 17:00 UTC is 2026-10-01 01:00 in Shanghai: counting starts after 1 October.
    result = CAL.deadline(dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC), 1)
    assert result.value == dt.datetime(2026, 10, 8, 17, 30, tzinfo=SHANGHAI)


def test_deadline_zero_is_today_or_next_working_day():
    assert CAL.deadline(D(2026, 10, 9), 0).value == dt.datetime(2026, 10, 9, 17, 30, tzinfo=SHANGHAI)
    assert CAL.deadline(D(2026, 10, 1), 0).value == dt.datetime(2026, 10, 8, 17, 30, tzinfo=SHANGHAI)


def test_deadline_with_configured_office_end():
    cal = WorkCalendar(office_end=dt.time(18, 0))
    assert cal.deadline(D(2026, 9, 30), 1).value == dt.datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)


def test_deadline_into_provisional_year_is_provisional():
    assert CAL.deadline(D(2026, 12, 30), 3).provisional is True


def test_add_hours_counts_calendar_hours_across_holidays():
    start = dt.datetime(2026, 9, 30, 22, 0, tzinfo=SHANGHAI)
    assert CAL.add_hours(start, 4) == dt.datetime(2026, 10, 1, 2, 0, tzinfo=SHANGHAI)


def test_working_hours_between_skips_nights_and_holidays():
    a = dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)
    b = dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)
    # 30 Sep 9:00–17:30 = 8.5, 8 Oct full day = 9, 9 Oct 8:30–10:00 = 1.5
    assert CAL.working_hours_between(a, b) == core.Result(19.0, False)
    assert CAL.working_hours_between(b, a) == core.Result(-19.0, False)


def test_working_hours_within_one_day_outside_office_hours_is_zero():
    a = dt.datetime(2026, 9, 30, 18, 0, tzinfo=SHANGHAI)
    b = dt.datetime(2026, 9, 30, 23, 0, tzinfo=SHANGHAI)
    assert CAL.working_hours_between(a, b).value == 0.0


# --- the simple list of dates -------------------------------------------------------------------------------


def test_parse_arrangement_reads_rest_work_and_ranges():
    parsed = core.parse_arrangement(
        "# 2027\n2027-01-01 休 元旦\n\n2027-02-14 班\n2027年10月1日至2027年10月3日 放假 国庆节\n"
    )
    assert parsed.holidays == [D(2027, 1, 1), D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]
    assert parsed.workdays == [D(2027, 2, 14)]
    assert parsed.names == {
        D(2027, 1, 1): "元旦",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
    }


def test_parse_arrangement_reports_every_bad_line_in_chinese():
    with pytest.raises(core.ArrangementError) as caught:
        core.parse_arrangement("2027-01-01 休\n2027-02-30 休\n2027-03-01 睡\n乱写\n2027-01-01 班")
    assert caught.value.errors == [
        "第2行的日期不存在，请检查年月日",
        "第3行的“睡”无法识别，请写“休”（放假）或“班”（上班）",
        "第4行“乱写”格式不对，应为“2027-01-01 休 元旦”或“2027-02-14 班”",
        "第5行的2027-01-01已在第1行出现过",
    ]


def test_format_arrangement_round_trips():
    text = core.format_arrangement(CAL.special_days(2027))
    parsed = core.parse_arrangement(text)
    assert parsed.holidays == [d.date for d in CAL.special_days(2027)]
    assert parsed.names[D(2027, 2, 9)] == "春节"


@pytest.mark.parametrize(
    ("value", "message"),
    [("2026-13-01", "不存在"), ("2026/09/30", "格式不对"), ("", "格式不对"), ("20260930", "格式不对")],
)
def test_parse_date_refuses_malformed_dates(value, message):
    with pytest.raises(ValueError, match=message):
        core.parse_date(value)


# --- properties ---------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 31))
counts = st.integers(min_value=-400, max_value=400)
PROPERTY = settings(max_examples=200, deadline=None, database=None)


@PROPERTY
@given(start=dates, n=counts)
def test_adding_then_counting_round_trips(start, n):
    end = CAL.add_workdays(start, n).value
    assert CAL.workdays_between(start, end).value == n


@PROPERTY
@given(start=dates, n=counts.filter(lambda n: n != 0))
def test_never_lands_on_a_non_working_day(start, n):
    assert CAL.is_workday(CAL.add_workdays(start, n).value)


@PROPERTY
@given(start=dates, n=st.integers(min_value=0, max_value=300))
def test_monotonic_in_n(start, n):
    assert CAL.add_workdays(start, n).value < CAL.add_workdays(start, n + 1).value


@PROPERTY
@given(start=dates, span=st.integers(min_value=-500, max_value=500))
def test_counting_matches_a_day_by_day_walk(start, span):
    lo, hi = sorted((start, start + dt.timedelta(days=span)))
    walked = sum(CAL.is_workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert CAL.workdays_between(lo, hi).value == walked


@PROPERTY
@given(start=dates, n=counts)
def test_provisional_iff_a_provisional_year_was_touched(start, n):
    result = CAL.add_workdays(start, n)
    if n > 0:
        touched = range(start.year + (start.month == 12 and start.day == 31), result.value.year + 1)
    elif n < 0:
        before = start - dt.timedelta(days=1)
        touched = range(result.value.year, before.year + 1)
    else:
        touched = range(0)
    assert result.provisional == any(CAL.is_provisional_year(y) for y in touched)


# --- architecture -------------------------------------------------------------------------------------------


def test_core_imports_nothing_from_django():
    tree = ast.parse(Path(core.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not {name for name in imported if name.split(".")[0] in {"django", "zhongshu"}}
