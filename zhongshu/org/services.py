"""Every change to units, people, role grants and delegations. Each service checks the permission, runs in
one transaction and writes its audit event; pages, the API, the import and commands all call these."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any, Final, TypeVar

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed

from . import permissions as perms
from . import selectors
from .choices import Role, UnitKind
from .models import Delegation, Person, RoleGrant, Unit, UnitName

USERNAME_RE: Final = re.compile(r"^[a-z0-9_-]{3,40}$")
USERNAME_RULE: Final = "账号只能由小写字母、数字、“-”和“_”组成，长度为 3–40 个字符。"
CODE_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CODE_RULE: Final = "单位代码只能由小写字母、数字、“-”和“_”组成，以字母或数字开头，最长 40 个字符。"
PHONE_RE: Final = re.compile(r"^[0-9+()\- 转,、]*$")

UNIT_FIELDS: Final = (
    "code",
    "full_name",
    "short_name",
    "kind",
    "parent",
    "display_order",
    "active",
    "merged_into",
)
PERSON_FIELDS: Final = ("username", "name", "title", "unit", "phone", "display_order", "is_active")

VERB_LABELS: Final[dict[str, str]] = {
    "org.unit.created": "创建单位",
    "org.unit.updated": "修改单位",
    "org.unit.renamed": "单位更名",
    "org.unit.merged": "单位合并",
    "org.unit.deactivated": "停用单位",
    "org.unit.activated": "启用单位",
    "org.unit.leader_set": "设置分管区领导",
    "org.person.created": "创建人员",
    "org.person.updated": "修改人员信息",
    "org.person.deactivated": "停用人员",
    "org.person.activated": "启用人员",
    "org.person.password_set": "设置密码",
    "org.person.password_changed": "修改本人密码",
    "org.role.granted": "授予角色",
    "org.role.revoked": "撤销角色",
    "org.delegation.created": "设立代理",
    "org.delegation.revoked": "撤销代理",
}
"""Chinese labels of this app's audit verbs (registered with the audit trail in OrgConfig.ready)."""


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
"""Marks an argument of an update service that the caller leaves unchanged (where None is a value)."""

M = TypeVar("M", bound=models.Model)


def _locked(model: type[M], pk: int) -> M:
    # No default ordering here: Person is ordered through its unit, and FOR UPDATE would lock that row too.
    obj = model._default_manager.select_for_update().filter(pk=pk).order_by().first()
    if obj is None:
        raise NotFound()
    return obj


def _text(
    errors: dict[str, str],
    field: str,
    label: str,
    value: str | None,
    *,
    max_length: int,
    required: bool = True,
) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = f"{label}不能为空。"
    elif len(text) > max_length:
        errors[field] = f"{label}最多 {max_length} 个字符（现有 {len(text)} 个）。"
    return text


def password_problems(password: str, person: Person) -> list[str]:
    """Why the configured password validators refuse `password` for `person`, in Chinese (empty when fine)."""
    try:
        with translation.override("zh-hans"):
            validate_password(password, user=person)
    except ValidationError as exc:
        with translation.override("zh-hans"):
            return [str(message) for message in exc.messages]
    return []


def _name_taken(full_name: str, *, exclude: int | None) -> Unit | None:
    qs = Unit.objects.filter(full_name=full_name, active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _lock_admin_grants() -> None:
    """Serialise changes that could remove the last administrator."""
    list(RoleGrant.objects.select_for_update().filter(role=Role.ADMIN).order_by("pk").values_list("pk", flat=True))


def _forget(actor: Person | None, person: Person) -> None:
    """Drop cached grants after a change, also on the actor's own object when they changed themselves."""
    authz.forget(person)
    if actor is not None and actor.pk == person.pk:
        authz.forget(actor)


def _grant_data(grant: RoleGrant) -> dict[str, Any]:
    return {
        "role": grant.role,
        "role_label": grant.get_role_display(),
        "unit_id": grant.unit_id,
        "unit": grant.unit.full_name,
    }


# Units ---------------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    actor: Person | None,
    code: str,
    full_name: str,
    short_name: str,
    kind: str,
    parent_id: int | None = None,
    display_order: int | None = None,
) -> Unit:
    """Add a unit to the district's tree (a new department, a section of the office, a town...)."""
    authz.require(actor, perms.UNIT_MANAGE)
    errors: dict[str, str] = {}
    code = (code or "").strip()
    if not CODE_RE.fullmatch(code):
        errors["code"] = CODE_RULE if code else "单位代码不能为空。"
    elif (holder := Unit.objects.filter(code=code).first()) is not None:
        errors["code"] = f"单位代码“{code}”已被单位“{holder.full_name}”使用。"
    full_name = _text(errors, "full_name", "全称", full_name, max_length=100)
    short_name = _text(errors, "short_name", "简称", short_name, max_length=40)
    if kind not in UnitKind.values:
        errors["kind"] = "请选择有效的单位类别。"
    if full_name and "full_name" not in errors and (other := _name_taken(full_name, exclude=None)):
        errors["full_name"] = f"全称“{full_name}”已被启用的单位（代码 {other.code}）使用。"
    parent: Unit | None = None
    if parent_id is not None:
        parent = Unit.objects.filter(pk=parent_id).first()
        if parent is None:
            errors["parent_id"] = "上级单位不存在。"
        elif not parent.active:
            errors["parent_id"] = f"上级单位“{parent.full_name}”已停用，不能在其下新建单位。"
    if display_order is not None and display_order < 0:
        errors["display_order"] = "排序号不能小于 0。"
    if errors:
        raise ValidationFailed(errors)
    if display_order is None:
        top = Unit.objects.aggregate(top=models.Max("display_order"))["top"]
        display_order = (top or 0) + 10
    unit = Unit.objects.create(
        code=code,
        full_name=full_name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        display_order=display_order,
    )
    audit.record(
        actor=actor,
        verb="org.unit.created",
        target=unit,
        changes=audit.diff({}, audit.snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Person | None,
    unit_id: int,
    code: str | None = None,
    full_name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    parent_id: int | None | _Unset = UNSET,
    display_order: int | None = None,
) -> Unit:
    """Change a unit's details. A new full or short name is a rename: the former names are kept
    (UnitName, used until today) so that old records still read as they were written."""
    unit = _locked(Unit, unit_id)
    authz.require(actor, perms.UNIT_MANAGE, unit)
    before = audit.snapshot(unit, UNIT_FIELDS)
    errors: dict[str, str] = {}
    new_code = unit.code if code is None else code.strip()
    if new_code != unit.code:
        if not CODE_RE.fullmatch(new_code):
            errors["code"] = CODE_RULE if new_code else "单位代码不能为空。"
        elif (holder := Unit.objects.filter(code=new_code).exclude(pk=unit.pk).first()) is not None:
            errors["code"] = f"单位代码“{new_code}”已被单位“{holder.full_name}”使用。"
    new_full = unit.full_name if full_name is None else _text(errors, "full_name", "全称", full_name, max_length=100)
    new_short = (
        unit.short_name if short_name is None else _text(errors, "short_name", "简称", short_name, max_length=40)
    )
    if (
        unit.active
        and new_full != unit.full_name
        and "full_name" not in errors
        and (other := _name_taken(new_full, exclude=unit.pk))
    ):
        errors["full_name"] = f"全称“{new_full}”已被启用的单位（代码 {other.code}）使用。"
    new_kind = unit.kind if kind is None else kind
    if new_kind not in UnitKind.values:
        errors["kind"] = "请选择有效的单位类别。"
    new_parent_id = unit.parent_id if isinstance(parent_id, _Unset) else parent_id
    if new_parent_id != unit.parent_id and new_parent_id is not None:
        parent = Unit.objects.filter(pk=new_parent_id).first()
        if parent is None:
            errors["parent_id"] = "上级单位不存在。"
        elif new_parent_id in selectors.unit_subtrees().get(unit.pk, {unit.pk}):
            errors["parent_id"] = "上级单位不能是本单位或本单位的下属单位。"
        elif not parent.active:
            errors["parent_id"] = f"上级单位“{parent.full_name}”已停用。"
    new_order = unit.display_order if display_order is None else display_order
    if new_order < 0:
        errors["display_order"] = "排序号不能小于 0。"
    if errors:
        raise ValidationFailed(errors)

    today = clock.today()
    renamed = new_full != unit.full_name or new_short != unit.short_name
    if renamed:
        UnitName.objects.create(unit=unit, full_name=unit.full_name, short_name=unit.short_name, used_until=today)
    unit.code, unit.full_name, unit.short_name, unit.kind = new_code, new_full, new_short, new_kind
    unit.parent_id, unit.display_order = new_parent_id, new_order
    changes = audit.diff(before, audit.snapshot(unit, UNIT_FIELDS))
    if not changes:
        return unit
    unit.updated_at = clock.now()
    unit.save()
    name_changes = {key: value for key, value in changes.items() if key in {"full_name", "short_name"}}
    other_changes = {key: value for key, value in changes.items() if key not in name_changes}
    if name_changes:
        audit.record(
            actor=actor,
            verb="org.unit.renamed",
            target=unit,
            changes=name_changes,
            data={"used_until": today},
        )
    if other_changes:
        audit.record(actor=actor, verb="org.unit.updated", target=unit, changes=other_changes)
    return unit


def _refuse_if_last_admin_lost(
    *, losing_grants: AbstractSet[int] = frozenset(), losing_person: int | None = None
) -> None:
    _lock_admin_grants()
    remaining = RoleGrant.objects.filter(role=Role.ADMIN, person__is_active=True, unit__active=True).exclude(
        pk__in=losing_grants
    )
    if losing_person is not None:
        remaining = remaining.exclude(person_id=losing_person)
    if not remaining.exists():
        raise ApplicationError("这样操作后系统将没有可用的系统管理员：请先为其他人授予系统管理员角色。")


@transaction.atomic
def unit_merge(*, actor: Person | None, source_id: int, target_id: int, move_people: bool = True) -> Unit:
    """Merge one unit into another (机构改革): the source becomes inactive with `merged_into` set; its active
    people optionally move to the target. Its liaison grants end; its other grants move to the target."""
    source = _locked(Unit, source_id)
    target = _locked(Unit, target_id)
    authz.require(actor, perms.UNIT_MANAGE, source)
    authz.require(actor, perms.UNIT_MANAGE, target)
    if source.pk == target.pk:
        raise ValidationFailed({"target_id": "不能并入本单位。"})
    if not source.active:
        raise ApplicationError(f"单位“{source.full_name}”已停用，不能再并入其他单位。")
    selectors.unit_require_active(target, field="target_id")
    if target.pk in selectors.unit_subtrees().get(source.pk, {source.pk}):
        raise ValidationFailed({"target_id": "不能并入本单位的下属单位。"})
    children = list(Unit.objects.filter(parent=source, active=True).order_by("display_order"))
    if children:
        names = "、".join(child.full_name for child in children)
        raise ApplicationError(f"单位“{source.full_name}”还有启用的下属单位（{names}），请先调整或停用这些单位。")

    moved = 0
    if move_people:
        for person in Person.objects.select_for_update().filter(unit=source, is_active=True).order_by("pk"):
            person.unit = target
            person.save(update_fields=["unit"])
            audit.record(
                actor=actor,
                verb="org.person.updated",
                target=person,
                changes={"unit": [source.pk, target.pk]},
                data={"reason": f"单位“{source.full_name}”并入“{target.full_name}”"},
            )
            moved += 1
    reason = {"reason": f"单位“{source.full_name}”并入“{target.full_name}”"}
    for grant in list(
        RoleGrant.objects.select_for_update().filter(unit=source).select_related("person", "unit").order_by("pk")
    ):
        grant_data = _grant_data(grant)
        grant.delete()
        audit.record(actor=actor, verb="org.role.revoked", target=grant.person, data={**grant_data, **reason})
        if (
            grant.role != Role.LIAISON
            and not RoleGrant.objects.filter(person=grant.person, role=grant.role, unit=target).exists()
        ):
            moved_grant = RoleGrant.objects.create(person=grant.person, role=grant.role, unit=target)
            audit.record(
                actor=actor,
                verb="org.role.granted",
                target=grant.person,
                data={**_grant_data(moved_grant), **reason},
            )
    before = audit.snapshot(source, UNIT_FIELDS)
    source.active = False
    source.merged_into = target
    source.updated_at = clock.now()
    source.save()
    audit.record(
        actor=actor,
        verb="org.unit.merged",
        target=source,
        changes=audit.diff(before, audit.snapshot(source, UNIT_FIELDS)),
        data={"target": target.full_name, "people_moved": moved},
    )
    return source


@transaction.atomic
def unit_deactivate(*, actor: Person | None, unit_id: int) -> Unit:
    """Stop a unit (abolished): it stays in the records but receives no new work. Refused while it still
    has active people or active sub-units."""
    unit = _locked(Unit, unit_id)
    authz.require(actor, perms.UNIT_MANAGE, unit)
    if not unit.active:
        raise ApplicationError(f"单位“{unit.full_name}”已经是停用状态。")
    people = Person.objects.filter(unit=unit, is_active=True).count()
    if people:
        raise ApplicationError(
            f"单位“{unit.full_name}”还有 {people} 名启用的人员，请先将他们调到其他单位或停用后再停用本单位。"
        )
    children = list(Unit.objects.filter(parent=unit, active=True).order_by("display_order"))
    if children:
        names = "、".join(child.full_name for child in children)
        raise ApplicationError(f"单位“{unit.full_name}”还有启用的下属单位（{names}），请先停用或调整这些单位。")
    admin_grants = set(RoleGrant.objects.filter(unit=unit, role=Role.ADMIN).values_list("pk", flat=True))
    if admin_grants:
        _refuse_if_last_admin_lost(losing_grants=admin_grants)
    unit.active = False
    unit.updated_at = clock.now()
    unit.save(update_fields=["active", "updated_at"])
    audit.record(actor=actor, verb="org.unit.deactivated", target=unit, changes={"active": [True, False]})
    return unit


@transaction.atomic
def unit_activate(*, actor: Person | None, unit_id: int) -> Unit:
    """Bring a stopped unit back into use (not one that was merged into another)."""
    unit = _locked(Unit, unit_id)
    authz.require(actor, perms.UNIT_MANAGE, unit)
    if unit.active:
        raise ApplicationError(f"单位“{unit.full_name}”已经是启用状态。")
    if unit.merged_into_id is not None:
        merged_into = Unit.objects.get(pk=unit.merged_into_id)
        raise ApplicationError(f"单位“{unit.full_name}”已并入“{merged_into.full_name}”，不能重新启用。")
    if unit.parent is not None and not unit.parent.active:
        raise ApplicationError(f"上级单位“{unit.parent.full_name}”已停用，请先启用上级单位。")
    if other := _name_taken(unit.full_name, exclude=unit.pk):
        raise ApplicationError(f"全称“{unit.full_name}”已被启用的单位（代码 {other.code}）使用，请先更名。")
    unit.active = True
    unit.updated_at = clock.now()
    unit.save(update_fields=["active", "updated_at"])
    audit.record(actor=actor, verb="org.unit.activated", target=unit, changes={"active": [False, True]})
    return unit


def unit_set_leader_in_charge(*, actor: Person | None, unit_id: int, leader_id: int | None) -> Unit:
    """Record which district leader is in charge of a unit (分管区领导); formal 催办 notices copy them."""
    unit = _locked(Unit, unit_id)
    authz.require(actor, perms.UNIT_MANAGE, unit)
    leader: Person | None = None
    if leader_id is not None:
        leader = Person.objects.filter(pk=leader_id, is_active=True).first()
        if leader is None:
            raise ValidationFailed({"leader_in_charge": "分管区领导不存在或已停用。"})
        if not leader.grants.filter(role=Role.LEADER).exists():
            raise ValidationFailed({"leader_in_charge": f"{leader.name}不是区领导，不能作为分管区领导。"})
    before = unit.leader_in_charge_id
    if before == leader_id:
        return unit
    unit.leader_in_charge = leader
    unit.updated_at = clock.now()
    unit.save(update_fields=["leader_in_charge", "updated_at"])
    audit.record(
        actor=actor, verb="org.unit.leader_set", target=unit, changes={"leader_in_charge": [before, leader_id]}
    )
    return unit


# People --------------------------------------------------------------------------------------------


def _check_person_fields(
    errors: dict[str, str], *, name: str | None, title: str | None, phone: str | None
) -> tuple[str, str, str]:
    clean_name = _text(errors, "name", "姓名", name, max_length=40)
    clean_title = _text(errors, "title", "职务", title, max_length=60, required=False)
    clean_phone = _text(errors, "phone", "电话", phone, max_length=40, required=False)
    if "phone" not in errors and not PHONE_RE.fullmatch(clean_phone):
        errors["phone"] = "电话只能包含数字、空格和“-+（）转”等符号。"
    return clean_name, clean_title, clean_phone


def _active_unit(errors: dict[str, str], unit_id: int | None, field: str = "unit_id") -> Unit | None:
    if unit_id is None:
        errors[field] = "请选择所在单位。"
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors[field] = "单位不存在。"
    elif not unit.active:
        errors[field] = f"单位“{unit.full_name}”已停用，不能接收新的工作。"
    return unit


@transaction.atomic
def person_create(
    *,
    actor: Person | None,
    username: str,
    name: str,
    unit_id: int | None,
    title: str = "",
    phone: str = "",
    display_order: int = 0,
    password: str | None = None,
) -> Person:
    """Open an account for a person of the district (a leader, office staff or a unit's liaison). Without
    a password the person cannot sign in until an administrator sets one."""
    authz.require(actor, perms.PERSON_MANAGE)
    errors: dict[str, str] = {}
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        errors["username"] = USERNAME_RULE if username else "账号不能为空。"
    elif Person.objects.filter(username__iexact=username).exists():
        errors["username"] = f"账号“{username}”已存在，请换一个。"
    name, title, phone = _check_person_fields(errors, name=name, title=title, phone=phone)
    unit = _active_unit(errors, unit_id)
    if display_order < 0:
        errors["display_order"] = "排序号不能小于 0。"
    person = Person(username=username, name=name, title=title, phone=phone, display_order=display_order)
    if unit is not None:
        person.unit = unit
    problems = password_problems(password, person) if password else []
    if errors or problems:
        raise ValidationFailed({**errors, **({"password": problems} if problems else {})})
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.date_joined = clock.now()
    person.save()
    audit.record(
        actor=actor,
        verb="org.person.created",
        target=person,
        changes=audit.diff({}, audit.snapshot(person, PERSON_FIELDS)),
        data={"password_set": bool(password)},
    )
    return person


def _end_liaison_grants_outside(actor: Person | None, person: Person, reason: str) -> None:
    """A liaison acts only within their own unit: grants left behind by a move are revoked."""
    own = selectors.unit_subtrees().get(person.unit_id, {person.unit_id})
    for grant in (
        RoleGrant.objects.filter(person=person, role=Role.LIAISON).exclude(unit_id__in=own).select_related("unit")
    ):
        data = _grant_data(grant)
        grant.delete()
        audit.record(actor=actor, verb="org.role.revoked", target=person, data={**data, "reason": reason})


@transaction.atomic
def person_update(
    *,
    actor: Person | None,
    person_id: int,
    name: str | None = None,
    title: str | None = None,
    unit_id: int | None = None,
    phone: str | None = None,
    display_order: int | None = None,
) -> Person:
    """Change a person's details; moving them to another unit ends their liaison role in the old one."""
    person = _locked(Person, person_id)
    authz.require(actor, perms.PERSON_MANAGE, person)
    before = audit.snapshot(person, PERSON_FIELDS)
    errors: dict[str, str] = {}
    clean_name, clean_title, clean_phone = _check_person_fields(
        errors,
        name=person.name if name is None else name,
        title=person.title if title is None else title,
        phone=person.phone if phone is None else phone,
    )
    new_unit: Unit | None = None
    if unit_id is not None and unit_id != person.unit_id:
        new_unit = _active_unit(errors, unit_id)
    new_order = person.display_order if display_order is None else display_order
    if new_order < 0:
        errors["display_order"] = "排序号不能小于 0。"
    if errors:
        raise ValidationFailed(errors)
    person.name, person.title, person.phone, person.display_order = (
        clean_name,
        clean_title,
        clean_phone,
        new_order,
    )
    if new_unit is not None:
        person.unit = new_unit
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if not changes:
        return person
    person.save()
    audit.record(actor=actor, verb="org.person.updated", target=person, changes=changes)
    if new_unit is not None:
        _end_liaison_grants_outside(actor, person, f"调到“{new_unit.full_name}”")
    _forget(actor, person)
    return person


@transaction.atomic
def person_deactivate(*, actor: Person | None, person_id: int) -> Person:
    """Close a person's account (left the post): they can no longer sign in; their records stay."""
    person = _locked(Person, person_id)
    authz.require(actor, perms.PERSON_MANAGE, person)
    if actor is not None and actor.pk == person.pk:
        raise ApplicationError("不能停用自己的账号。")
    if not person.is_active:
        raise ApplicationError(f"{person.name}的账号已经是停用状态。")
    if RoleGrant.objects.filter(person=person, role=Role.ADMIN).exists():
        _refuse_if_last_admin_lost(losing_person=person.pk)
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit.record(actor=actor, verb="org.person.deactivated", target=person, changes={"is_active": [True, False]})
    return person


@transaction.atomic
def person_activate(*, actor: Person | None, person_id: int) -> Person:
    """Reopen a closed account; the person's unit must be active."""
    person = _locked(Person, person_id)
    authz.require(actor, perms.PERSON_MANAGE, person)
    if person.is_active:
        raise ApplicationError(f"{person.name}的账号已经是启用状态。")
    selectors.unit_require_active(person.unit, field="unit_id")
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit.record(actor=actor, verb="org.person.activated", target=person, changes={"is_active": [False, True]})
    return person


@transaction.atomic
def person_set_password(*, actor: Person | None, person_id: int, password: str) -> Person:
    """An administrator sets a person's password (a new account, or a forgotten password)."""
    person = _locked(Person, person_id)
    authz.require(actor, perms.PERSON_MANAGE, person)
    _store_password(person, password, field="password")
    audit.record(actor=actor, verb="org.person.password_set", target=person)
    return person


def _store_password(person: Person, password: str, *, field: str) -> None:
    """Check a new password against the rules (errors on `field`) and store its hash."""
    if not password:
        raise ValidationFailed({field: "密码不能为空。"})
    problems = password_problems(password, person)
    if problems:
        raise ValidationFailed({field: problems})
    person.set_password(password)
    person.save(update_fields=["password"])


@transaction.atomic
def person_change_own_password(*, actor: Person, old_password: str, new_password: str) -> Person:
    """A signed-in person replaces their own password; the old one must be given."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("请先登录。")
    person = _locked(Person, actor.pk)
    if not person.check_password(old_password):
        raise ValidationFailed({"old_password": "原密码不正确，请重新输入。"})
    _store_password(person, new_password, field="new_password1")
    audit.record(actor=person, verb="org.person.password_changed", target=person)
    return person


# Roles and delegations ---------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor: Person | None, person_id: int, role: str, unit_id: int | None = None) -> RoleGrant:
    """Give a person a role within a unit (by default their own). A liaison acts only for their own unit."""
    person = _locked(Person, person_id)
    authz.require(actor, perms.ROLE_MANAGE, person)
    if role not in Role.values:
        raise ValidationFailed({"role": "请选择有效的角色。"})
    if not person.is_active:
        raise ApplicationError(f"{person.name}的账号已停用，不能授予角色。")
    errors: dict[str, str] = {}
    unit = _active_unit(errors, person.unit_id if unit_id is None else unit_id)
    if errors or unit is None:
        raise ValidationFailed(errors)
    if role == Role.LIAISON and unit.pk not in selectors.unit_subtrees().get(person.unit_id, {person.unit_id}):
        raise ValidationFailed(
            {"unit_id": f"部门联络员只能在本人所在单位授权：{person.name}在“{person.unit.full_name}”工作。"}
        )
    if RoleGrant.objects.filter(person=person, role=role, unit=unit).exists():
        raise ApplicationError(f"{person.name}已在“{unit.full_name}”拥有“{Role(role).label}”角色。", field="role")
    grant = RoleGrant.objects.create(person=person, role=role, unit=unit)
    audit.record(actor=actor, verb="org.role.granted", target=person, data=_grant_data(grant))
    _forget(actor, person)
    return grant


@transaction.atomic
def role_revoke(*, actor: Person | None, grant_id: int) -> None:
    """Take a role away. The last active administrator keeps theirs, so the system is never unmanaged."""
    grant = _locked(RoleGrant, grant_id)
    person = grant.person
    authz.require(actor, perms.ROLE_MANAGE, person)
    if grant.role == Role.ADMIN and person.is_active and grant.unit.active:
        _refuse_if_last_admin_lost(losing_grants={grant.pk})
    data = _grant_data(grant)
    grant.delete()
    audit.record(actor=actor, verb="org.role.revoked", target=person, data=data)
    _forget(actor, person)


@transaction.atomic
def delegation_create(*, actor: Person | None, principal_id: int, deputy_id: int, note: str = "") -> Delegation:
    """Let a deputy (usually a secretary) act on a leader's behalf; their actions read "X 代 Y"."""
    principal = _locked(Person, principal_id)
    deputy = _locked(Person, deputy_id)
    authz.require(actor, perms.ROLE_MANAGE, principal)
    errors: dict[str, str] = {}
    if principal.pk == deputy.pk:
        errors["deputy_id"] = "代理人不能是被代理人本人。"
    elif not deputy.is_active:
        errors["deputy_id"] = f"{deputy.name}的账号已停用，不能担任代理人。"
    if not principal.is_active:
        errors["principal_id"] = f"{principal.name}的账号已停用。"
    note = _text(errors, "note", "说明", note, max_length=200, required=False)
    if errors:
        raise ValidationFailed(errors)
    delegation = Delegation.objects.select_for_update().filter(principal=principal, deputy=deputy).first()
    if delegation is not None and delegation.active:
        raise ApplicationError(f"{deputy.name}已是{principal.name}的代理人。", field="deputy_id")
    if delegation is None:
        delegation = Delegation.objects.create(principal=principal, deputy=deputy, note=note)
    else:
        delegation.active, delegation.note, delegation.created_at = True, note, clock.now()
        delegation.save(update_fields=["active", "note", "created_at"])
    audit.record(
        actor=actor,
        verb="org.delegation.created",
        target=principal,
        data={"delegation_id": delegation.pk, "deputy_id": deputy.pk, "deputy": deputy.name, "note": note},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Person | None, delegation_id: int) -> Delegation:
    """End a deputy's right to act on a leader's behalf."""
    delegation = _locked(Delegation, delegation_id)
    principal = Person.objects.get(pk=delegation.principal_id)
    deputy = Person.objects.get(pk=delegation.deputy_id)
    authz.require(actor, perms.ROLE_MANAGE, principal)
    if not delegation.active:
        raise ApplicationError(f"{deputy.name}代{principal.name}的代理关系已经撤销。")
    delegation.active = False
    delegation.save(update_fields=["active"])
    audit.record(
        actor=actor,
        verb="org.delegation.revoked",
        target=principal,
        data={"delegation_id": delegation.pk, "deputy_id": deputy.pk, "deputy": deputy.name},
    )
    return delegation
