"""The bodies of webhook posts — generic JSON, 企业微信 group bot, 钉钉 group bot — and their signatures.

Pure Python (no Django): `channels.py` fills in the message and the settings and sends the post.

- generic: POST JSON {kind, kind_label, title, body, link, recipient: {username, name, phone}, created_at}
  (a digest adds "items"); with a secret, header X-Zhongshu-Signature: "sha256=" + hex HMAC-SHA256 of the body.
- wecom (企业微信群机器人): markdown when the person has no mobile number; when they have one, a "text"
  message with mentioned_mobile_list, because the bot's markdown cannot @-mention anybody and a reminder
  should reach the person. The bot has no signature.
- dingtalk (钉钉群机器人): markdown with at.atMobiles (the number also in the text, as DingTalk requires);
  with a secret, the URL gains &timestamp=…&sign=… (base64 HMAC-SHA256 of "timestamp\\nsecret", URL-encoded).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("generic", "wecom", "dingtalk")
SIGNATURE_HEADER = "X-Zhongshu-Signature"
WECOM_TEXT_BYTES = 2048
WECOM_MARKDOWN_BYTES = 4096
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class Recipient:
    username: str
    name: str
    phone: str = ""


@dataclass(frozen=True)
class Item:
    """One message inside a daily digest."""

    kind: str
    kind_label: str
    title: str
    link: str
    created_at: str


@dataclass(frozen=True)
class Note:
    """What to say: one message, or a digest (then `items` lists its messages)."""

    kind: str
    kind_label: str
    title: str
    body: str
    link: str
    created_at: str
    items: tuple[Item, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Post:
    url: str
    body: bytes
    headers: dict[str, str]


class WebhookRejected(Exception):
    """The receiving end answered, but refused the post."""


def mobile_of(phone: str) -> str | None:
    """The mainland mobile number in a phone field ("138 0013 8000", "+86 13800138000"), or None for a
    landline or an extension, which group bots cannot mention."""
    digits = re.sub(r"[\s\-()]", "", phone or "")
    digits = digits.removeprefix("+86").removeprefix("0086")
    return digits if MOBILE_RE.match(digits) else None


def clip_bytes(text: str, limit: int) -> str:
    """`text` cut so that its UTF-8 form fits in `limit` bytes (ending with "…" when cut)."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = data[: limit - len("…".encode())].decode("utf-8", errors="ignore")
    return cut + "…"


def hmac_sha256(secret: str, data: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).digest()


def generic_signature(body: bytes, secret: str) -> str:
    """The X-Zhongshu-Signature header value: "sha256=" and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac_sha256(secret, body).hex()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign` parameter: base64 of HMAC-SHA256(key=secret, "timestamp\\nsecret"), URL-encoded."""
    digest = hmac_sha256(secret, f"{timestamp_ms}\n{secret}".encode())
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def generic_payload(note: Note, recipient: Recipient) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "kind": note.kind,
        "kind_label": note.kind_label,
        "title": note.title,
        "body": note.body,
        "link": note.link,
        "recipient": {"username": recipient.username, "name": recipient.name, "phone": recipient.phone},
        "created_at": note.created_at,
    }
    if note.items:
        payload["items"] = [
            {
                "kind": item.kind,
                "kind_label": item.kind_label,
                "title": item.title,
                "link": item.link,
                "created_at": item.created_at,
            }
            for item in note.items
        ]
    return payload


def _markdown_lines(note: Note) -> list[str]:
    if note.items:
        return [
            f"{number}. [{item.title}]({item.link})" if item.link else f"{number}. {item.title}"
            for number, item in enumerate(note.items, start=1)
        ]
    lines = [note.body] if note.body else []
    if note.link:
        lines.append(f"[查看详情]({note.link})")
    return lines


def _plain_lines(note: Note) -> list[str]:
    if note.items:
        return [f"{number}. {item.title}" for number, item in enumerate(note.items, start=1)] + (
            [note.link] if note.link else []
        )
    return [line for line in (note.body, note.link) if line]


def wecom_payload(note: Note, recipient: Recipient) -> dict[str, Any]:
    mobile = mobile_of(recipient.phone)
    if mobile:
        text = "\n".join([f"【{note.kind_label}】{note.title}", f"致：{recipient.name}", *_plain_lines(note)])
        return {
            "msgtype": "text",
            "text": {"content": clip_bytes(text, WECOM_TEXT_BYTES), "mentioned_mobile_list": [mobile]},
        }
    content = "\n".join(
        [f"**{note.title}**", f"> 类别：{note.kind_label}　致：{recipient.name}", *_markdown_lines(note)]
    )
    return {"msgtype": "markdown", "markdown": {"content": clip_bytes(content, WECOM_MARKDOWN_BYTES)}}


def dingtalk_payload(note: Note, recipient: Recipient) -> dict[str, Any]:
    mobile = mobile_of(recipient.phone)
    lines = [f"#### {note.title}", f"类别：{note.kind_label}　致：{recipient.name}", *_markdown_lines(note)]
    if mobile:
        lines.append(f"@{mobile}")
    return {
        "msgtype": "markdown",
        "markdown": {"title": note.title, "text": "\n\n".join(lines)},
        "at": {"atMobiles": [mobile] if mobile else [], "isAtAll": False},
    }


def build(fmt: str, note: Note, recipient: Recipient, *, url: str, secret: str, timestamp_ms: int) -> Post:
    """The post to send for `note` in format `fmt` ("generic", "wecom" or "dingtalk")."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if fmt == "generic":
        payload = generic_payload(note, recipient)
    elif fmt == "wecom":
        payload = wecom_payload(note, recipient)
    elif fmt == "dingtalk":
        payload = dingtalk_payload(note, recipient)
        if secret:
            url = dingtalk_signed_url(url, secret, timestamp_ms)
    else:
        raise ValueError(f"unknown webhook format {fmt!r}; one of {', '.join(FORMATS)}")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if fmt == "generic" and secret:
        headers[SIGNATURE_HEADER] = generic_signature(body, secret)
    return Post(url=url, body=body, headers=headers)


def check_reply(fmt: str, body: bytes) -> None:
    """Raise WebhookRejected when a bot answered 200 but refused the message ({"errcode": 非零})."""
    if fmt not in ("wecom", "dingtalk"):
        return
    try:
        reply = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return
    if isinstance(reply, dict) and reply.get("errcode") not in (None, 0):
        raise WebhookRejected(f"机器人拒收：errcode={reply.get('errcode')} {reply.get('errmsg', '')}".strip())
