"""The portal's worker: django-tasks-db's database worker, plus what it lacks for several nodes and restarts.

- A failed task runs again after a delay (retry.py) instead of staying failed.
- Each worker process beats (``WorkerBeat``) every few seconds from a housekeeping thread; a task still running under
  a worker that stopped beating (killed, its machine gone) is made ready again, for any worker to take. Tasks are
  written so that running one again does its effect once (each checks its state in its own transaction).
- The same thread enqueues the scheduled jobs that fell due (schedule.py).
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat
from .retry import retry_at
from .schedule import enqueue_due

logger = logging.getLogger(__name__)


def lease() -> datetime.timedelta:
    """How long a worker may go without beating before its running tasks are taken from it."""
    return datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def beat(worker_id: str, now=None) -> None:
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now or timezone.now()})


def retry_later(result: DBTaskResult, now=None) -> bool:
    """Make a failed task ready again after its delay; False when it stays failed."""
    now = now or timezone.now()
    when = retry_at(result.exception_class_path, len(result.worker_ids), now)
    if when is None:
        logger.error(
            "Task %s (%s) failed for good after %d attempt(s)", result.pk, result.task_path, len(result.worker_ids)
        )
        return False
    DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=when, finished_at=None
    )
    logger.warning(
        "Task %s (%s) failed; attempt %d at %s", result.pk, result.task_path, len(result.worker_ids) + 1, when
    )
    return True


def recover_abandoned(now=None) -> list[DBTaskResult]:
    """Tasks left running by workers that stopped beating: ready again (or failed, past their last attempt)."""
    now = now or timezone.now()
    alive = set(WorkerBeat.objects.filter(seen_at__gte=now - lease()).values_list("worker_id", flat=True))
    recovered = []
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running().filter(started_at__lt=now - lease()).select_for_update(skip_locked=True)
        )
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            when = retry_at("", len(result.worker_ids), now)
            if when is None:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = "portal.worker.runner.WorkerLost"
                result.traceback = "The worker running this task stopped before it finished, on every attempt."
                result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            else:
                result.status = TaskResultStatus.READY
                result.run_after = now
                result.save(update_fields=["status", "run_after"])
            logger.warning(
                "Task %s (%s) was abandoned by worker %s", result.pk, result.task_path, result.worker_ids[-1:]
            )
            recovered.append(result)
    return recovered


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped running it on its last attempt."""


def housekeep(worker_id: str, *, schedule: bool = True) -> None:
    """One round: beat, take back abandoned tasks, enqueue due jobs. Never raises: the worker carries on."""
    try:
        beat(worker_id)
        recover_abandoned()
        if schedule:
            enqueue_due()
    except Exception:
        logger.exception("Worker housekeeping failed; trying again next round")
        close_old_connections()


class Housekeeper(threading.Thread):
    """Housekeeping every ``interval`` seconds beside the tasks, on the thread's own database connection."""

    def __init__(self, worker_id: str, interval: float, *, schedule: bool = True):
        super().__init__(name="worker-housekeeping", daemon=True)
        self.worker_id, self.interval, self.schedule = worker_id, interval, schedule
        self.stopped = threading.Event()

    def run(self):
        try:
            while True:
                housekeep(self.worker_id, schedule=self.schedule)
                if self.stopped.wait(self.interval):
                    return
        finally:
            connection.close()


class PortalWorker(Worker):
    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            retry_later(db_task_result)
