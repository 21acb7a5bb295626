"""How events read on a page: the verb's Chinese label, changed fields with their model labels and values
shown as the office reads them (choices by label, foreign keys by name, times in local time)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import timelines, verbs
from .models import Event

EMPTY = "（空）"


@dataclass(frozen=True)
class ChangeLine:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One event as shown in a timeline or the log."""

    event: Event
    changes: list[ChangeLine]

    @property
    def seq(self) -> int:
        return self.event.seq

    @property
    def occurred_at(self) -> dt.datetime:
        return self.event.occurred_at

    @property
    def actor_display(self) -> str:
        return self.event.actor_display

    @property
    def verb(self) -> str:
        return self.event.verb

    @property
    def verb_label(self) -> str:
        return verbs.label(self.event.verb)

    @property
    def client_address(self) -> str | None:
        return self.event.client_address

    @property
    def timeline_url(self) -> str:
        """The object's timeline page when its model has a registered timeline, else ""."""
        if timelines.get(self.event.target_type) is None:
            return ""
        return reverse("audit:timeline", args=[self.event.target_type, self.event.target_id])

    @property
    def target_label(self) -> str:
        model = model_of(self.event.target_type)
        return str(model._meta.verbose_name) if model else self.event.target_type


@cache
def model_of(target_type: str) -> type[models.Model] | None:
    """The model class named by "app_label.model", or None."""
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_fk(field: Any) -> bool:
    if field is None or not getattr(field, "concrete", False):
        return False
    return bool(getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False))


def _format(field: Any, value: Any, fk_labels: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if _is_fk(field) and not isinstance(value, list | dict):
        return fk_labels.get((field.related_model, value), f"#{value}")
    if field is not None and getattr(field, "choices", None) and not isinstance(value, list | dict):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _fk_labels(events: Sequence[Event]) -> dict[tuple[Any, Any], str]:
    """Names of the objects that changed foreign keys point to: one query per related model."""
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for event in events:
        model = model_of(event.target_type)
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            if not _is_fk(field) or not isinstance(pair, list):
                continue
            for value in pair:
                if value is not None and not isinstance(value, list | dict | bool):
                    wanted[field.related_model].add(value)
    labels: dict[tuple[Any, Any], str] = {}
    for related, ids in wanted.items():
        for pk, obj in related._base_manager.in_bulk(list(ids)).items():
            labels[(related, pk)] = str(obj)
    return labels


def entries(events: Sequence[Event]) -> list[Entry]:
    """The events as page entries, in the given order."""
    fk_labels = _fk_labels(events)
    result = []
    for event in events:
        model = model_of(event.target_type)
        lines = []
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
            lines.append(ChangeLine(name, label, _format(field, before, fk_labels), _format(field, after, fk_labels)))
        result.append(Entry(event, lines))
    return result
