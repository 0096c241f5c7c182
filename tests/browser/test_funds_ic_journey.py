"""The investment committee in Chromium: a manager convenes a meeting and puts a deal to the vote, the chair and a
member vote on the voting engine's page, the manager records the decision (the deal moves to signing) and drafts the
investment decision opinion, the chair signs it, the manager issues it; the PDF is downloaded and verified."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import PASSWORD

from .helpers import log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def ic_site(django_db_serialized_rollback, live_server, transactional_db, migrated_rows_snapshot, settings, tmp_path):
    """A fund with its committee and a deal before it, on the live server (see demo_site for the snapshot)."""
    from django.db import connection

    from funds.models import DealStage
    from tests.funds_world import FundWorld, make_company, make_deal

    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows_snapshot
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    world = FundWorld.build()
    deal = make_deal(
        world, company=make_company(name="深圳坪山旅程生物科技有限公司"), stage=DealStage.COMMITTEE, amount="20000000"
    )
    return live_server.url, world, deal


def go(page, action):
    with page.expect_navigation():
        action()


def test_the_committee_votes_and_issues_its_decision(page, ic_site, shot):
    from funds.models import AgendaItem, DealStage
    from portal.opinions.models import OpinionState

    base, world, deal = ic_site
    committee_url = f"{base}/workspace/funds/{world.fund.slug}/committee/"

    # The manager convenes a meeting and puts the deal on its agenda.
    page.goto(f"{base}/accounts/login/?next=/workspace/funds/{world.fund.slug}/committee/")
    log_in(page, world.manager.username, PASSWORD)
    assert page.url == committee_url
    go(page, lambda: page.get_by_role("link", name="召集会议").click())
    page.fill("input[name=title]", "2026年第6次投决会")
    page.fill("input[name=starts_at]", "2026-12-10T09:30")
    page.fill("input[name=location]", "坪山区金融服务中心")
    go(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.locator("h1")).to_have_text("2026年第6次投决会")
    page.select_option("select[name=deal]", str(deal.pk))
    go(page, lambda: page.get_by_role("button", name="加入议程").click())
    expect(page.locator(".ic-agenda__item")).to_contain_text("深圳坪山旅程生物科技有限公司")
    expect(page.locator(".ic-agenda__item")).to_contain_text("2,000.00万元")
    go(page, lambda: page.get_by_role("button", name="开始会议").click())
    go(page, lambda: page.get_by_role("button", name="启动表决").click())
    shot(page, "70-ic-meeting-vote-open")
    meeting_url = page.url.split("#")[0]
    log_out(page)

    # The chair and the member vote on the voting engine's page, reached from the meeting page.
    for voter in (world.ic_chair, world.ic_member):
        page.goto(f"{base}/accounts/login/?next={meeting_url.removeprefix(base)}")
        log_in(page, voter.username, PASSWORD)
        go(page, lambda: page.locator(".ic-agenda__item .actions a", has_text="表决").first.click())
        assert "/workspace/voting/" in page.url
        page.get_by_label("赞成").check()
        page.get_by_role("button", name="投票").click()
        expect(page.locator(".ballot, main")).to_contain_text("赞成")
        log_out(page)

    # The manager closes the vote: the deal goes to signing; then drafts the opinion and sends it for sign-off.
    page.goto(f"{base}/accounts/login/?next={meeting_url.removeprefix(base)}")
    log_in(page, world.manager.username, PASSWORD)
    go(page, lambda: page.get_by_role("button", name="结束表决并登记决策").click())
    expect(page.locator(".ic-agenda__item")).to_contain_text("同意投资")
    deal.refresh_from_db()
    assert deal.stage == DealStage.SIGNING
    go(page, lambda: page.get_by_role("link", name="起草投资决策意见").click())
    page.fill("textarea[name=conditions]", "首期出资后六个月内落户坪山")
    go(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.locator("h1")).to_contain_text("投资决策意见")
    opinion_url = page.url
    go(page, lambda: page.get_by_role("button", name="提交审签").click())
    log_out(page)

    # The chair signs it off.
    page.goto(f"{base}/accounts/login/?next={opinion_url.removeprefix(base)}")
    log_in(page, world.ic_chair.username, PASSWORD)
    page.select_option("select[name=decision]", "approve")
    go(page, lambda: page.locator("form.card button[type=submit]").click())
    log_out(page)

    # The manager issues it, downloads the PDF and anyone verifies it.
    page.goto(f"{base}/accounts/login/?next={opinion_url.removeprefix(base)}")
    log_in(page, world.manager.username, PASSWORD)
    go(page, lambda: page.get_by_role("button", name="印发").click())
    item = AgendaItem.objects.select_related("opinion").get(deal=deal)
    opinion = item.opinion
    assert opinion.state == OpinionState.ISSUED, opinion.render_error
    shot(page, "71-ic-opinion-issued")
    response = page.request.get(f"{base}/workspace/opinions/{opinion.pk}/pdf/")
    assert response.ok
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert opinion.number in text and "深圳坪山旅程生物科技有限公司" in text

    # The deal page links the decision, the vote and the opinion.
    page.goto(f"{base}{deal.get_absolute_url()}")
    expect(page.locator("#committee")).to_contain_text(opinion.number)
    log_out(page)
    page.goto(f"{base}/verify/{opinion.verification_code}/")
    expect(page.locator("main")).to_contain_text(opinion.number)
    shot(page, "72-ic-opinion-verified")
