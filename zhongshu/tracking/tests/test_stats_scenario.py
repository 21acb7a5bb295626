"""A hand-built set of items for the statistics tests, walked through the services in March 2026 (no holiday
in the month: working days are Monday to Friday). The expected figures are written out in test_stats.py; this
module has no tests of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhongshu.core.authz import system_actor
from zhongshu.org.choices import UnitKind
from zhongshu.org.models import Unit
from zhongshu.org.tests.factories import UnitFactory
from zhongshu.tracking import services
from zhongshu.tracking.models import Item

from .conftest import at

NOW = at(2026, 3, 20, 12)  # Friday
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 20)


@dataclass
class Scenario:
    town: Unit  # a town with nothing, placed first in the fixed order
    items: dict[str, Item]


def build(district: Any, make_item: Any, clock_at: Any) -> Scenario:
    """Items of 区教委 (jiaowei), 区住房城乡建委 (zhujian); 区卫生健康委 (weijian) and 青山镇 have nothing."""
    town = UnitFactory(code="qingshan", full_name="示范区青山镇人民政府", short_name="青山镇", kind=UnitKind.TOWN)
    Unit.objects.filter(pk=town.pk).update(display_order=0)
    d = district
    liaison, other = d.liaison, d.other_liaison
    items: dict[str, Item] = {}

    def new(key: str, **kw: Any) -> Item:
        kw.setdefault("co_unit_ids", [])
        if "due_at" in kw:
            kw["due_in_workdays"] = None
        kw.setdefault("title", f"统计测试事项{key}")
        items[key] = make_item(**kw)
        return items[key]

    clock_at(at(2026, 3, 2, 9))  # Monday
    new("on_time", due_in_workdays=5)  # due 3-9
    new("late", due_at=dt.date(2026, 3, 6))
    new("ext_in_time", due_at=dt.date(2026, 3, 6))
    new("ext_late", due_at=dt.date(2026, 3, 6))
    new("returned", due_at=dt.date(2026, 3, 13))
    new("cancelled", due_at=dt.date(2026, 3, 13))
    new("reported_late", due_at=dt.date(2026, 3, 12), co_unit_ids=[d.zhujian.pk, d.weijian.pk])
    new("due_soon", due_at=dt.date(2026, 3, 24))
    parent = new("parent", due_at=dt.date(2026, 3, 13), assign=False)
    child_jiaowei, child_zhujian = services.item_split(
        actor=d.ducha, item=parent, unit_ids=[d.jiaowei.pk, d.zhujian.pk]
    )
    services.item_assign(actor=d.ducha, item=parent)
    items["child_jiaowei"], items["child_zhujian"] = child_jiaowei, child_zhujian
    new("zhujian_overdue", lead_unit_id=d.zhujian.pk, due_at=dt.date(2026, 3, 10))
    new("zhujian_signed_late", lead_unit_id=d.zhujian.pk, due_in_workdays=20)

    clock_at(at(2026, 3, 2, 10))
    for key in ("on_time", "late", "ext_in_time", "ext_late", "returned", "cancelled", "reported_late", "due_soon"):
        services.item_accept(actor=liaison, item=items[key])
    services.item_accept(actor=liaison, item=child_jiaowei)
    services.item_accept(actor=other, item=child_zhujian)
    services.item_accept(actor=other, item=items["zhujian_overdue"])
    services.item_cancel(actor=d.ducha, item=items["cancelled"], reason="领导另有安排。")

    clock_at(at(2026, 3, 4, 10))
    services.extension_request(
        actor=liaison, item=items["ext_in_time"], reason="需要协调。", due_at=dt.date(2026, 3, 13)
    )
    services.extension_decide(actor=d.ducha, item=items["ext_in_time"], approve=True, comment="同意")
    services.item_progress(actor=other, item=items["reported_late"], text="住建委配合部分已完成。")

    clock_at(at(2026, 3, 5, 10))
    services.item_accept(actor=other, item=items["zhujian_signed_late"])  # 3 working days after: 2 late
    services.extension_request(actor=liaison, item=items["ext_late"], reason="等待批复。", due_at=dt.date(2026, 3, 20))
    services.item_report(actor=liaison, item=items["on_time"], text="已完成。")
    services.item_close(actor=d.ducha, item=items["on_time"], rating="good")
    services.item_report(actor=other, item=child_zhujian, text="已完成。")
    services.item_close(actor=d.ducha, item=child_zhujian, rating="excellent")

    clock_at(at(2026, 3, 9, 10))
    services.extension_decide(actor=d.ducha, item=items["ext_late"], approve=True, comment="同意")  # after 3-6
    services.item_report(actor=liaison, item=items["returned"], text="初步完成。")

    clock_at(at(2026, 3, 10, 10))
    services.item_report(actor=liaison, item=items["late"], text="已完成。")
    services.item_close(actor=d.ducha, item=items["late"], rating="fair")
    services.item_return(actor=d.ducha, item=items["returned"], reason="材料不全。")

    clock_at(at(2026, 3, 11, 10))
    services.item_report(actor=liaison, item=items["ext_in_time"], text="已完成。")
    services.item_close(actor=d.ducha, item=items["ext_in_time"], rating="good")

    clock_at(at(2026, 3, 11, 18))  # after the 10th's deadline: a red notice for zhujian
    services.notice_issue(
        items["zhujian_overdue"], "red", now=at(2026, 3, 11, 18), actor=system_actor("测试"), reason="超期未办结"
    )

    clock_at(at(2026, 3, 12, 10))
    services.item_report(actor=liaison, item=items["ext_late"], text="已完成。")
    services.item_close(actor=d.ducha, item=items["ext_late"], rating="good")

    clock_at(at(2026, 3, 16, 10))
    services.item_report(actor=liaison, item=items["returned"], text="补充材料。")
    services.item_close(actor=d.ducha, item=items["returned"], rating="fair")

    clock_at(at(2026, 3, 17, 10))
    services.item_report(actor=liaison, item=items["reported_late"], text="已完成，逾期。")

    clock_at(NOW)
    for key, item in items.items():
        items[key] = Item.objects.get(pk=item.pk)
    return Scenario(town=town, items=items)
