"""Who may see and change units, people and roles. Every check goes through zhongshu.core.authz."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhongshu.core import authz
from zhongshu.core.authz import Scope

from .choices import OFFICE_ROLES, Role

ALL_ROLES = {role.value: Scope.ALL for role in Role}
OFFICE = {role.value: Scope.ALL for role in OFFICE_ROLES}
ADMIN = {Role.ADMIN.value: Scope.ALL}

UNIT_VIEW = authz.define("org.unit.view", "查看单位", ALL_ROLES)
UNIT_MANAGE = authz.define("org.unit.manage", "管理单位", ADMIN)
PERSON_VIEW = authz.define(
    "org.person.view",
    "查看人员",
    {**OFFICE, Role.ADMIN.value: Scope.ALL, Role.LIAISON.value: Scope.UNIT},
)
PERSON_MANAGE = authz.define("org.person.manage", "管理人员", ADMIN)
ROLE_MANAGE = authz.define("org.role.manage", "分配角色", ADMIN)
ORG_IMPORT = authz.define("org.import", "导入单位和人员", ADMIN)


def register() -> None:
    """Tell the policy how units and people map to owning units; called from OrgConfig.ready()."""
    from .models import Person, Unit

    authz.register_model(
        Unit,
        units_of=lambda unit: [unit.pk],
        filter_units=lambda qs, units: qs.filter(pk__in=units),
    )
    authz.register_model(
        Person,
        units_of=lambda person: [person.unit_id],
        filter_units=_people_in,
    )
    authz.set_grant_source(authz.GrantSource(grants_of=_grants_of, may_act_for=_may_act_for))


def _people_in(qs: QuerySet[Any], units: set[int]) -> QuerySet[Any]:
    return qs.filter(unit_id__in=units)


def _grants_of(person: Any) -> list[authz.Grant]:
    from .selectors import unit_subtrees

    rows = list(person.grants.filter(unit__active=True).values_list("role", "unit_id"))
    trees = unit_subtrees()
    return [authz.Grant(role, unit_id, frozenset(trees.get(unit_id, {unit_id}))) for role, unit_id in rows]


def _may_act_for(deputy: Any, principal: Any) -> bool:
    from .models import Delegation

    return Delegation.objects.filter(
        deputy=deputy, principal=principal, active=True, principal__is_active=True
    ).exists()
