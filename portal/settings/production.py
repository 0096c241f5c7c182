"""Production: refuses to start without a real SECRET_KEY and ALLOWED_HOSTS."""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

PORTAL_ENVIRONMENT = "production"
DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 32 or "insecure" in SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 32 characters.")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the portal's host names (no wildcard).")

# ID and passport numbers and dates of birth are encrypted at rest (portal/crypto.py) with keys that are not the
# SECRET_KEY. A new key: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
if not FIELD_ENCRYPTION_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must hold at least one Fernet key (comma-separated, newest first)."
    )
try:  # a mistyped key must stop the start, not the first request that reads an ID number
    [Fernet(key) for key in FIELD_ENCRYPTION_KEYS]  # noqa: F405
except (ValueError, TypeError) as error:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes)."
    ) from error

# Each worker keeps its database connection between requests (a new one per request cost a quarter of an uncached
# page's time on SQLite: connecting and its PRAGMAs), checked before reuse after an error or a restart of the server.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "300"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Without Redis, every gunicorn worker must still serve and purge the same cached pages: files on the host.
if not REDIS_URL:  # noqa: F405
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "pages"),  # noqa: F405
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }

# Two-factor sign-in for everyone who holds power over others' data (PORTAL_TWO_FACTOR=off only to recover a site).
TWO_FACTOR_REQUIRED = env_bool("PORTAL_TWO_FACTOR", True)

# Background work (PDF rendering, imports, mail, the schedule) runs in `manage.py worker`, not in the request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Issued opinions are signed with the portal's certificate, never a self-made development one.
OPINIONS_SIGNING_KEY = os.environ.get("OPINIONS_SIGNING_KEY", "")
OPINIONS_SIGNING_CERT = os.environ.get("OPINIONS_SIGNING_CERT", "")
if not (OPINIONS_SIGNING_KEY and OPINIONS_SIGNING_CERT):
    raise ImproperlyConfigured("OPINIONS_SIGNING_KEY and OPINIONS_SIGNING_CERT must name the PEM key and certificate.")

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
# Mail goes out through the district's relay (the worker sends it, retrying while the relay is down).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (implicit TLS) exclude each other.")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# The portal's host names serve HTTPS only, subdomains included; preloading puts that in browsers before
# their first visit. Set SECURE_HSTS_PRELOAD=0 on a domain that has subdomains still served over plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# security.W019 wants X_FRAME_OPTIONS = "DENY", but Wagtail's live preview frames our own pages in the
# admin: we keep "SAMEORIGIN", and CSP frame-ancestors 'self' says the same to current browsers.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
LOGGING["root"]["level"] = "INFO"  # noqa: F405
# One JSON object per line on stdout, for the log collector (LOG_FORMAT=text for a person reading a terminal).
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["formatters"] = {  # noqa: F405
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    }
    LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
