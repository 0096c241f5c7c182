"""The councils' scheduled jobs, run by the worker (portal/worker/schedule.py)."""

import datetime

from django.utils import timezone

from portal.worker.schedule import Job, register_job

from .services.membership import announce_ended_terms


def terms_ended(slot):
    return f"{len(announce_ended_terms(timezone.localdate(slot)))} ended term(s) announced"


def register():
    register_job(Job(key="councils.terms_ended", run=terms_ended, at=datetime.time(0, 15)))
