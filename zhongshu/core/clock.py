"""The one place that reads the time.

Every module asks `now()` / `today()` here and nowhere else (an architecture test enforces it), so that
ZHONGSHU_CLOCK can pin the whole installation — server, worker and commands — to one moment for demos,
training and acceptance checks. Tests pin time with time-machine, which this module honours.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


@cache
def _pinned(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ZHONGSHU_CLOCK 的值“{value}”不是有效时间，应形如 2027-01-10T10:00:00+08:00。"
        ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def pinned_moment() -> dt.datetime | None:
    """The pinned moment when ZHONGSHU_CLOCK is set, else None (drives the banner on every page)."""
    value = getattr(settings, "ZHONGSHU_CLOCK", None)
    return _pinned(value) if value else None


def now() -> dt.datetime:
    """The current instant, aware."""
    return pinned_moment() or timezone.now()


def localnow() -> dt.datetime:
    """The current instant in the installation's time zone (Asia/Shanghai)."""
    return timezone.localtime(now())


def today() -> dt.date:
    """Today's date in the installation's time zone."""
    return localnow().date()


def localtime(moment: dt.datetime) -> dt.datetime:
    """`moment` in the installation's time zone (a naive value is read as local time)."""
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return timezone.localtime(moment)
