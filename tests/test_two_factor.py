"""Two-factor sign-in (portal/accounts/twofactor.py): who must use it is sent to set it up or enter a code before any
page, the Wagtail admin included; the code and recovery codes work once each; exports of personal data and changes
to the second factor ask for a recent code; bad codes say so in the person's language and change nothing."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from portal.accounts import twofactor
from portal.accounts.roles import RoleCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def officer():
    return UserFactory(username="tf_secretariat", roles=[RoleCode.SECRETARIAT])


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _code(key_hex, *, steps_ahead=0):
    device = TOTPDevice(key=key_hex)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step  # the real clock, as the device checks it
    return f"{totp.token():06d}"


def _enrol(client):
    client.get(reverse("accounts:two_factor_setup"))
    key = client.session[twofactor.PENDING_KEY]
    response = client.post(reverse("accounts:two_factor_setup"), {"code": _code(key)})
    assert response.status_code == 200
    return key, response


def test_who_must_is_sent_to_set_it_up_before_any_page_and_the_admin(officer):
    client = _client(officer)
    for path in (reverse("workspace:dashboard"), "/admin/", reverse("accounts:profile")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two_factor_setup")), path
    htmx = client.get(reverse("workspace:dashboard"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.parametrize("roles", [[RoleCode.APPLICANT], [RoleCode.COUNCIL_MEMBER], [RoleCode.EVALUATOR]])
def test_applicants_members_and_experts_are_not_asked(roles):
    client = _client(UserFactory(username=f"tf_{roles[0]}", roles=roles))
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 404


def test_without_the_setting_nobody_is_asked(settings, officer):
    settings.TWO_FACTOR_REQUIRED = False
    assert _client(officer).get(reverse("workspace:dashboard")).status_code == 200


def test_setting_up_shows_a_qr_code_and_a_wrong_code_changes_nothing(officer):
    client = _client(officer)
    page = client.get(reverse("accounts:two_factor_setup"))
    html = page.content.decode()
    assert "<svg" in html and "no-store" in page["Cache-Control"]
    key = client.session[twofactor.PENDING_KEY]
    assert client.get(reverse("accounts:two_factor_setup")).context["secret"] == page.context["secret"]  # stable
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000" if _code(key) != "000000" else "1"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists() and not StaticToken.objects.exists()
    assert client.get(reverse("workspace:dashboard")).status_code == 302  # still not verified


def test_a_right_code_turns_it_on_shows_ten_recovery_codes_once_and_lets_the_person_in(officer):
    client = _client(officer)
    _key, response = _enrol(client)
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    assert ModelLogEntry.objects.filter(action="accounts.two_factor_enable", object_id=str(officer.pk)).exists()


def test_the_next_sign_in_asks_for_the_code_and_a_used_code_is_refused(officer):
    key, _response = _enrol(_client(officer))
    client = _client(officer)  # a new sign-in
    response = client.get(reverse("workspace:dashboard"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    replay = client.post(reverse("accounts:two_factor_verify"), {"code": _code(key)})  # the code setup used
    assert replay.status_code == 200 and not replay.wsgi_request.user.is_verified()
    time.sleep(1.1)  # one failure: the device asks a second's wait before the next code (django-otp's throttling)
    fresh = client.post(
        reverse("accounts:two_factor_verify"), {"code": _code(key, steps_ahead=1), "next": "/workspace/"}
    )
    assert fresh.status_code == 302 and fresh["Location"] == "/workspace/"
    assert client.get(reverse("workspace:dashboard")).status_code == 200


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(officer):
    _key, response = _enrol(_client(officer))
    recovery = response.context["codes"][0]
    client = _client(officer)
    first = client.post(reverse("accounts:two_factor_verify"), {"code": f" {recovery.upper()} "}, follow=True)
    assert "还剩 9 个" in first.content.decode()
    again = _client(officer).post(reverse("accounts:two_factor_verify"), {"code": recovery})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()


def test_new_recovery_codes_ask_for_a_code_again_after_15_minutes(officer, monkeypatch):
    key, _response = _enrol(client := _client(officer))
    back = reverse("accounts:two_factor")
    later = timezone.now() + twofactor.RECENT + datetime.timedelta(minutes=1)
    monkeypatch.setattr(twofactor.timezone, "now", lambda: later)
    refused = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert refused["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert StaticToken.objects.filter(device__user=officer).count() == 10  # unchanged
    client.post(reverse("accounts:two_factor_verify"), {"code": _code(key, steps_ahead=1), "next": back})
    made = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert made.status_code == 200 and len(made.context["codes"]) == 10


def test_the_guarded_exports_send_a_stale_session_to_verify(officer, monkeypatch, rf):
    from django.http import HttpResponse

    request = rf.get("/workspace/funds/x/export/")
    request.user, request.session = officer, {}
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    guarded = twofactor.reverify_first(lambda request: HttpResponse("sheet"))
    refused = guarded(request)
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("accounts:two_factor_verify"))
    request.session[twofactor.VERIFIED_AT] = timezone.now().isoformat()
    assert guarded(request).content == b"sheet"


def test_replacing_the_authenticator_starts_a_new_setup(officer):
    client = _client(officer)
    _enrol(client)
    response = client.post(reverse("accounts:two_factor_replace"))
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200


def test_an_administrator_resets_it_and_the_person_sets_it_up_again(officer):
    from django.core.management import call_command

    _enrol(_client(officer))
    call_command("reset_two_factor", officer.username, stdout=__import__("io").StringIO())
    assert not TOTPDevice.objects.filter(user=officer).exists() and not StaticToken.objects.exists()
    response = _client(officer).get(reverse("workspace:dashboard"))
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert ModelLogEntry.objects.filter(action="accounts.two_factor_reset", object_id=str(officer.pk)).exists()


def test_wrong_codes_in_a_row_make_the_person_wait(officer):
    key, _response = _enrol(_client(officer))
    client = _client(officer)
    for _attempt in range(3):
        client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    right_but_too_soon = client.post(reverse("accounts:two_factor_verify"), {"code": _code(key, steps_ahead=1)})
    assert "请稍等" in right_but_too_soon.content.decode()
    assert client.get(reverse("workspace:dashboard")).status_code == 302
