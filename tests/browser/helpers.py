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


def go(page, action):
    """Run ``action`` (a click, a submit) and wait for the page it leads to."""
    with page.expect_navigation():
        action()


PHONE = {"width": 390, "height": 844}


def settled(page):
    """Wait two frames: after a resize, a full-page screenshot otherwise catches the layout half redone."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def snapper(folder):
    """``snap(page, name, phone=True)``: a full-page PNG in ``folder``, and with ``phone`` one at 390 px wide too,
    checking that nothing scrolls sideways there."""

    def snap(page, name, *, phone=True):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        if phone:
            size = page.viewport_size
            page.set_viewport_size(PHONE)
            settled(page)
            page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            page.set_viewport_size(size)
            settled(page)
            assert width <= PHONE["width"], f"{name} scrolls sideways at 390 px ({width} px)"

    return snap
