"""Sample ledger rows and metadata for the export tests (plain values, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhongshu.tracking.exports.rows import LedgerMeta, LedgerRow, ProgressEntry


def ledger_row(**overrides) -> LedgerRow:
    values = {
        "number": "示范督〔2026〕0123号",
        "source": "领导批示",
        "leader": "王区长",
        "instruction": "请区教委牵头研究解决城南学校扩建资金缺口问题。",
        "title": "城南学校扩建项目",
        "lead_unit": "区教委",
        "co_units": "区财政局、区住房城乡建委",
        "assigned_on": dt.date(2026, 10, 9),
        "due_on": dt.date(2026, 11, 30),
        "original_due_on": dt.date(2026, 11, 20),
        "progress": (
            ProgressEntry(dt.date(2025, 12, 30), "已立项。"),
            ProgressEntry(dt.date(2026, 11, 3), "已完成选址。", "区教委"),
        ),
        "status": "办理中",
        "overdue": False,
        "overdue_workdays": 0,
        "closed_on": None,
        "rating": "",
        "remark": "已延期至11月30日",
        "colour": "green",
    }
    values.update(overrides)
    return LedgerRow(**values)


@pytest.fixture
def meta() -> LedgerMeta:
    return LedgerMeta(
        district="示范区", period_no=47, period_label="2026年11月23日至11月29日", as_of=dt.date(2026, 11, 29)
    )


@pytest.fixture
def rows() -> list[LedgerRow]:
    return [
        ledger_row(),
        ledger_row(number="示范督〔2026〕0124号", colour="red", overdue=True, overdue_workdays=3, progress=(),
                   leader="", remark=""),
        ledger_row(number="示范督〔2026〕0125号", colour="grey", status="已办结", closed_on=dt.date(2026, 11, 25),
                   rating="优秀", instruction="=HYPERLINK(\"x\")", title=""),
    ]  # fmt: skip
