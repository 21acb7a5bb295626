"""Issuing and checking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest

from zhongshu.audit import services as audit
from zhongshu.core import clock
from zhongshu.core.exceptions import ApplicationError
from zhongshu.org.models import Person

from .models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, request: HttpRequest, username: str, password: str) -> str:
    """Check the credentials (with the same lockout as the login page) and issue a token.

    Not one transaction: a failed attempt must stay counted for the lockout."""
    person = authenticate(request, username=username, password=password)
    if person is None or not isinstance(person, Person):
        if getattr(request, "axes_locked_out", False):
            raise ApplicationError("登录失败次数过多，账号已暂时锁定，请稍后再试或联系系统管理员。")
        raise ApplicationError("用户名或密码错误。", field="password")
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=person,
            key_hash=_hash(key),
            expires_at=clock.now() + dt.timedelta(days=settings.ZHONGSHU_API_TOKEN_DAYS),
        )
        audit.record(actor=person, verb="api.token.issued", target=token, data={"expires_at": token.expires_at})
    return key


def token_person(key: str) -> Person | None:
    """The active person a valid, unexpired, unrevoked token belongs to."""
    now = clock.now()
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, expires_at__gt=now, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


@transaction.atomic
def token_revoke(*, actor: Person, key: str) -> None:
    """Revoke the token presented by its owner (sign out of the API)."""
    token = ApiToken.objects.select_for_update().filter(key_hash=_hash(key), person=actor).first()
    if token is None or token.revoked_at is not None:
        return
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, verb="api.token.revoked", target=token)
