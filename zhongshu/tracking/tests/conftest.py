"""Fixtures of the tracking tests: a small district with the demo accounts' roles, and a pinned clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, Unit
from zhongshu.org.tests.factories import PersonFactory, UnitFactory

TZ = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local (Asia/Shanghai) moment."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


@dataclass
class District:
    office: Unit
    ducha_ke: Unit
    leadership: Unit
    jiaowei: Unit
    zhujian: Unit
    weijian: Unit
    closed_unit: Unit
    ducha: Person  # supervisor (督查员)
    zhuren: Person  # office director
    quzhang: Person  # principal leader
    fuquzhang: Person  # deputy leader, in charge of 区教委
    wenmi: Person  # secretary, deputy of quzhang
    liaison: Person  # ll-jiaowei
    other_liaison: Person  # ll-zhujian
    weijian_liaison: Person
    admin: Person
    nobody: Person


@pytest.fixture
def district(db) -> District:
    from zhongshu.org.models import Delegation

    office = UnitFactory(code="zfb", full_name="示范区人民政府办公室", short_name="区政府办", kind=UnitKind.OFFICE)
    ducha_ke = UnitFactory(
        code="ducha-ke",
        full_name="示范区人民政府办公室督查科",
        short_name="督查科",
        kind=UnitKind.SECTION,
        parent=office,
    )
    leadership = UnitFactory(
        code="lingdao", full_name="示范区人民政府领导", short_name="区领导", kind=UnitKind.LEADERSHIP
    )
    jiaowei = UnitFactory(code="jiaowei", full_name="示范区教育委员会", short_name="区教委")
    zhujian = UnitFactory(code="zhujian", full_name="示范区住房和城乡建设委员会", short_name="区住房城乡建委")
    weijian = UnitFactory(code="weijian", full_name="示范区卫生健康委员会", short_name="区卫生健康委")
    closed_unit = UnitFactory(code="old", full_name="示范区已撤销局", short_name="已撤销局", active=False)
    quzhang = PersonFactory(username="quzhang", name="王区长", title="区长", unit=leadership, roles=[Role.LEADER])
    fuquzhang = PersonFactory(
        username="fuquzhang", name="陈副区长", title="副区长", unit=leadership, roles=[Role.LEADER]
    )
    jiaowei.leader_in_charge = fuquzhang
    jiaowei.save()
    wenmi = PersonFactory(username="wenmi", name="李文秘", unit=office, roles=[Role.SECRETARY])
    Delegation.objects.create(principal=quzhang, deputy=wenmi)
    return District(
        office=office,
        ducha_ke=ducha_ke,
        leadership=leadership,
        jiaowei=jiaowei,
        zhujian=zhujian,
        weijian=weijian,
        closed_unit=closed_unit,
        ducha=PersonFactory(username="ducha", name="周督查", unit=ducha_ke, roles=[Role.SUPERVISOR]),
        zhuren=PersonFactory(username="zhuren", name="吴主任", unit=office, roles=[Role.DIRECTOR]),
        quzhang=quzhang,
        fuquzhang=fuquzhang,
        wenmi=wenmi,
        liaison=PersonFactory(username="ll-jiaowei", name="赵联络", unit=jiaowei, roles=[Role.LIAISON]),
        other_liaison=PersonFactory(username="ll-zhujian", name="钱联络", unit=zhujian, roles=[Role.LIAISON]),
        weijian_liaison=PersonFactory(username="ll-weijian", name="孙联络", unit=weijian, roles=[Role.LIAISON]),
        admin=PersonFactory(username="admin", name="管理员", unit=office, roles=[Role.ADMIN]),
        nobody=PersonFactory(username="nobody", name="无角色", unit=jiaowei),
    )


@pytest.fixture
def clock_at():
    """clock_at(moment): pin the clock (time_machine, not ticking) until the test ends; call again to move."""
    travellers: list[time_machine.travel] = []

    def pin(moment: dt.datetime) -> dt.datetime:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield pin
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def make_item(district):
    """make_item(**overrides) -> an item created by 督查员 (assigned unless assign=False)."""
    from zhongshu.tracking import services

    def make(**overrides):
        values = {
            "actor": district.ducha,
            "title": "推进学校周边交通秩序整治",
            "content": "请区教委牵头，会同区住房城乡建委研究解决。",
            "source_type": "leader_instruction",
            "instructing_leader_id": district.quzhang.pk,
            "instruction": "请教委牵头抓紧研究，两周内报结果。",
            "lead_unit_id": district.jiaowei.pk,
            "co_unit_ids": [district.zhujian.pk],
            "due_in_workdays": 10,
            "assign": True,
        }
        values.update(overrides)
        return services.item_create(**values)

    return make
