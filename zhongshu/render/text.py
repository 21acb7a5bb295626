"""Dates and numbers written the way Chinese official texts write them (GB/T 15835: Arabic numerals)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def cn_date(day: dt.date) -> str:
    """2026年11月3日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month_day(day: dt.date, *, reference_year: int | None = None) -> str:
    """11月3日, or 2025年12月30日 when the day is not in `reference_year`."""
    if reference_year is not None and day.year != reference_year:
        return cn_date(day)
    return f"{day.month}月{day.day}日"


def cn_percent(numerator: int, denominator: int) -> str:
    """A rate as an office writes it: 87.5%, 100%, or — when there is nothing to divide by."""
    if denominator <= 0:
        return "—"
    value = round(numerator * 100 / denominator, 1)
    return f"{value:g}%"


def join_names(names: Iterable[str]) -> str:
    """Unit or person names joined with the enumeration comma: 区教委、区财政局."""
    return "、".join(name for name in names if name)
