"""Helpers of the org tests."""

from __future__ import annotations

from django.urls import reverse

from zhongshu.audit.models import Event
from zhongshu.org.models import Delegation, Person, RoleGrant, Unit, UnitName


def written() -> tuple[int, ...]:
    """Counts of every table the org services write, for "nothing was written" assertions."""
    return (
        Event.objects.count(),
        Unit.objects.count(),
        UnitName.objects.count(),
        Person.objects.count(),
        RoleGrant.objects.count(),
        Delegation.objects.filter(active=True).count(),
        Unit.objects.filter(active=True).count(),
        Person.objects.filter(is_active=True).count(),
    )


def verbs() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("verb", flat=True))


def signs_in(client, username: str, password: str) -> bool:
    """Sign in through the login page (as a person would; the lockout backend needs a request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    signed_in = response.status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    return signed_in
