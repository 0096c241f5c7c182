"""What a benchmark here needs to run as a script as well as under ``make bench``: Django set up, a test database made
and removed around the run, the machine's load, medians of wall-clock and CPU seconds, and the BENCH lines.

Imported as ``benchtools``: this folder is on sys.path both ways (the script's own folder; pytest's rootdir-less
insertion of a folder without __init__.py). Not named bench_*, so the folder's conftest does not collect it.

The BENCH line. ``make bench`` (tests/benchmarks/run.py) runs every ``bench_*.py`` here as a script and reads, from
its standard output, one line per figure, printed by ``report()``:

    BENCH {"name": "opinion PDF, 3 pages: median render", "figure": 0.31, "unit": "s", "target": 0.5,
           "better": "lower", "variant": "", "note": ""}

name      what was measured (the table's first column; figures sharing a name are shown together, one per variant)
figure    the number measured, in ``unit``; null when it could not be measured (``note`` says why)
unit      "s", "ms", "req/s", "KB", "x" …, printed after the number
target    the issue's target in the same unit, or null for a figure printed for information (no pass or miss)
better    "lower" (a time: met when figure <= target) or "higher" (a rate: met when figure >= target)
variant   optional: what differs between figures of the same name ("cached", "uncached", "sqlite" …)
note      optional: a few words shown beside the figure (a baseline, "cache not active" …)

The line is one JSON object after "BENCH " on a single line; anything else the script prints is for people.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def in_test_database(run) -> None:
    """``run()`` against a test database of the configured engine, removed afterwards (the script's way in).

    On SQLite the migrated database comes from the test suite's cache (tests/dbcache.py, built there if missing):
    migrating afresh took minutes on the shared machine, longer than make bench gives a script."""
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_databases, teardown_test_environment

    from tests import dbcache

    setup_test_environment()
    folder = dbcache.cache_dir()
    if folder is not None and connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"):
        folder.mkdir(parents=True, exist_ok=True)
        key = dbcache.migrations_key()
        database_file, rows_file = folder / f"{key}.sqlite3", folder / f"{key}.json"
        with dbcache.locked(folder / f"{key}.lock"):
            if database_file.exists():
                old_config, _rows = dbcache.load(connection, database_file, rows_file)
            else:
                old_config, _rows = dbcache.build(connection, database_file, rows_file)
    else:
        old_name = connection.settings_dict["NAME"]
        with dbcache.lean_historical_models():
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        old_config = [(connection, old_name, True)]
    try:
        run()
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class Clock:
    """Times each ``with`` block: wall clock and this process's CPU (the machine is shared: the two differ under
    load); ``str()`` gives their medians."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def __enter__(self):
        self.started, self.started_cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall.append(time.perf_counter() - self.started)
        self.cpu.append(time.process_time() - self.started_cpu)
        return False

    def __str__(self):
        return f"{statistics.median(self.wall):7.2f} s (CPU {statistics.median(self.cpu):6.2f} s)"


def report(name, figure, unit, target=None, better="lower", variant="", note="") -> None:
    """Print one figure as a BENCH line (the format above) for ``make bench``'s table."""
    if better not in ("lower", "higher"):
        raise ValueError(f"better is 'lower' or 'higher', not {better!r}")
    line = {
        "name": name,
        "figure": None if figure is None else round(float(figure), 4),
        "unit": unit,
        "target": target,
        "better": better,
        "variant": variant,
        "note": note,
    }
    print("BENCH " + json.dumps(line, ensure_ascii=False), flush=True)


def timed_gets(client, url, runs, data=None) -> tuple[list, list]:
    """(wall ms, CPU ms of this process) of ``runs`` GETs of ``url`` through Django's test client, each a 200."""
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, data)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings, cpu
