"""The page cache on the councils' and the fund's public pages: the theme page's council and fund sections and the
verify start page are kept for anonymous visitors and go the moment what they show changes — a council's facts,
members, committees, public charter and opinions, a fund's facts and public figures, an approved evaluation — while
a change they do not show (a deal under review, a non-public opinion) leaves them kept."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Site

from councils import services
from councils.models import CommitteeKind, Council, CouncilStatus
from funds.models import DealStage, Tranche
from funds.services import deals as deal_services
from funds.services import portfolio
from portal.opinions import services as opinion_services
from portal.pages.models import SiteFooterSettings
from tests.councils_feedback_world import owned_issuer
from tests.councils_world import build_world
from tests.factories import OrganizationFactory
from tests.funds_portfolio_world import invested_deal
from tests.funds_world import FundWorld, make_company, make_deal
from tests.page_cache_helpers import cached_get, get, kept, text
from tests.page_cache_helpers import fresh as fresh_response
from themes.models import Theme

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"csrfmiddlewaretoken|X-CSRFToken|nonce=|csrftoken")
TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def footer(site_pages):
    # The footer's row is made by the first page that shows it: a write during that render, which is not kept.
    SiteFooterSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def world(site_pages):
    world = build_world()
    world["url"] = site_pages["theme_page"].url
    world["url_en"] = site_pages["theme_page_en"].url
    return world


@pytest.fixture
def fund_world(site_pages):
    world = FundWorld.build()
    world.url = site_pages["theme_page"].url
    return world


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())


def fresh(client, url):
    """The next anonymous GET after a change, rendered again: its text."""
    return text(fresh_response(client, url))


# --- what is kept ------------------------------------------------------------------------------------------------


def test_the_theme_page_with_both_sections_and_the_verify_start_page_are_kept_without_token_or_cookie(
    client, world, fund_world
):
    for url in [world["url"], world["url_en"], "/verify/", "/en/verify/"]:
        response = cached_get(client, url)
        assert not response.cookies and "Set-Cookie" not in response, url
        assert not TOKEN.search(response.content.decode()), url
        assert "'nonce-" not in response.get("Content-Security-Policy", ""), url
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=" in control, url
    assert 'id="theme-council"' in get(client, world["url"]).content.decode()
    assert "data-fund-section" in get(client, world["url"]).content.decode()
    assert not client.cookies


def test_a_lookup_by_code_is_never_kept(client, world):
    response = client.get("/verify/?code=abcd-efgh")
    assert response.status_code == 302 and "X-Page-Cache" not in response
    for _n in range(2):
        assert "X-Page-Cache" not in client.get("/verify/ABCDEFGH/")


# --- the council section -----------------------------------------------------------------------------------------


def test_a_member_added_and_ended_shows_in_both_languages_and_the_verify_page_stays(client, world):
    cached_get(client, world["url"])
    cached_get(client, world["url_en"])
    cached_get(client, "/verify/")
    membership = services.add_membership(
        actor=world["users"]["secretary"],
        council=world["council"],
        organization=OrganizationFactory(name="坪山新成员生物科技有限公司"),
        term_start=datetime.date(2025, 6, 1),
    )
    assert "坪山新成员生物科技有限公司" in fresh(client, world["url"])
    fresh(client, world["url_en"])  # the English copy goes too (it names the organization in English)
    kept(client, "/verify/")  # it shows no council: exact, not everything
    kept(client, world["url"])
    services.end_membership(actor=world["users"]["secretary"], membership=membership, on=datetime.date(2025, 7, 1))
    assert "坪山新成员生物科技有限公司" not in fresh(client, world["url"])


def test_the_councils_own_facts_renamed_suspended_and_dissolved(client, world):
    council, bureau = world["council"], OrganizationFactory(kind="government", name="坪山区发展和改革局（测试）")
    cached_get(client, world["url"])
    council.name_zh, council.leading_bureau = "坪山生物医药产业共治委员会（新）", bureau
    council.save()  # as in the CMS's council snippet
    html = fresh(client, world["url"])
    assert "坪山生物医药产业共治委员会（新）" in html and "坪山区发展和改革局（测试）" in html
    kept(client, world["url"])
    bureau.name = "坪山区发展和改革局（更名）"
    bureau.save()
    assert "坪山区发展和改革局（更名）" in fresh(client, world["url"])
    kept(client, world["url"])
    council.status = CouncilStatus.DISSOLVED
    council.save()
    assert 'id="theme-council"' not in fresh(client, world["url"])


def test_a_council_founded_in_a_theme_without_one_shows(client, world):
    Council.objects.filter(pk=world["council"].pk).update(status=CouncilStatus.DISSOLVED)
    assert 'id="theme-council"' not in cached_get(client, world["url"]).content.decode()
    Council.objects.create(
        theme=Theme.objects.get(code="biomed"),
        name_zh="新设生物医药理事会",
        slug="biomed-new",
        leading_bureau=world["council"].leading_bureau,
    )
    assert "新设生物医药理事会" in fresh(client, world["url"])


def test_committees_and_their_members(client, world):
    secretary = world["users"]["secretary"]
    cached_get(client, world["url"])
    committee = services.add_committee(actor=secretary, council=world["council"], kind=CommitteeKind.RISK_PREVENTION)
    assert str(CommitteeKind.RISK_PREVENTION.label) in fresh(client, world["url"])
    kept(client, world["url"])
    member = services.add_committee_member(
        actor=secretary,
        committee=committee,
        user=world["users"]["outsider"],
        organization=OrganizationFactory(name="外部风险评估机构"),
    )
    assert "外部风险评估机构" in fresh(client, world["url"])
    kept(client, world["url"])
    services.end_committee_membership(actor=secretary, member=member)
    assert "外部风险评估机构" not in fresh(client, world["url"])


def test_a_new_public_charter_version_and_one_made_non_public(client, world):
    cached_get(client, world["url"])
    services.add_charter_version(
        actor=world["users"]["secretary"],
        council=world["council"],
        text="第一条 本理事会由产业代表组成。\n第三条 新增条款：理事会每季度召开一次。",
        effective_from=datetime.date(2025, 6, 1),
    )
    assert "新增条款：理事会每季度召开一次" in fresh(client, world["url"])
    kept(client, world["url"])
    version = world["council"].charter.versions.get(number=2)
    version.is_public = False
    version.save()  # as in the CMS's charter version snippet
    assert "新增条款：理事会每季度召开一次" not in fresh(client, world["url"])


def issue(issuer, world, *, title, is_public=True):
    secretary, chair = world["users"]["secretary"], world["users"]["chair"]
    opinion = opinion_services.create_opinion(
        actor=secretary,
        issuer=issuer,
        title=title,
        body="<p>经评审，项目符合产业发展方向。</p>",
        is_public=is_public,
        signatories=[chair],
    )
    opinion_services.submit_for_review(actor=secretary, opinion=opinion)
    opinion_services.sign_off(actor=chair, opinion=opinion, approve=True)
    return opinion_services.issue_now(opinion_id=opinion.pk, actor_id=secretary.pk)


def test_an_opinion_issued_and_revoked_and_a_non_public_one_changes_nothing(client, world, fast_pdf):
    issuer = owned_issuer(world["committees"]["a"], "坪测产促", world["users"]["chair"])
    cached_get(client, world["url"])
    cached_get(client, "/verify/")
    opinion = issue(issuer, world, title="关于孵化器项目的专业评价意见")
    assert "关于孵化器项目的专业评价意见" in fresh(client, world["url"])
    kept(client, "/verify/")
    kept(client, world["url"])
    issue(issuer, world, title="内部意见", is_public=False)
    kept(client, world["url"])  # never on a public page: its drafts, sign-off and issue purge nothing
    opinion_services.revoke(actor=world["users"]["secretary"], opinion=opinion, reason="依据有误")
    assert "关于孵化器项目的专业评价意见" not in fresh(client, world["url"])
    kept(client, world["url"])
    issuer.name_en = "Industry promotion committee"
    issuer.save()
    fresh(client, world["url"])


# --- the fund section ---------------------------------------------------------------------------------------------


def figure(html, name):
    return re.search(rf"data-{name}>([^<]*)<", html).group(1)


def test_a_tranche_paid_changes_the_figures_and_a_deal_under_review_changes_nothing(client, fund_world):
    world = fund_world
    deal = invested_deal(world, stage=DealStage.DISBURSEMENT, amount="30000000", paid=())
    under_review = make_deal(world, stage=DealStage.SCREENING, company=make_company(name="评审中公司"))
    portfolio.plan_disbursement(
        actor=world.manager, deal=deal, number=1, planned_on=datetime.date(2026, 1, 5), planned_amount=Decimal(8000000)
    )
    html = cached_get(client, world.url).content.decode()
    assert figure(html, "investments") == "1" and figure(html, "invested") == "0.00元"
    deal_services.move_deal(actor=world.manager, deal=under_review, transition="reject", note="不符合投资方向")
    kept(client, world.url)
    tranche = deal.disbursements.get()
    portfolio.pay_disbursement(
        actor=world.manager, disbursement=tranche, paid_on=timezone.localdate(), paid_amount=Decimal(8000000)
    )
    assert figure(fresh(client, world.url), "invested") == "800.00万元"


def test_a_deal_entering_the_invested_stages_and_a_company_moving_to_pingshan(client, fund_world):
    world = fund_world
    deal = invested_deal(world, stage=DealStage.SIGNING, paid=())
    assert figure(cached_get(client, world.url).content.decode(), "investments") == "0"
    deal_services.move_deal(actor=world.manager, deal=deal, transition="start_disbursement", note="协议已签署")
    deal.refresh_from_db()
    assert figure(fresh(client, world.url), "investments") == "1"
    portfolio.plan_disbursement(
        actor=world.manager, deal=deal, number=1, planned_on=datetime.date(2026, 1, 5), planned_amount=Decimal(5000000)
    )
    portfolio.pay_disbursement(
        actor=world.manager,
        disbursement=deal.disbursements.get(),
        paid_on=timezone.localdate(),
        paid_amount=Decimal(5000000),
    )
    assert figure(fresh(client, world.url), "pingshan-share") == "0.0%"
    company = deal.company
    company.registered_in_pingshan_on = datetime.date(2026, 1, 1)
    company.save()
    assert figure(fresh(client, world.url), "pingshan-share") == "100.0%"


def test_the_funds_facts_and_tranches(client, fund_world):
    world = fund_world
    cached_get(client, world.url)
    world.fund.name = "坪山生物医药创新基金（更名）"
    world.fund.save()
    assert "坪山生物医药创新基金（更名）" in fresh(client, world.url)
    kept(client, world.url)
    Tranche.objects.create(
        fund=world.fund, number=1, amount=Decimal("2000000000"), target_close=datetime.date(2026, 3, 31)
    )
    assert "data-fund-tranches" in fresh(client, world.url)


def test_an_evaluation_approved_shows_its_grade(client, site_pages):
    from funds.services import performance
    from tests import funds_performance_world as perf

    world = perf.build()
    evaluation = performance.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    evaluation = performance.compute_evaluation(actor=world.manager, evaluation=evaluation)
    url = site_pages["theme_page"].url
    cached_get(client, url)
    performance.write_recommendations(actor=world.manager, evaluation=evaluation, recommendations="保持规模。")
    kept(client, url)  # a draft's recommendations are on no public page
    performance.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)
    assert f'data-fund-evaluation="{perf.YEAR}"' in fresh(client, url)
