"""A firm's financing application through the applications engine: submitting makes a deal in screening, the deal's
moves set the status the firm reads (never an internal stage's name), withdrawing withdraws the deal."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from funds.financing import FINANCING
from funds.models import Deal, DealSource, DealStage, StageChange
from funds.services.deals import move_deal
from funds.statuses import STATUS_FOR_STAGE, FinancingStatus
from portal.applications import services as applications
from portal.applications.models import ApplicationState
from tests.funds_world import FundWorld

pytestmark = pytest.mark.django_db

ANSWERS = {
    "company": {
        "subsector": "innovative_drugs",
        "founded_on": "2020-05-01",
        "headcount": "35",
        "description": "专注小分子靶向药的创新药企业",
    },
    "product": {
        "lead_asset": "PS-101",
        "indication": "非小细胞肺癌",
        "development_stage": "phase_1",
        "device_class": "",
        "mechanism": "KRAS G12D 抑制剂",
        "milestones": "2025年IND获批（CXHL2500123）",
    },
    "team": [{"name": "张博士", "role": "首席执行官", "background": "二十年新药研发经验"}],
    "ip": {"patents_granted": "5", "patents_pending": "3", "key_patents": ""},
    "financials": {
        "revenue_last_year": "0",
        "rd_spend_last_year": "30000000",
        "cash": "50000000",
        "monthly_burn": "3000000",
        "raised_before": "",
    },
    "round": {
        "round": "a",
        "amount_requested": "30000000",
        "round_size": "100000000",
        "pre_money": "400000000",
        "use_of_funds": "I期临床试验",
        "other_investors": "",
    },
    "landing": {
        "registered_in_pingshan": "on",
        "registered_in_pingshan_on": "2024-06-18",
        "landing_plan": "2026年在坪山设立研发中心",
        "jobs_planned": "50",
    },
}


def filled(world, **changes):
    application = applications.start(
        actor=world.firm, kind=FINANCING, owner=world.fund, organization=world.company.organization
    )
    for step in FINANCING.steps:
        data = {**ANSWERS[step.code], **changes.get(step.code, {})} if not step.is_formset else ANSWERS[step.code]
        application = applications.save_step(actor=world.firm, application=application, step=step.code, data=data)
    return application


@pytest.fixture
def world():
    return FundWorld.build()


def test_submitting_makes_a_deal_in_screening_from_the_answers(world):
    application = applications.submit(actor=world.firm, application=filled(world))
    deal = Deal.objects.get(application=application)
    assert (deal.stage, deal.source, deal.fund) == (DealStage.SCREENING, DealSource.APPLICATION, world.fund)
    assert str(deal.amount_requested) == "30000000.00" and str(deal.pre_money) == "400000000.00"
    assert deal.company == world.company and deal.company.lead_asset == "PS-101"
    first = StageChange.objects.get(deal=deal)
    assert (first.from_stage, first.to_stage, first.actor) == ("", DealStage.SCREENING, world.firm)
    assert application.reference in first.note
    assert application.status == FinancingStatus.SUBMITTED


def test_the_firm_reads_under_review_through_dd_and_the_decision_closes_the_application(world):
    application = applications.submit(actor=world.firm, application=filled(world))
    deal = Deal.objects.get(application=application)
    deal = move_deal(actor=world.manager, deal=deal, transition="approve", note="立项")
    deal = move_deal(actor=world.manager, deal=deal, transition="start_due_diligence", note="开始尽调")
    application.refresh_from_db()
    assert application.status == FinancingStatus.UNDER_REVIEW and application.state == ApplicationState.SUBMITTED
    move_deal(actor=world.manager, deal=deal, transition="reject", note="估值过高")
    application.refresh_from_db()
    assert (application.status, application.state) == (FinancingStatus.NOT_APPROVED, ApplicationState.CLOSED)
    # The firm's timeline names statuses only: one line for "under review", however many stages that covered.
    summaries = " ".join(str(event.summary) for event in applications.timeline(application))
    assert "尽职调查" not in summaries and "Due diligence" not in summaries


def test_every_stage_has_a_status_the_firm_may_read():
    assert set(STATUS_FOR_STAGE) == set(DealStage)
    assert set(STATUS_FOR_STAGE.values()) <= set(FinancingStatus)


def test_withdrawing_the_application_withdraws_its_deal(world):
    application = applications.submit(actor=world.firm, application=filled(world))
    applications.withdraw(actor=world.firm, application=application, reason="已获得其他融资")
    deal = Deal.objects.get(application=application)
    assert deal.stage == DealStage.WITHDRAWN
    assert deal.stage_changes.first().note == "已获得其他融资"


def test_a_device_class_on_a_drug_is_refused_and_no_deal_is_made(world):
    application = filled(world, product={"device_class": "III"})
    with pytest.raises(ValidationError) as refused:
        applications.submit(actor=world.firm, application=application)
    assert "device_class" in refused.value.message_dict
    assert not Deal.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_the_pingshan_registration_date_reaches_the_companys_profile(world):
    application = applications.submit(actor=world.firm, application=filled(world))
    company = Deal.objects.get(application=application).company
    assert str(company.registered_in_pingshan_on) == "2024-06-18" and company.in_pingshan


@pytest.mark.parametrize(
    "landing, message",
    [
        ({"registered_in_pingshan": "on", "registered_in_pingshan_on": ""}, "Give the date"),
        ({"registered_in_pingshan_on": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_a_ticked_box_needs_its_date_and_a_date_is_not_in_the_future(landing, message):
    from funds.forms.application import LandingStep

    with translation.override("en"):
        form = LandingStep(data={**ANSWERS["landing"], **landing})
        assert not form.is_valid() and message in str(form.errors["registered_in_pingshan_on"])
    dated = LandingStep(data={**ANSWERS["landing"], "registered_in_pingshan": ""})
    assert dated.is_valid() and dated.cleaned_data["registered_in_pingshan"] is True
