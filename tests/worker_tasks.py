"""Tasks for tests/test_worker.py: the worker imports them by their dotted path, as it does the portal's own."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task


@task()
def flaky(name: str, failures: int) -> str:
    """Fails with a connection error its first ``failures`` times (counted in the cache), then answers."""
    attempt = cache.get_or_set(f"flaky:{name}", 0)
    cache.set(f"flaky:{name}", attempt + 1)
    if attempt < failures:
        raise ConnectionError("the mail server went away")
    return f"{name} done on attempt {attempt + 1}"


@task()
def refused() -> None:
    raise ValidationError("This will never be valid.")


def make_user_then_fail_once(slot) -> str:
    """A scheduled job whose first run is killed after it wrote: its writes must not stay."""
    get_user_model().objects.create(username=f"made-at-{timezone.localtime(slot):%H%M}")
    if not cache.get("job-failed-once"):
        cache.set("job-failed-once", True)
        raise ConnectionError("the worker's machine went away")
    return "made"
