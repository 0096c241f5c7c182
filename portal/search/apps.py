import sys
from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# manage.py commands that serve requests or run the tasks that index pages; the others (migrate, check,
# makemigrations, shell, ...) start without the dictionaries and load them only if they segment text.
SERVING_COMMANDS = frozenset({"runserver", "worker", "db_worker"})
COMMAND_LINE_TOOLS = frozenset({"manage.py", "django-admin"})


def serves_requests(argv) -> bool:
    """Whether this process answers requests (gunicorn, runserver, a test run) rather than running a one-off command."""
    if not argv or Path(argv[0]).name not in COMMAND_LINE_TOOLS:
        return True
    return len(argv) > 1 and argv[1] in SERVING_COMMANDS


class SearchConfig(AppConfig):
    name = "portal.search"
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self):
        # jieba's dictionaries take ~3.5 s to load: a server loads them before its first request rather than
        # making the first searcher wait (measured in tests/benchmarks/README.md).
        if serves_requests(sys.argv):
            from . import segment, suggestions

            segment.initialize()
            suggestions.initialize()
