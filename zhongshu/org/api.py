"""Units, people and the signed-in person over the API; the same selectors as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from zhongshu.core.exceptions import NotFound

from . import selectors
from .models import Person, Unit

router = Router(tags=["组织机构"])


class UnitOut(Schema):
    id: int
    code: str
    full_name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    display_order: int
    active: bool

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return obj.get_kind_display()


class GrantOut(Schema):
    role: str
    role_label: str
    unit_id: int
    unit_name: str


class PersonOut(Schema):
    id: int
    username: str
    name: str
    title: str
    unit_id: int
    unit_name: str
    phone: str
    active: bool

    @staticmethod
    def resolve_unit_name(obj: Person) -> str:
        return obj.unit.short_name

    @staticmethod
    def resolve_active(obj: Person) -> bool:
        return obj.is_active


class MeOut(PersonOut):
    roles: list[GrantOut]


def _grants(person: Person) -> list[dict[str, object]]:
    return [
        {"role": g.role, "role_label": g.get_role_display(), "unit_id": g.unit_id, "unit_name": g.unit.short_name}
        for g in person.grants.select_related("unit").order_by("role", "unit__display_order")
    ]


@router.get("/me", response=MeOut, summary="当前登录人员")
def me(request: HttpRequest) -> dict[str, object]:
    person = request.user
    assert isinstance(person, Person)
    data = PersonOut.from_orm(person).dict()
    data["roles"] = _grants(person)
    return data


@router.get("/units", response=list[UnitOut], summary="单位列表(按固定排序)")
def unit_list(request: HttpRequest, active: bool | None = None) -> list[Unit]:
    person = request.user
    assert isinstance(person, Person)
    units = selectors.units_visible_to(person)
    if active is not None:
        units = units.filter(active=active)
    return list(units)


@router.get("/units/{unit_id}", response=UnitOut, summary="单位详情")
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    person = request.user
    assert isinstance(person, Person)
    unit = selectors.units_visible_to(person).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


@router.get("/people", response=list[PersonOut], summary="人员列表(仅本人可见范围)")
def person_list(request: HttpRequest, unit_id: int | None = None) -> list[Person]:
    person = request.user
    assert isinstance(person, Person)
    people = selectors.people_visible_to(person)
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    return list(people)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情")
def person_detail(request: HttpRequest, person_id: int) -> Person:
    actor = request.user
    assert isinstance(actor, Person)
    found = selectors.people_visible_to(actor).filter(pk=person_id).first()
    if found is None:
        raise NotFound()
    return found
