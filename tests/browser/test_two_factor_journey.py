"""Two-factor sign-in in a real browser (production turns it on): the secretariat's person logs in, is sent to set up
an authenticator app (QR code and key), types a wrong code and then the right one, keeps the recovery codes, reaches
the workspace; at the next sign-in the code is asked for again. Chinese, then English; desktop and 390 px."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from .conftest import ARTIFACTS
from .helpers import log_in_at, log_out, path_of, snapper

pytestmark = pytest.mark.browser


def code_for(secret, *, steps_ahead=0):
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_the_secretariat_sets_up_and_uses_two_factor_sign_in(page, demo_site, settings):
    settings.TWO_FACTOR_REQUIRED = True
    folder = ARTIFACTS / "two-factor"
    folder.mkdir(parents=True, exist_ok=True)
    snap = snapper(folder)
    base = demo_site

    log_in_at(page, base, "secretariat")
    assert path_of(page) == "/accounts/two-factor/setup/", page.url
    expect(page.locator("h1")).to_have_text("设置双重验证登录")
    expect(page.locator(".qr-code svg")).to_be_visible()
    page.locator("details summary").click()
    secret = page.locator(".secret-key").inner_text().strip()
    snap(page, "01-setup-zh")

    page.locator("input[name=code]").fill("12345")
    with page.expect_navigation():
        page.locator("main form button.button--primary").click()
    expect(page.locator("main")).to_contain_text("验证码不正确")
    snap(page, "02-setup-wrong-code-zh")

    page.locator("input[name=code]").fill(code_for(secret))
    with page.expect_navigation():
        page.locator("main form button.button--primary").click()
    expect(page.locator("h1")).to_have_text("恢复码")
    assert page.locator(".recovery-codes li").count() == 10
    snap(page, "03-recovery-codes-zh")
    with page.expect_navigation():
        page.get_by_role("link", name="已妥善保存，继续").click()
    page.wait_for_url(re.compile(r"/workspace/$"))
    expect(page.locator(".topbar")).to_contain_text("陈思远")

    # The next sign-in, in English: the code is asked for before the workspace.
    log_out(page)
    page.goto(f"{base}/en/accounts/login/?next=/en/workspace/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill("secretariat")
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert path_of(page).endswith("/accounts/two-factor/verify/"), page.url
    expect(page.locator("h1")).to_have_text("Enter your sign-in code")
    snap(page, "04-verify-en")
    page.locator("input[name=code]").fill(code_for(secret, steps_ahead=1))
    with page.expect_navigation():
        page.locator("main form button.button--primary").click()
    page.wait_for_url(re.compile(r"/en/workspace/$"))
    snap(page, "05-workspace-en", phone=False)
