"""``manage.py seed_scale`` (issue 14) at 1% of its sizes on top of the seeded demo: every count grows by what the
step says, the news articles sit in a valid page tree and are served and found, a scaled deal is in the fund
manager's pipeline, and a second run adds nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from wagtail.models import Locale, ModelLogEntry, Page

from funds.demo_companies import FUND_SLUG
from funds.models import Deal, Fund, StageChange
from portal import scale
from portal.applications.models import Application, ApplicationState
from portal.pages.models import NewsPage
from portal.reviews.models import Scorecard
from portal.search.results import find_pages
from portal.search.segment import query_terms
from talent.models import BaseApplication, EnterpriseDemand, PatentListing, ProjectListing, SpecialTalentApplication
from tests import seeded_demo

pytestmark = pytest.mark.django_db

seeded = seeded_demo.seeded  # seed_demo once for this module
FACTOR = 0.01


def counts() -> dict:
    return {
        "deals": Deal.objects.count(),
        "stage changes": StageChange.objects.count(),
        "financing": Application.objects.filter(kind="funds.financing").count(),
        "base": Application.objects.filter(kind="talent.base").count(),
        "special": Application.objects.filter(kind="talent.special").count(),
        "scorecards": Scorecard.objects.count(),
        "news": NewsPage.objects.count(),
        "listings": sum(m.objects.count() for m in (ProjectListing, EnterpriseDemand, PatentListing)),
        "audit": ModelLogEntry.objects.count(),
    }


@pytest.fixture(scope="module")
def scaled(seeded, django_db_blocker):
    """(counts before, counts after, the command's output) of one run at FACTOR, rolled back with the demo."""
    with django_db_blocker.unblock(), transaction.atomic():
        before = counts()
        out = io.StringIO()
        call_command("seed_scale", factor=FACTOR, stdout=out)
        yield before, counts(), out.getvalue()
        transaction.set_rollback(True)


def test_every_count_grows_by_its_share_of_the_issue(scaled):
    before, after, output = scaled
    grown = {key: after[key] - before[key] for key in before}
    assert grown["deals"] == 100
    assert grown["stage changes"] > grown["deals"]  # every deal but the sourced ones has a history
    assert grown["financing"] + grown["base"] + grown["special"] == 500
    assert grown["financing"] == 100 and grown["base"] == 200 and grown["special"] == 200
    assert grown["scorecards"] == 1000
    assert grown["news"] == 200
    assert grown["listings"] == 100
    assert grown["audit"] == 1000
    for step in scale.steps():
        assert step.key in output and step.noun in output  # each step's count and seconds printed
    assert "Scale data ready" in output


def test_scaled_applications_are_varied_and_the_deals_own_theirs(scaled):
    fund = Fund.objects.get(slug=FUND_SLUG)
    scaled_apps = Application.objects.filter(applicant__username__startswith="scale-")
    assert scaled_apps.filter(state=ApplicationState.DRAFT, reference__isnull=True).exists()
    assert scaled_apps.filter(state=ApplicationState.CLOSED).exists()
    sent = scaled_apps.exclude(state=ApplicationState.DRAFT)
    assert not sent.filter(reference__isnull=True).exists()  # every sent application has its reference
    assert Deal.objects.filter(fund=fund, application__applicant__username__startswith="scale-").exists()
    assert BaseApplication.objects.filter(application__in=sent).values("stage").distinct().count() >= 5
    assert SpecialTalentApplication.objects.filter(application__in=sent).values("stage").distinct().count() >= 5
    years = {moment.year for moment in sent.values_list("submitted_at", flat=True)}
    assert len(years) >= 4  # spread over the years


def test_news_articles_are_a_valid_tree_served_and_found(scaled, client):
    assert Page.find_problems() == ([], [], [], [], [])
    article = NewsPage.objects.filter(slug__startswith="scale-news-").live().order_by("-pk").first()
    response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    # The site's own search (jieba-segmented terms, every one required) finds it by its title.
    found = find_pages(query_terms(article.title), Locale.objects.get(language_code="zh-hans"))
    assert article.pk in {page.pk for page in found[: len(found)]}  # sliced, as the results page reads it


def test_a_scaled_deal_is_in_the_managers_pipeline(scaled, client):
    fund = Fund.objects.get(slug=FUND_SLUG)
    deal = Deal.objects.filter(fund=fund, company__organization__uscc__startswith="91440310XF").first()
    client.force_login(fund.managers.get(username="fundmgr"))
    name = deal.company.organization.name
    response = client.get(reverse("funds:deal_list", kwargs={"fund": fund.slug}), {"q": name})
    assert response.status_code == 200
    assert deal in response.context["page_obj"].object_list
    assert name in response.content.decode()


def test_a_second_run_skips_every_step(scaled):
    before = counts()
    out = io.StringIO()
    call_command("seed_scale", factor=FACTOR, stdout=out)
    assert counts() == before
    assert out.getvalue().count("already there") == len(scale.steps())


def test_unknown_steps_are_refused(scaled):
    with pytest.raises(CommandError, match="No step is called"):
        call_command("seed_scale", only="nothing.here", stdout=io.StringIO())
