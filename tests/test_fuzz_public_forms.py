"""Property tests (hypothesis) over the forms anyone can reach and the second factor's: whatever text arrives —
Chinese, control characters, emoji, 1,000 characters, nothing — the answer is a page (never a 500) and nothing is
saved that should not be. Bounded: a few dozen examples per form, no deadline (the first request of a process loads
more)."""

import hypothesis
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from portal.accounts.roles import RoleCode
from portal.opinions.models import Opinion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every kind of character a form meets: CJK, Latin, digits, punctuation, control characters, surrogate-free emoji.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=1000,
)
FUZZ = hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def unlimited(settings):
    # The rate limits answer 429 by design after 30 requests a minute; here every request must reach the form.
    settings.RATELIMIT_ENABLE = False


@FUZZ
@given(query=TEXT, page=TEXT)
def test_search_answers_any_query_and_page(client, site_pages, query, page):
    response = client.get("/search/", {"q": query, "page": page})
    assert response.status_code == 200


@FUZZ
@given(code=TEXT)
def test_verify_answers_any_code_and_changes_nothing(client, site_pages, code):
    before = Opinion.objects.count()
    start = client.get(reverse("verify:start"), {"code": code})
    assert start.status_code in (200, 302)
    if start.status_code == 302:
        assert client.get(start["Location"]).status_code in (200, 404)
    assert Opinion.objects.count() == before


@FUZZ
@given(username=TEXT, email=TEXT, real_name=TEXT, phone=TEXT, language=TEXT, password=TEXT)
def test_registration_refuses_any_bad_input_with_a_page(
    client, site_pages, username, email, real_name, phone, language, password
):
    users = get_user_model().objects.count()
    fields = {"username": username, "email": email, "real_name": real_name, "phone": phone}
    fields |= {"preferred_language": language, "password": password, "password_again": password}
    response = client.post(reverse("accounts:register"), fields)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert get_user_model().objects.count() == users


@FUZZ
@given(username=TEXT, password=TEXT)
def test_login_answers_any_credentials_with_a_page(site_pages, username, password):
    response = Client().post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code in (200, 403, 429)  # 403/429: the lockout after five failures (axes)


@pytest.fixture
def officer(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return UserFactory(username="fuzz_officer", roles=[RoleCode.SECRETARIAT])


@FUZZ
@given(code=TEXT)
def test_the_second_factor_setup_refuses_any_wrong_code_and_saves_nothing(officer, code):
    client = Client()
    client.force_login(officer)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=officer).exists()
