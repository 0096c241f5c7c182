"""Settings shared by every environment. Environment-specific files import * from here.

Everything that differs between machines comes from the environment:
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

PORTAL_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PORTAL_DIR.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Which settings module is in force; seed_demo refuses to run in production.
PORTAL_ENVIRONMENT = "base"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # The platform (portal/)
    "portal.accounts",
    "portal.organizations",
    "portal.pages",
    "portal.search",
    "portal.workspace",
    "portal.notifications",
    "portal.experts",
    "portal.reviews",
    "portal.voting",
    "portal.opinions",
    "portal.history",
    "portal.applications",
    "portal.pagecache",
    "portal.backups",
    "portal.worker",
    # Themes and the three domains; dependencies point domains -> themes -> portal.
    "themes",
    "councils",
    "funds",
    "talent",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Third party
    "guardian",
    "django_fsm",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
]

MIDDLEWARE = [
    # First: refuses an oversized body before anything (CSRF, forms, uploads) reads it.
    "portal.security.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # After the HTTPS redirect, before everything else: a cached anonymous page costs no session, user or template.
    "portal.pagecache.middleware.PageCacheMiddleware",
    "portal.security.PortalCSPMiddleware",
    # Inside the CSP middleware, so its policy for error pages is set before the site's policy would be.
    "portal.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who must use a second factor verifies it before any page (portal/accounts/twofactor.py).
    "portal.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.security.csp_nonce",
                "portal.pagecache.public.context",
            ],
        },
    },
]

# Database: SQLite file by default (zero set-up), PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",  # empty counts as unset
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a background task writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis via REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")

# Fernet keys for personal identifiers at rest (portal/crypto.py): newest first; older ones still decrypt.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous public pages (portal/pagecache): in Redis beside the rest when there is one, so that every worker
# serves and purges the same pages; otherwise in each process's memory (the development server is one process;
# production without Redis keeps them in files every worker of the host shares, see production.py).
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "portal-pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
# Sign-ins: read from Redis and written through to the database when there is Redis, so every node sees a sign-in
# at once and a restart of Redis signs no one out. Login lockouts (django-axes) are rows in the database and the
# rate limits (django-ratelimit) counters in the default cache: one limit across all nodes either way.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_ENABLED = os.environ.get("PORTAL_PAGE_CACHE", "on") != "off"
PAGE_CACHE_SECONDS = 6 * 3600  # at most; a purge or midnight ends it sooner
PAGE_CACHE_PURGE_MARGIN = 1.0  # seconds of clock difference between the hosts that render and purge
PAGE_CACHE_SHARED_SECONDS = 30  # what nginx or a CDN in front is told (s-maxage): they are not purged
PAGE_CACHE_SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
# What every page shows around its content (navigation, language switch, breadcrumbs, footer), kept in the same
# store and purged by the same tags, for every visitor (portal/pagecache/fragments.py).
FRAGMENT_CACHE_ENABLED = os.environ.get("PORTAL_FRAGMENT_CACHE", "on") != "off"

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before anything else looks at them.
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.UsernameOrEmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Three of lower-case, upper-case, digits and symbols (the demo password Pingshan@2026 has all four).
    {"NAME": "portal.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# A registration's confirmation link holds this long (portal.accounts.tokens).
ACCOUNT_CONFIRMATION_MAX_AGE = 3 * 24 * 60 * 60
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row; anonymous users have no object permissions

# Login throttling (django-axes): 5 failures per username and address lock for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Failures count against the account, however its name is spelled (case, spaces, its email address).
AXES_USERNAME_CALLABLE = "portal.accounts.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_address"

# Reverse proxies in front of the app server, so that the client's address is right behind nginx (see
# README): a hop count ("1") or the proxies' networks ("127.0.0.1,10.0.0.0/8"). Empty: none is trusted,
# the client is REMOTE_ADDR and X-Forwarded-For is ignored. Read by portal.security.client_address, which
# the login lockout and the /verify/ rate limit both use.
TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "")
RATELIMIT_IP_META_KEY = "portal.security.client_address"

# Request bodies larger than this are refused (413) before they are read: the largest anonymous upload is a
# 20 MB PDF to /verify/. A logged-in session may send more: a discussion post carries up to five 20 MB files.
# nginx's client_max_body_size must be at least the larger of the two (README).
MAX_REQUEST_BODY_SIZE = int(os.environ.get("MAX_REQUEST_BODY_SIZE", 25 * 1024 * 1024))
MAX_AUTHENTICATED_REQUEST_BODY_SIZE = int(os.environ.get("MAX_AUTHENTICATED_REQUEST_BODY_SIZE", 110 * 1024 * 1024))

# Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PORTAL_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES_FALLBACK = True

# Static and media. Media served publicly is only CMS images and documents;
# private attachments live under PRIVATE_MEDIA_ROOT and go through permission-checked views.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PORTAL_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Object storage (S3-compatible, django-storages) when S3_BUCKET is set, so that every node reads what any node wrote:
# public media (CMS images and documents) under media/, readable by URL; private files under private/, never public,
# served only through the permission-checked views (portal/files/storage.py). Otherwise both stay on this disk.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _S3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "file_overwrite": False,  # a second upload of 议程.pdf is kept beside the first, as on disk
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3,
            "location": "media",
            "querystring_auth": False,
            "custom_domain": os.environ.get("S3_MEDIA_DOMAIN") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3, "location": "private", "default_acl": "private", "querystring_auth": True},
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@portal.example.gov.cn")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work: django-tasks, immediate in dev and test, database backend in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The worker (manage.py worker, portal/worker): seconds before each retry of a failed task (so at most five attempts),
# and how long a worker may go without a heartbeat before the task it was running is given to another.
WORKER_RETRY_DELAYS = (30, 120, 600, 1800)
WORKER_LEASE_SECONDS = int(os.environ.get("WORKER_LEASE_SECONDS", "60"))

# Wagtail
WAGTAIL_SITE_NAME = "坪山产业共治与创新基金门户"
WAGTAILADMIN_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no network beyond our own
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to an external host: Wagtail's own default avatar

# Security headers that hold everywhere; production.py adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
# A sign-in lasts a working day, not Django's two weeks: a shared office computer forgets it overnight.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 10 * 3600))
# Two-factor sign-in (portal/accounts/twofactor.py) for staff, the secretariat, fund managers, talent officers,
# authorities and Wagtail admin users: on in production; off here unless PORTAL_TWO_FACTOR=on, so the demo's people
# and the tests sign in with a password (the tests of two-factor sign-in turn it on).
TWO_FACTOR_REQUIRED = env_bool("PORTAL_TWO_FACTOR", False)
OTP_TOTP_ISSUER = "坪山共治门户"

# Content-Security-Policy (django-csp). Everything is self-hosted; inline <script>/<style> need the
# request's nonce ({{ csp_nonce }}). Style *attributes* are allowed: theme colours are data (Theme.colour)
# passed to the CSS as custom properties (style="--tile-colour: ..."), and a style attribute can neither
# run script nor load anything that img-src/font-src would refuse. Framing only by ourselves: Wagtail's
# live preview frames the site (with X_FRAME_OPTIONS = "SAMEORIGIN" for older browsers).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# The Wagtail admin (staff only, behind login) still writes inline <script> for inline panels and date
# choosers and inline styles throughout, and shows uploaded images as data:/blob: previews; everything
# else stays self-hosted. portal.security.PortalCSPMiddleware applies it under PATH_PREFIX.
CONTENT_SECURITY_POLICY_ADMIN = {
    "PATH_PREFIX": "/admin/",
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Browser features the portal never uses, switched off for every page (Permissions-Policy).
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "xr-spatial-tracking",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Libraries that narrate their work at INFO (a PDF is ~20 lines of WeasyPrint and fontTools): their warnings only.
    "loggers": {name: {"level": "WARNING"} for name in ("jieba", "weasyprint", "fontTools", "pyhanko")},
}
