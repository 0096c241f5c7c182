from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    """The background worker (``manage.py worker``): tasks retried with backoff, tasks of a dead worker run again,
    and the scheduled jobs the apps register (portal/worker/schedule.py)."""

    name = "portal.worker"
    label = "worker"
    verbose_name = _("Background work")
