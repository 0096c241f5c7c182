"""/health/ tells a load balancer whether this node reaches its database, cache and file storage (portal/health.py)."""

import pytest
from django.core.cache import caches

from portal import health

pytestmark = pytest.mark.django_db


def test_a_healthy_node_answers_200_with_each_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}
    assert "no-cache" in response["Cache-Control"] and not response.cookies


def test_each_failing_part_answers_503_and_names_it_without_the_reason(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis at 10.0.0.5:6379 refused the connection")

    monkeypatch.setattr(caches["default"], "set", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failed", "storage": "ok"}
    assert "10.0.0.5" not in response.content.decode()  # the reason is the operators', in the log
    assert "refused the connection" in caplog.text


def test_a_storage_that_loses_what_it_stores_fails(client, monkeypatch):
    monkeypatch.setattr(health, "_writes", lambda storage: False)
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["checks"]["storage"] == "failed"


def test_the_probes_leave_no_file_behind(client, settings):
    from pathlib import Path

    client.get("/health/")
    client.get("/health/")
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        assert not list((Path(root) / "health").glob("*")), root
