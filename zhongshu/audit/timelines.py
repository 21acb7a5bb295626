"""Which permission lets a person read the timeline of objects of a model.

Each app declares it in its ready(): `timelines.register(Unit, view_perm="org.unit.view")`; the timeline of
an object is shown to a person when `authz.can(person, view_perm, obj)`. Objects of unregistered models
have no readable timeline (the log page still lists their events for those who may see everything).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class Timeline:
    model: type[Model]
    view_perm: str


_REGISTRY: dict[str, Timeline] = {}


def type_of(model: type[Model]) -> str:
    """ "app_label.model" of the concrete model: the name of an object's kind in the trail."""
    return model._meta.concrete_model._meta.label_lower  # type: ignore[union-attr]  # set for real models


def register(model: type[Model], *, view_perm: str) -> None:
    """Let holders of `view_perm` on an object read its timeline."""
    key = type_of(model)
    spec = Timeline(model._meta.concrete_model or model, view_perm)
    if _REGISTRY.get(key, spec) != spec:
        raise ValueError(f"timeline of {key} registered twice with different permissions")
    _REGISTRY[key] = spec


def unregister(model: type[Model]) -> None:
    """Forget a registration (tests)."""
    _REGISTRY.pop(type_of(model), None)


def get(target_type: str) -> Timeline | None:
    """The registration for a target type, or None."""
    return _REGISTRY.get(target_type)


def registered() -> dict[str, Timeline]:
    """Every registered target type."""
    return dict(_REGISTRY)
