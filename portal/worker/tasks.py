from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import schedule
from .models import ScheduledRun


@task()
def run_scheduled(run_id: int) -> str:
    """Do one scheduled run's work, once: the job's writes and the run's ``finished_at`` commit together."""
    with transaction.atomic():
        run = ScheduledRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished_at is not None:
            return "done before"
        job = schedule.jobs.get(run.job)
        outcome = "no such job" if job is None else str(job.run(run.slot))
        run.finished_at = timezone.now()
        run.outcome = outcome[:200]
        run.save(update_fields=["finished_at", "outcome"])
    return run.outcome
