"""The kinds of messages, registered by the apps that send them, with the default channel rule of each:

    from zhongshu.notify import kinds
    kinds.register("tracking.due_soon", "到期提醒", email=True, webhook=False)

The office may switch the channels of a kind later (ChannelRule, page 推送渠道); the in-app inbox always gets
the message. Pure registry: safe to call from any app's ready().
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
KIND_MAX = 60


@dataclass(frozen=True)
class Kind:
    """A kind of message and its default outward channels."""

    code: str
    label: str
    email: bool = True
    webhook: bool = False


_KINDS: dict[str, Kind] = {}


def register(code: str, label: str, *, email: bool = True, webhook: bool = False) -> Kind:
    """Declare a kind ("<app>.<what>"); registering it again replaces it (ready() may run twice)."""
    if len(code) > KIND_MAX or not KIND_PATTERN.match(code):
        raise ValueError(f"notification kind {code!r} must look like '<app>.<what>' (at most {KIND_MAX} chars)")
    if not label.strip():
        raise ValueError(f"notification kind {code!r} needs a Chinese label")
    kind = Kind(code, label.strip(), bool(email), bool(webhook))
    _KINDS[code] = kind
    return kind


def get(code: str) -> Kind:
    """The registered kind; ValueError for a kind nobody registered."""
    try:
        return _KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}; register it with notify.kinds.register()") from None


def label(code: str) -> str:
    """The Chinese label of a kind, or the code itself for a kind no longer registered (old messages)."""
    kind = _KINDS.get(code)
    return kind.label if kind else code


def registered() -> list[Kind]:
    """Every registered kind, by code."""
    return [_KINDS[code] for code in sorted(_KINDS)]


def unregister(code: str) -> None:
    """Forget a kind (tests)."""
    _KINDS.pop(code, None)
