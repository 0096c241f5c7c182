"""Small helpers shared by the browser journeys."""

import re
from urllib.parse import urlsplit

from portal.demo import DEMO_PASSWORD

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def path_of(page):
    return urlsplit(page.url).path


def has_cjk(text):
    return bool(CJK.search(text or ""))


def has_latin(text):
    return bool(LATIN.search(text or ""))


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def log_in(page, username, password=DEMO_PASSWORD):
    """Fill the portal's login form on the current page and submit it."""
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def log_in_at(page, base, username, next_path="/workspace/"):
    """Open the login page (coming back to ``next_path``) and log in with the demo password."""
    page.goto(f"{base}/accounts/login/?next={next_path}")
    log_in(page, username)


def log_out(page):
    with page.expect_navigation():
        page.locator(".topbar form button").click()
