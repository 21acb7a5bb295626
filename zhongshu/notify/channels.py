"""Sending one delivery over its channel: e-mail through Django's mail backend, webhook through urllib.

`send()` returns normally when the message went out; it raises `PermanentFailure` for a problem that
retrying cannot fix (no e-mail address, channel not configured) and any other exception for a failure that
may pass (server down, timeout, HTTP 500), which the delivery job retries with back-off.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from . import kinds, webhook
from .choices import Channel
from .models import Delivery, Message

TIMEOUT_SECONDS = 10
DIGEST_KIND = "notify.digest"
DIGEST_LABEL = "每日汇总"
SUBJECT_PREFIX = "【中枢】"


class PermanentFailure(Exception):
    """A delivery that cannot succeed as things are configured; recorded as failed at once."""


def email_configured() -> bool:
    """Outward e-mail is on when an SMTP host is set (ZHONGSHU_EMAIL_HOST)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def webhook_configured() -> bool:
    return bool(getattr(settings, "ZHONGSHU_WEBHOOK_URL", ""))


def absolute(link: str) -> str:
    """`link` with ZHONGSHU_BASE_URL in front when it is a path and a base is set."""
    base = (getattr(settings, "ZHONGSHU_BASE_URL", "") or "").rstrip("/")
    if link and base and link.startswith("/"):
        return base + link
    return link


def _stamp(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _note_of_message(message: Message) -> webhook.Note:
    return webhook.Note(
        kind=message.kind,
        kind_label=kinds.label(message.kind),
        title=message.title,
        body=message.body,
        link=absolute(message.link),
        created_at=_stamp(message.created_at),
    )


def _note_of_digest(digest: Delivery) -> webhook.Note:
    messages = [
        item.message
        for item in digest.items.select_related("message").order_by("message__created_at", "message__id")
        if item.message is not None
    ]
    items = tuple(
        webhook.Item(
            kind=m.kind,
            kind_label=kinds.label(m.kind),
            title=m.title,
            link=absolute(m.link),
            created_at=_stamp(m.created_at),
        )
        for m in messages
    )
    return webhook.Note(
        kind=DIGEST_KIND,
        kind_label=DIGEST_LABEL,
        title=f"每日消息汇总（{len(items)} 条）",
        body="\n".join(f"{number}. {item.title}" for number, item in enumerate(items, start=1)),
        link=absolute(reverse("notify:inbox")),
        created_at=_stamp(digest.created_at),
        items=items,
    )


def note_of(delivery: Delivery) -> webhook.Note:
    """What a delivery says: its message, or the list of messages of a digest."""
    if delivery.message is not None:
        return _note_of_message(delivery.message)
    return _note_of_digest(delivery)


def send(delivery: Delivery, *, now: dt.datetime) -> None:
    """Send one delivery (see the module docstring for what it raises)."""
    note = note_of(delivery)
    if delivery.is_digest and not note.items:
        raise PermanentFailure("汇总中没有消息。")
    if delivery.channel == Channel.EMAIL:
        _send_email(delivery, note)
    elif delivery.channel == Channel.WEBHOOK:
        _send_webhook(delivery, note, now=now)
    else:
        raise PermanentFailure(f"未知的推送渠道“{delivery.channel}”。")


def _email_text(note: webhook.Note, name: str) -> str:
    lines = [f"{name}：", "", note.title]
    if note.items:
        lines += ["", *(f"{n}. {item.title}\n   {item.link}" for n, item in enumerate(note.items, start=1))]
    elif note.body:
        lines += ["", note.body]
    if note.link:
        lines += ["", f"查看：{note.link}"]
    lines += ["", "——中枢（此邮件由系统自动发送，请勿直接回复）"]
    return "\n".join(lines)


def _send_email(delivery: Delivery, note: webhook.Note) -> None:
    if not email_configured():
        raise PermanentFailure("未配置邮件服务器（ZHONGSHU_EMAIL_HOST）。")
    person = delivery.recipient
    address = (person.email or "").strip()
    if not address:
        raise PermanentFailure("未填写电子邮箱")
    name = person.name or person.username
    EmailMessage(
        subject=(SUBJECT_PREFIX + note.title).replace("\n", " ")[:200],
        body=_email_text(note, name),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    ).send(fail_silently=False)


def _send_webhook(delivery: Delivery, note: webhook.Note, *, now: dt.datetime) -> None:
    url = getattr(settings, "ZHONGSHU_WEBHOOK_URL", "")
    if not url:
        raise PermanentFailure("未配置推送地址（ZHONGSHU_WEBHOOK_URL）。")
    if not url.lower().startswith(("http://", "https://")):
        raise PermanentFailure("推送地址（ZHONGSHU_WEBHOOK_URL）应以 http:// 或 https:// 开头。")
    fmt = getattr(settings, "ZHONGSHU_WEBHOOK_FORMAT", "generic")
    person = delivery.recipient
    recipient = webhook.Recipient(username=person.username, name=person.name or person.username, phone=person.phone)
    post = webhook.build(
        fmt,
        note,
        recipient,
        url=url,
        secret=getattr(settings, "ZHONGSHU_WEBHOOK_SECRET", ""),
        timestamp_ms=int(now.timestamp() * 1000),
    )
    reply = http_post(post)
    webhook.check_reply(fmt, reply)


def http_post(post: webhook.Post, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """POST the body; the answer's body on 2xx, an exception otherwise (HTTPError, URLError, timeout)."""
    request = urllib.request.Request(post.url, data=post.body, headers=post.headers, method="POST")  # noqa: S310  # scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # scheme checked above
            data: Any = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"推送接口返回 HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        raise RuntimeError(f"无法连接推送接口：{exc.reason}") from exc
    except TimeoutError as exc:
        raise RuntimeError(f"推送接口在 {TIMEOUT_SECONDS} 秒内没有响应") from exc
    return bytes(data)
