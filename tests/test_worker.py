"""The worker (portal/worker): failed tasks run again with backoff, refusals stay failed, tasks of a worker that
stopped beating run again, and scheduled jobs are enqueued once per slot and do their work once, however often
they are retried. The worker runs in batch mode here: one housekeeping round, every ready task, then out."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from portal.worker import schedule
from portal.worker.models import ScheduledRun, WorkerBeat
from portal.worker.runner import beat, recover_abandoned
from portal.worker.schedule import Job, due_slot, enqueue_due
from portal.worker.tasks import run_scheduled
from tests import worker_tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


@pytest.fixture
def database_tasks(monkeypatch):
    # The worker closes "old" connections between tasks, as a request does; inside a test's transaction on
    # PostgreSQL that would close the test's own connection. The worker's processes do it for real elsewhere.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@pytest.fixture
def no_jobs(monkeypatch):
    """Only the jobs a test registers (the apps' own would enqueue too)."""
    monkeypatch.setattr(schedule, "jobs", schedule.Registry())
    return schedule.jobs


def work(worker_id="test-worker"):
    call_command("worker", batch=True, interval=0, worker_id=worker_id, verbosity=0)


def result_of(task_result):
    return DBTaskResult.objects.get(pk=task_result.id)


def test_a_failed_task_runs_again_after_its_delay_then_succeeds(no_jobs):
    enqueued = worker_tasks.flaky.enqueue("mail", failures=1)
    before = timezone.now()
    work()
    result = result_of(enqueued)
    assert result.status == TaskResultStatus.READY and len(result.worker_ids) == 1
    assert before + datetime.timedelta(seconds=29) < result.run_after < timezone.now() + datetime.timedelta(seconds=31)
    assert "ConnectionError" in result.traceback

    work()  # not due yet: nothing runs
    assert result_of(enqueued).status == TaskResultStatus.READY
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())
    work()
    result = result_of(enqueued)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "mail done on attempt 2"
    assert len(result.worker_ids) == 2


def test_the_delay_grows_and_a_task_stops_after_its_last_attempt(no_jobs, settings):
    settings.WORKER_RETRY_DELAYS = (10, 40)
    enqueued = worker_tasks.flaky.enqueue("slow", failures=5)
    waits = []
    for _attempt in range(3):
        started = timezone.now()
        work()
        result = result_of(enqueued)
        if result.status == TaskResultStatus.READY:
            waits.append(round((result.run_after - started).total_seconds()))
            DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())
    assert waits == [10, 40]
    assert result.status == TaskResultStatus.FAILED and len(result.worker_ids) == 3


def test_a_refusal_is_not_retried(no_jobs):
    enqueued = worker_tasks.refused.enqueue()
    work()
    result = result_of(enqueued)
    assert result.status == TaskResultStatus.FAILED and len(result.worker_ids) == 1
    assert result.exception_class_path == "django.core.exceptions.ValidationError"


def claimed_by(worker_id, task_result, *, minutes_ago):
    result = result_of(task_result)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return result


def test_a_task_left_running_by_a_dead_worker_runs_again_on_another(no_jobs):
    beat("alive", now=timezone.now())
    beat("dead", now=timezone.now() - datetime.timedelta(minutes=5))
    orphan = worker_tasks.flaky.enqueue("orphan", failures=0)
    busy = worker_tasks.flaky.enqueue("busy", failures=0)
    claimed_by("dead", orphan, minutes_ago=5)
    claimed_by("alive", busy, minutes_ago=5)  # a long task of a live worker is left alone

    assert [result.pk for result in recover_abandoned()] == [result_of(orphan).pk]
    assert result_of(orphan).status == TaskResultStatus.READY
    assert result_of(busy).status == TaskResultStatus.RUNNING
    work("other")
    result = result_of(orphan)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.worker_ids == ["dead", "other"]
    assert WorkerBeat.objects.filter(worker_id="other").exists()


def test_a_task_just_claimed_is_not_taken_back(no_jobs):
    task_result = worker_tasks.flaky.enqueue("fresh", failures=0)
    claimed_by("no-beat-yet", task_result, minutes_ago=0)
    assert recover_abandoned() == []


def test_a_task_abandoned_on_its_last_attempt_fails(no_jobs, settings):
    settings.WORKER_RETRY_DELAYS = (10,)
    task_result = worker_tasks.flaky.enqueue("twice", failures=0)
    claimed_by("dead-1", task_result, minutes_ago=0)
    claimed_by("dead-2", task_result, minutes_ago=5)
    recover_abandoned()
    result = result_of(task_result)
    assert result.status == TaskResultStatus.FAILED and result.exception_class_path.endswith("WorkerLost")


# --- the schedule ----------------------------------------------------------------------------------------------


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def test_due_slots_are_the_latest_moment_at_or_before_now():
    daily = Job(key="daily", run=str, at=datetime.time(9, 0))
    hourly = Job(key="hourly", run=str, every=datetime.timedelta(hours=6))
    assert due_slot(daily, at(2, 8, 59)) == at(1, 9)
    assert due_slot(daily, at(2, 9, 0)) == at(2, 9)
    assert due_slot(daily, at(2, 23, 59)) == at(2, 9)
    assert due_slot(hourly, at(2, 5, 59)) == at(2, 0)
    assert due_slot(hourly, at(2, 13, 0)) == at(2, 12)
    with pytest.raises(ValueError):
        Job(key="both", run=str, at=datetime.time(9), every=datetime.timedelta(hours=1))


def test_every_worker_enqueues_a_slot_once_and_its_work_happens_once(no_jobs, django_capture_on_commit_callbacks):
    done = []
    schedule.register_job(Job(key="count", run=lambda slot: done.append(slot) or "counted", at=datetime.time(9)))
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_due(now=at(2, 9, 30))
        second = enqueue_due(now=at(2, 10, 0))  # another worker, the same slot
    assert len(first) == 1 and second == []
    assert DBTaskResult.objects.filter(task_path="portal.worker.tasks.run_scheduled").count() == 1
    work()
    run = ScheduledRun.objects.get()
    assert run.slot == at(2, 9) and run.finished_at is not None and run.outcome == "counted"
    assert run_scheduled.call(run.pk) == "done before"  # a retry after the worker died past the commit
    assert done == [at(2, 9)]


def test_a_scheduled_run_killed_after_writing_leaves_nothing_and_runs_again(
    no_jobs, django_capture_on_commit_callbacks
):
    schedule.register_job(Job(key="make", run=worker_tasks.make_user_then_fail_once, at=datetime.time(0, 15)))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due(now=at(2, 0, 20))
    work()
    assert not get_user_model().objects.filter(username="made-at-0015").exists()
    result = DBTaskResult.objects.get(task_path="portal.worker.tasks.run_scheduled")
    assert result.status == TaskResultStatus.READY
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())
    work()
    assert get_user_model().objects.filter(username="made-at-0015").count() == 1
    assert ScheduledRun.objects.get().outcome == "made"


def test_the_apps_register_their_jobs():
    assert set(schedule.jobs) >= {
        "reviews.remind_overdue",
        "applications.expire_supplements",
        "talent.remind_overdue_services",
        "talent.notices_ended",
        "councils.terms_ended",
    }


def test_the_worker_waits_out_a_database_restart_instead_of_exiting(monkeypatch):
    from django.db import OperationalError

    from portal.worker.management.commands import worker as command

    runs = []

    class Flaky:
        def run(self):
            runs.append(1)
            if len(runs) == 1:
                raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(command, "RECONNECT_SECONDS", 0)
    monkeypatch.setattr(command.connections, "close_all", lambda: None)
    command.run_through_database_restarts(Flaky())
    assert len(runs) == 2
