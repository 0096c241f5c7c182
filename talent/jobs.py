"""The talent office's scheduled jobs, run by the worker (portal/worker/schedule.py)."""

import datetime

from django.utils import timezone

from portal.worker.schedule import Job, register_job

from .services.notices import announce_ended_notices
from .services.service_requests import remind_overdue


def remind_overdue_services(slot):
    return f"{len(remind_overdue())} overdue service request(s) reminded"


def notices_ended(slot):
    return f"{len(announce_ended_notices(timezone.localdate(slot)))} ended notice(s) announced"


def register():
    register_job(Job(key="talent.remind_overdue_services", run=remind_overdue_services, at=datetime.time(9, 0)))
    register_job(Job(key="talent.notices_ended", run=notices_ended, at=datetime.time(0, 10)))
