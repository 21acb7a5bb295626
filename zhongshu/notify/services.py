"""Telling a person something, and everything that changes how they are told.

`send()` is what every other module calls (tracking's reminders and 催办, later documents, meetings, duty):
it puts one message in the recipient's inbox at most once per `dedupe_key` and queues the outward
deliveries (e-mail, webhook) that the kind's channel rule and the person's mode ask for. Nothing is sent over
the network here: the delivery job (`deliver_due`, every minute) does that after the caller's transaction has
committed, so a failing mail server never blocks the change that caused the message.

In-app messages and reading them are no business-data changes and write no audit event; a person's delivery
mode, the office's channel rules and resending a failed delivery do.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from functools import cache
from typing import Final

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from zhongshu.audit import services as audit
from zhongshu.core import authz, clock
from zhongshu.core.exceptions import ApplicationError, NotFound, ValidationFailed
from zhongshu.org.models import Person

from . import channels, kinds, selectors
from . import permissions as perms
from .choices import Channel, DeliveryStatus, Mode
from .models import ChannelRule, Delivery, Message, Preference

logger = logging.getLogger(__name__)

TITLE_MAX: Final = 200
LINK_MAX: Final = 500
DEDUPE_MAX: Final = 200
BACKOFF_MINUTES: Final = (1, 5, 15, 60, 240)
"""Wait after the 1st, 2nd, ... failed attempt; the 6th failure gives up."""
MAX_ATTEMPTS: Final = len(BACKOFF_MINUTES) + 1
DELIVER_LIMIT: Final = 200
DELIVER_BUDGET_SECONDS: Final = 45.0
"""The delivery job stops picking new rows after this long; the rest go in the next minute's run."""

VERB_LABELS: Final[dict[str, str]] = {
    "notify.preference.set": "设置消息推送方式",
    "notify.channel_rule.set": "设置消息推送渠道",
    "notify.delivery.retried": "重新发送推送",
}
"""Chinese labels of this app's audit verbs (registered with the audit trail in NotifyConfig.ready)."""


# Sending ---------------------------------------------------------------------------------------------


def _check_send_input(kind: str, title: str, link: str, dedupe_key: str) -> str:
    kinds.get(kind)  # ValueError for a kind nobody registered
    if not dedupe_key or len(dedupe_key) > DEDUPE_MAX:
        raise ValueError(f"dedupe_key must be 1–{DEDUPE_MAX} characters")
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > LINK_MAX):
        raise ValueError(f"link must be a path inside Zhongshu (starting with one '/', at most {LINK_MAX} chars)")
    clean = " ".join((title or "").split())
    if not clean:
        raise ValueError("a message needs a title")
    return clean[: TITLE_MAX - 1] + "…" if len(clean) > TITLE_MAX else clean


def _outward_channels(kind: str) -> list[str]:
    email, webhook = selectors.channels_of(kind)
    wanted = []
    if email and channels.email_configured():
        wanted.append(Channel.EMAIL.value)
    if webhook and channels.webhook_configured():
        wanted.append(Channel.WEBHOOK.value)
    return wanted


def _queue_deliveries(message: Message, recipient: Person, now: dt.datetime) -> None:
    if not recipient.is_active:
        return
    wanted = _outward_channels(message.kind)
    if not wanted:
        return
    held = selectors.mode_of(recipient) == Mode.DIGEST
    Delivery.objects.bulk_create(
        [
            Delivery(
                message=message,
                recipient=recipient,
                channel=channel,
                status=DeliveryStatus.HELD if held else DeliveryStatus.PENDING,
                next_attempt_at=None if held else now,
                created_at=now,
            )
            for channel in wanted
        ]
    )


def send(
    *,
    recipient: Person,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
    target: Model | None = None,
    sender: Person | None = None,
) -> Message | None:
    """Put one message in the recipient's inbox and queue its outward deliveries; at most once per
    (recipient, dedupe_key): a repeated key returns None and writes nothing, also when two workers send at the
    same moment. Runs inside the caller's transaction. ValueError for an unregistered kind or a bad link."""
    title = _check_send_input(kind, title, link, dedupe_key)
    now = clock.now()
    try:
        with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's transaction usable
            message = Message.objects.create(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body or "",
                link=link or "",
                dedupe_key=dedupe_key,
                target_type=audit.target_type_of(target) if target is not None else "",
                target_id=str(target.pk) if target is not None and target.pk is not None else "",
                sender=sender,
                created_at=now,
            )
            _queue_deliveries(message, recipient, now)
    except IntegrityError:
        if not Message.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
            raise  # not the once-per-key rule: a real error
        return None
    return message


def send_many(
    *,
    recipients: Iterable[Person],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
    target: Model | None = None,
    sender: Person | None = None,
) -> int:
    """`send` to each person once (duplicates in `recipients` are ignored); returns how many got a new message."""
    kinds.get(kind)
    seen: set[int] = set()
    count = 0
    for person in recipients:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        message = send(
            recipient=person,
            kind=kind,
            title=title,
            body=body,
            link=link,
            dedupe_key=dedupe_key,
            target=target,
            sender=sender,
        )
        count += message is not None
    return count


# Reading ---------------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, actor: Person, message: Message | int) -> Message:
    """Mark one of the actor's own messages read (another person's answers NotFound)."""
    authz.require(actor, perms.INBOX_VIEW)
    pk = message.pk if isinstance(message, Message) else int(message)
    found = selectors.access_message(actor, pk)
    if found.read_at is None:
        now = clock.now()
        Message.objects.filter(pk=found.pk, read_at__isnull=True).update(read_at=now)
        found.read_at = now
    return found


@transaction.atomic
def mark_all_read(*, actor: Person) -> int:
    """Mark every unread message of the actor read; returns how many."""
    authz.require(actor, perms.INBOX_VIEW)
    return selectors.inbox_of(actor).filter(read_at__isnull=True).update(read_at=clock.now())


# Preferences and channel rules -----------------------------------------------------------------------


@transaction.atomic
def set_preference(*, actor: Person, mode: str) -> Preference:
    """A person's own choice: outward messages at once ("immediate") or in one daily digest ("digest").
    Switching to immediate releases the deliveries that were waiting for the digest."""
    authz.require(actor, perms.INBOX_VIEW)
    if mode not in Mode.values:
        raise ValidationFailed({"mode": "请选择“立即推送”或“每日汇总”。"})
    preference = Preference.objects.select_for_update().filter(person_id=actor.pk).first()
    before = preference.mode if preference else Mode.IMMEDIATE.value
    now = clock.now()
    if preference is None:
        preference = Preference.objects.create(person=actor, mode=mode, updated_at=now)
    elif preference.mode != mode:
        preference.mode = mode
        preference.updated_at = now
        preference.save(update_fields=["mode", "updated_at"])
    if before == mode:
        return preference
    if mode == Mode.IMMEDIATE:
        Delivery.objects.filter(recipient_id=actor.pk, status=DeliveryStatus.HELD, batch__isnull=True).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now
        )
    audit.record(actor=actor, verb="notify.preference.set", target=preference, changes={"mode": [before, mode]})
    return preference


@transaction.atomic
def set_channel_rule(*, actor: Person, kind: str, email: bool, webhook: bool) -> ChannelRule:
    """The office switches the outward channels of one kind of message (the inbox always gets it)."""
    authz.require(actor, perms.CHANNELS_MANAGE)
    try:
        spec = kinds.get(kind)
    except ValueError:
        raise ValidationFailed({"kind": f"未登记的消息类别“{kind}”。"}) from None
    rule = ChannelRule.objects.select_for_update().filter(kind=kind).first()
    before = {"email": rule.email, "webhook": rule.webhook} if rule else {"email": spec.email, "webhook": spec.webhook}
    after = {"email": bool(email), "webhook": bool(webhook)}
    now = clock.now()
    if rule is None:
        rule = ChannelRule.objects.create(kind=kind, updated_at=now, updated_by=actor, **after)
    elif before == after:
        return rule
    else:
        rule.email, rule.webhook = after["email"], after["webhook"]
        rule.updated_at, rule.updated_by = now, actor
        rule.save(update_fields=["email", "webhook", "updated_at", "updated_by"])
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=actor, verb="notify.channel_rule.set", target=rule, changes=changes, data={"label": spec.label}
        )
    return rule


@transaction.atomic
def delivery_retry(*, actor: Person, delivery_id: int) -> Delivery:
    """Send a failed or given-up delivery again (after the address or the server was fixed)."""
    authz.require(actor, perms.FAILURES_MANAGE)
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).order_by().first()
    if delivery is None or delivery.batch_id is not None:
        raise NotFound("未找到该推送记录。")
    if delivery.status not in selectors.FAILED_STATES:
        raise ApplicationError("只有发送失败或已放弃的推送可以重新发送。")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(
        actor=actor,
        verb="notify.delivery.retried",
        target=delivery,
        changes=audit.diff(before, {"status": delivery.status, "attempts": 0}),
        data={"channel": delivery.channel, "last_error": delivery.last_error},
    )
    return delivery


# The delivery and digest jobs (called from tasks.py inside the job's transaction) ----------------------


def _due(now: dt.datetime, limit: int) -> list[Delivery]:
    due: QuerySet[Delivery] = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "id"
    )
    if connection.features.has_select_for_update_skip_locked:  # PostgreSQL: two workers take different rows
        due = due.select_for_update(skip_locked=True, of=("self",))
    return list(due.select_related("message", "recipient")[:limit])


def _record_outcome(delivery: Delivery, now: dt.datetime, error: Exception | None, *, permanent: bool) -> None:
    delivery.attempts += 1
    if error is None:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    elif permanent:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        delivery.last_error = str(error)[:500]
    else:
        delivery.last_error = (str(error) or type(error).__name__)[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.GIVEN_UP
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + dt.timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
    delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
    if delivery.is_digest and delivery.status != DeliveryStatus.PENDING:
        delivery.items.update(status=delivery.status, sent_at=delivery.sent_at, last_error=delivery.last_error)


def _attempt(delivery: Delivery, now: dt.datetime) -> None:
    error: Exception | None = None
    permanent = False
    try:
        with transaction.atomic():  # a database error while sending leaves the job's transaction usable
            channels.send(delivery, now=now)
    except channels.PermanentFailure as exc:
        error, permanent = exc, True
    except Exception as exc:  # any channel error (SMTP, HTTP, timeout) is retried with back-off
        logger.warning("notify: delivery %s over %s failed: %s", delivery.pk, delivery.channel, exc)
        error = exc
    _record_outcome(delivery, now, error, permanent=permanent)


@transaction.atomic
def deliver_due(*, now: dt.datetime, limit: int = DELIVER_LIMIT, budget: float = DELIVER_BUDGET_SECONDS) -> str:
    """Send the deliveries that are due; a failure waits 1, 5, 15, 60, 240 minutes, the 6th gives up."""
    started = time.monotonic()
    outcomes: dict[str, int] = {}
    for delivery in _due(now, limit):
        if time.monotonic() - started > budget:
            break
        _attempt(delivery, now)
        outcomes[delivery.status] = outcomes.get(delivery.status, 0) + 1
    return (
        f"已发送 {outcomes.get(DeliveryStatus.SENT, 0)} 条，待重试 {outcomes.get(DeliveryStatus.PENDING, 0)} 条，"
        f"失败 {outcomes.get(DeliveryStatus.FAILED, 0)} 条，放弃 {outcomes.get(DeliveryStatus.GIVEN_UP, 0)} 条"
    )


@cache
def _parse_time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"ZHONGSHU_DIGEST_TIME 的值“{value}”不是有效时间，应形如 08:00。") from exc


def digest_time() -> dt.time:
    """When the daily digest goes out (ZHONGSHU_DIGEST_TIME, local time, default 08:00)."""
    from django.conf import settings

    return _parse_time(getattr(settings, "ZHONGSHU_DIGEST_TIME", "08:00") or "08:00")


@transaction.atomic
def digest_due(*, now: dt.datetime) -> str:
    """Once the digest time has passed: gather each person's held deliveries per channel into one digest for
    today (at most one per person, channel and day), which the delivery job then sends."""
    local = timezone.localtime(now)
    at = digest_time()
    if local.time() < at:
        return f"未到汇总时间（{at:%H:%M}）"
    today = local.date()
    held = Delivery.objects.filter(status=DeliveryStatus.HELD, batch__isnull=True, message__isnull=False)
    groups = sorted(set(held.values_list("recipient_id", "channel")))
    done = set(Delivery.objects.filter(message__isnull=True, digest_day=today).values_list("recipient_id", "channel"))
    made = 0
    for recipient_id, channel in groups:
        if (recipient_id, channel) in done:
            continue  # today's digest has gone: what arrived since waits for tomorrow's
        try:
            with transaction.atomic():
                digest = Delivery.objects.create(
                    message=None,
                    recipient_id=recipient_id,
                    channel=channel,
                    status=DeliveryStatus.PENDING,
                    next_attempt_at=now,
                    digest_day=today,
                    created_at=now,
                )
        except IntegrityError:
            continue
        held.filter(recipient_id=recipient_id, channel=channel).update(batch=digest)
        made += 1
    return f"生成每日汇总 {made} 份"
