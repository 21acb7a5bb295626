"""The periodic jobs of every module, declared in each app's `tasks.py`:

    from zhongshu.jobs.registry import periodic

    @periodic("workdays.check_next_year", every=dt.timedelta(hours=1), label="检查下一年度工作日历")
    def check_next_year(*, now: dt.datetime) -> str:
        ...  # idempotent; runs inside the transaction that claims its time slot
        return "summary for the run log"

The worker (`zhongshu worker`) runs each job once per time slot (`every` long, aligned to midnight local
time); the slot is claimed by a unique row written in the same transaction as the job's own writes, so two
workers never run a slot twice and a worker killed mid-job leaves nothing behind (the slot is retried).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

JobFunc = Callable[..., str | None]


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc
    every: dt.timedelta
    label: str


_JOBS: dict[str, Job] = {}


def periodic(name: str, *, every: dt.timedelta, label: str) -> Callable[[JobFunc], JobFunc]:
    if every < dt.timedelta(minutes=1):
        raise ValueError("a periodic job runs at most once a minute")

    def decorate(func: JobFunc) -> JobFunc:
        _JOBS[name] = Job(name=name, func=func, every=every, label=label)
        return func

    return decorate


def jobs() -> dict[str, Job]:
    """Every registered job, after importing each installed app's `tasks` module."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    return dict(_JOBS)
