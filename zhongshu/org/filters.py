"""List filters for units and people (used inside the selectors, so pages, API and exports agree)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from .choices import Role, UnitKind
from .models import Person, RoleGrant, Unit

ACTIVE_CHOICES = [("1", "启用"), ("0", "停用")]


def _active(queryset: QuerySet[Any], field: str, value: str) -> QuerySet[Any]:
    if value in {"1", "0"}:
        return queryset.filter(**{field: value == "1"})
    return queryset


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或代码", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=UnitKind.choices, empty_label="全部类别")
    active = django_filters.ChoiceFilter(label="状态", choices=ACTIVE_CHOICES, empty_label="全部", method="by_active")

    class Meta:
        model = Unit
        fields = ["q", "kind", "active"]

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
        )

    def by_active(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return _active(queryset, "active", value)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名、账号或电话", method="search")
    unit = django_filters.ModelChoiceFilter(
        label="单位",
        queryset=Unit.objects.order_by("display_order", "id"),
        empty_label="全部单位",
        method="in_unit",
    )
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, empty_label="全部角色", method="with_role")
    active = django_filters.ChoiceFilter(label="状态", choices=ACTIVE_CHOICES, empty_label="全部", method="by_active")

    class Meta:
        model = Person
        fields = ["q", "unit", "role", "active"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(username__icontains=value) | Q(phone__icontains=value))

    def in_unit(self, queryset: QuerySet[Person], name: str, value: Unit | None) -> QuerySet[Person]:
        """The unit and its sub-units (the office includes its sections)."""
        if value is None:
            return queryset
        from .selectors import unit_subtrees

        return queryset.filter(unit_id__in=unit_subtrees().get(value.pk, {value.pk}))

    def with_role(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        if not value:
            return queryset
        return queryset.filter(pk__in=RoleGrant.objects.filter(role=value).values("person_id"))

    def by_active(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return _active(queryset, "is_active", value)
