"""Reads of units and people; every list starts from what the person may see."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from zhongshu.core import authz

from . import permissions as perms
from .models import Person, Unit


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
    return authz.visible(actor, perms.UNIT_VIEW, Unit.objects.select_related("parent"))


def people_visible_to(actor: Person) -> QuerySet[Person]:
    return authz.visible(actor, perms.PERSON_VIEW, Person.objects.select_related("unit"))
