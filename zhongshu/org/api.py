"""Units, people and the signed-in person over the API; the same selectors as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from zhongshu.core.exceptions import NotFound
from zhongshu.core.schemas import InputSchema

from . import selectors, services
from .models import Delegation, Person, RoleGrant, Unit

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

    @staticmethod
    def resolve_roles(obj: Person) -> list[dict[str, object]]:
        return _grants(obj)


def _grants(person: Person) -> list[dict[str, object]]:
    return [
        {
            "role": g.role,
            "role_label": g.get_role_display(),
            "unit_id": g.unit_id,
            "unit_name": g.unit.short_name,
        }
        for g in person.grants.select_related("unit").order_by("role", "unit__display_order")
    ]


@router.get("/me", response=MeOut, summary="当前登录人员")
def me(request: HttpRequest) -> Person:
    return _actor(request)


@router.get("/units", response=list[UnitOut], summary="单位列表（按固定排序）")
def unit_list(request: HttpRequest, active: bool | None = None) -> list[Unit]:
    person = _actor(request)
    units = selectors.units_visible_to(person)
    if active is not None:
        units = units.filter(active=active)
    return list(units)


@router.get("/units/{unit_id}", response=UnitOut, summary="单位详情")
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    person = _actor(request)
    unit = selectors.units_visible_to(person).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


@router.get("/people", response=list[PersonOut], summary="人员列表（仅本人可见范围）")
def person_list(request: HttpRequest, unit_id: int | None = None) -> list[Person]:
    person = _actor(request)
    people = selectors.people_visible_to(person)
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    return list(people)


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情")
def person_detail(request: HttpRequest, person_id: int) -> Person:
    actor = _actor(request)
    found = selectors.people_visible_to(actor).filter(pk=person_id).first()
    if found is None:
        raise NotFound()
    return found


# Changes (the org services; each checks the permission and writes its audit event) -------------------


def _actor(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):
        raise NotFound()
    return user


class UnitCreateIn(InputSchema):
    code: str
    full_name: str
    short_name: str
    kind: str
    parent_id: int | None = None
    display_order: int | None = None


class UnitUpdateIn(InputSchema):
    """Only the fields present change; a new full or short name is a rename (the former name is kept)."""

    code: str | None = None
    full_name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    parent_id: int | None = None
    display_order: int | None = None


class UnitMergeIn(InputSchema):
    target_id: int
    move_people: bool = True


class PersonCreateIn(InputSchema):
    username: str
    name: str
    unit_id: int
    title: str = ""
    phone: str = ""
    display_order: int = 0
    password: str | None = None


class PersonUpdateIn(InputSchema):
    name: str | None = None
    title: str | None = None
    unit_id: int | None = None
    phone: str | None = None
    display_order: int | None = None


class PasswordIn(InputSchema):
    password: str


class GrantIn(InputSchema):
    role: str
    unit_id: int | None = None


class GrantCreatedOut(GrantOut):
    id: int


class DelegationIn(InputSchema):
    principal_id: int
    deputy_id: int
    note: str = ""


class DelegationOut(Schema):
    id: int
    principal_id: int
    deputy_id: int
    active: bool
    note: str
    display: str

    @staticmethod
    def resolve_display(obj: Delegation) -> str:
        return str(obj)


@router.post("/units", response={201: UnitOut}, summary="新建单位")
def unit_create(request: HttpRequest, payload: UnitCreateIn) -> Status[Unit]:
    return Status(201, services.unit_create(actor=_actor(request), **payload.dict()))


@router.patch("/units/{unit_id}", response=UnitOut, summary="修改单位（含更名）")
def unit_update(request: HttpRequest, unit_id: int, payload: UnitUpdateIn) -> Unit:
    actor = _actor(request)
    selectors.access_unit(actor, unit_id)
    given = payload.dict(exclude_unset=True)
    return services.unit_update(
        actor=actor,
        unit_id=unit_id,
        code=payload.code,
        full_name=payload.full_name,
        short_name=payload.short_name,
        kind=payload.kind,
        parent_id=payload.parent_id if "parent_id" in given else services.UNSET,
        display_order=payload.display_order,
    )


@router.post("/units/{unit_id}/merge", response=UnitOut, summary="单位合并")
def unit_merge(request: HttpRequest, unit_id: int, payload: UnitMergeIn) -> Unit:
    actor = _actor(request)
    selectors.access_unit(actor, unit_id)
    return services.unit_merge(
        actor=actor, source_id=unit_id, target_id=payload.target_id, move_people=payload.move_people
    )


@router.post("/units/{unit_id}/deactivate", response=UnitOut, summary="停用单位")
def unit_deactivate(request: HttpRequest, unit_id: int) -> Unit:
    actor = _actor(request)
    selectors.access_unit(actor, unit_id)
    return services.unit_deactivate(actor=actor, unit_id=unit_id)


@router.post("/units/{unit_id}/activate", response=UnitOut, summary="启用单位")
def unit_activate(request: HttpRequest, unit_id: int) -> Unit:
    actor = _actor(request)
    selectors.access_unit(actor, unit_id)
    return services.unit_activate(actor=actor, unit_id=unit_id)


@router.post("/people", response={201: PersonOut}, summary="新建人员")
def person_create(request: HttpRequest, payload: PersonCreateIn) -> Status[Person]:
    return Status(201, services.person_create(actor=_actor(request), **payload.dict()))


@router.patch("/people/{person_id}", response=PersonOut, summary="修改人员")
def person_update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Person:
    actor = _actor(request)
    selectors.access_person(actor, person_id)
    return services.person_update(actor=actor, person_id=person_id, **payload.dict(exclude_unset=True))


@router.post("/people/{person_id}/deactivate", response=PersonOut, summary="停用人员账号")
def person_deactivate(request: HttpRequest, person_id: int) -> Person:
    actor = _actor(request)
    selectors.access_person(actor, person_id)
    return services.person_deactivate(actor=actor, person_id=person_id)


@router.post("/people/{person_id}/activate", response=PersonOut, summary="启用人员账号")
def person_activate(request: HttpRequest, person_id: int) -> Person:
    actor = _actor(request)
    selectors.access_person(actor, person_id)
    return services.person_activate(actor=actor, person_id=person_id)


@router.post("/people/{person_id}/password", response={204: None}, summary="设置人员密码")
def person_set_password(request: HttpRequest, person_id: int, payload: PasswordIn) -> Status[None]:
    actor = _actor(request)
    selectors.access_person(actor, person_id)
    services.person_set_password(actor=actor, person_id=person_id, password=payload.password)
    return Status(204, None)


@router.post("/people/{person_id}/roles", response={201: GrantCreatedOut}, summary="授予角色")
def role_grant(request: HttpRequest, person_id: int, payload: GrantIn) -> Status[dict[str, object]]:
    actor = _actor(request)
    selectors.access_person(actor, person_id)
    grant = services.role_grant(actor=actor, person_id=person_id, role=payload.role, unit_id=payload.unit_id)
    return Status(
        201,
        {
            "id": grant.pk,
            "role": grant.role,
            "role_label": grant.get_role_display(),
            "unit_id": grant.unit_id,
            "unit_name": grant.unit.short_name,
        },
    )


@router.delete("/people/{person_id}/roles/{grant_id}", response={204: None}, summary="撤销角色")
def role_revoke(request: HttpRequest, person_id: int, grant_id: int) -> Status[None]:
    actor = _actor(request)
    person = selectors.access_person(actor, person_id)
    if not RoleGrant.objects.filter(pk=grant_id, person=person).exists():
        raise NotFound()
    services.role_revoke(actor=actor, grant_id=grant_id)
    return Status(204, None)


@router.post("/delegations", response={201: DelegationOut}, summary="设立代理（X 代 Y）")
def delegation_create(request: HttpRequest, payload: DelegationIn) -> Status[Delegation]:
    actor = _actor(request)
    selectors.access_person(actor, payload.principal_id)
    return Status(201, services.delegation_create(actor=actor, **payload.dict()))


@router.post("/delegations/{delegation_id}/revoke", response=DelegationOut, summary="撤销代理")
def delegation_revoke(request: HttpRequest, delegation_id: int) -> Delegation:
    return services.delegation_revoke(actor=_actor(request), delegation_id=delegation_id)
