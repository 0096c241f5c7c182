"""Self-registration: the form, strong passwords, the confirmation mail and link, resending, rate limits."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode, has_role
from portal.accounts.views.accounts import REGISTER_RATE
from portal.demo import DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

STRONG = "Kangyuan-2026"


def form(**changes):
    values = {
        "username": "newfirm",
        "email": "newfirm@example.cn",
        "real_name": "王新",
        "phone": "0755-2800 0100",
        "preferred_language": "zh-hans",
        "password": STRONG,
        "password_again": STRONG,
    }
    return {**values, **changes}


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """POST the registration form (the mail goes out on commit)."""

    def post(path="/accounts/register/", **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, form(**changes))

    return post


def confirmation_path(message):
    return re.search(r"https?://[^/\s]+(/\S*accounts/register/confirm/\S+/)", message.body).group(1)


# Passwords ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefgh12", "ABCDEFGH12", "abcdefghij!", "zhangsan12345"])
def test_a_password_needs_three_kinds_of_character(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert "password_too_simple" in [e.code for e in error.value.error_list]


@pytest.mark.parametrize("password", [DEMO_PASSWORD, STRONG, "correct-horse-battery-1", "Abcdefgh1234"])
def test_demo_and_test_passwords_are_strong_enough(password):
    validate_password(password)


def test_the_password_rule_speaks_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("abcdefgh12")
    assert any("四类字符" in message for message in error.value.messages), error.value.messages


# Registering -------------------------------------------------------------------------------------------------


def test_register_creates_an_inactive_applicant_and_mails_a_link(register, client):
    response = register()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/sent/"
    user = User.objects.get(username="newfirm")
    assert not user.is_active
    assert has_role(user, RoleCode.APPLICANT)
    assert (user.real_name, user.phone, user.preferred_language) == ("王新", "0755-2800 0100", "zh-hans")
    assert user.check_password(STRONG)
    assert ModelLogEntry.objects.filter(object_id=str(user.pk), action="accounts.register").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newfirm@example.cn"]
    assert "坪山" in message.subject
    assert confirmation_path(message).startswith("/accounts/register/confirm/")
    assert "newfirm@example.cn" in client.get("/accounts/register/sent/").content.decode()
    # Not confirmed yet: cannot log in.
    assert client.post("/accounts/login/", {"username": "newfirm", "password": STRONG}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_following_the_link_confirms_logs_in_and_goes_to_the_organization_step(register, client):
    register()
    path = confirmation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert "newfirm@example.cn" in page.content.decode()
    assert not User.objects.get(username="newfirm").is_active  # a GET (a mail scanner) changes nothing
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/organization/"
    user = User.objects.get(username="newfirm")
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    assert ModelLogEntry.objects.filter(object_id=str(user.pk), action="accounts.confirm").exists()


def test_an_english_registration_reads_and_mails_in_english(register, client):
    page = client.get("/en/accounts/register/").content.decode()
    assert "Create an account" in page
    assert '<option value="en" selected>' in page  # the page's language is the default
    register(path="/en/accounts/register/", preferred_language="en", real_name="Dr. Anna Berg")
    message = mail.outbox[0]
    assert "Confirm your account" in message.subject
    assert "Hello Dr. Anna Berg" in message.body
    path = confirmation_path(message)
    assert path.startswith("/en/accounts/register/confirm/")
    assert client.post(path)["Location"] == "/en/accounts/organization/"


def test_next_is_kept_through_the_mail_and_checked(register, client):
    register(path="/accounts/register/?next=/workspace/notifications/")
    assert client.post(confirmation_path(mail.outbox[0]))["Location"] == "/workspace/notifications/"


def test_a_foreign_next_is_ignored(register, client):
    register(path="/accounts/register/?next=https://evil.example/phish")
    assert client.post(confirmation_path(mail.outbox[0]))["Location"] == "/accounts/organization/"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"password": "abcdefghij12", "password_again": "abcdefghij12"}, "password"),
        ({"password": "Short-1", "password_again": "Short-1"}, "password"),
        ({"password": "newfirm-Example-1", "password_again": "newfirm-Example-1"}, "password"),  # like the username
        ({"password_again": "Kangyuan-2027"}, "password_again"),
        ({"username": "Firm1"}, "username"),  # taken, in another case
        ({"username": "bad name!"}, "username"),
        ({"email": "FIRM1@example.cn"}, "email"),  # taken, in another case
        ({"email": "not-an-address"}, "email"),
        ({"real_name": ""}, "real_name"),
        ({"real_name": "秘书处"}, "real_name"),  # an office, not a person
        ({"phone": "call me"}, "phone"),
        ({"preferred_language": "fr"}, "preferred_language"),
        ({"username": "x" * 200}, "username"),
    ],
)
def test_bad_input_says_why_and_creates_nothing(register, changes, field):
    UserFactory(username="firm1", email="firm1@example.cn")
    before = User.objects.count()
    response = register(**changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert User.objects.count() == before
    assert mail.outbox == []


def test_refusals_read_in_the_pages_language(register):
    UserFactory(username="firm1", email="firm1@example.cn")
    zh = register(username="FIRM1").context["form"].errors["username"][0]
    en = register(path="/en/accounts/register/", username="FIRM1").context["form"].errors["username"][0]
    assert re.search(r"[\u4e00-\u9fff]", zh), zh
    assert en == "This username is taken. Choose another one."


def test_a_logged_in_person_is_sent_on_and_registers_nothing(client):
    client.force_login(UserFactory())
    before = User.objects.count()
    assert client.get("/accounts/register/")["Location"] == "/workspace/"
    assert client.post("/accounts/register/", form())["Location"] == "/workspace/"
    assert User.objects.count() == before


def test_registering_is_rate_limited_per_address(client, one_rate_window):
    allowed = int(REGISTER_RATE.split("/")[0])
    for _ in range(allowed):
        assert client.post("/accounts/register/", form(username="", email="")).status_code == 200
    response = client.post("/accounts/register/", form())
    assert response.status_code == 429
    assert not User.objects.filter(username="newfirm").exists()
    # Another address is not held back.
    assert client.post("/accounts/register/", form(), REMOTE_ADDR="10.0.0.9").status_code == 302


# The link: expired, used, forged; asking for a new one ------------------------------------------------------------


def test_an_expired_link_says_so_and_offers_a_new_one(register, client, settings):
    register()
    path = confirmation_path(mail.outbox[0])
    settings.ACCOUNT_CONFIRMATION_MAX_AGE = -1
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 200
        page = response.content.decode()
        assert "已过期" in page
        assert 'action="/accounts/register/resend/"' in page
    assert not User.objects.get(username="newfirm").is_active
    assert "_auth_user_id" not in client.session


def test_a_used_link_says_the_account_is_confirmed(register, client):
    register()
    path = confirmation_path(mail.outbox[0])
    client.post(path)
    client.logout()
    response = client.post(path)
    assert response.status_code == 200
    assert "已确认" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forged_link_changes_nothing(register, client):
    register()
    path = confirmation_path(mail.outbox[0])
    forged = path.replace("/confirm/", "/confirm/x")
    response = client.post(forged)
    assert response.status_code == 200
    assert "无效" in response.content.decode()
    assert not User.objects.get(username="newfirm").is_active


def test_an_account_switched_off_later_is_not_switched_on_by_its_old_link(register, client):
    register()
    path = confirmation_path(mail.outbox[0])
    User.objects.filter(username="newfirm").update(last_login=timezone.now())  # it was used, then switched off
    client.post(path)
    assert not User.objects.get(username="newfirm").is_active


def test_resend_mails_a_new_link_only_to_an_account_waiting_for_one(
    register, client, django_capture_on_commit_callbacks
):
    register()
    UserFactory(username="active", email="active@example.cn")
    mail.outbox.clear()
    pages = []
    for address in ("NEWFIRM@example.cn", "active@example.cn", "nobody@example.cn"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/register/resend/", {"email": address})
        assert response.status_code == 200
        pages.append(
            re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": |nonce=)"[^"]+"', "", response.content.decode())
        )
    assert pages[0] == pages[1] == pages[2]  # nothing says which addresses are registered
    assert [message.to for message in mail.outbox] == [["newfirm@example.cn"]]
    assert client.post(confirmation_path(mail.outbox[0]))["Location"] == "/accounts/organization/"


def test_resend_is_rate_limited(client, one_rate_window):
    from portal.accounts.views.accounts import RESEND_RATE

    for _ in range(int(RESEND_RATE.split("/")[0])):
        client.post("/accounts/register/resend/", {"email": "a@example.cn"})
    assert client.post("/accounts/register/resend/", {"email": "a@example.cn"}).status_code == 429


# Where people find it ------------------------------------------------------------------------------------------


def test_the_header_and_the_login_page_offer_registration(client):
    page = client.get("/accounts/login/?next=/workspace/").content.decode()
    assert page.count('href="/accounts/register/') == 2  # the header and the login form's footer
    assert 'href="/accounts/register/?next=/workspace/"' in page
    client.force_login(UserFactory())
    assert 'href="/accounts/register/' not in client.get("/accounts/profile/").content.decode()
