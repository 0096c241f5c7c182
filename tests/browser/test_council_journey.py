"""Journeys 50–69: a council member's meeting and motion vote; the secretariat issues an opinion that then shows
on the public council page.

1. member_biomed finds the coming meeting on the dashboard, answers the invitation (htmx), opens the motion in a
   written vote and casts the ballot that decides it; the secretariat closes the vote; the member sees the
   resolution.
2. member_biomed signs off the council's pending opinion; the secretariat issues it from the plenary
   workspace's opinions tab; a visitor sees it under the council on the public theme page.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .helpers import log_in_at, log_out, path_of

pytestmark = pytest.mark.browser

COMING_MEETING = "第一届理事会第四次全体会议"


def zh(message, **params):
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def test_member_answers_meeting_and_casts_the_deciding_ballot_then_sees_the_resolution(page, demo_site, shot):
    from councils.demo_work import WRITTEN_MOTION
    from councils.models import Invitation, Meeting, Motion, MotionState
    from portal.voting.models import Ballot

    base = demo_site
    meeting = Meeting.objects.get(title=COMING_MEETING)
    motion = Motion.objects.get(title=WRITTEN_MOTION[0])
    assert motion.state == MotionState.VOTING and motion.is_written_vote

    # The dashboard panel lists the meeting waiting for an answer and the vote to cast.
    log_in_at(page, base, "member_biomed")
    meeting_path = f"/workspace/councils/biomed/meetings/{meeting.pk}/"
    # (The notifications panel links it too, as “Invitation: …”; the council panel by its title alone.)
    panel_meeting = page.locator(f'.panel a[href="{meeting_path}"]').filter(
        has_text=re.compile(rf"^\s*{re.escape(COMING_MEETING)}\s*$")
    )
    expect(panel_meeting).to_have_count(1)
    # The vote to cast is listed in the Open votes panel, linking straight to the ballot, and not again in the
    # council panel.
    votes_panel = page.locator(".panel", has=page.locator("h2", has_text=zh("Open votes")))
    expect(votes_panel.locator(f'a[href="{motion.poll.get_absolute_url()}"]')).to_have_count(1)
    council_panel = page.locator(".panel", has=page.locator("h2", has_text=zh("My council work")))
    expect(council_panel).to_contain_text(COMING_MEETING)
    expect(council_panel).not_to_contain_text(motion.title)
    shot(page, "50-council-dashboard")

    # The meeting page; answer the invitation in place.
    with page.expect_navigation():
        panel_meeting.click()
    assert path_of(page) == meeting_path
    expect(page.locator("h1")).to_have_text(COMING_MEETING)
    expect(page.locator("main")).to_contain_text("审议委员会2027年度工作计划")
    rsvp = page.locator("#rsvp")
    rsvp.locator("input[name=answer][value=attending]").check()
    with page.expect_response(lambda r: "/rsvp/" in r.url and r.request.method == "POST") as info:
        rsvp.locator("button[type=submit]").click()
    assert info.value.status == 200 and info.value.request.header_value("hx-request") == "true"
    expect(page.locator("#rsvp")).to_contain_text(zh("Will attend"))
    assert path_of(page) == meeting_path
    assert Invitation.objects.get(meeting=meeting, user__username="member_biomed").rsvp == "attending"
    shot(page, "51-council-meeting-answered")

    # The motions tab → the motion → the vote.
    with page.expect_navigation():
        page.locator("nav.tabs a", has_text=zh("Motions")).click()
    with page.expect_navigation():
        page.locator(f'main a[href="/workspace/councils/biomed/motions/{motion.pk}/"]').first.click()
    expect(page.locator("h1")).to_have_text(motion.title)
    shot(page, "52-council-motion-in-written-vote")
    with page.expect_navigation():
        page.locator("main a", has_text=zh("Go to the vote")).click()
    box = page.locator("[id^=ballot-]")
    box.locator("input[name=choice][value=yes]").check()
    with page.expect_response(lambda r: r.url.endswith("/ballot/") and r.request.method == "POST"):
        box.locator("button[type=submit]").click()
    expect(box.locator(".message[role=status]")).to_be_visible()
    assert Ballot.objects.filter(entry__poll=motion.poll, entry__user__username="member_biomed").count() == 1
    shot(page, "53-council-ballot-cast")
    log_out(page)

    # The secretariat closes the vote from the motion page; eight yes of fifteen is an absolute majority.
    log_in_at(page, base, "secretariat")
    page.goto(f"{base}/workspace/councils/biomed/motions/{motion.pk}/")
    with page.expect_navigation():
        page.locator("main button", has_text=zh("Close the vote and record the result")).click()
    motion.refresh_from_db()
    assert motion.state == MotionState.ADOPTED and motion.poll.yes_count == 8
    log_out(page)

    # The member sees the result and the resolution.
    log_in_at(page, base, "member_biomed")
    page.goto(f"{base}/workspace/councils/biomed/motions/{motion.pk}/")
    main = page.locator("main")
    expect(main.locator(".tag").first).to_have_text(zh("Adopted"))
    expect(main).to_contain_text(motion.resolution.splitlines()[0])
    vote = page.locator("#vote")
    expect(vote).to_contain_text(zh("Voted in writing"))
    expect(vote).to_contain_text(zh("%(present)s of %(electorate)s", present=8, electorate=15))
    expect(vote.locator(".tag")).to_have_count(0)  # no quorum verdict for a written vote
    shot(page, "54-council-motion-adopted")


def test_secretariat_issues_an_opinion_that_shows_on_the_public_council_page(page, demo_site, shot):
    from councils.demo_engines import PENDING_TITLE
    from portal.opinions.models import Opinion, OpinionState

    base = demo_site
    opinion = Opinion.objects.get(title=PENDING_TITLE)
    assert opinion.state == OpinionState.IN_REVIEW

    # Not yet public.
    page.goto(f"{base}/themes/biomed/")
    expect(page.locator(".council-opinions")).not_to_contain_text(PENDING_TITLE)

    # member_biomed signs it off.
    log_in_at(page, base, "member_biomed")
    page.goto(f"{base}/workspace/opinions/{opinion.pk}/")
    form = page.locator(f'form[action="/workspace/opinions/{opinion.pk}/sign/"]')
    form.locator("select[name=decision]").select_option("approve")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    log_out(page)

    # The secretariat finds it in the plenary workspace's opinions tab and issues it.
    log_in_at(page, base, "secretariat")
    page.goto(f"{base}/workspace/councils/biomed/")
    with page.expect_navigation():
        page.locator("nav.tabs a", has_text=zh("Opinions")).click()
    shot(page, "55-council-opinions-tab")
    with page.expect_navigation():
        page.locator("main a", has_text=PENDING_TITLE).click()
    with page.expect_navigation():
        page.locator(f'form[action="/workspace/opinions/{opinion.pk}/issue/"] button').click()
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.ISSUED
    assert re.fullmatch(r"坪生医共治〔\d{4}〕2号", opinion.number), opinion.number
    log_out(page)

    # A visitor sees it on the public council page, linked to its verification page.
    page.goto(f"{base}/themes/biomed/")
    listed = page.locator(".council-opinions li", has_text=PENDING_TITLE)
    expect(listed).to_contain_text(opinion.number)
    expect(listed.locator("a")).to_have_attribute("href", f"/verify/{opinion.verification_code}/")
    shot(page, "56-council-public-opinion")
    with page.expect_navigation():
        listed.locator("a").click()
    expect(page.locator("main")).to_contain_text(opinion.number)
