"""The checker's periodic job: rebuild the installation's W3 statistics from its approved documents."""

from __future__ import annotations

import datetime as dt

from zhongshu.core import authz
from zhongshu.jobs.registry import periodic

from . import services


@periodic("checking.rebuild_stats", every=dt.timedelta(days=1), label="重建本单位用语统计（同音误字）")
def rebuild_stats(*, now: dt.datetime) -> str:
    """Idempotent: when the approved texts did not change since the last run, nothing is written."""
    return services.stats_rebuild(actor=authz.system_actor("用语统计任务"), now=now)
