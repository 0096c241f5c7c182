"""The services after the decision: terms, tranches, valuations, milestones, the exit and KPI reports.

Each: the managers may, nobody else may (PermissionDenied, nothing written); bad input is refused with a message on
the field and nothing is written; a write is audited and leaves a line in the fund's stream."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from funds.models import (
    DealStage,
    DealTerms,
    Disbursement,
    Exit,
    ExitKind,
    Instrument,
    KpiReport,
    KpiState,
    Milestone,
    MilestoneKind,
    Valuation,
    ValuationMethod,
)
from funds.services import portfolio as services
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.funds_portfolio_world import invested_deal, signed_agreement, terms_for
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return FundWorld.build()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (DealTerms, Disbursement, Valuation, Milestone, Exit, KpiReport, Event, ModelLogEntry)
    }


def refused(call, **arguments):
    """Run a service that must refuse: returns the ValidationError's messages per field; nothing was written."""
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call(**arguments)
    assert counts() == before
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def denied(call, **arguments):
    before = counts()
    with pytest.raises(PermissionDenied):
        call(**arguments)
    assert counts() == before


def terms_values(**changes):
    values = {
        "amount": "30000000",
        "instrument": Instrument.PREFERRED,
        "pre_money": "200000000",
        "ownership": "13.0435",
        "conditions": "  完成GMP车间建设后支付第二期  ",
    }
    return values | changes


# --- terms -----------------------------------------------------------------------------------------------------


def test_a_manager_records_and_corrects_the_terms_at_signing(world):
    deal = make_deal(world, stage=DealStage.SIGNING)
    agreement = signed_agreement(deal, world.manager)
    terms = services.record_terms(
        actor=world.manager, deal=deal, signed_on=TODAY() - DAY, signed_document=agreement, **terms_values()
    )
    assert terms.amount == Decimal("30000000.00") and terms.ownership == Decimal("13.0435")
    assert terms.conditions == "完成GMP车间建设后支付第二期"
    assert terms.signed_document == agreement
    event = Event.objects.in_scope(world.fund).get()
    assert event.verb == "funds.recorded_terms" and event.subject == deal
    assert ModelLogEntry.objects.filter(action="funds.record_terms").count() == 1

    services.record_terms(actor=world.manager, deal=deal, **terms_values(amount="32000000"))
    terms = DealTerms.objects.get(deal=deal)
    assert terms.amount == Decimal("32000000") and terms.signed_on is None
    assert DealTerms.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount": "-1"}, "amount", "The amount cannot be negative."),
        ({"amount": "三千万"}, "amount", "Enter the amount in yuan as a number"),
        ({"pre_money": ""}, "pre_money", "Enter an amount."),
        ({"ownership": "120"}, "ownership", "between 0 and 100"),
        ({"ownership": "abc"}, "ownership", "per cent as a number"),
        ({"instrument": "loan"}, "instrument", "Choose one of the options."),
        ({"signed_on": "2026-02-31"}, "signed_on", "Enter a valid date."),
        ({"signed_on": "2999-01-01"}, "signed_on", "in the future"),
        ({"amount": "1e20"}, "amount", "too large"),
    ],
)
def test_bad_terms_are_refused_with_a_message_on_the_field(world, changes, field, message):
    deal = make_deal(world, stage=DealStage.SIGNING)
    translation.activate("en")
    errors = refused(services.record_terms, actor=world.manager, deal=deal, **terms_values(**changes))
    assert message in " ".join(errors[field])


def test_the_signed_agreement_must_be_a_signed_agreement_of_this_deal(world):
    deal = make_deal(world, stage=DealStage.SIGNING)
    other = make_deal(world, stage=DealStage.SIGNING)
    translation.activate("en")
    for document in (signed_agreement(other, world.manager), signed_agreement(deal, world.manager, kind="dd_report")):
        errors = refused(
            services.record_terms, actor=world.manager, deal=deal, signed_document=document, **terms_values()
        )
        assert "signed agreement from this deal's room" in errors["signed_document"][0]


def test_terms_wait_for_signing_and_read_in_the_users_language(world):
    deal = make_deal(world, stage=DealStage.DUE_DILIGENCE)
    errors = refused(services.record_terms, actor=world.manager, deal=deal, **terms_values())
    assert "尽职调查" in errors["__all__"][0]
    translation.activate("en")
    errors = refused(services.record_terms, actor=world.manager, deal=deal, **terms_values())
    assert errors["__all__"] == ["Terms are recorded from signing on; this deal is at Due diligence."]


def test_terms_cannot_fall_below_what_was_paid(world):
    deal = invested_deal(world, paid=("10000000", "15000000"))
    translation.activate("en")
    errors = refused(services.record_terms, actor=world.manager, deal=deal, **terms_values(amount="20000000"))
    assert "RMB 25.00 million has already been paid out" in errors["amount"][0]


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_chair", "ic_member", "firm", "outsider"])
def test_only_the_funds_managers_record(world, who):
    deal = make_deal(world, stage=DealStage.SIGNING)
    person = getattr(world, who)
    denied(services.record_terms, actor=person, deal=deal, **terms_values())
    denied(services.record_milestone, actor=person, deal=deal, kind=MilestoneKind.OTHER, happened_on=TODAY())


# --- disbursement ----------------------------------------------------------------------------------------------


def test_tranches_are_planned_then_paid_up_to_the_terms(world):
    deal = make_deal(world, stage=DealStage.SIGNING)
    translation.activate("en")
    errors = refused(
        services.plan_disbursement,
        actor=world.manager,
        deal=deal,
        number=1,
        planned_on=TODAY(),
        planned_amount="10000000",
    )
    assert "Record the terms first" in errors["__all__"][0]
    terms_for(deal, world.manager, amount="30000000")
    first = services.plan_disbursement(
        actor=world.manager,
        deal=deal,
        number=1,
        planned_on=TODAY() + 10 * DAY,
        planned_amount="20000000",
        condition="签约后10个工作日",
    )
    second = services.plan_disbursement(
        actor=world.manager, deal=deal, number=2, planned_on=TODAY() + 90 * DAY, planned_amount="10000000"
    )
    errors = refused(
        services.plan_disbursement,
        actor=world.manager,
        deal=deal,
        number=2,
        planned_on=TODAY(),
        planned_amount="1",
    )
    assert errors["number"] == ["Tranche 2 is already planned."]

    # Paid only once disbursement has started (the lifecycle's transition, taken elsewhere).
    errors = refused(
        services.pay_disbursement, actor=world.manager, disbursement=first, paid_on=TODAY(), paid_amount="20000000"
    )
    assert "once disbursement has started" in errors["__all__"][0]
    deal.__class__.objects.filter(pk=deal.pk).update(stage=DealStage.DISBURSEMENT)
    first.deal.refresh_from_db()
    second.deal = first.deal

    paid = services.pay_disbursement(
        actor=world.manager,
        disbursement=first,
        paid_on=TODAY(),
        paid_amount="20000000",
    )
    assert paid.paid_on == TODAY() and paid.paid_amount == Decimal("20000000") and paid.recorded_by == world.manager
    errors = refused(
        services.pay_disbursement, actor=world.manager, disbursement=first, paid_on=TODAY(), paid_amount="1"
    )
    assert errors["__all__"] == [f"Tranche 1 was already paid on {TODAY():%Y-%m-%d}."]
    errors = refused(
        services.pay_disbursement,
        actor=world.manager,
        disbursement=second,
        paid_on=TODAY(),
        paid_amount="10000000.01",
    )
    assert errors["paid_amount"] == [
        "Paid tranches would add up to RMB 30.00 million, more than the investment in the terms (RMB 30.00 million)."
    ]
    services.pay_disbursement(actor=world.manager, disbursement=second, paid_on=TODAY(), paid_amount="10000000")
    assert sum(d.paid_amount for d in Disbursement.objects.filter(deal=deal)) == Decimal("30000000")
    verbs = list(Event.objects.in_scope(world.fund).values_list("verb", flat=True))
    assert verbs.count("funds.paid_disbursement") == 2 and verbs.count("funds.planned_disbursement") == 2


def test_a_paid_tranche_is_dated_not_in_the_future_nor_before_signing(world):
    deal = invested_deal(world, stage=DealStage.DISBURSEMENT, paid=())
    tranche = Disbursement.objects.create(deal=deal, number=1, planned_on=TODAY(), planned_amount=Decimal(100))
    translation.activate("en")
    cases = [
        (TODAY() + DAY, "100", "paid_on", "in the future"),
        (TODAY() - 400 * DAY, "100", "paid_on", "nothing is paid before"),
        ("yesterday", "100", "paid_on", "Enter a valid date."),
        (TODAY(), "-5", "paid_amount", "cannot be negative"),
        (TODAY(), "一百", "paid_amount", "as a number"),
    ]
    for paid_on, amount, field, message in cases:
        errors = refused(
            services.pay_disbursement, actor=world.manager, disbursement=tranche, paid_on=paid_on, paid_amount=amount
        )
        assert message in errors[field][0]
    assert not Disbursement.objects.get(pk=tranche.pk).is_paid


def test_paying_tells_the_other_managers(world):
    deal = invested_deal(world, stage=DealStage.DISBURSEMENT, paid=())
    world.fund.managers.add(world.other_manager)
    tranche = Disbursement.objects.create(deal=deal, number=1, planned_on=TODAY(), planned_amount=Decimal(100))
    services.pay_disbursement(actor=world.manager, disbursement=tranche, paid_on=TODAY(), paid_amount="100")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["other-fund-manager"]


# --- valuations, milestones, exit ------------------------------------------------------------------------------


def test_one_valuation_per_day_of_a_holding(world):
    deal = invested_deal(world)
    valuation = services.record_valuation(
        actor=world.manager,
        deal=deal,
        valued_on=TODAY(),
        value="45000000",
        method=ValuationMethod.LAST_ROUND,
        note="B轮领投价",
    )
    assert valuation.value == Decimal("45000000") and valuation.recorded_by == world.manager
    translation.activate("en")
    errors = refused(
        services.record_valuation,
        actor=world.manager,
        deal=deal,
        valued_on=TODAY(),
        value="1",
        method=ValuationMethod.COST,
    )
    assert errors["valued_on"] == [f"This holding already has a valuation on {TODAY():%Y-%m-%d}."]
    errors = refused(
        services.record_valuation, actor=world.manager, deal=deal, valued_on=TODAY() - DAY, value="-1", method="x"
    )
    assert set(errors) == {"value", "method"}
    screening = make_deal(world, stage=DealStage.SCREENING)
    errors = refused(
        services.record_valuation,
        actor=world.manager,
        deal=screening,
        valued_on=TODAY(),
        value="1",
        method=ValuationMethod.COST,
    )
    assert "Only a holding of the fund is valued" in errors["__all__"][0]


def test_milestones_belong_to_the_company(world):
    deal = make_deal(world, stage=DealStage.DUE_DILIGENCE)
    milestone = services.record_milestone(
        actor=world.manager,
        deal=deal,
        kind=MilestoneKind.IND_ACCEPTED,
        happened_on=TODAY() - DAY,
        reference=" CXHL2600123 ",
    )
    assert milestone.company == deal.company and milestone.reference == "CXHL2600123"
    translation.activate("en")
    errors = refused(
        services.record_milestone,
        actor=world.manager,
        deal=deal,
        kind=MilestoneKind.OTHER,
        happened_on=TODAY(),
        reference="x" * 61,
    )
    assert "at most 60" in errors["reference"][0]
    errors = refused(services.record_milestone, actor=world.manager, deal=deal, kind="", happened_on="")
    assert set(errors) == {"kind", "happened_on"}


def test_the_exit_is_recorded_in_the_portfolio_and_may_be_corrected(world):
    deal = invested_deal(world)
    translation.activate("en")
    errors = refused(
        services.record_exit,
        actor=world.manager,
        deal=deal,
        exited_on=TODAY() - 100 * DAY,
        proceeds="90000000",
        kind=ExitKind.IPO,
    )
    assert "the exit comes after" in errors["exited_on"][0]
    services.record_exit(actor=world.manager, deal=deal, exited_on=TODAY(), proceeds="90000000", kind=ExitKind.IPO)
    services.record_exit(
        actor=world.manager, deal=deal, exited_on=TODAY(), proceeds="95000000", kind=ExitKind.TRADE_SALE
    )
    exit_record = Exit.objects.get(deal=deal)
    assert exit_record.proceeds == Decimal("95000000") and exit_record.kind == ExitKind.TRADE_SALE
    errors = refused(
        services.record_exit, actor=world.manager, deal=deal, exited_on=TODAY(), proceeds="-1", kind=ExitKind.IPO
    )
    assert errors["proceeds"] == ["The amount cannot be negative."]
    disbursing = invested_deal(world, stage=DealStage.DISBURSEMENT)
    errors = refused(
        services.record_exit, actor=world.manager, deal=disbursing, exited_on=TODAY(), proceeds="1", kind="ipo"
    )
    assert "in the portfolio" in errors["__all__"][0]


def test_the_exit_opens_the_way_to_closing_the_deal(world):
    from portal.lifecycle import blockers

    deal = invested_deal(world)
    assert blockers(deal, "close_exited")
    services.record_exit(actor=world.manager, deal=deal, exited_on=TODAY(), proceeds="1", kind=ExitKind.BUYBACK)
    deal = deal.__class__.objects.get(pk=deal.pk)
    assert blockers(deal, "close_exited") == []


def test_signed_terms_open_the_way_to_disbursement(world):
    from portal.lifecycle import blockers

    deal = make_deal(world, stage=DealStage.SIGNING)
    services.record_terms(actor=world.manager, deal=deal, **terms_values())
    assert blockers(deal.__class__.objects.get(pk=deal.pk), "start_disbursement")
    services.record_terms(
        actor=world.manager,
        deal=deal,
        signed_on=TODAY(),
        signed_document=signed_agreement(deal, world.manager),
        **terms_values(),
    )
    assert blockers(deal.__class__.objects.get(pk=deal.pk), "start_disbursement") == []


# --- KPI reports -----------------------------------------------------------------------------------------------


def request_report(world, deal, **changes):
    values = {"period_start": "2026-01-01", "period_end": "2026-06-30", "due_on": TODAY() + 14 * DAY} | changes
    return services.request_kpi_report(actor=world.manager, deal=deal, **values)


FIGURES = {
    "revenue": "12500000",
    "rd_spend": "8000000.50",
    "headcount": "86",
    "patents": 3,
    "tax_paid": "600000",
    "follow_on_financing": "0",
    "comment": "B轮已交割",
}


def test_a_kpi_report_is_requested_then_submitted_by_the_company_and_frozen(world):
    deal = invested_deal(world)
    report = request_report(world, deal)
    assert report.state == KpiState.REQUESTED
    told = Notification.objects.get()
    assert told.recipient == world.firm and told.url.endswith(f"/workspace/funds/kpi/{report.pk}/")

    Notification.objects.all().delete()
    report = services.submit_kpi_report(actor=world.firm, report=report, **FIGURES)
    assert report.state == KpiState.SUBMITTED and report.submitted_by == world.firm
    assert report.revenue == Decimal("12500000") and report.rd_spend == Decimal("8000000.50")
    assert report.headcount == 86 and report.patents == 3 and report.follow_on_financing == 0
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["fund-manager"]
    verbs = set(Event.objects.in_scope(world.fund).values_list("verb", flat=True))
    assert {"funds.requested_kpi_report", "funds.submitted_kpi_report"} <= verbs

    translation.activate("en")
    errors = refused(services.submit_kpi_report, actor=world.firm, report=report, **(FIGURES | {"revenue": "1"}))
    assert "can no longer be changed" in errors["__all__"][0]
    assert KpiReport.objects.get(pk=report.pk).revenue == Decimal("12500000")


@pytest.mark.parametrize("who", ["manager", "other_manager", "outsider", "ic_member", "superuser"])
def test_only_the_companys_people_submit(world, who):
    report = request_report(world, invested_deal(world))
    denied(services.submit_kpi_report, actor=getattr(world, who), report=report, **FIGURES)
    assert KpiReport.objects.get(pk=report.pk).state == KpiState.REQUESTED


def test_bad_figures_are_refused_one_message_each(world):
    report = request_report(world, invested_deal(world))
    translation.activate("en")
    bad = FIGURES | {"revenue": "-1", "rd_spend": "很多", "headcount": "8.5", "patents": "-2", "tax_paid": ""}
    errors = refused(services.submit_kpi_report, actor=world.firm, report=report, **bad)
    assert set(errors) == {"revenue", "rd_spend", "headcount", "patents", "tax_paid"}
    assert errors["revenue"] == ["The amount cannot be negative."]
    assert KpiReport.objects.get(pk=report.pk).state == KpiState.REQUESTED


def test_bad_kpi_requests_are_refused(world):
    deal = invested_deal(world)
    translation.activate("en")
    errors = refused(request_report, world=world, deal=deal, period_end="2025-12-31")
    assert errors["period_end"] == ["The period must end after it starts."]
    errors = refused(request_report, world=world, deal=deal, due_on=TODAY() - DAY)
    assert errors["due_on"] == ["The due date has already passed."]
    request_report(world, deal)
    errors = refused(request_report, world=world, deal=deal, period_start="2026-04-01")
    assert "already requested" in errors["period_end"][0]
    nobody = invested_deal(world, company=make_company(), paid=())
    errors = refused(request_report, world=world, deal=nobody)
    assert "Nobody can fill this report in yet" in errors["__all__"][0]
    screening = make_deal(world, stage=DealStage.SCREENING)
    errors = refused(request_report, world=world, deal=screening)
    assert "asked of portfolio companies" in errors["__all__"][0]
    denied(
        services.request_kpi_report,
        actor=world.other_manager,
        deal=deal,
        period_start="2026-07-01",
        period_end="2026-12-31",
        due_on=TODAY() + DAY,
    )
