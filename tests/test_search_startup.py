"""jieba's dictionaries load when a server starts (SearchConfig.ready), not on the first search; one-off commands
such as migrate or check start without them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.search import segment, suggestions
from portal.search.apps import serves_requests

ROOT = Path(__file__).resolve().parents[1]
LOADED = (
    "from portal.search import segment, suggestions; print(segment.is_initialized(), suggestions._keywords is not None)"
)


@pytest.mark.parametrize(
    ("argv", "serves"),
    [
        (["/srv/.venv/bin/gunicorn", "portal.wsgi:application"], True),
        (["manage.py", "runserver", "0:8000"], True),
        (["./manage.py", "db_worker"], True),
        (["manage.py", "worker"], True),
        (["manage.py", "migrate"], False),
        (["/work/main/manage.py", "check", "--deploy"], False),
        (["django-admin", "makemigrations"], False),
        (["manage.py"], False),
        ([], True),
    ],
)
def test_servers_load_the_dictionaries_and_one_off_commands_do_not(argv, serves):
    assert serves_requests(argv) is serves


def _run(*args):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    done = subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=True)
    return done.stdout.split()[-2:]


def test_a_wsgi_process_has_them_loaded_once_django_is_set_up():
    # What gunicorn does: import the WSGI module, which sets Django up.
    code = f"import portal.wsgi; {LOADED}"
    assert _run(sys.executable, "-c", code) == ["True", "True"]


def test_a_management_command_that_needs_no_search_starts_without_them():
    assert _run(sys.executable, "manage.py", "shell", "-c", LOADED) == ["False", "False"]


def test_this_test_process_loaded_them_at_start():
    assert segment.is_initialized()
    assert suggestions._keywords is not None
