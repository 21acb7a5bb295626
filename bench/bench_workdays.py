"""Benchmark of the working-day arithmetic (zhongshu.workdays.core, pure Python, no database).

    .venv/bin/python bench/bench_workdays.py [--calls 100000] [--seed 7]

A realistic calendar: the package's years (2004–2026), 2027 entered by an administrator (its holidays and
make-up workdays as overrides), provisional years after that, and a few local overrides. Prints one row
per operation: calls, total time, time per call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zhongshu.workdays.core import WorkCalendar, provisional_days  # noqa: E402


def realistic_calendar() -> WorkCalendar:
    overrides: dict[dt.date, tuple[bool, str]] = {
        day.date: (day.workday, day.name) for day in provisional_days(2027).values()
    }
    overrides |= {dt.date(2027, 2, 13): (True, "春节调休"), dt.date(2027, 9, 26): (True, "国庆节调休")}
    overrides |= {dt.date(2026, 6, 22): (False, "防汛应急调整"), dt.date(2025, 3, 8): (True, "加班")}
    return WorkCalendar(overrides=overrides, official_years={2027})


def timed(label: str, calls: int, func) -> tuple[str, int, float]:
    started = time.perf_counter()
    func()
    return label, calls, time.perf_counter() - started


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (a Chinese character takes two columns)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - shown, 0)
    return fill + text if right else text + fill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    first, last = dt.date(2020, 1, 1).toordinal(), dt.date(2029, 12, 31).toordinal()
    starts = [dt.date.fromordinal(rng.randint(first, last)) for _ in range(args.calls)]
    counts = [rng.choice((1, 2, 3, 5, 7, 10, 15, 20, 30, 60, -3, -5)) for _ in range(args.calls)]
    ends = [start + dt.timedelta(days=rng.randint(-30, 180)) for start in starts]

    rows = []
    cold = realistic_calendar()
    years = range(2020, 2031)
    rows.append(timed("建立年度缓存（11年，首次）", len(years), lambda: [cold.day(dt.date(y, 1, 1)) for y in years]))

    cal = realistic_calendar()
    for year in range(2019, 2031):
        cal.day(dt.date(year, 1, 1))  # warm: caching per year is part of the design

    def add_all() -> None:
        for start, n in zip(starts, counts, strict=True):
            cal.add_workdays(start, n)

    def between_all() -> None:
        for start, end in zip(starts, ends, strict=True):
            cal.workdays_between(start, end)

    def deadline_all() -> None:
        for start, n in zip(starts, counts, strict=True):
            cal.deadline(start, n)

    def is_workday_all() -> None:
        for start in starts:
            cal.is_workday(start)

    rows.append(timed("add_workdays", args.calls, add_all))
    rows.append(timed("workdays_between", args.calls, between_all))
    rows.append(timed("deadline", args.calls, deadline_all))
    rows.append(timed("is_workday", args.calls, is_workday_all))

    # The round trip holds on the benchmark's own inputs (a cheap sanity check of what was timed).
    for start, n in list(zip(starts, counts, strict=True))[:2000]:
        assert cal.workdays_between(start, cal.add_workdays(start, n).value).value == n

    print(f"工作日计算基准（{args.calls:,} 次随机调用，起始日期 2020–2029,Python {sys.version.split()[0]}）")
    print(pad("操作", 28) + pad("调用次数", 10, True) + pad("总耗时（秒）", 14, True) + pad("每次（微秒）", 14, True))
    for label, calls, seconds in rows:
        print(pad(label, 28) + f"{calls:>10,}{seconds:>14.3f}{seconds / calls * 1e6:>14.2f}")


if __name__ == "__main__":
    main()
