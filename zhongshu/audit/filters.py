"""Filters of the full log page (留痕日志): event, actor, object type and id, date range."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import timelines, verbs
from .models import Event


def target_type_choices() -> list[tuple[str, str]]:
    """Object types offered in the filter: those with a registered timeline, and the models named by the
    registered verbs ("org.unit.created" -> org.unit); events of other types are found by their verb."""
    types = set(timelines.registered())
    types |= {verb.rsplit(".", 1)[0] for verb in verbs.registered()}
    choices = []
    for target_type in sorted(types):
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            continue
        choices.append((target_type, f"{model._meta.verbose_name}({target_type})"))
    return choices


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class EventFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return cleaned


class EventFilter(django_filters.FilterSet):
    verb = django_filters.CharFilter(
        label="事件", method="filter_verb", help_text="完整事件名或其前缀，如 org.unit 或 org.unit.created"
    )
    actor = django_filters.CharFilter(label="操作人", method="filter_actor", help_text="操作人或被代理人的姓名")
    target_type = django_filters.ChoiceFilter(label="对象类型", choices=target_type_choices, empty_label="全部")
    target_id = django_filters.CharFilter(label="对象编号", max_length=40)
    date_from = django_filters.DateFilter(
        label="开始日期", method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="结束日期", method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Event
        fields: list[str] = []
        form = EventFilterForm

    def filter_verb(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(verb=value) | Q(verb__startswith=value.rstrip(".") + "."))

    def filter_actor(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor_name__icontains=value) | Q(on_behalf_of_name__icontains=value))

    def filter_date_from(self, queryset: QuerySet[Event], name: str, value: dt.date) -> QuerySet[Event]:
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_date_to(self, queryset: QuerySet[Event], name: str, value: dt.date) -> QuerySet[Event]:
        return queryset.filter(occurred_at__lt=_start_of(value + dt.timedelta(days=1)))
