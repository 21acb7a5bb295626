"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from zhongshu.org.choices import Role, UnitKind


@pytest.fixture
def office(db):
    """The office and two of its sections."""
    from zhongshu.org.tests.factories import UnitFactory

    office = UnitFactory(code="zfb", full_name="示范区人民政府办公室", short_name="区政府办", kind=UnitKind.OFFICE)
    return office


@pytest.fixture
def make_person(db):
    """make_person(Role.LIAISON, unit=...) -> a person holding that role within the unit."""
    from zhongshu.org.tests.factories import person_with_role

    return person_with_role


@pytest.fixture
def admin_person(make_person, office):
    return make_person(Role.ADMIN, unit=office, username="admin-t", name="管理员")
