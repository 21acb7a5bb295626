"""Who may do what with units, people and roles: the matrix of every role × every org action × an object
in the actor's own unit / in another unit, written out as a table; then each org service refused to those
outside the policy (writing nothing) and allowed to those inside; then acting on a leader's behalf."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from zhongshu.core import authz
from zhongshu.org import importing, services
from zhongshu.org import permissions as perms
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Delegation, RoleGrant
from zhongshu.org.tests.factories import PersonFactory, UnitFactory
from zhongshu.org.tests.support import written

pytestmark = pytest.mark.django_db

ACTIONS = [
    "org.unit.view",
    "org.unit.manage",
    "org.person.view",
    "org.person.manage",
    "org.role.manage",
    "org.import",
]

# Y/N for an object in the actor's own unit, then for one in another unit.
MATRIX = """
role             unit.view  unit.manage  person.view  person.manage  role.manage  import
admin            YY         YY           YY           YY             YY           YY
leader           YY         NN           YY           NN             NN           NN
director         YY         NN           YY           NN             NN           NN
supervisor       YY         NN           YY           NN             NN           NN
secretary        YY         NN           YY           NN             NN           NN
info_officer     YY         NN           YY           NN             NN           NN
duty_officer     YY         NN           YY           NN             NN           NN
meeting_officer  YY         NN           YY           NN             NN           NN
assessor         YY         NN           YY           NN             NN           NN
liaison          YY         NN           YN           NN             NN           NN
-                NN         NN           NN           NN             NN           NN
"""


def _expected() -> dict[str, dict[tuple[str, str], bool]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()[1:]]
    table: dict[str, dict[tuple[str, str], bool]] = {}
    for role, *cells in lines:
        table[role] = {}
        for action, cell in zip(ACTIONS, cells, strict=True):
            table[role][(action, "own")] = cell[0] == "Y"
            table[role][(action, "other")] = cell[1] == "Y"
    return table


EXPECTED = _expected()


def test_matrix_covers_every_role_and_every_org_permission():
    roles = [line.split()[0] for line in MATRIX.strip().splitlines()[1:]]
    assert roles == [*Role.values, "-"]
    assert sorted(code for code in authz.permissions() if code.startswith("org.")) == sorted(ACTIONS)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(role):
    # given an actor holding `role` in their own unit, and a person in each of two units
    own = UnitFactory.create(kind=UnitKind.DEPARTMENT)
    other = UnitFactory.create(kind=UnitKind.DEPARTMENT)
    actor = PersonFactory.create(unit=own, roles=[] if role == "-" else [role])
    units = {"own": own, "other": other}
    people = {"own": PersonFactory.create(unit=own), "other": PersonFactory.create(unit=other)}
    # when every action is asked about an object in each unit
    actual = {
        (action, where): authz.can(
            actor,
            action,
            units[where] if action.startswith("org.unit") or action == "org.import" else people[where],
        )
        for action in ACTIONS
        for where in ("own", "other")
    }
    # then
    assert actual == EXPECTED[role]


def test_liaison_scope_includes_sub_units_of_own_unit():
    own = UnitFactory.create()
    sub = UnitFactory.create(parent=own)
    liaison = PersonFactory.create(unit=own, roles=[Role.LIAISON])
    assert authz.can(liaison, perms.PERSON_VIEW, PersonFactory.create(unit=sub)) is True


def test_inactive_person_holds_no_permission():
    admin = PersonFactory.create(roles=[Role.ADMIN], is_active=False)
    assert authz.can(admin, perms.UNIT_VIEW) is False


# Every service: anonymous, no role, a role outside the policy, and the administrator ----------------


def _xlsx_with_one_unit() -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(importing.template_workbook()))
    book["单位"].append(["kewei", "示范区科学技术委员会", "区科委", "区政府部门", "", 500, "是"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


Setup = Callable[[Any], Callable[[Any], Any]]


def _unit_create(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.unit_create(
        actor=actor,
        code="kewei",
        full_name="示范区科学技术委员会",
        short_name="区科委",
        kind=UnitKind.DEPARTMENT,
    )


def _unit_update(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.unit_update(actor=actor, unit_id=d.jiaowei.pk, full_name="示范区教育局")


def _unit_merge(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.unit_merge(actor=actor, source_id=d.jiaowei.pk, target_id=d.zhujian.pk)


def _unit_deactivate(d: Any) -> Callable[[Any], Any]:
    empty = UnitFactory.create()
    return lambda actor: services.unit_deactivate(actor=actor, unit_id=empty.pk)


def _unit_activate(d: Any) -> Callable[[Any], Any]:
    stopped = UnitFactory.create(active=False)
    return lambda actor: services.unit_activate(actor=actor, unit_id=stopped.pk)


def _person_create(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.person_create(actor=actor, username="new-one", name="新人", unit_id=d.jiaowei.pk)


def _person_update(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.person_update(actor=actor, person_id=d.nobody.pk, title="副主任")


def _person_deactivate(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.person_deactivate(actor=actor, person_id=d.nobody.pk)


def _person_activate(d: Any) -> Callable[[Any], Any]:
    gone = PersonFactory.create(unit=d.jiaowei, is_active=False)
    return lambda actor: services.person_activate(actor=actor, person_id=gone.pk)


def _person_set_password(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.person_set_password(actor=actor, person_id=d.nobody.pk, password="Qingshan-2026!")


def _role_grant(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.role_grant(actor=actor, person_id=d.nobody.pk, role=Role.LIAISON)


def _role_revoke(d: Any) -> Callable[[Any], Any]:
    grant = RoleGrant.objects.get(person=d.other_liaison)
    return lambda actor: services.role_revoke(actor=actor, grant_id=grant.pk)


def _delegation_create(d: Any) -> Callable[[Any], Any]:
    return lambda actor: services.delegation_create(actor=actor, principal_id=d.leader.pk, deputy_id=d.secretary.pk)


def _delegation_revoke(d: Any) -> Callable[[Any], Any]:
    delegation = Delegation.objects.create(principal=d.leader, deputy=d.secretary)
    return lambda actor: services.delegation_revoke(actor=actor, delegation_id=delegation.pk)


def _import(d: Any) -> Callable[[Any], Any]:
    data = _xlsx_with_one_unit()
    return lambda actor: importing.import_workbook(actor=actor, data=data, filename="单位.xlsx")


SERVICES: dict[str, Setup] = {
    "unit_create": _unit_create,
    "unit_update": _unit_update,
    "unit_merge": _unit_merge,
    "unit_deactivate": _unit_deactivate,
    "unit_activate": _unit_activate,
    "person_create": _person_create,
    "person_update": _person_update,
    "person_deactivate": _person_deactivate,
    "person_activate": _person_activate,
    "person_set_password": _person_set_password,
    "role_grant": _role_grant,
    "role_revoke": _role_revoke,
    "delegation_create": _delegation_create,
    "delegation_revoke": _delegation_revoke,
    "import_workbook": _import,
}

DENIED_ACTORS = {
    "anonymous": lambda d: None,
    "no role": lambda d: d.nobody,
    "liaison of the unit": lambda d: d.liaison,
    "office role (leader)": lambda d: d.leader,
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("who", list(DENIED_ACTORS))
def test_service_refused_outside_policy_writes_nothing(district, service, who):
    # given
    call = SERVICES[service](district)
    actor = DENIED_ACTORS[who](district)
    before = written()
    # when / then
    with pytest.raises(PermissionDenied):
        call(actor)
    assert written() == before


@pytest.mark.parametrize("service", list(SERVICES))
def test_service_allowed_to_administrator_records_event(district, service):
    call = SERVICES[service](district)
    before = written()
    call(district.admin)
    assert written()[0] > before[0]


# Acting on a leader's behalf ---------------------------------------------------------------------------


def test_deputy_acts_for_leader_only_with_an_active_delegation(district):
    # given a permission that the leader holds and the secretary's own role also holds
    with pytest.raises(PermissionDenied, match="您不能代王区长办理"):
        authz.require(district.secretary, perms.PERSON_VIEW, district.liaison, on_behalf_of=district.leader)
    # when a delegation "李文秘 代 王区长" is set up
    services.delegation_create(actor=district.admin, principal_id=district.leader.pk, deputy_id=district.secretary.pk)
    # then
    authz.require(district.secretary, perms.PERSON_VIEW, district.liaison, on_behalf_of=district.leader)


def test_deputy_cannot_borrow_a_permission_the_leader_lacks(district):
    services.delegation_create(actor=district.admin, principal_id=district.leader.pk, deputy_id=district.secretary.pk)
    with pytest.raises(PermissionDenied, match="王区长无权进行此操作：管理人员"):
        authz.require(district.secretary, perms.PERSON_MANAGE, district.liaison, on_behalf_of=district.leader)


def test_delegation_of_a_deactivated_leader_no_longer_works(district):
    services.delegation_create(actor=district.admin, principal_id=district.leader.pk, deputy_id=district.secretary.pk)
    services.person_deactivate(actor=district.admin, person_id=district.leader.pk)
    district.leader.refresh_from_db()
    with pytest.raises(PermissionDenied):
        authz.require(district.secretary, perms.PERSON_VIEW, district.liaison, on_behalf_of=district.leader)
