"""Fixtures of the audit tests: a timeline registered for org.Unit, events, raw tampering."""

from __future__ import annotations

import pytest
from django.db import connection

from zhongshu.audit import services as audit
from zhongshu.audit import timelines
from zhongshu.org.models import Person, Unit


@pytest.fixture
def unit_timeline(monkeypatch):
    """Timelines of units (org.unit.view: every role) and people (org.person.view: a liaison sees only
    their unit's people), as org registers them in its ready(); the registry is restored afterwards."""
    registry = dict(timelines._REGISTRY)
    registry[timelines.type_of(Unit)] = timelines.Timeline(Unit, "org.unit.view")
    registry[timelines.type_of(Person)] = timelines.Timeline(Person, "org.person.view")
    monkeypatch.setattr(timelines, "_REGISTRY", registry)


@pytest.fixture
def unit(db):
    from zhongshu.org.tests.factories import UnitFactory

    return UnitFactory.create(full_name="示范区教育委员会", short_name="区教委", code="jiaowei")


@pytest.fixture
def chain_of(unit):
    """chain_of(n) -> n events recorded on `unit`, seq 1..n."""

    def make(n, **kwargs):
        return [
            audit.record(actor=None, verb="org.unit.touched", target=unit, data={"i": i}, **kwargs) for i in range(n)
        ]

    return make


def raw_sql(sql, params=()):
    """Tamper with the database behind the application's back."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
