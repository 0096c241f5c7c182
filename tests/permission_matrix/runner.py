"""What the project's permission matrices share (the whole project's in test_matrix.py, the applications engine's
and the fund's): how an answer reads as an outcome, the fingerprint that shows whether a request changed anything,
and the judging of one row's cells.

A matrix module builds its own world and sends its own requests; ``check_row`` asks it for each (person, method)
and fails the row with every mismatch at once. ``PERMISSION_MATRIX_DUMP=/tmp/matrix.txt`` writes every observed
cell there, mismatches marked with ``!``.
"""

import os
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from . import table


def login_paths() -> set[str]:
    paths = {"/admin/login/"}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            paths.add(reverse("accounts:login"))
    return paths


def outcome(response, paths) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return table.OK
    if code in (301, 302, 303, 307, 308):
        return table.LOGIN if urlsplit(response["Location"]).path in paths else table.OK
    return {
        400: table.BAD,
        403: table.DENIED,
        404: table.NOT_FOUND,
        405: table.NOT_ALLOWED,
        429: table.LIMITED,
    }.get(code, f"HTTP {code}")


class Fingerprint:
    """Row counts of every table of ``app_labels`` and of ``models`` in one query, and the full rows of the
    ``stateful`` models (labels): cheap enough to take after each request of a matrix."""

    def __init__(self, app_labels=(), models=(), stateful=()):
        counted = [model for label in app_labels for model in apps.get_app_config(label).get_models()]
        self.tables = list(dict.fromkeys(model._meta.db_table for model in (*counted, *models)))
        quote = connection.ops.quote_name
        self.count_sql = " UNION ALL ".join(
            f"SELECT {index}, COUNT(*) FROM {quote(name)}" for index, name in enumerate(self.tables)
        )
        self.stateful = [apps.get_model(label) for label in stateful]

    def take(self, rows=True) -> dict:
        """``rows=False``: counts only, enough for a GET (a read that writes adds an audit or notification row)."""
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql)
            counts = dict(cursor.fetchall())
        taken = {name: counts[index] for index, name in enumerate(self.tables)}
        for model in self.stateful if rows else ():
            taken[f"{model._meta.label} rows"] = repr(list(model._base_manager.order_by("pk").values_list()))
        return taken


def changes(before: dict, after: dict) -> list[str]:
    return sorted(label for label in after if after[label] != before.get(label))


def send(world, who, method, url, body=None, query=""):
    """One request as ``who`` (``world.users``) in a rolled-back transaction, its changes read from
    ``world.fingerprint``: (outcome, changed labels, error text)."""
    with transaction.atomic():
        client = Client(raise_request_exception=False)
        if world.users[who] is not None:
            client.force_login(world.users[who])
        before = world.fingerprint.take()
        response = client.get(url + query) if method == "get" else client.post(url, body or {})
        after = world.fingerprint.take()
        transaction.set_rollback(True)
    error = repr(response.exc_info[1]) if getattr(response, "exc_info", None) else ""
    return outcome(response, world.login_paths), changes(before, after), error


def check_shape(table_module, probes):
    """Every row of the table has a probe, and one cell per person for GET and for POST."""
    assert set(probes) == set(table_module.TABLE)
    for name, row in table_module.TABLE.items():
        for method in ("get", "post"):
            assert set(getattr(row, method)) == set(table_module.USERS), f"{name} {method}"


def check_row(name, row, users, url, send):
    """Every cell of ``row``: ``send(who, method)`` answers (outcome, changed labels, error text). A cell fails when
    the outcome differs from the table, when a refusal changed something, or when a permitted POST of a writing
    row changed nothing."""
    failures, observed = [], []
    for method in ("get", "post"):
        for who in users:
            expected = getattr(row, method)[who]
            got, changed, error = send(who, method)
            problem = ""
            if got != expected:
                problem = f"expected {expected}, got {got}"
            elif got != table.OK and changed:
                problem = f"refused ({got}) but changed {', '.join(changed)}"
            elif got == table.OK and method == "post" and row.writes and not changed:
                problem = "permitted POST changed nothing (is the probe's form valid?)"
            if error:
                problem += f" [{error}]"
            observed.append(f"{'!' if problem else ' '} {name:45} {method:4} {who:20} {got}")
            if problem:
                failures.append(f"{method.upper()} {url} as {who}: {problem}")
    dump = os.environ.get("PERMISSION_MATRIX_DUMP")
    if dump:
        with open(dump, "a", encoding="utf-8") as stream:
            stream.write("\n".join(observed) + "\n")
    assert not failures, f"{name}:\n  " + "\n  ".join(failures)
