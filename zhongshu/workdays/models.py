"""The administrator's part of the working-day calendar: date overrides, entered years, the banner notice.

The arithmetic itself lives in `core.py` (pure Python); `selectors.calendar()` builds it from these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhongshu.core import clock


class DayOverride(models.Model):
    """An administrator's ruling on one date — a holiday, a make-up workday, or a correction of the
    built-in data (e.g. a mid-year change by the State Council). It always wins."""

    date = models.DateField("日期", unique=True)
    workday = models.BooleanField("上班")
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("设置时间", default=clock.now, editable=False)
    updated_at = models.DateTimeField("更新时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "日期设置"
        verbose_name_plural = "日期设置"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'上班' if self.workday else '休息'}"


class YearArrangement(models.Model):
    """A record that a year's official arrangement has been entered: the year then counts only the
    administrator's dates and weekends — no provisional guesses, no built-in data."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", default=clock.now, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarNotice(models.Model):
    """A reminder to administrators to enter a year's official arrangement (the banner), raised by the
    worker from 1 November and resolved once the year is covered."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    raised_at = models.DateTimeField("提醒时间", default=clock.now)
    resolved_at = models.DateTimeField("解除时间", null=True, blank=True)

    class Meta:
        verbose_name = "日历录入提醒"
        verbose_name_plural = "日历录入提醒"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"请录入{self.year}年节假日安排"


class CalendarVersion(models.Model):
    """One row whose number goes up — and whose random stamp changes — in the same transaction as every
    change of overrides or entered years, so that every process can tell cheaply whether its cached calendar
    is stale (the stamp also catches a database restored to an older version)."""

    version = models.PositiveBigIntegerField(default=0)
    stamp = models.CharField(max_length=32, default="", blank=True)

    class Meta:
        verbose_name = "日历版本"

    def __str__(self) -> str:
        return f"v{self.version}"
