"""`zhongshu workdays …` — working-day arithmetic from the command line.

    zhongshu workdays add 2026-09-30 5              -> 2026-10-13
    zhongshu workdays between 2026-09-30 2026-10-13 -> 5
    zhongshu workdays is 2026-10-10                 -> 2026-10-10 工作日（调休上班）
    zhongshu workdays year 2027                     -> the holidays, 补假 and make-up workdays of 2027

Answers that depend on a provisional year (暂定) print a note on standard error. Bad input: one Chinese line
on standard error, exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from zhongshu.core.management.base import CommandError, ZhongshuCommand
from zhongshu.workdays import core, selectors

BAD_INPUT = 2


def _date(value: str) -> dt.date:
    try:
        return core.parse_date(value)
    except ValueError as exc:
        raise CommandError(str(exc), returncode=BAD_INPUT) from None


def _int(value: str, what: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise CommandError(f"{what}“{value}”不是整数", returncode=BAD_INPUT) from None


def _year(value: str) -> int:
    year = _int(value, "年度")
    if not core.MIN_YEAR <= year <= core.MAX_YEAR:
        raise CommandError(f"年度应在{core.MIN_YEAR}至{core.MAX_YEAR}之间", returncode=BAD_INPUT)
    return year


def describe(day: core.Day) -> str:
    """`2026-10-10 工作日（调休上班）`, `2026-10-01 休息日（法定节假日：国庆节）`, `2026-10-12 工作日`."""
    text = f"{day.date.isoformat()} {'工作日' if day.workday else '休息日'}"
    if day.kind in (core.Kind.HOLIDAY, core.Kind.IN_LIEU) and day.name:
        text += f"（{day.kind_label}：{day.name}）"
    elif day.kind != core.Kind.WORKDAY:  # an ordinary working day needs no label
        text += f"（{day.kind_label}）"
    if day.provisional:
        text += " [暂定]"
    return text


class Command(ZhongshuCommand):
    help = "工作日计算：add 起始日期 天数 / between 起始日期 截止日期 / is 日期 / year 年度"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,between,is,year}")
        add = sub.add_parser("add", help="起始日期后第 N 个工作日（次日起算；N 为负数时向前数）")
        add.add_argument("start", help="起始日期 YYYY-MM-DD")
        add.add_argument("days", help="工作日数 N")
        between = sub.add_parser("between", help="起始日期之后至截止日期（含）之间的工作日数")
        between.add_argument("start", help="起始日期 YYYY-MM-DD")
        between.add_argument("end", help="截止日期 YYYY-MM-DD")
        is_ = sub.add_parser("is", help="某一天是工作日还是休息日")
        is_.add_argument("date", help="日期 YYYY-MM-DD")
        year = sub.add_parser("year", help="列出某年的节假日、补假和调休上班日")
        year.add_argument("year", help="年度，例如 2027")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        calendar = selectors.calendar()
        try:
            if action == "add":
                start = _date(options["start"])
                result = calendar.add_workdays(start, _int(options["days"], "工作日数"))
                self.stdout.write(result.value.isoformat())
                self._note(calendar, result.provisional, start, result.value)
            elif action == "between":
                start, end = _date(options["start"]), _date(options["end"])
                counted = calendar.workdays_between(start, end)
                self.stdout.write(str(counted.value))
                self._note(calendar, counted.provisional, start, end)
            elif action == "is":
                day = calendar.day(_date(options["date"]))
                self.stdout.write(describe(day))
                self._note(calendar, day.provisional, day.date, day.date)
            else:
                self._year(calendar, _year(options["year"]))
        except core.CalendarRangeError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from None

    def _note(self, calendar: core.WorkCalendar, provisional: bool, a: dt.date, b: dt.date) -> None:
        """One line on standard error naming the provisional years the answer depends on."""
        if not provisional:
            return
        years = calendar.provisional_years(min(a.year, b.year), max(a.year, b.year))
        names = "、".join(f"{y}年" for y in years) or "相关年度"
        self.stderr.write(
            f"注意：{names}的节假日安排尚未公布或录入，结果按《全国年节及纪念日放假办法》暂定推算（暂定），"
            "以国务院办公厅正式安排为准。"
        )

    def _year(self, calendar: core.WorkCalendar, year: int) -> None:
        provisional = calendar.is_provisional_year(year)
        if calendar.is_official(year):
            source = "已录入国务院办公厅安排"
        elif provisional:
            source = "暂定：按《全国年节及纪念日放假办法》推算，调休上班日无法预知"
        else:
            source = "国务院办公厅安排（内置数据）"
        self.stdout.write(f"{year}年节假日安排（{source}）")
        for day in calendar.special_days(year):
            line = f"{day.date.isoformat()} {day.weekday_label} {day.kind_label}"
            if day.name:
                line += f" {day.name}"
            if day.provisional:
                line += " [暂定]"
            self.stdout.write(line)
        if provisional:
            self._note(calendar, True, dt.date(year, 1, 1), dt.date(year, 1, 1))
