from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from zhongshu.audit.models import Event
from zhongshu.core.exceptions import PermissionDenied, ValidationFailed
from zhongshu.org import services
from zhongshu.org.choices import Role
from zhongshu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db
NEW = "Qiuyue-2026-huanxin"


def test_change_own_password_sets_it_and_records_the_event():
    person = person_with_role(Role.LIAISON)

    services.person_change_own_password(actor=person, old_password="zhongshu-test", new_password=NEW)

    person.refresh_from_db()
    assert person.check_password(NEW)
    event = Event.objects.get(verb="org.person.password_changed")
    assert (event.actor_id, event.target_id) == (person.pk, str(person.pk))
    assert NEW not in str(event.changes) + str(event.data)


def test_wrong_old_password_is_refused_and_nothing_changes():
    person = person_with_role(Role.LIAISON)

    with pytest.raises(ValidationFailed) as caught:
        services.person_change_own_password(actor=person, old_password="guess", new_password=NEW)

    assert caught.value.errors == {"old_password": ["原密码不正确，请重新输入。"]}
    person.refresh_from_db()
    assert person.check_password("zhongshu-test")
    assert not Event.objects.filter(verb="org.person.password_changed").exists()


def test_weak_new_password_is_refused_with_the_rule():
    person = person_with_role(Role.LIAISON)

    with pytest.raises(ValidationFailed) as caught:
        services.person_change_own_password(actor=person, old_password="zhongshu-test", new_password="12345")

    assert caught.value.errors["new_password1"][0] == "密码太短：至少需要 10 个字符。"
    person.refresh_from_db()
    assert person.check_password("zhongshu-test")


def test_anonymous_cannot_change_a_password():
    with pytest.raises(PermissionDenied):
        services.person_change_own_password(actor=AnonymousUser(), old_password="x", new_password=NEW)
    assert not Event.objects.exists()
