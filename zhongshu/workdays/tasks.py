"""The calendar's periodic job: remind administrators to enter next year's holiday arrangement."""

from __future__ import annotations

import datetime as dt

from zhongshu.jobs.registry import periodic

from . import services


@periodic("workdays.check_next_year", every=dt.timedelta(hours=1), label="检查下一年度工作日历")
def check_next_year(*, now: dt.datetime) -> str:
    """From 1 November, raise the banner for next year while it is neither built in nor entered; resolve it
    once it is. Idempotent: running it twice changes nothing the second time."""
    return services.calendar_notice_sync(now=now)
