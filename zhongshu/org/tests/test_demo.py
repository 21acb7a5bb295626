"""The demo district: counts, the demo accounts and their roles, determinism, and refusing a second load."""

from __future__ import annotations

import pytest

from zhongshu.audit.models import Event
from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError
from zhongshu.org import permissions as perms
from zhongshu.org import selectors
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.demo import load_demo
from zhongshu.org.models import Delegation, Person, RoleGrant, Unit
from zhongshu.org.tests.support import signs_in

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    # account: (role, unit code)
    "admin": (Role.ADMIN, "zonghe-ke"),
    "quzhang": (Role.LEADER, "lingdao"),
    "fuquzhang": (Role.LEADER, "lingdao"),
    "zhuren": (Role.DIRECTOR, "zfb"),
    "ducha": (Role.SUPERVISOR, "ducha-ke"),
    "wenmi": (Role.SECRETARY, "mishu-ke"),
    "xinxi": (Role.INFO_OFFICER, "xinxi-ke"),
    "zhiban": (Role.DUTY_OFFICER, "zhiban-shi"),
    "huiwu": (Role.MEETING_OFFICER, "huiwu-ke"),
    "kaohe": (Role.ASSESSOR, "zonghe-ke"),
    "ll-jiaowei": (Role.LIAISON, "jiaowei"),
    "ll-zhujian": (Role.LIAISON, "zhujian"),
}


@pytest.fixture
def demo():
    return load_demo()  # its speed is measured in bench/bench_org.py, not asserted here


def test_demo_district_has_the_units_people_and_accounts_of_the_issue(demo, client):
    counts = demo
    assert counts == {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "grants": RoleGrant.objects.count(),
        "delegations": 1,
    }
    assert counts["units"] == 62
    assert 280 <= counts["people"] <= 320
    kinds = dict(Unit.objects.values_list("code", "kind"))
    assert kinds["lingdao"] == UnitKind.LEADERSHIP
    assert kinds["zfb"] == UnitKind.OFFICE
    assert {code for code, kind in kinds.items() if kind == UnitKind.SECTION} == {
        "mishu-ke",
        "ducha-ke",
        "xinxi-ke",
        "zonghe-ke",
        "zhiban-shi",
        "huiwu-ke",
    }
    assert sum(kind == UnitKind.DEPARTMENT for kind in kinds.values()) == 40
    assert sum(kind in {UnitKind.TOWN, UnitKind.STREET} for kind in kinds.values()) == 10
    assert sum(kind == UnitKind.PEER for kind in kinds.values()) == 3
    assert sum(kind == UnitKind.UPPER for kind in kinds.values()) == 1
    assert Unit.objects.get(code="jiaowei").full_name == "示范区教育委员会"
    assert Unit.objects.get(code="zhujian").full_name == "示范区住房和城乡建设委员会"
    assert Unit.objects.get(code="ducha-ke").parent == Unit.objects.get(code="zfb")
    # every department and town has one or two liaisons of its own
    for unit in Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET]):
        liaisons = RoleGrant.objects.filter(role=Role.LIAISON, unit=unit, person__unit=unit).count()
        assert 1 <= liaisons <= 2, unit.code
    # and every creation is on the audit trail
    assert Event.objects.filter(verb="org.unit.created").count() == counts["units"]
    assert Event.objects.filter(verb="org.person.created").count() == counts["people"]
    # the names come from a seeded generator: every demo database is the same
    quzhang = Person.objects.get(username="quzhang")
    assert (quzhang.name, quzhang.title, quzhang.phone) == ("毛强", "区长", "69385604")
    # a second load is refused
    with pytest.raises(ApplicationError, match="演示数据只能载入新建的空数据库"):
        load_demo()
    # every demo account signs in with the published password and holds its role
    for username, (role, unit_code) in DEMO_ACCOUNTS.items():
        person = Person.objects.get(username=username)
        assert person.unit.code == unit_code, username
        assert list(person.grants.values_list("role", "unit__code")) == [(role, unit_code)], username
        assert signs_in(client, username, "zhongshu-demo"), username
    # wenmi is the deputy of quzhang ("X 代 Y")
    delegation = Delegation.objects.get()
    assert (delegation.deputy.username, delegation.principal.username, delegation.active) == (
        "wenmi",
        "quzhang",
        True,
    )
    quzhang = Person.objects.get(username="quzhang")
    wenmi = Person.objects.get(username="wenmi")
    liaison = Person.objects.get(username="ll-jiaowei")
    authz.require(wenmi, perms.PERSON_VIEW, liaison, on_behalf_of=quzhang)
    # a liaison sees the people of their own unit only
    assert set(selectors.people_visible_to(liaison).values_list("unit__code", flat=True)) == {"jiaowei"}
