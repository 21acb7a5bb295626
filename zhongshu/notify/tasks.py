"""The outward side of notifications: send due deliveries every minute, gather daily digests every hour."""

from __future__ import annotations

import datetime as dt

from zhongshu.jobs.registry import periodic

from . import services


@periodic("notify.deliver", every=dt.timedelta(minutes=1), label="发送消息推送（电子邮件、群机器人）")
def deliver(*, now: dt.datetime) -> str:
    """Send what is due; failures are retried with back-off and never touch the message in the inbox."""
    return services.deliver_due(now=now)


@periodic("notify.digest", every=dt.timedelta(hours=1), label="生成每日消息汇总")
def digest(*, now: dt.datetime) -> str:
    """After ZHONGSHU_DIGEST_TIME, one digest per person, channel and day; idempotent."""
    return services.digest_due(now=now)
