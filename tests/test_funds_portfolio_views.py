"""The portfolio URLs: who may (the fund's managers; the company's people for their KPI report), who gets 404, and
that a refused POST changed nothing. The deal page's portfolio block: records, forms for managers only, fixed
queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funds.models import (
    DealStage,
    DealTerms,
    Disbursement,
    Exit,
    KpiReport,
    KpiState,
    Milestone,
    Valuation,
)
from funds.services import portfolio as services
from tests.funds_portfolio_world import (
    invested_deal,
    signed_agreement,
)
from tests.funds_world import FundWorld, make_deal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
OUTSIDERS = ["other_manager", "role_only", "ic_chair", "ic_member", "firm", "outsider"]


@pytest.fixture
def world():
    return FundWorld.build()


def rows():
    return [model.objects.count() for model in (DealTerms, Disbursement, Valuation, Milestone, Exit, KpiReport)] + [
        list(KpiReport.objects.values_list("state", "revenue"))
    ]


def record_urls(deal, tranche):
    kwargs = {"fund": deal.fund.slug, "pk": deal.pk}
    valid = {
        "deal_terms": {
            "amount": "30000000",
            "instrument": "preferred",
            "pre_money": "200000000",
            "ownership": "13",
            "signed_on": "",
        },
        "disbursement_plan": {"number": "2", "planned_on": "2026-12-01", "planned_amount": "10000000"},
        "valuation_add": {"valued_on": TODAY().isoformat(), "value": "40000000", "method": "last_round"},
        "milestone_add": {"kind": "ind_accepted", "happened_on": TODAY().isoformat(), "reference": "CXHL2600123"},
        "deal_exit": {"exited_on": TODAY().isoformat(), "proceeds": "90000000", "kind": "ipo"},
        "kpi_request": {"period_start": "2026-01-01", "period_end": "2026-06-30", "due_on": "2099-01-31"},
    }
    urls = [(reverse(f"funds:{name}", kwargs=kwargs), data) for name, data in valid.items()]
    paid = reverse("funds:disbursement_paid", kwargs=kwargs | {"disbursement": tranche.pk})
    urls.append((paid, {"paid_on": TODAY().isoformat(), "paid_amount": "5000000"}))
    return urls


@pytest.fixture
def portfolio_deal(world):
    deal = invested_deal(world, paid=("10000000",))
    tranche = Disbursement.objects.create(deal=deal, number=5, planned_on=TODAY(), planned_amount=Decimal(5000000))
    return deal, tranche


def test_the_managers_open_and_post_every_record_form(client, world, portfolio_deal):
    deal, tranche = portfolio_deal
    client.force_login(world.manager)
    for url, data in record_urls(deal, tranche):
        assert client.get(url).status_code == 200, url
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:2000])
        assert response.url == f"{deal.get_absolute_url()}#portfolio"
    assert Valuation.objects.filter(deal=deal).count() == 1
    assert Exit.objects.filter(deal=deal, proceeds=Decimal("90000000")).exists()
    assert Disbursement.objects.get(pk=tranche.pk).is_paid
    assert KpiReport.objects.filter(deal=deal, state=KpiState.REQUESTED).count() == 1


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_else_gets_404_and_changes_nothing(client, world, portfolio_deal, who):
    deal, tranche = portfolio_deal
    client.force_login(getattr(world, who))
    before = rows()
    for url, data in record_urls(deal, tranche):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert rows() == before


def test_anonymous_visitors_are_sent_to_log_in(client, world, portfolio_deal):
    deal, tranche = portfolio_deal
    before = rows()
    for url, data in record_urls(deal, tranche):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and "login" in response.url, url
    assert rows() == before


def test_a_deal_of_another_fund_under_this_funds_address_is_404(client, world):
    deal = invested_deal(world)
    client.force_login(world.other_manager)
    url = reverse("funds:valuation_add", kwargs={"fund": world.other_fund.slug, "pk": deal.pk})
    assert client.get(url).status_code == 404


def test_bad_input_shows_the_form_again_with_the_message(client, world, portfolio_deal):
    deal, tranche = portfolio_deal
    client.force_login(world.manager)
    before = rows()
    url = reverse("funds:disbursement_paid", kwargs={"fund": deal.fund.slug, "pk": deal.pk, "disbursement": tranche.pk})
    response = client.post(f"/en{url}", {"paid_on": TODAY().isoformat(), "paid_amount": "30000000"})
    assert response.status_code == 200
    assert "more than the investment in the terms (RMB 30.00 million)" in response.content.decode()
    response = client.post(url, {"paid_on": TODAY().isoformat(), "paid_amount": "-3"})
    assert "金额不能为负数。" in response.content.decode()
    assert rows() == before


# --- the KPI report page -----------------------------------------------------------------------------------------


FIGURES = {
    "revenue": "12500000",
    "rd_spend": "8000000",
    "headcount": "86",
    "patents": "3",
    "tax_paid": "600000",
    "follow_on_financing": "0",
    "comment": "",
}


@pytest.fixture
def report(world):
    deal = invested_deal(world)
    return services.request_kpi_report(
        actor=world.manager, deal=deal, period_start="2026-01-01", period_end="2026-06-30", due_on=TODAY() + DAY
    )


def kpi_url(report):
    return reverse("funds:kpi_report", kwargs={"pk": report.pk})


def test_the_company_fills_its_report_in_from_its_own_login(client, world, report):
    url = kpi_url(report)  # before any /en/ request switches the thread's language
    client.force_login(world.firm)
    page = client.get(url).content.decode()
    assert 'name="revenue"' in page
    response = client.post(url, FIGURES)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == KpiState.SUBMITTED and report.revenue == Decimal("12500000")
    page = client.get(f"/en{url}").content.decode()
    assert 'name="revenue"' not in page and "RMB 12.50 million" in page
    # Sent twice: told why, nothing changed.
    response = client.post(f"/en{url}", FIGURES | {"revenue": "1"}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    report.refresh_from_db()
    assert report.revenue == Decimal("12500000")


def test_the_managers_read_the_report_but_do_not_send_it(client, world, report):
    client.force_login(world.manager)
    page = client.get(kpi_url(report)).content.decode()
    assert 'name="revenue"' not in page
    assert client.post(kpi_url(report), FIGURES).status_code == 404
    assert KpiReport.objects.get(pk=report.pk).state == KpiState.REQUESTED


@pytest.mark.parametrize("who", ["outsider", "other_manager", "ic_member", "role_only"])
def test_other_firms_and_people_get_404(client, world, report, who):
    client.force_login(getattr(world, who))
    assert client.get(kpi_url(report)).status_code == 404
    assert client.post(kpi_url(report), FIGURES).status_code == 404
    assert KpiReport.objects.get(pk=report.pk).state == KpiState.REQUESTED


def test_anonymous_visitors_log_in_before_the_report(client, report):
    for response in (client.get(kpi_url(report)), client.post(kpi_url(report), FIGURES)):
        assert response.status_code == 302 and "login" in response.url


def test_bad_figures_come_back_with_messages(client, world, report):
    client.force_login(world.firm)
    response = client.post(f"/en{kpi_url(report)}", FIGURES | {"revenue": "-1", "headcount": "many"})
    page = response.content.decode()
    assert response.status_code == 200 and "The amount cannot be negative." in page
    assert KpiReport.objects.get(pk=report.pk).state == KpiState.REQUESTED


# --- the deal page's block ------------------------------------------------------------------------------------


def block(deal, user, language="zh-hans"):
    from django.utils import translation

    request = RequestFactory().get(deal.get_absolute_url())
    request.user = user
    with translation.override(language):
        return render_to_string(
            "funds/deals/_portfolio.html", {"deal": deal, "fund": deal.fund, "request": request}, request=request
        )


def test_the_block_shows_the_records_and_offers_the_managers_their_forms(world):
    deal = invested_deal(world, paid=("10000000",))
    services.record_valuation(actor=world.manager, deal=deal, valued_on=TODAY(), value="45000000", method="rnpv")
    report = services.request_kpi_report(
        actor=world.manager, deal=deal, period_start="2026-01-01", period_end="2026-03-31", due_on=TODAY()
    )
    KpiReport.objects.filter(pk=report.pk).update(due_on=TODAY() - DAY)
    html = block(deal, world.manager)
    assert 'id="portfolio"' in html and "1,000.00万元" in html and "4,500.00万元" in html
    assert "data-overdue" in html
    for name in ("valuation_add", "kpi_request", "milestone_add", "deal_exit", "deal_terms"):
        assert reverse(f"funds:{name}", kwargs={"fund": deal.fund.slug, "pk": deal.pk}) in html
    english = block(deal, world.manager, "en")
    assert "RMB 10.00 million" in english and "After the decision" in english


def test_committee_members_read_the_block_without_forms(world):
    deal = invested_deal(world)
    html = block(deal, world.ic_member)
    assert 'id="portfolio"' in html and "<form" not in html


def test_a_deal_before_the_decision_shows_only_the_companys_milestones(world):
    deal = make_deal(world, stage=DealStage.SCREENING)
    html = block(deal, world.manager)
    assert reverse("funds:milestone_add", kwargs={"fund": deal.fund.slug, "pk": deal.pk}) in html
    assert "funds:deal_terms" not in html and "/terms/" not in html


def test_the_block_asks_the_same_number_of_queries_for_one_or_many_records(world):
    def measure(deal):
        with CaptureQueriesContext(connection) as queries:
            block(deal, world.manager)
        return len(queries)

    small = invested_deal(world, paid=("1",))
    big = invested_deal(world, paid=[str(n) for n in range(1, 9)], amount="90000000")
    for n in range(8):
        Valuation.objects.create(deal=big, valued_on=TODAY() - n * DAY, value=Decimal(n), method="cost")
        KpiReport.objects.create(
            deal=big,
            period_start=TODAY() - (n + 1) * 30 * DAY,
            period_end=TODAY() - n * 30 * DAY,
            due_on=TODAY(),
            requested_by=world.manager,
        )
        Disbursement.objects.create(deal=big, number=20 + n, planned_on=TODAY(), planned_amount=Decimal(1))
    signed_agreement(big, world.manager)
    assert measure(small) == measure(big)
