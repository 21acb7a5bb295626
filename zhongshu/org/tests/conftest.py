"""Fixtures of the org tests: a small district and a way to see that nothing was written."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, Unit
from zhongshu.org.tests.factories import PersonFactory, UnitFactory


@dataclass
class District:
    office: Unit
    section: Unit
    jiaowei: Unit
    zhujian: Unit
    admin: Person
    leader: Person
    secretary: Person
    liaison: Person  # liaison of 区教委
    other_liaison: Person  # liaison of 区住房城乡建委
    nobody: Person  # an account without any role


@pytest.fixture
def district(db, office) -> District:
    section = UnitFactory.create(
        code="mishu-ke",
        full_name="示范区人民政府办公室秘书科",
        short_name="秘书科",
        kind=UnitKind.SECTION,
        parent=office,
    )
    jiaowei = UnitFactory.create(code="jiaowei", full_name="示范区教育委员会", short_name="区教委")
    zhujian = UnitFactory.create(code="zhujian", full_name="示范区住房和城乡建设委员会", short_name="区住房城乡建委")
    leadership = UnitFactory.create(
        code="lingdao", full_name="示范区人民政府领导", short_name="区领导", kind=UnitKind.LEADERSHIP
    )
    return District(
        office=office,
        section=section,
        jiaowei=jiaowei,
        zhujian=zhujian,
        admin=PersonFactory.create(username="admin", name="管理员", unit=office, roles=[Role.ADMIN]),
        leader=PersonFactory.create(username="quzhang", name="王区长", unit=leadership, roles=[Role.LEADER]),
        secretary=PersonFactory.create(username="wenmi", name="李文秘", unit=section, roles=[Role.SECRETARY]),
        liaison=PersonFactory.create(username="ll-jiaowei", name="赵联络", unit=jiaowei, roles=[Role.LIAISON]),
        other_liaison=PersonFactory.create(username="ll-zhujian", name="钱联络", unit=zhujian, roles=[Role.LIAISON]),
        nobody=PersonFactory.create(username="nobody", name="孙无角色", unit=jiaowei),
    )
