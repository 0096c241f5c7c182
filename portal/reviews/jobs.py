"""Panel reviews' scheduled job, run by the worker (portal/worker/schedule.py)."""

import datetime

from portal.worker.schedule import Job, register_job

from .services import send_overdue_reminders


def remind_overdue(slot):
    return f"{len(send_overdue_reminders())} reminder(s) sent"


def register():
    register_job(Job(key="reviews.remind_overdue", run=remind_overdue, at=datetime.time(9, 0)))
