"""Finding 12 in a real browser: the Content-Security-Policy blocks nothing the portal itself uses.

The public pages, search, login, the workspace (with an htmx action) and the Wagtail admin page editor load in
Chromium with no CSP violation reported, and htmx still swaps content in place.
"""

import re

import pytest
from playwright.sync_api import expect

from .helpers import log_in_at

pytestmark = pytest.mark.browser

# Chromium fires this event for every blocked resource, inline script, style or eval.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations from the DOM event and from the console."""
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return console + page.evaluate("window.__cspViolations || []")

    page.violations = violations
    return page


def visit(page, url):
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    page.wait_for_load_state("networkidle")
    assert "Content-Security-Policy" in response.headers or "content-security-policy" in response.headers, url
    assert page.violations() == [], url
    return response


def test_public_pages_and_login_show_no_csp_violation(watched, demo_site):
    from portal.pages.models import NewsPage

    base = demo_site
    news = NewsPage.objects.live().first()
    for url in ["/", "/en/", news.url, "/search/?q=生物医药", "/verify/", "/accounts/login/"]:
        visit(watched, f"{base}{url}")
    # htmx is loaded under the nonce and configured not to inject its own <style> or to eval.
    assert watched.evaluate("typeof htmx") == "object"
    assert watched.evaluate("htmx.config.includeIndicatorStyles") is False
    assert watched.evaluate("htmx.config.allowEval") is False
    # Theme colours (style attributes) still apply.
    visit(watched, f"{base}/")
    tile = watched.locator(".theme-tile").first
    expect(tile).to_be_visible()
    assert tile.evaluate("el => getComputedStyle(el).getPropertyValue('--tile-colour')").strip()


def test_workspace_htmx_action_works_under_the_policy(watched, demo_site):
    from councils.models import Invitation, Meeting

    base = demo_site
    meeting = Meeting.objects.get(title="第一届理事会第四次全体会议")
    log_in_at(watched, base, "member_biomed")
    watched.wait_for_url(re.compile(r"/workspace/$"))
    assert watched.violations() == []
    visit(watched, f"{base}/workspace/")
    meeting_path = f"/workspace/councils/biomed/meetings/{meeting.pk}/"
    visit(watched, f"{base}{meeting_path}")
    rsvp = watched.locator("#rsvp")
    rsvp.locator("input[name=answer][value=attending]").check()
    with watched.expect_response(lambda r: "/rsvp/" in r.url and r.request.method == "POST") as info:
        rsvp.locator("button[type=submit]").click()
    assert info.value.status == 200 and info.value.request.header_value("hx-request") == "true"
    expect(watched.locator("#rsvp .message[role=status]")).to_be_visible()
    assert watched.url.endswith(meeting_path)  # swapped in place, no navigation
    assert Invitation.objects.get(meeting=meeting, user__username="member_biomed").rsvp == "attending"
    assert watched.violations() == []


def test_wagtail_admin_page_editor_shows_no_csp_violation(watched, demo_site):
    from portal.pages.models import NewsPage

    base = demo_site
    log_in_at(watched, base, "admin", next_path="/admin/")
    watched.wait_for_url(re.compile(r"/admin/$"))
    assert watched.violations() == []
    news = NewsPage.objects.live().first()
    visit(watched, f"{base}/admin/pages/{news.pk}/edit/")
    expect(watched.locator("form#page-edit-form")).to_be_visible()
    # Open the live preview panel: it frames our own page.
    watched.locator('[data-side-panel-toggle="preview"]').click()
    expect(watched.locator("iframe").first).to_be_attached()
    watched.wait_for_load_state("networkidle")
    assert watched.violations() == []
    visit(watched, f"{base}/admin/pages/")
    assert watched.violations() == []
