"""Applications' scheduled job, run by the worker (portal/worker/schedule.py)."""

import datetime

from portal.worker.schedule import Job, register_job

from .services import expire_overdue_supplements


def expire_supplements(slot):
    return f"{expire_overdue_supplements()} application(s) expired"


def register():
    # Just after midnight: a supplement's deadline day has ended.
    register_job(Job(key="applications.expire_supplements", run=expire_supplements, at=datetime.time(0, 5)))
