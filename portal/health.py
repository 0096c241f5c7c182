"""``/health/``: whether this node can reach what it needs (database, cache, file storage), for a load balancer or an
orchestrator. 200 when all answer, 503 when one does not; the body names the checks and says ok or failed, never why
(the reason goes to the log, where operators read it, not to whoever asks)."""

import logging
import time
import uuid

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.files.storage import private_storage

logger = logging.getLogger(__name__)


def _database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    # A key of its own per probe: two nodes probing at once must not read each other's value.
    key, value = f"health:{uuid.uuid4().hex}", str(time.time())
    cache = caches["default"]
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def _writes(storage):
    # What the node does with files: store one and remove it (a disk that is full or read-only, a bucket refusing).
    name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with storage.open(name) as stored:
            return stored.read() == b"ok"
    finally:
        storage.delete(name)


def _storage():
    return _writes(default_storage) and _writes(private_storage())


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
@require_safe
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failed"
        except Exception:  # any failure is a failed check; its reason is logged for the operators
            logger.exception("health check %s failed", name)
            results[name] = "failed"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "failed", "checks": results}, status=200 if healthy else 503)
