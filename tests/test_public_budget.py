"""Uncached public pages stay lean (issue 14): an anonymous GET of each public page type asks an exact number of
queries, the same with few items as with many, and writes nothing (no rendition made on a read, no session).

The page cache is off: these are the renders a cache miss pays for. Run with -s to see the figures.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from councils import services as council_services
from councils.models import CommitteeKind, Council, MembershipRole
from portal.organizations.models import OrganizationKind
from portal.reviews import testing as review_testing
from talent.models import EnterpriseDemand, PatentListing, ProjectListing, SpecialStage
from tests.factories import OrganizationFactory, UserFactory
from tests.funds_world import make_fund
from tests.special_world import build_special_world, special_application
from tests.talent_roadshows_helpers import admitted_team, make_roadshow, pitch
from tests.talent_world import build_world, make_call, team_user
from tests.test_query_budget import add_live_news_fast
from tests.test_talent_library_views import published
from themes.models import Theme

pytestmark = pytest.mark.django_db

# Queries of one anonymous GET with the page cache off, after two first ones (which fill the per-process caches: the
# site's root paths, the menu; the first makes the site's footer settings, which purges what shows them). Constant in
# the number of items each page lists. With the fragments kept (the default: navigation, language switch,
# breadcrumbs, footer, theme sections and the route; portal/pagecache/fragments.py) and with none kept, everything
# rendered: what a page asks just after a change purged its fragments.
BUDGETS = {
    "home": 8,
    "news index": 6,
    "news index, theme filter": 6,
    "news index, page 2": 6,
    "news article": 3,
    "standard page": 1,
    "theme index": 2,
    "theme page": 9,
    # One query ranks the hits and gives their count, on either database (portal/search/results.py).
    "search": 4,
    "talent index": 1,
    "call": 3,
    "programme": 7,
    "projects library": 4,
    "demands library": 4,
    "patents library": 4,
    "expert pool": 4,
    "library entry": 2,
    "roadshows": 3,
    "roadshow": 4,
    "public notices": 2,
    "verify": 0,
}
RENDERED_BUDGETS = {
    **{name: budget + 3 for name, budget in BUDGETS.items()},  # the site, the footer's settings and the menu
    # and on Wagtail's pages: the route (site, locale, a lookup and the page per level) and the view restrictions
    "home": 19,
    "news index": 18,
    "news index, theme filter": 18,
    "news index, page 2": 18,
    "news article": 17,
    "standard page": 12,
    "theme index": 14,
    "theme page": 40,
    "search": 9,
}
WRITES = ("INSERT", "UPDATE", "DELETE")
START = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True, params=["fragments kept", "all rendered"])
def budgets(request):
    kept = request.param == "fragments kept"
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=kept):
        yield BUDGETS if kept else RENDERED_BUDGETS


def measure(client, pages):
    """{name: (queries, html)} of a second GET of each url in ``pages`` ({name: url})."""
    figures = {}
    for name, url in pages.items():
        for _warm_up in range(2):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith(WRITES)]
        assert not writes, f"{name} writes on a read: {writes}"
        figures[name] = (len(captured), response.content.decode())
    return figures


def assert_budgets(few, many, sizes, budgets):
    """Both measurements ask exactly the page type's budget."""
    for name in few:
        print(f"{name}: {few[name][0]} queries with {sizes[0]} items, {many[name][0]} with {sizes[1]}")
    counts = {name: (few[name][0], many[name][0]) for name in few}
    assert counts == {name: (budgets[name], budgets[name]) for name in few}, f"measured: {counts}"


# --- news, standard and theme pages, search -----------------------------------------------------------------------


def make_council(theme):
    """A council of ``theme`` with its charter, two committees and no members yet."""
    secretary = UserFactory(username="budget-sec")
    bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="坪山区科技创新局（预算测试）")
    council = Council.objects.create(
        theme=theme,
        name_zh="生物医药产业共治委员会",
        name_en="Biomedicine council",
        slug="biomed",
        leading_bureau=bureau,
    )
    council.secretariat_users.add(secretary)
    council_services.add_charter_version(
        actor=secretary, council=council, text="第一条 业界代表占比不低于百分之九十。", effective_from=START
    )
    for kind in (CommitteeKind.INDUSTRY_PROMOTION, CommitteeKind.STRATEGIC_PLANNING):
        council_services.add_committee(actor=secretary, council=council, kind=kind)
    return council, secretary


def add_members(council, secretary, numbers):
    roles = itertools.cycle([MembershipRole.MEMBER, MembershipRole.VICE_CHAIR, MembershipRole.MEMBER])
    kinds = itertools.cycle([OrganizationKind.ENTERPRISE, OrganizationKind.RESEARCH_INSTITUTE])
    committees = list(council.committees.all())
    for number, role, kind in zip(numbers, roles, kinds, strict=False):
        organization = OrganizationFactory(kind=kind, name=f"预算成员单位{number:03d}")
        council_services.add_membership(
            actor=secretary,
            council=council,
            organization=organization,
            role=role,
            has_vote=True,
            representative=UserFactory(username=f"budget-rep{number}"),
            term_start=START,
        )
        council_services.add_committee_member(
            actor=secretary,
            committee=committees[number % len(committees)],
            user=UserFactory(username=f"budget-cm{number}"),
            organization=organization,
        )


def test_news_theme_and_standard_pages_and_search_ask_the_same_queries_for_3_and_40_articles(
    client, site_pages, budgets
):
    images = [Image.objects.create(title=f"封面{n}", file=get_test_image_file()) for n in range(3)]
    news_index = site_pages["news_index"]
    biomed = Theme.objects.get(code="biomed")
    council, secretary = make_council(biomed)
    make_fund()
    talent = build_world()
    make_call(talent.programme, "budget-call", themes=[biomed])
    add_live_news_fast(news_index, range(3), images)
    add_members(council, secretary, range(2))
    article = news_index.get_children().live().first()
    pages = {
        "home": "/",
        "news index": "/news/",
        "news index, theme filter": "/news/?theme=biomed",
        "news article": article.url,
        "standard page": site_pages["standard"].url,
        "theme index": site_pages["theme_index"].url,
        "theme page": site_pages["theme_page"].url,
        "search": reverse("search") + "?q=预算+测试",
    }
    few = measure(client, pages)
    assert few["search"][1].count("查询预算测试新闻") == 3
    assert "预算成员单位001" in few["theme page"][1]

    add_live_news_fast(news_index, range(3, 40), images)
    add_members(council, secretary, range(2, 30))
    many = measure(client, {**pages, "news index, page 2": "/news/?page=2"})
    assert many["news index"][1].count('class="news-card"') == 10
    assert "/media/images/" in many["news index"][1] and "/media/images/" in many["theme page"][1]
    assert "预算成员单位029" in many["theme page"][1]
    assert "查询预算测试新闻40" in many["search"][1]
    few["news index, page 2"] = few["news index"]  # a second page is the first's budget
    assert_budgets(few, many, (3, 40), budgets)


# --- the talent base's public pages ----------------------------------------------------------------------------------


def test_talent_pages_ask_the_same_queries_for_few_and_many_calls_entries_and_roadshows(client, budgets):
    world = build_world()
    models = {"projects": ProjectListing, "demands": EnterpriseDemand, "patents": PatentListing}
    for model in models.values():
        published(world, model, 3)
    roadshow = make_roadshow(world)
    pitch(world, roadshow, admitted_team(world))
    entry = ProjectListing.objects.first()
    pages = {
        "talent index": reverse("talent:index"),
        "call": reverse("talent:call", args=[world.call.slug]),
        "programme": reverse("talent:programme", args=[world.programme.slug]),
        **{f"{library} library": reverse("talent:library", args=[library]) for library in models},
        "expert pool": reverse("talent:experts"),
        "library entry": entry.get_absolute_url(),
        "roadshows": reverse("talent:roadshows"),
        "roadshow": reverse("talent:roadshow", args=[roadshow.slug]),
        "verify": reverse("verify:start"),
    }
    few = measure(client, pages)

    for number in range(12):
        make_call(world.programme, f"budget-call-{number}", themes=[world.theme])
        make_roadshow(world, slug=f"budget-roadshow-{number}")
    for model in models.values():
        published(world, model, 37)
    for number in range(4):
        review_testing.make_expert(name=f"预算专家{number}")
    for number in range(3):
        team = team_user(f"budget-team{number}", f"Dr. Budget {number}")
        pitch(world, roadshow, admitted_team(world, team), title=f"路演项目{number}", title_en=f"Pitch {number}")
    many = measure(client, pages)
    assert "路演项目2" in many["roadshow"][1]
    assert many["roadshows"][1].count("/talent/roadshows/budget-roadshow-") >= 12
    assert_budgets(few, many, ("a few", "many"), budgets)


def test_the_public_notice_asks_the_same_queries_for_one_candidate_or_three(client, budgets):
    world = build_special_world()
    special_application(world, stage=SpecialStage.NOTICE)
    pages = {"public notices": reverse("talent:notices")}
    few = measure(client, pages)
    for name in ("李工", "赵工"):
        special_application(world, stage=SpecialStage.NOTICE, name=name)
    many = measure(client, pages)
    assert "李工" in many["public notices"][1] and "赵工" in many["public notices"][1]
    assert_budgets(few, many, (1, 3), budgets)
