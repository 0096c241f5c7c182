import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # django-axes counts failed logins in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_pages(db):
    from tests.factories import build_site

    return build_site()
