"""Reads of units and people; every list starts from what the person may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhongshu.core import authz
from zhongshu.core.exceptions import ApplicationError, NotFound

from . import permissions as perms
from .choices import Role
from .models import Delegation, Person, RoleGrant, Unit


def unit_subtrees() -> dict[int, set[int]]:
    """Each unit id mapped to itself and all its descendants (one query; the tree has ~100 rows)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    trees: dict[int, set[int]] = {}

    def collect(pk: int) -> set[int]:
        if pk not in trees:
            found = {pk}
            for child in children.get(pk, []):
                found |= collect(child)
            trees[pk] = found
        return trees[pk]

    for pk in [pk for ids in children.values() for pk in ids]:
        collect(pk)
    return trees


def units_visible_to(actor: Person) -> QuerySet[Unit]:
    return authz.visible(actor, perms.UNIT_VIEW, Unit.objects.select_related("parent", "leader_in_charge"))


def people_visible_to(actor: Person) -> QuerySet[Person]:
    return authz.visible(actor, perms.PERSON_VIEW, Person.objects.select_related("unit"))


def unit_require_active(unit: Unit, *, field: str | None = None) -> None:
    """Refuse new work for an inactive (abolished or merged) unit; every module calls this before it
    assigns anything to a unit."""
    if not unit.active:
        raise ApplicationError(f"单位“{unit.full_name}”已停用，不能接收新的工作。", field=field)


def access_unit(actor: Person, unit_id: int) -> Unit:
    """The unit if the actor may see it; NotFound for missing and hidden alike."""
    unit = units_visible_to(actor).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def access_person(actor: Person, person_id: int) -> Person:
    """The person if the actor may see them; NotFound for missing and hidden alike."""
    person = people_visible_to(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return person


@dataclass(frozen=True)
class UnitRow:
    """A unit in tree order with its depth (0 for a top-level unit)."""

    unit: Unit
    depth: int

    @property
    def indent(self) -> str:
        """Full-width spaces that show the depth in a plain table cell."""
        return "\u3000\u3000" * self.depth


def _tree_order(units: list[Unit]) -> list[UnitRow]:
    by_parent: dict[int | None, list[Unit]] = defaultdict(list)
    ids = {unit.pk for unit in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent[parent].append(unit)
    rows: list[UnitRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(by_parent.get(parent, []), key=lambda u: (u.display_order, u.pk)):
            rows.append(UnitRow(unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows


def unit_tree(actor: Person, filters: Mapping[str, Any] | None = None) -> list[UnitRow]:
    """The units the actor may see, in tree order (children after their parent, siblings by display
    order), narrowed by the list filters (kind, active, q). The list page and the export use this."""
    from .filters import UnitFilter

    all_units = list(units_visible_to(actor))
    rows = _tree_order(all_units)
    if filters:
        narrowed = UnitFilter(filters, queryset=units_visible_to(actor))
        keep = set(narrowed.qs.values_list("pk", flat=True)) if narrowed.is_valid() else set()
        rows = [row for row in rows if row.unit.pk in keep]
    return rows


def person_list(actor: Person, filters: Mapping[str, Any] | None = None) -> QuerySet[Person]:
    """The people the actor may see, in display order (unit order, then the person's order), narrowed by
    the list filters (q: name/account/phone, unit, role, active); grants are prefetched."""
    from .filters import PersonFilter

    qs = people_visible_to(actor).prefetch_related(
        Prefetch("grants", queryset=RoleGrant.objects.select_related("unit").order_by("role", "unit_id"))
    )
    qs = qs.order_by("unit__display_order", "unit_id", "display_order", "id")
    if filters:
        narrowed = PersonFilter(filters, queryset=qs)
        return narrowed.qs if narrowed.is_valid() else qs.none()
    return qs


def unit_former_names(unit: Unit) -> QuerySet[Any]:
    return unit.former_names.all()


def unit_children(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(parent=unit).order_by("display_order", "id")


def person_grants(person: Person) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(person=person).select_related("unit").order_by("role", "unit__display_order")


def person_delegations(person: Person) -> dict[str, list[Delegation]]:
    """{"acts_for": delegations where the person is the deputy, "deputies": where they are the principal}."""
    full = list(
        Delegation.objects.filter(Q(deputy=person) | Q(principal=person), active=True)
        .select_related("principal", "deputy")
        .order_by("id")
    )
    return {
        "acts_for": [d for d in full if d.deputy_id == person.pk],
        "deputies": [d for d in full if d.principal_id == person.pk],
    }


def active_admin_ids() -> set[int]:
    """Ids of the active people who hold the administrator role in an active unit."""
    return set(
        RoleGrant.objects.filter(role=Role.ADMIN, person__is_active=True, unit__active=True).values_list(
            "person_id", flat=True
        )
    )


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()
