"""Test settings: fast hashing, in-memory mail, immediate tasks, isolated media."""

import atexit
import os
import shutil
import tempfile

from .base import *  # noqa: F403

PORTAL_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per process, so each pytest-xdist worker (PYTEST_XDIST_WORKER: gw0, gw1 …) has its own media,
# private files and development signing key; removed when the process ends.
_tmp = tempfile.mkdtemp(prefix=f"portal-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
STATIC_ROOT = f"{_tmp}/static"
os.makedirs(STATIC_ROOT, exist_ok=True)
MEDIA_ROOT = f"{_tmp}/media"
PRIVATE_MEDIA_ROOT = f"{_tmp}/private"
# Files on this disk, in the folders above, unless S3_BUCKET asks for object storage (tests/test_object_storage.py).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# One process, one clock: a page rendered right after a purge may be kept (tests GET it again at once).
PAGE_CACHE_PURGE_MARGIN = 0.0
# Off, so that a view's query budget counts its own queries however warm the store is; the fragments' tests
# (tests/test_page_fragments.py, tests/test_public_budget.py) switch them on.
FRAGMENT_CACHE_ENABLED = False

# Expected lock-outs, 404s and 405s in tests are not news; real errors still show.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "axes": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
    },
}
