"""Journey: an overseas applicant registers in English on a phone, confirms by mail, attaches an organization by
its USCC and finds it on the profile."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import make_uscc

from .helpers import path_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_site(django_db_serialized_rollback, live_server, transactional_db, migrated_rows_snapshot):
    """The live server on the migrated database (no demo data: the journey makes its own)."""
    from django.db import connection
    from wagtail.models import Site

    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows_snapshot
    parts = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)
    return live_server.url


def test_register_confirm_and_attach_an_organization_in_english_on_a_phone(page, live_site, shot):
    from django.contrib.auth import get_user_model

    from portal.organizations.models import Organization

    base = live_site
    mail.outbox.clear()
    page.set_viewport_size(PHONE)

    # The header offers registration; the form is in English.
    page.goto(f"{base}/en/accounts/login/")
    with page.expect_navigation():
        page.locator(".topbar").get_by_role("link", name="Register").click()
    assert path_of(page) == "/en/accounts/register/"
    expect(page.locator("h1")).to_have_text("Create an account")
    form = page.locator("main form")
    form.locator("input[name=username]").fill("anna.berg")
    form.locator("input[name=email]").fill("anna.berg@example.org")
    form.locator("input[name=real_name]").fill("Dr. Anna Berg")
    expect(form.locator("select[name=preferred_language]")).to_have_value("en")

    # A weak password is refused in English; nothing is created.
    form.locator("input[name=password]").fill("bluesky-garden")
    form.locator("input[name=password_again]").fill("bluesky-garden")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".field__error").first).to_contain_text("at least 3 of these four kinds of character")
    assert not get_user_model().objects.filter(username="anna.berg").exists()
    shot(page, "register-01-weak-password-en-phone")

    form = page.locator("main form")
    form.locator("input[name=password]").fill("Anna-Berg-2026")
    form.locator("input[name=password_again]").fill("Anna-Berg-2026")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert path_of(page) == "/en/accounts/register/sent/"
    expect(page.locator("main")).to_contain_text("anna.berg@example.org")
    shot(page, "register-02-check-your-mail-en-phone")

    # The mail (the live server runs in this process, so its outbox is ours) is in English.
    page.wait_for_function("true")  # the mail goes out when the registration commits
    assert len(mail.outbox) == 1, mail.outbox
    message = mail.outbox[0]
    assert message.subject == "Confirm your account on the Pingshan Co-Governance Portal"
    link = re.search(r"https?://\S+?(/en/accounts/register/confirm/\S+/)", message.body).group(1)

    page.goto(base + link)
    expect(page.locator("h1")).to_have_text("Confirm your account")
    shot(page, "register-03-confirm-en-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my account").click()
    assert path_of(page) == "/en/accounts/organization/"
    expect(page.locator(".messages")).to_contain_text("Your account is confirmed and you are logged in.")
    expect(page.locator(".topbar")).to_contain_text("Dr. Anna Berg")

    # A wrong check character is explained; then the right code, typed in lower case with spaces.
    code = make_uscc()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    form = page.locator("main form")
    form.locator("input[name=uscc]").fill(wrong)
    form.locator("input[name=name]").fill("深圳坪山贝格生物科技有限公司")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".field__error").first).to_contain_text("check character")
    shot(page, "register-04-wrong-uscc-en-phone")
    form = page.locator("main form")
    form.locator("input[name=uscc]").fill(f"{code[:8].lower()} {code[8:].lower()}")
    form.locator("input[name=name_en]").fill("Pingshan Berg Biotech Co., Ltd.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("you are its contact person")
    assert Organization.objects.filter(uscc=code).count() == 1

    # The profile lists it (its English name, on the English page).
    page.goto(f"{base}/en/accounts/profile/")
    expect(page.locator("main .facts")).to_contain_text("Pingshan Berg Biotech Co., Ltd.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "register-05-profile-en-phone")
