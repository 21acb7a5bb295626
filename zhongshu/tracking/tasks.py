"""The periodic job of 督查督办: one sweep every 15 minutes (see `reminders` for what it does and why each
message goes out once)."""

from __future__ import annotations

import datetime as dt

from zhongshu.jobs.registry import periodic

from . import reminders


@periodic("tracking.sweep", every=dt.timedelta(minutes=15), label="督查督办：催签、到期提醒与督办升级")
def sweep(*, now: dt.datetime) -> str:
    """Signing rule, reminders and the escalation ladder as of `now`; idempotent, runs inside the
    transaction that claims its slot."""
    return reminders.sweep(now).text()


@periodic("tracking.weekly_ledger", every=dt.timedelta(hours=1), label="督查督办：每周生成台账（第N期）")
def weekly_ledger(*, now: dt.datetime) -> str:
    """Keep the ledger as it stood each week (第N期台账): once per calendar week, on the first working day's
    run after the office opens (or the first run later that week). Skips when a snapshot of this week exists
    (taken by hand or by an earlier run)."""
    from django.conf import settings

    from zhongshu.core import authz, clock
    from zhongshu.workdays.selectors import calendar

    from . import ledger
    from .models import LedgerSnapshot

    local = clock.localtime(now)
    today = local.date()
    opens = dt.time.fromisoformat(getattr(settings, "ZHONGSHU_OFFICE_START", "08:30"))
    if not calendar().is_workday(today) or local.time() < opens:
        return "非工作时间，未生成"
    monday = today - dt.timedelta(days=today.weekday())
    if LedgerSnapshot.objects.filter(as_of__gte=monday).exists():
        return "本周台账已生成"
    snapshot = ledger.take_snapshot(authz.system_actor("每周台账任务"), now)
    return f"已生成{snapshot.year}年第{snapshot.period_no}期台账（{snapshot.row_count} 项）"
