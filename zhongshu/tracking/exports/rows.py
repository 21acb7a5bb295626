"""What the exports print, as plain values: the tracking app maps its models to these, the writers read them.

Nothing here knows Django or the clock; dates come in already computed (overdue days counted in working
days by `workdays`, colours decided by the caller).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Colour = Literal["green", "yellow", "red", "grey"]
NoticeLevel = Literal["blue", "yellow", "red", "urge"]


@dataclass(frozen=True)
class ProgressEntry:
    """One dated line of an item's progress log (进展情况)."""

    on: dt.date
    text: str
    unit: str = ""


@dataclass(frozen=True)
class LedgerRow:
    """One tracked item as a line of the 督办台账."""

    number: str  # 督办编号, e.g. 示范督〔2026〕0123号
    source: str  # 事项来源 label, e.g. 领导批示
    leader: str  # 批示领导 ("" if none)
    instruction: str  # 批示/交办内容 (the instruction, or the content when there is none)
    title: str  # 事项名称
    lead_unit: str  # 牵头单位 (short name)
    co_units: str  # 配合单位, "、"-joined short names
    assigned_on: dt.date | None  # 交办日期
    due_on: dt.date | None  # 办结时限 in force
    original_due_on: dt.date | None  # 原定时限 (before any extension)
    progress: tuple[ProgressEntry, ...]  # newest LAST
    status: str  # 办理状态 label: 待交办/待签收/办理中/待核查/已办结/已撤销
    overdue: bool
    overdue_workdays: int
    closed_on: dt.date | None  # 办结日期
    rating: str  # 质量评价 label or ""
    remark: str  # 备注, e.g. "已延期至11月30日"
    colour: Colour  # green / yellow / red / grey (closed or cancelled)
    unit_order: int = 0  # the unit's fixed order (rows come sorted; kept for templates)


@dataclass(frozen=True)
class LedgerMeta:
    """The heading of a ledger: whose it is, which issue, which period, as of which day."""

    district: str  # 示范区
    title: str = "督查督办事项台账"
    period_no: int | None = None  # 第N期
    period_label: str = ""  # e.g. 2026年11月23日至11月29日
    as_of: dt.date | None = None  # 截至日期


# --- 督查通报 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulletinUnitRow:
    """A unit's line in the bulletin's table of on-time rates (按期办结率 = 按期办结 ÷ 办结)."""

    unit: str
    assigned: int  # 交办
    closed: int  # 办结
    closed_on_time: int  # 按期办结
    overdue: int  # 当前超期


@dataclass(frozen=True)
class BulletinOverdueRow:
    """An item on the bulletin's overdue list."""

    number: str
    title: str
    lead_unit: str
    due_on: dt.date | None
    overdue_workdays: int


@dataclass(frozen=True)
class BulletinData:
    """A weekly or monthly 督查通报 as the office issues it."""

    district: str  # 示范区
    period_no: int  # 第N期
    issued_on: dt.date
    title: str  # e.g. 关于2026年11月督查督办事项办理情况的通报
    assigned: int  # 交办N件 (in the period)
    closed: int  # 办结N件
    closed_on_time: int  # 按期办结N件
    overdue_now: int  # 当前超期N件
    period_label: str = ""  # 2026年11月1日至11月30日
    as_of: dt.date | None = None  # 截至日期 (defaults to issued_on)
    units: tuple[BulletinUnitRow, ...] = ()  # in the fixed unit order
    overdue_items: tuple[BulletinOverdueRow, ...] = ()
    praised: tuple[str, ...] = ()  # 予以表扬
    criticised: tuple[str, ...] = ()  # 予以通报批评
    intro: str = ""  # optional opening paragraph
    closing: str = ""  # optional requirements paragraph at the end
    cc: tuple[str, ...] = ()  # 抄送
    office_name: str = ""  # defaults to {district}人民政府办公室
    kind: Literal["weekly", "monthly"] = "weekly"

    @property
    def office(self) -> str:
        return self.office_name or f"{self.district}人民政府办公室"


# --- 督办单 and 催办通知书 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeData:
    """A printable step of the escalation ladder: a blue, yellow or red 督办单, or a formal 催办通知书 (urge)."""

    level: NoticeLevel
    number: str  # 督办单编号 / 通知书编号, e.g. 蓝督〔2026〕12号
    unit_full_name: str  # 主送: the lead unit's full name
    item_number: str  # 督办编号
    item_title: str
    instruction: str  # 批示/交办内容
    due_on: dt.date | None
    overdue_workdays: int
    reply_by: dt.date | None  # 请于……前报送
    issued_on: dt.date
    office_name: str  # 示范区人民政府办公室
    cc: tuple[str, ...] | list[str] = ()  # 抄送: the unit's 分管区领导
    reason: str = ""  # why this step was taken
