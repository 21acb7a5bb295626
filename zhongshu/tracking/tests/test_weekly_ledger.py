"""The weekly ledger snapshot (第N期台账) kept by the worker."""

from __future__ import annotations

from zhongshu.tracking import tasks
from zhongshu.tracking.models import LedgerSnapshot

from .conftest import at


def test_one_snapshot_per_week_on_working_days_after_opening(district, make_item, clock_at):
    clock_at(at(2026, 11, 27, 10))
    make_item()
    assert tasks.weekly_ledger(now=at(2026, 11, 29, 10)) == "非工作时间，未生成"  # Sunday
    assert tasks.weekly_ledger(now=at(2026, 11, 30, 8, 0)) == "非工作时间，未生成"  # before 08:30
    summary = tasks.weekly_ledger(now=at(2026, 11, 30, 9, 0))
    assert summary == "已生成2026年第1期台账（1 项）"
    assert tasks.weekly_ledger(now=at(2026, 12, 2, 9, 0)) == "本周台账已生成"
    assert tasks.weekly_ledger(now=at(2026, 12, 7, 9, 0)) == "已生成2026年第2期台账（1 项）"
    snapshots = list(LedgerSnapshot.objects.order_by("period_no").values_list("period_no", "as_of", "taken_by_name"))
    assert [(n, str(d)) for n, d, _ in snapshots] == [(1, "2026-11-30"), (2, "2026-12-07")]
    assert snapshots[0][2] == "每周台账任务"
