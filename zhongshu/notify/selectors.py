"""Reads of inboxes, preferences, channel rules and failed deliveries. An inbox is always the signed-in
person's own: every message read starts from `inbox_of(actor)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from zhongshu.core import authz
from zhongshu.core.exceptions import NotFound

from . import kinds
from . import permissions as perms
from .choices import DeliveryStatus, Mode
from .models import ChannelRule, Delivery, Message, Preference


def inbox_of(actor: Any) -> QuerySet[Message]:
    """The actor's own messages (nobody reads another person's inbox, administrators included)."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return Message.objects.none()
    return Message.objects.filter(recipient_id=pk)


def inbox_list(actor: Any, *, unread_only: bool = False) -> QuerySet[Message]:
    """The inbox page and API: unread messages first, then newest first; or only the unread ones."""
    messages = inbox_of(actor).select_related("sender")
    if unread_only:
        return messages.filter(read_at__isnull=True).order_by("-created_at", "-id")
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return messages.order_by(unread_first, "-created_at", "-id")


def unread_count(actor: Any) -> int:
    """How many of the actor's messages are unread (one COUNT on the (recipient, read_at) index)."""
    return inbox_of(actor).filter(read_at__isnull=True).count()


def access_message(actor: Any, message_id: int) -> Message:
    """One of the actor's own messages; NotFound for a missing message and another person's alike."""
    message = inbox_of(actor).filter(pk=message_id).first()
    if message is None:
        raise NotFound("未找到该消息。")
    return message


def mode_of(person: Any) -> str:
    """The person's delivery mode ("immediate" when they never chose)."""
    pk = getattr(person, "pk", None)
    if pk is None:
        return Mode.IMMEDIATE.value
    mode = Preference.objects.filter(person_id=pk).values_list("mode", flat=True).first()
    return mode or Mode.IMMEDIATE.value


def channels_of(kind: str) -> tuple[bool, bool]:
    """(email, webhook): the office's rule for a kind, or the defaults it was registered with."""
    rule = ChannelRule.objects.filter(kind=kind).values_list("email", "webhook").first()
    if rule is not None:
        return bool(rule[0]), bool(rule[1])
    spec = kinds.get(kind)
    return spec.email, spec.webhook


@dataclass(frozen=True)
class RuleRow:
    """A registered kind with its channels as they apply now, for the 推送渠道 page."""

    kind: str
    label: str
    email: bool
    webhook: bool
    default_email: bool
    default_webhook: bool
    customized: bool
    updated_at: dt.datetime | None
    updated_by: str

    @property
    def is_default(self) -> bool:
        return (self.email, self.webhook) == (self.default_email, self.default_webhook)


def channel_rules(actor: Any) -> list[RuleRow]:
    """Every registered kind and its channels (two queries: the rules and their editors)."""
    authz.require(actor, perms.CHANNELS_MANAGE)
    rules = {rule.kind: rule for rule in ChannelRule.objects.select_related("updated_by")}
    rows = []
    for spec in kinds.registered():
        rule = rules.get(spec.code)
        rows.append(
            RuleRow(
                kind=spec.code,
                label=spec.label,
                email=rule.email if rule else spec.email,
                webhook=rule.webhook if rule else spec.webhook,
                default_email=spec.email,
                default_webhook=spec.webhook,
                customized=rule is not None,
                updated_at=rule.updated_at if rule else None,
                updated_by=str(rule.updated_by) if rule and rule.updated_by else "",
            )
        )
    return rows


FAILED_STATES = (DeliveryStatus.FAILED, DeliveryStatus.GIVEN_UP)


def failures_list(actor: Any) -> QuerySet[Delivery]:
    """Deliveries that failed for good or were given up (a digest's own messages show as the digest)."""
    authz.require(actor, perms.FAILURES_MANAGE)
    return (
        Delivery.objects.filter(status__in=FAILED_STATES, batch__isnull=True)
        .select_related("message", "recipient", "recipient__unit")
        .order_by("-created_at", "-id")
    )


def pending_count() -> int:
    """Deliveries waiting to be sent or retried (shown on the failures page)."""
    return Delivery.objects.filter(status=DeliveryStatus.PENDING).count()
