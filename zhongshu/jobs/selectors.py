"""What the jobs page shows: each registered job with its latest run and latest failure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Max, Model, Q

from zhongshu.core import authz

from . import permissions as perms
from .models import JobFailure, JobRun
from .registry import jobs
from .scheduler import slot_of

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class JobStatus:
    name: str
    label: str
    every: dt.timedelta
    last_run: JobRun | None
    last_failure: JobFailure | None
    next_slot: dt.datetime

    @property
    def failing(self) -> bool:
        if self.last_failure is None:
            return False
        return self.last_run is None or self.last_failure.failed_at > self.last_run.started_at


def _latest(model: type[M], field: str, names: list[str]) -> list[M]:
    """The newest row per job, in two queries however long the history is."""
    newest = model._default_manager.filter(job__in=names).values("job").annotate(newest=Max(field))
    condition = Q(pk__in=[])
    for row in newest:
        condition |= Q(job=row["job"], **{field: row["newest"]})
    return list(model._default_manager.filter(condition).order_by("job", f"-{field}", "-pk"))


def job_statuses(*, actor: object, now: dt.datetime) -> list[JobStatus]:
    """Every registered job and how it fared; empty for someone without jobs.view."""
    if not authz.can(actor, perms.JOBS_VIEW):
        return []
    registered = jobs()
    last_runs = {run.job: run for run in _latest(JobRun, "slot", list(registered))}
    last_failures = {failure.job: failure for failure in _latest(JobFailure, "failed_at", list(registered))}
    return [
        JobStatus(
            name=name,
            label=job.label,
            every=job.every,
            last_run=last_runs.get(name),
            last_failure=last_failures.get(name),
            next_slot=slot_of(job, now) + job.every,
        )
        for name, job in sorted(registered.items())
    ]
