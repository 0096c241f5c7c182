"""Issue 9, rough edges in Chromium: an invitation answered over htmx updates the invitee table without a
reload, and no workspace page is wider than a 390 px phone, in Chinese and in English.

1. member_biomed answers the coming meeting's invitation; the invitee table shows the answer at once, in the
   same page (a marker set on ``window`` survives, so nothing reloaded).
2. The secretariat (who opens every workspace of the council) and member_biomed visit the dashboard, the
   workspace list, every tab of the plenary and of a committee workspace and the first items each tab links to,
   including a meeting whose online link is one long unbreakable URL; at 390 px the page never scrolls
   sideways.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .helpers import log_in_at, path_of

pytestmark = pytest.mark.browser

COMING_MEETING = "第一届理事会第四次全体会议"
PHONE = {"width": 390, "height": 844}
LONG_LINK = (
    "https://meeting.tencent.com/dm/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    "?rs=25&from=pingshan-co-governance-portal-invitation-link-without-any-place-to-break"
)
# Item pages worth a look from each tab: numbered paths inside the workspace (not downloads or exports).
ITEM = re.compile(r"/\d+/$")


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


def test_answering_an_invitation_updates_the_invitee_table_without_a_reload(page, demo_site, shot):
    from councils.models import Invitation, Meeting

    base = demo_site
    meeting = Meeting.objects.get(title=COMING_MEETING)
    invitation = Invitation.objects.get(meeting=meeting, user__username="member_biomed")
    assert invitation.rsvp == "pending"
    log_in_at(page, base, "member_biomed", next_path=f"/workspace/councils/biomed/meetings/{meeting.pk}/")
    row = page.locator(f"#invitee-{invitation.pk}")
    expect(row).to_contain_text(zh("Not answered"))
    page.evaluate("window.__not_reloaded = true")

    rsvp = page.locator("#rsvp")
    rsvp.locator("input[name=answer][value=declined]").check()
    rsvp.locator("[name=note]").fill("出差在外")
    with page.expect_response(lambda r: "/rsvp/" in r.url and r.request.method == "POST") as info:
        rsvp.locator("button[type=submit]").click()
    assert info.value.request.header_value("hx-request") == "true"
    expect(page.locator("#rsvp .message")).to_be_visible()
    expect(row).to_contain_text(zh("Will not attend"))
    expect(row).to_contain_text("出差在外")
    expect(row).not_to_contain_text(zh("Not answered"))
    assert page.evaluate("window.__not_reloaded") is True
    assert path_of(page) == f"/workspace/councils/biomed/meetings/{meeting.pk}/"
    shot(page, "90-rsvp-invitee-table-updated")


def _workspace_pages(page, base, start_paths):
    """The start pages, every workspace tab they show, and the first two item pages each tab links to."""
    pages, seen = [], set()

    def add(path):
        if path not in seen:
            seen.add(path)
            pages.append(path)

    for start in start_paths:
        add(start)
        page.goto(base + start)
        tabs = page.eval_on_selector_all("nav.tabs a[href]", "links => links.map(a => a.getAttribute('href'))")
        for tab in tabs:
            add(tab)
            page.goto(base + tab)
            links = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
            items = [urlsplit(link).path for link in links if link.startswith("/workspace/") and ITEM.search(link)]
            for item in list(dict.fromkeys(items))[:2]:
                add(item)
    return pages


@pytest.mark.parametrize("username", ["secretariat", "member_biomed"])
def test_no_workspace_page_is_wider_than_a_phone(browser, demo_site, username):
    from councils.models import Committee, Meeting

    base = demo_site
    meeting = Meeting.objects.get(title=COMING_MEETING)
    Meeting.objects.filter(pk=meeting.pk).update(online_link=LONG_LINK)
    committee = Committee.objects.filter(council__slug="biomed", memberships__user__username="member_biomed").first()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in_at(page, base, username)
    starts = [
        "/workspace/",
        "/workspace/councils/",
        "/workspace/councils/biomed/",
        f"/workspace/councils/biomed/committees/{committee.pk}/",
    ]
    paths = _workspace_pages(page, base, starts)
    meeting_path = f"/workspace/councils/biomed/meetings/{meeting.pk}/"
    if meeting_path not in paths:
        paths.append(meeting_path)
    assert len(paths) > 15, paths  # the tabs were found

    too_wide = []
    for path in paths:
        for prefix in ("", "/en"):
            response = page.goto(f"{base}{prefix}{path}")
            assert response.status == 200, (prefix + path, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((prefix + path, width))
    context.close()
    assert too_wide == []

    # The long link is on the page, wrapped inside the details card.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in_at(page, base, username, next_path=meeting_path)
    link = page.locator(f'#details a[href="{LONG_LINK}"]')
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    context.close()
