"""Journey 3: log in by username and by email, log out, wrong password, preferred language."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from .helpers import log_in, log_out, path_of

pytestmark = pytest.mark.browser


def assert_login_redirect(page, next_path="/workspace/"):
    assert path_of(page) == "/accounts/login/", page.url
    assert parse_qs(urlsplit(page.url).query).get("next") == [next_path], page.url


def test_login_journey(page, demo_site, shot):
    base = demo_site

    # Anonymous → login page with next.
    page.goto(f"{base}/workspace/")
    assert_login_redirect(page)
    expect(page.locator(".topbar form button")).to_have_count(0)
    shot(page, "20-login-page")

    # Wrong password: stays on the login page with an error, not logged in.
    log_in(page, "member_biomed", "not-the-password")
    assert path_of(page) == "/accounts/login/", page.url
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator(".topbar form button")).to_have_count(0)
    shot(page, "21-login-wrong-password")

    # Username + demo password → workspace.
    page.goto(f"{base}/workspace/")
    assert_login_redirect(page)
    log_in(page, "member_biomed", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/workspace/$"))
    assert path_of(page) == "/workspace/"
    expect(page.locator("main")).to_contain_text("周明远")
    expect(page.locator(".topbar")).to_contain_text("周明远")
    assert page.locator(".panel").count() >= 1
    shot(page, "22-workspace-member-biomed")

    # Log out from the top bar; the workspace is closed again.
    log_out(page)
    expect(page.locator(".topbar form button")).to_have_count(0)
    shot(page, "23-logged-out")
    page.goto(f"{base}/workspace/")
    assert_login_redirect(page)

    # Log in with an email address.
    log_in(page, "firm1@demo.pingshan-portal.cn", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/workspace/$"))
    assert path_of(page) == "/workspace/"
    expect(page.locator("main")).to_contain_text("王康源")
    assert page.locator(".panel").count() >= 1
    shot(page, "24-workspace-firm1-by-email")
    log_out(page)

    # A user who prefers English continues in English.
    page.goto(f"{base}/workspace/")
    assert_login_redirect(page)
    log_in(page, "evaluator5", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/en/workspace/$"))
    assert path_of(page) == "/en/workspace/"
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("main")).to_contain_text("Dr. Emily Carter")
    assert page.locator(".panel").count() >= 1
    shot(page, "25-workspace-evaluator5-en")
