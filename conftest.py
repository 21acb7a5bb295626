"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from django.db import connection

from zhongshu.org.choices import Role, UnitKind


@pytest.fixture
def office(db):
    """The office and two of its sections."""
    from zhongshu.org.tests.factories import UnitFactory

    return UnitFactory(code="zfb", full_name="示范区人民政府办公室", short_name="区政府办", kind=UnitKind.OFFICE)


@pytest.fixture
def make_person(db):
    """make_person(Role.LIAISON, unit=...) -> a person holding that role within the unit."""
    from zhongshu.org.tests.factories import person_with_role

    return person_with_role


@pytest.fixture
def admin_person(make_person, office):
    return make_person(Role.ADMIN, unit=office, username="admin-t", name="管理员")


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL (CI runs them)."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：设置 DATABASE_URL=postgres://… 后运行")
