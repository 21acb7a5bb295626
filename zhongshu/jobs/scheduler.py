"""Running the periodic jobs: which slot is due, and running it exactly once.

A job's time is cut into slots of `every` length, aligned to local midnight of 2000-01-01. A slot is due when
no JobRun row claims it. `run_due()` claims and runs each due slot in ONE transaction: the claim (a unique
row) and the job's writes commit together or not at all. A second worker trying the same slot waits for the
first one's transaction (row lock on PostgreSQL, IMMEDIATE transactions on SQLite) and then finds the slot
taken. Missed slots are not replayed: jobs look at the state of things at `now`, so the next slot catches up.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongshu.core import clock

from .models import JobFailure, JobRun
from .registry import Job, jobs

logger = logging.getLogger(__name__)

EPOCH = dt.date(2000, 1, 1)  # slots align to local midnight of this day


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def slot_of(job: Job, now: dt.datetime) -> dt.datetime:
    """The start of the slot of `job` that contains `now` (aware, local midnight alignment)."""
    tz = timezone.get_default_timezone()
    anchor = timezone.make_aware(dt.datetime.combine(EPOCH, dt.time()), tz)
    index = (now - anchor) // job.every
    return anchor + index * job.every


@dataclass(frozen=True)
class Outcome:
    job: str
    slot: dt.datetime
    status: str  # "done", "taken", "failed"
    summary: str = ""


def run_job(job: Job, now: dt.datetime, *, worker: str | None = None) -> Outcome:
    """Claim the slot of `job` at `now` and run it, all in one transaction."""
    worker = worker or worker_name()
    slot = slot_of(job, now)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = JobRun.objects.create(job=job.name, slot=slot, worker=worker, started_at=clock.now())
            except IntegrityError:
                return Outcome(job.name, slot, "taken")
            summary = job.func(now=now) or ""
            run.finished_at = clock.now()
            run.summary = summary[:2000]
            run.save(update_fields=["finished_at", "summary"])
    except Exception as exc:  # the job's own error: its writes were rolled back; log it and go on
        logger.exception("job %s failed for slot %s", job.name, slot)
        JobFailure.objects.create(
            job=job.name,
            slot=slot,
            worker=worker,
            failed_at=clock.now(),
            error="".join(traceback.format_exception(exc))[-4000:],
        )
        return Outcome(job.name, slot, "failed", str(exc))
    return Outcome(job.name, slot, "done", summary)


def due_jobs(now: dt.datetime) -> list[Job]:
    registered = jobs()
    slots = {name: slot_of(job, now) for name, job in registered.items()}
    claimed = set(JobRun.objects.filter(job__in=list(slots), slot__in=set(slots.values())).values_list("job", "slot"))
    return [job for name, job in sorted(registered.items()) if (name, slots[name]) not in claimed]


def run_due(now: dt.datetime | None = None, *, worker: str | None = None) -> list[Outcome]:
    """Run every job whose current slot is not yet claimed; returns what happened to each."""
    now = now or clock.now()
    return [run_job(job, now, worker=worker) for job in due_jobs(now)]
