import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from portal.worker.runner import Housekeeper, PortalWorker, housekeep

logger = logging.getLogger("portal.worker")
RECONNECT_SECONDS = 2


class Command(db_worker.Command):
    help = (
        "Run background tasks (PDF rendering, imports, mail, reminders) and the scheduled jobs: failed tasks are "
        "retried with backoff, and tasks of a worker that died are run again. Run one or more beside the web nodes."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--housekeeping-interval",
            type=float,
            default=10.0,
            help="Seconds between heartbeats, recovery of abandoned tasks and enqueuing scheduled jobs (default 10).",
        )
        parser.add_argument("--no-schedule", action="store_true", help="Do not enqueue scheduled jobs.")

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        housekeeping_interval,
        no_schedule,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = PortalWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay and not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if batch:  # one round, then every ready task, then out (tests, a cron line)
            housekeep(worker_id, schedule=not no_schedule)
            worker.run()
            return
        housekeeper = Housekeeper(worker_id, housekeeping_interval, schedule=not no_schedule)
        housekeeper.start()
        worker.configure_signals()
        try:
            run_through_database_restarts(worker)
        finally:
            housekeeper.stopped.set()


def run_through_database_restarts(worker):
    """Run the worker's loop; when the database goes away (a restart, a failover), wait and take it up again rather
    than exit. A task that was running then is taken back by the housekeeping once its lease has passed."""
    while True:
        try:
            worker.run()
            return
        except (OperationalError, InterfaceError) as error:
            logger.warning("The database is unreachable (%s); trying again in %s s", error, RECONNECT_SECONDS)
            connections.close_all()
            time.sleep(RECONNECT_SECONDS)
