"""Which failed tasks run again, and when: a mail server or the database coming back after a restart, a renderer
short of memory. Refusals (invalid data, no permission, a row that is gone) would fail the same way again."""

import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation, ValidationError
from django.utils.module_loading import import_string

PERMANENT = (ValidationError, PermissionDenied, ObjectDoesNotExist, SuspiciousOperation, ImportError)


def delays() -> tuple[int, ...]:
    """Seconds before the 2nd, 3rd … attempt; a task runs at most len(delays()) + 1 times."""
    return tuple(settings.WORKER_RETRY_DELAYS)


def is_permanent(exception_class_path: str) -> bool:
    try:
        exception_class = import_string(exception_class_path)
    except ImportError:
        return False
    return isinstance(exception_class, type) and issubclass(exception_class, PERMANENT)


def retry_at(exception_class_path: str, attempts: int, now: datetime.datetime) -> datetime.datetime | None:
    """When to run a task again after its ``attempts``-th attempt failed; None when it should stay failed."""
    if is_permanent(exception_class_path) or attempts > len(delays()):
        return None
    return now + datetime.timedelta(seconds=delays()[max(attempts, 1) - 1])
