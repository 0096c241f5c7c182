from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One due run of a scheduled job. The unique (job, slot) makes every worker agree that a slot is enqueued once;
    ``finished_at`` is set in the same transaction as the job's own writes, so a run that is retried after its worker
    died does its work once."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="worker_run_once_per_slot")]

    def __str__(self):
        return f"{self.job} @ {self.slot.isoformat()}"


class WorkerBeat(models.Model):
    """When a worker process was last seen alive. A task left running by a worker that stopped beating is run again."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id
