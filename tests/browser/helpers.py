"""Small helpers shared by the browser journeys."""

import re
from urllib.parse import urlsplit

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


def log_in(page, username, password):
    """Fill the portal's login form on the current page and submit it."""
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
