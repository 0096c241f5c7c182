"""Scheduled jobs: what the apps register to run on a cadence, enqueued by the worker's housekeeping
(portal/worker/runner.py) and run by the worker as the task ``run_scheduled`` (portal/worker/tasks.py).

A job is a plain function of its slot (the aware moment it fell due) that writes to the database and returns a short
outcome. It runs inside one transaction with its ``ScheduledRun`` row, which it marks finished, so each slot's work
happens once however many workers enqueue it and however often the task is retried. Only the latest due slot is
enqueued: a worker that was down for three days runs a daily job once, not three times.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from portal.registry import Registry

from .models import ScheduledRun


@dataclass(frozen=True)
class Job:
    key: str
    run: Callable[[datetime.datetime], object]
    # Daily at this local time (Asia/Shanghai), or every period counted from local midnight.
    at: datetime.time | None = None
    every: datetime.timedelta | None = None
    order: int = 0

    def __post_init__(self):
        if (self.at is None) == (self.every is None):
            raise ValueError(f"Job {self.key}: give either at or every.")


jobs = Registry()


def register_job(job: Job) -> None:
    jobs.register(job)


def due_slot(job: Job, now: datetime.datetime) -> datetime.datetime:
    """The latest moment at or before ``now`` at which ``job`` fell due."""
    local = timezone.localtime(now)
    if job.at is not None:
        slot = local.replace(hour=job.at.hour, minute=job.at.minute, second=0, microsecond=0)
        return slot if slot <= local else slot - datetime.timedelta(days=1)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + ((local - midnight) // job.every) * job.every


def enqueue_due(now=None) -> list[ScheduledRun]:
    """Enqueue each job's latest due slot that no worker has enqueued yet."""
    from .tasks import run_scheduled

    now = now or timezone.now()
    enqueued = []
    for job in jobs.ordered():
        with transaction.atomic():
            run, created = ScheduledRun.objects.get_or_create(job=job.key, slot=due_slot(job, now))
            if created:
                transaction.on_commit(partial(run_scheduled.enqueue, run.pk))
                enqueued.append(run)
    return enqueued
