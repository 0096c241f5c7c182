import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

pytest_plugins = ["tests.owners"]  # the owner_grants fixture for the engines' tests


@pytest.fixture(autouse=True)
def _fresh_cache():
    # django-axes counts failed logins in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request to an /en/ page leaves English active in the thread (LocaleMiddleware never deactivates);
    # each test starts in the site's default language, as a new request would.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def one_rate_window(monkeypatch):
    """One django-ratelimit window for the whole test, so a minute boundary cannot reset a count half-way."""
    monkeypatch.setattr("django_ratelimit.core._get_window", lambda value, period: 4_000_000_000)


@pytest.fixture
def site_pages(db):
    from tests.factories import build_site

    return build_site()
