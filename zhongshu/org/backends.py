"""Authentication backend that loads the signed-in person with their unit (the top bar shows it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import Person


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Person | None:
        person = Person._default_manager.select_related("unit").filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
