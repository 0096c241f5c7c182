"""Finding 2: the login lockout is keyed on the account, whatever the spelling of its name."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt

from portal.accounts.backends import lockout_username
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SPELLINGS = ["authority1", "AUTHORITY1", " authority1", "Authority1 ", "authority1@demo.example.cn"]


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def authority1():
    return UserFactory(username="authority1", email="authority1@demo.example.cn")


def lock_with_mixed_spellings(client):
    for spelling in SPELLINGS:
        response = login(client, spelling, "wrong-password")
        assert not logged_in(client)
    return response


def test_five_failures_under_mixed_spellings_lock_the_account(client, authority1):
    lock_with_mixed_spellings(client)
    assert AccessAttempt.objects.get().username == "authority1"  # one counter, not five
    for spelling in [*SPELLINGS, "AUTHORITY1@DEMO.EXAMPLE.CN"]:
        response = login(client, spelling)  # the right password
        assert response.status_code == 429, spelling
        assert not logged_in(client)
    # Trying the right password while locked does not clear the lock.
    assert AccessAttempt.objects.get(username="authority1").failures_since_start >= 5


def test_the_account_logs_in_after_the_cool_off(client, authority1, settings):
    lock_with_mixed_spellings(client)
    assert login(client, "authority1").status_code == 429
    # Move the clock past the cool-off: the failures are now older than AXES_COOLOFF_TIME hours.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    response = login(client, "AUTHORITY1")
    assert response.status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.exists()  # a success clears the account's failures


def test_a_success_before_the_limit_clears_the_failures_of_every_spelling(client, authority1):
    for spelling in SPELLINGS[:4]:
        login(client, spelling, "wrong-password")
    assert login(client, "authority1@demo.example.cn").status_code == 302
    assert not AccessAttempt.objects.exists()


def test_spellings_of_an_unknown_name_share_one_allowance(client, authority1):
    for spelling in ["ghost", "GHOST", " Ghost", "gHoSt ", "ＧＨＯＳＴ"]:
        login(client, spelling, "wrong-password")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["ghost"]
    assert login(client, "ghost", "anything").status_code == 429
    # Another account from the same address is not affected.
    assert login(client, "authority1").status_code == 302


def test_lockout_username_resolves_every_spelling(authority1, rf):
    request = rf.post("/accounts/login/", {"username": " AUTHORITY1@Demo.Example.CN "})
    assert lockout_username(request) == "authority1"
    assert lockout_username(request, {"username": "Authority1"}) == "authority1"
    assert lockout_username(request, {"username": "NoSuchUser"}) == "nosuchuser"
    assert lockout_username(request, {"username": ""}) is None


def test_an_exact_username_wins_over_a_case_variant(client):
    older = UserFactory(username="Chen", email="chen1@example.cn")
    newer = UserFactory(username="chen", email="chen2@example.cn")
    assert lockout_username(None, {"username": "chen"}) == newer.username
    assert lockout_username(None, {"username": "Chen"}) == older.username
    assert lockout_username(None, {"username": "CHEN"}) == older.username  # the oldest case-insensitive match
