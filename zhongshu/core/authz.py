"""The one permission policy.

Every page, API endpoint, export, search and notification asks this module, and nothing else, whether a
person may do something (`can`, `require`) and which objects they may see (`visible`). Apps declare their
permissions in their own `permissions.py` with `define()`, saying which roles hold each one and in what
scope, and register how an object maps to the units that own it (`register_model`). Role grants come from
`org` through `set_grant_source()` — `core` imports no domain app.

Scopes: a role granted with `Scope.ALL` acts on every unit (the office's own staff work for the whole
district); with `Scope.UNIT` it acts only on objects owned by the unit of the grant and its sub-units
(a liaison of 区教委 acts for 区教委 only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class Scope(StrEnum):
    ALL = "all"
    UNIT = "unit"


@dataclass(frozen=True)
class Permission:
    code: str
    label: str
    grants: Mapping[str, Scope]


@dataclass(frozen=True)
class ObjectRule:
    units_of: Callable[[Any], Iterable[int | None]]
    filter_units: Callable[[QuerySet[Any], set[int]], QuerySet[Any]]


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    units: frozenset[int] = field(default_factory=frozenset)  # the unit and its sub-units


@dataclass
class GrantSource:
    grants_of: Callable[[Any], list[Grant]]
    may_act_for: Callable[[Any, Any], bool]


@dataclass(frozen=True)
class SystemActor:
    """The installation itself acting: an operator's command on the server or a background job.

    Trusted like direct database access (it runs on the server); recorded in the trail under `name`."""

    name: str
    pk: None = None
    is_authenticated: bool = True
    is_active: bool = True

    def __str__(self) -> str:
        return self.name


def system_actor(name: str) -> SystemActor:
    """An actor for commands and jobs, e.g. system_actor("命令行(createadmin)")."""
    return SystemActor(name)


_PERMISSIONS: dict[str, Permission] = {}
_RULES: dict[type[Model], ObjectRule] = {}
_CHECKS: dict[str, list[Callable[[Any, Any], bool]]] = {}
_source: GrantSource | None = None


def define(code: str, label: str, grants: Mapping[str, Scope]) -> str:
    """Declare a permission; returns its code for the app's constants."""
    if code in _PERMISSIONS and _PERMISSIONS[code].grants != grants:
        raise ValueError(f"permission {code} defined twice with different grants")
    _PERMISSIONS[code] = Permission(code, label, dict(grants))
    return code


def permissions() -> dict[str, Permission]:
    """Every declared permission (for the role page and the matrix tests)."""
    return dict(_PERMISSIONS)


def register_model(
    model: type[Model],
    *,
    units_of: Callable[[Any], Iterable[int | None]],
    filter_units: Callable[[QuerySet[Any], set[int]], QuerySet[Any]],
) -> None:
    """Say which units own an object of `model`, for unit-scoped grants."""
    _RULES[model] = ObjectRule(units_of, filter_units)


def add_check(code: str, check: Callable[[Any, Any], bool]) -> None:
    """An extra condition on a permission and an object, evaluated after the role check passes."""
    _CHECKS.setdefault(code, []).append(check)


def set_grant_source(source: GrantSource) -> None:
    global _source
    _source = source


def _permission(code: str) -> Permission:
    try:
        return _PERMISSIONS[code]
    except KeyError:
        raise KeyError(f"unknown permission {code!r}; define it in the app's permissions.py") from None


def grants_of(user: Any) -> list[Grant]:
    """The role grants of an active, signed-in person; cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_authz_grants", None)
    if cached is None:
        cached = _source.grants_of(user) if _source else []
        user._authz_grants = cached
    return list(cached)


def forget(user: Any) -> None:
    """Drop the cached grants (after a grant changes within the same request)."""
    if hasattr(user, "_authz_grants"):
        del user._authz_grants


def _rule_for(obj: Any) -> ObjectRule:
    for klass in type(obj).__mro__:
        if klass in _RULES:
            return _RULES[klass]
    raise KeyError(f"no authz rule registered for {type(obj).__name__}")


def scope_of(user: Any, code: str) -> Scope | set[int] | None:
    """ALL, the set of unit ids the user acts for with this permission, or None when not held."""
    perm = _permission(code)
    if isinstance(user, SystemActor):
        return Scope.ALL
    units: set[int] = set()
    held = False
    for grant in grants_of(user):
        scope = perm.grants.get(grant.role)
        if scope is None:
            continue
        held = True
        if scope == Scope.ALL:
            return Scope.ALL
        units |= grant.units or {grant.unit_id}
    return units if held else None


def can(user: Any, code: str, obj: Any = None) -> bool:
    """May `user` do `code` (to `obj`, when given)?"""
    scope = scope_of(user, code)
    if scope is None:
        return False
    if obj is not None and isinstance(scope, set):
        owners = {unit for unit in _rule_for(obj).units_of(obj) if unit is not None}
        if not owners & scope:
            return False
    return all(check(user, obj) for check in _CHECKS.get(code, []))


def require(user: Any, code: str, obj: Any = None, *, on_behalf_of: Any = None) -> None:
    """Raise PermissionDenied unless allowed; with `on_behalf_of`, the user must be that person's deputy
    (a secretary recording a leader's decision, "X 代 Y") and the principal must hold the permission."""
    if on_behalf_of is not None and on_behalf_of != user:
        if not (_source and user is not None and _source.may_act_for(user, on_behalf_of)):
            raise PermissionDenied(f"您不能代{getattr(on_behalf_of, 'name', '该人员')}办理。")
        if not can(on_behalf_of, code, obj):
            principal = getattr(on_behalf_of, "name", "被代理人")
            raise PermissionDenied(f"{principal}无权进行此操作：{label(code)}。")
        return
    if not can(user, code, obj):
        raise PermissionDenied(f"您无权进行此操作：{label(code)}。")


def visible(user: Any, code: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of `queryset` that `user` may see (or act on) under permission `code`."""
    scope = scope_of(user, code)
    if scope is None:
        return queryset.none()
    if not isinstance(scope, set):
        return queryset
    rule = _RULES.get(queryset.model)
    if rule is None:
        raise KeyError(f"no authz rule registered for {queryset.model.__name__}")
    return rule.filter_units(queryset, scope)


def label(code: str) -> str:
    return _permission(code).label
