"""After the decision: terms, disbursement tranches, valuations, company milestones, the exit and KPI reports.

Each function is one action shaped permission → validate → lock → write → record. The deal's row is locked for
every record on it, so two managers paying tranches at once cannot together pay more than the terms allow. Amounts
are Decimal yuan, never negative; dates are dates; what a person typed is checked here, not only in the forms, so
the demo data and any other caller get the same messages.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, Tell, record
from portal.lifecycle import state_label
from portal.money import yuan
from portal.text import clean_text, fmt

from .. import permissions
from ..models import (
    Deal,
    DealStage,
    DealTerms,
    Disbursement,
    DocumentKind,
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
from ..verbs import FundVerb

ACTIONS = {
    "funds.record_terms": (_("Record investment terms"), _("Investment terms recorded")),
    "funds.plan_disbursement": (_("Plan a disbursement tranche"), _("Disbursement tranche planned")),
    "funds.pay_disbursement": (_("Record a paid disbursement tranche"), _("Disbursement tranche paid")),
    "funds.record_valuation": (_("Record a valuation"), _("Valuation recorded")),
    "funds.record_milestone": (_("Record a company milestone"), _("Company milestone recorded")),
    "funds.record_exit": (_("Record an exit"), _("Exit recorded")),
    "funds.request_kpi_report": (_("Request a KPI report"), _("KPI report requested")),
    "funds.submit_kpi_report": (_("Submit a KPI report"), _("KPI report submitted")),
}

# Where each record belongs in a deal's life: terms from signing on; money moves once disbursement has started;
# a holding is valued and reports on itself while the fund holds it; an exit is recorded before the deal closes.
TERMS_STAGES = (DealStage.SIGNING, DealStage.DISBURSEMENT, DealStage.PORTFOLIO)
HOLDING_STAGES = (DealStage.DISBURSEMENT, DealStage.PORTFOLIO)
EXIT_STAGES = (DealStage.PORTFOLIO,)

CENT = Decimal("0.01")
LARGEST = Decimal("99999999999999.99")  # MoneyField: 16 digits, 2 of them decimals
NOT_A_NUMBER = _("Enter the amount in yuan as a number, e.g. 30000000.")
NEGATIVE = _("The amount cannot be negative.")
TOO_LARGE = _("This amount is too large.")
NOT_A_DATE = _("Enter a valid date.")
IN_THE_FUTURE = _("This date is in the future: record what has happened.")


# --- checking what was typed ---------------------------------------------------------------------------------


class Checked:
    """Collects one message per field, so a form shows every mistake at once, then raises them together."""

    def __init__(self):
        self.errors = {}

    def fail(self, field, message):
        self.errors.setdefault(field, message)

    def raise_any(self):
        if self.errors:
            raise ValidationError(self.errors)

    def _decimal(self, field, value, not_a_number):
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite():
            self.fail(field, not_a_number)
            return None
        return number

    def money(self, field, value, *, required=True):
        if value is None or value == "":
            if required:
                self.fail(field, _("Enter an amount."))
            return None
        amount = self._decimal(field, value, NOT_A_NUMBER)
        if amount is None:
            return None
        if amount < 0:
            self.fail(field, NEGATIVE)
            return None
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
        if amount > LARGEST:
            self.fail(field, TOO_LARGE)
            return None
        return amount

    def count(self, field, value):
        """A whole number ≥ 0 (a headcount, a number of patents)."""
        if value is None or value == "":
            self.fail(field, _("Enter a number."))
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self.fail(field, _("Enter a whole number."))
            return None
        if number < 0:
            self.fail(field, _("The number cannot be negative."))
            return None
        return number

    def percent(self, field, value):
        if value is None or value == "":
            self.fail(field, _("Enter the ownership in per cent."))
            return None
        share = self._decimal(field, value, _("Enter the ownership in per cent as a number, e.g. 12.5."))
        if share is not None and not 0 <= share <= 100:
            self.fail(field, _("Ownership is a share between 0 and 100 per cent."))
            return None
        return share if share is None else share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    def date(self, field, value, *, required=True, past=False):
        if value is None or value == "":
            if required:
                self.fail(field, _("Enter a date."))
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            try:
                value = parse_date(str(value))
            except ValueError:
                value = None
        if value is None:
            self.fail(field, NOT_A_DATE)
            return None
        if past and value > timezone.localdate():
            self.fail(field, IN_THE_FUTURE)
            return None
        return value

    def choice(self, field, value, choices):
        if value not in choices.values:
            self.fail(field, _("Choose one of the options."))
            return None
        return value

    def text(self, model, values):
        try:
            return clean_text(model, values)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.fail(field, messages[0])
            return {field: (value or "").strip() for field, value in values.items()}


# --- shared steps --------------------------------------------------------------------------------------------


def _may_record(actor, deal):
    if not permissions.can_record_portfolio(actor, deal):
        raise PermissionDenied


def _in_stage(deal, stages, message):
    """Refuse a record that does not belong in the deal's present stage, saying which stage it is in."""
    if deal.stage not in stages:
        raise ValidationError(fmt(message, stage=state_label(deal)), code="stage")


def _lock(deal):
    """The deal's row, locked and re-read: every portfolio record of a deal is written under this lock."""
    return Deal.objects.select_for_update(of=("self",)).select_related("fund", "company__organization").get(pk=deal.pk)


def _paid_total(deal, exclude=None):
    paid = Disbursement.objects.filter(deal=deal, paid_on__isnull=False)
    if exclude is not None:
        paid = paid.exclude(pk=exclude.pk)
    return paid.aggregate(total=Sum("paid_amount"))["total"] or Decimal(0)


def _record(action, *, actor, deal, instance, verb, data, tell=None):
    record(
        action,
        actor=actor,
        instance=instance,
        data={"deal": deal.pk, **data},
        line=Line(deal.fund, verb, str(deal), deal.get_absolute_url(), subject=deal),
        tell=tell,
    )


def _other_managers(deal, actor):
    return get_user_model().objects.filter(managed_funds=deal.fund, is_active=True).exclude(pk=actor.pk)


def company_people(company):
    """Whom the fund asks for the company's figures: the people linked to its organization."""
    return get_user_model().objects.filter(organization_links__organization=company.organization_id, is_active=True)


# --- terms ---------------------------------------------------------------------------------------------------


@transaction.atomic
def record_terms(
    *,
    actor,
    deal,
    amount,
    instrument,
    pre_money,
    ownership,
    conditions="",
    signed_on=None,
    signed_document=None,
):
    """Record (or correct) the deal's terms. Signing date and signed agreement are what the guard into
    disbursement reads; the agreement is one of the deal room's documents of kind "signed agreement"."""
    _may_record(actor, deal)
    _in_stage(deal, TERMS_STAGES, _("Terms are recorded from signing on; this deal is at %(stage)s."))
    checked = Checked()
    amount = checked.money("amount", amount)
    pre_money = checked.money("pre_money", pre_money)
    ownership = checked.percent("ownership", ownership)
    instrument = checked.choice("instrument", instrument, Instrument)
    signed_on = checked.date("signed_on", signed_on, required=False, past=True)
    conditions = checked.text(DealTerms, {"conditions": conditions})["conditions"]
    if signed_document is not None and (
        signed_document.deal_id != deal.pk or signed_document.kind != DocumentKind.SIGNED_AGREEMENT
    ):
        checked.fail("signed_document", _("Choose a signed agreement from this deal's room."))
    checked.raise_any()

    deal = _lock(deal)
    paid = _paid_total(deal)
    if amount < paid:
        raise ValidationError(
            {
                "amount": fmt(
                    _("%(paid)s has already been paid out; the investment cannot be less."),
                    paid=yuan(paid),
                )
            }
        )
    terms, created = DealTerms.objects.update_or_create(
        deal=deal,
        defaults={
            "amount": amount,
            "instrument": instrument,
            "pre_money": pre_money,
            "ownership": ownership,
            "conditions": conditions,
            "signed_on": signed_on,
            "signed_document": signed_document,
        },
    )
    _record(
        "funds.record_terms",
        actor=actor,
        deal=deal,
        instance=terms,
        verb=FundVerb.RECORDED_TERMS,
        data={
            "amount": str(amount),
            "instrument": instrument,
            "signed_on": signed_on.isoformat() if signed_on else None,
            "created": created,
        },
    )
    return terms


# --- disbursement --------------------------------------------------------------------------------------------


@transaction.atomic
def plan_disbursement(*, actor, deal, number, planned_on, planned_amount, condition=""):
    """Plan one tranche of the investment: its number, date, amount and the condition for paying it."""
    _may_record(actor, deal)
    _in_stage(deal, TERMS_STAGES, _("Tranches are planned from signing on; this deal is at %(stage)s."))
    checked = Checked()
    number = checked.count("number", number)
    if number == 0:
        checked.fail("number", _("Tranches are numbered from 1."))
    planned_on = checked.date("planned_on", planned_on)
    planned_amount = checked.money("planned_amount", planned_amount)
    condition = checked.text(Disbursement, {"condition": condition})["condition"]
    checked.raise_any()

    deal = _lock(deal)
    if not DealTerms.objects.filter(deal=deal).exists():
        raise ValidationError(_("Record the terms first: the tranches pay out the investment they agree."))
    if Disbursement.objects.filter(deal=deal, number=number).exists():
        raise ValidationError({"number": fmt(_("Tranche %(number)s is already planned."), number=number)})
    tranche = Disbursement.objects.create(
        deal=deal,
        number=number,
        planned_on=planned_on,
        planned_amount=planned_amount,
        condition=condition,
        recorded_by=actor,
    )
    _record(
        "funds.plan_disbursement",
        actor=actor,
        deal=deal,
        instance=tranche,
        verb=FundVerb.PLANNED_DISBURSEMENT,
        data={"number": number, "planned_on": planned_on.isoformat(), "planned_amount": str(planned_amount)},
    )
    return tranche


@transaction.atomic
def pay_disbursement(*, actor, disbursement, paid_on, paid_amount):
    """Mark a planned tranche paid with its actual date and amount: a dated cash flow out of the fund. What all
    paid tranches add up to may not exceed the investment in the terms."""
    deal = disbursement.deal
    _may_record(actor, deal)
    _in_stage(deal, HOLDING_STAGES, _("Tranches are paid once disbursement has started; this deal is at %(stage)s."))
    checked = Checked()
    paid_on = checked.date("paid_on", paid_on, past=True)
    paid_amount = checked.money("paid_amount", paid_amount)
    checked.raise_any()

    deal = _lock(deal)
    tranche = Disbursement.objects.select_for_update().get(pk=disbursement.pk, deal=deal)
    if tranche.is_paid:
        raise ValidationError(
            fmt(_("Tranche %(number)s was already paid on %(date)s."), number=tranche.number, date=tranche.paid_on)
        )
    terms = DealTerms.objects.get(deal=deal)
    if terms.signed_on and paid_on < terms.signed_on:
        raise ValidationError(
            {"paid_on": fmt(_("The agreement was signed on %(date)s; nothing is paid before."), date=terms.signed_on)}
        )
    total = _paid_total(deal) + paid_amount
    if total > terms.amount:
        raise ValidationError(
            {
                "paid_amount": fmt(
                    _("Paid tranches would add up to %(total)s, more than the investment in the terms (%(terms)s)."),
                    total=yuan(total),
                    terms=yuan(terms.amount),
                )
            }
        )
    tranche.paid_on = paid_on
    tranche.paid_amount = paid_amount
    tranche.recorded_by = actor
    tranche.save(update_fields=["paid_on", "paid_amount", "recorded_by"])
    _record(
        "funds.pay_disbursement",
        actor=actor,
        deal=deal,
        instance=tranche,
        verb=FundVerb.PAID_DISBURSEMENT,
        data={"number": tranche.number, "paid_on": paid_on.isoformat(), "paid_amount": str(paid_amount)},
        tell=Tell(
            _other_managers(deal, actor),
            title=fmt(_("Tranche %(number)s paid: %(deal)s"), number=tranche.number, deal=str(deal)),
            url=deal.get_absolute_url(),
        ),
    )
    return tranche


# --- valuations, milestones, exit ----------------------------------------------------------------------------


@transaction.atomic
def record_valuation(*, actor, deal, valued_on, value, method, note=""):
    """Value the fund's holding on a date (one valuation per day)."""
    _may_record(actor, deal)
    _in_stage(deal, HOLDING_STAGES, _("Only a holding of the fund is valued; this deal is at %(stage)s."))
    checked = Checked()
    valued_on = checked.date("valued_on", valued_on, past=True)
    value = checked.money("value", value)
    method = checked.choice("method", method, ValuationMethod)
    note = checked.text(Valuation, {"note": note})["note"]
    checked.raise_any()

    deal = _lock(deal)
    if Valuation.objects.filter(deal=deal, valued_on=valued_on).exists():
        raise ValidationError(
            {"valued_on": fmt(_("This holding already has a valuation on %(date)s."), date=valued_on)}
        )
    valuation = Valuation.objects.create(
        deal=deal, valued_on=valued_on, value=value, method=method, note=note, recorded_by=actor
    )
    _record(
        "funds.record_valuation",
        actor=actor,
        deal=deal,
        instance=valuation,
        verb=FundVerb.RECORDED_VALUATION,
        data={"valued_on": valued_on.isoformat(), "value": str(value), "method": method},
    )
    return valuation


@transaction.atomic
def record_milestone(*, actor, deal, kind, happened_on, reference="", note=""):
    """A dated step of the company's lead asset (IND accepted with its number, first patient in, approval …),
    recorded from a deal of the fund on that company."""
    _may_record(actor, deal)
    checked = Checked()
    kind = checked.choice("kind", kind, MilestoneKind)
    happened_on = checked.date("happened_on", happened_on, past=True)
    texts = checked.text(Milestone, {"reference": reference, "note": note})
    checked.raise_any()

    deal = _lock(deal)
    milestone = Milestone.objects.create(company=deal.company, kind=kind, happened_on=happened_on, **texts)
    _record(
        "funds.record_milestone",
        actor=actor,
        deal=deal,
        instance=milestone,
        verb=FundVerb.RECORDED_MILESTONE,
        data={"company": deal.company_id, "kind": kind, "happened_on": happened_on.isoformat(), **texts},
    )
    return milestone


@transaction.atomic
def record_exit(*, actor, deal, exited_on, proceeds, kind, note=""):
    """Record (or correct) how and when the fund left the company; the transition to "exited" reads it."""
    _may_record(actor, deal)
    _in_stage(deal, EXIT_STAGES, _("An exit is recorded for a deal in the portfolio; this deal is at %(stage)s."))
    checked = Checked()
    exited_on = checked.date("exited_on", exited_on, past=True)
    proceeds = checked.money("proceeds", proceeds)
    kind = checked.choice("kind", kind, ExitKind)
    note = checked.text(Exit, {"note": note})["note"]
    checked.raise_any()

    deal = _lock(deal)
    first_paid = (
        Disbursement.objects.filter(deal=deal, paid_on__isnull=False).order_by("paid_on").values("paid_on").first()
    )
    if first_paid and exited_on < first_paid["paid_on"]:
        raise ValidationError(
            {
                "exited_on": fmt(
                    _("The first tranche was paid on %(date)s; the exit comes after."), date=first_paid["paid_on"]
                )
            }
        )
    exit_record, created = Exit.objects.update_or_create(
        deal=deal,
        defaults={"exited_on": exited_on, "proceeds": proceeds, "kind": kind, "note": note, "recorded_by": actor},
    )
    _record(
        "funds.record_exit",
        actor=actor,
        deal=deal,
        instance=exit_record,
        verb=FundVerb.RECORDED_EXIT,
        data={"exited_on": exited_on.isoformat(), "proceeds": str(proceeds), "kind": kind, "created": created},
    )
    return exit_record


# --- KPI reports ---------------------------------------------------------------------------------------------


def kpi_report_url(report):
    return reverse("funds:kpi_report", kwargs={"pk": report.pk})


@transaction.atomic
def request_kpi_report(*, actor, deal, period_start, period_end, due_on):
    """Ask the portfolio company for a period's figures; its people are told and fill them in themselves."""
    _may_record(actor, deal)
    _in_stage(deal, HOLDING_STAGES, _("KPI reports are asked of portfolio companies; this deal is at %(stage)s."))
    checked = Checked()
    period_start = checked.date("period_start", period_start)
    period_end = checked.date("period_end", period_end)
    due_on = checked.date("due_on", due_on)
    if period_start and period_end and period_end < period_start:
        checked.fail("period_end", _("The period must end after it starts."))
    if due_on and due_on < timezone.localdate():
        checked.fail("due_on", _("The due date has already passed."))
    checked.raise_any()

    deal = _lock(deal)
    people = list(company_people(deal.company))
    if not people:
        raise ValidationError(
            _("Nobody can fill this report in yet: no one has an account linked to the company's organization.")
        )
    if KpiReport.objects.filter(deal=deal, period_end=period_end).exists():
        raise ValidationError(
            {"period_end": fmt(_("A report for the period ending %(date)s is already requested."), date=period_end)}
        )
    report = KpiReport.objects.create(
        deal=deal, period_start=period_start, period_end=period_end, due_on=due_on, requested_by=actor
    )
    _record(
        "funds.request_kpi_report",
        actor=actor,
        deal=deal,
        instance=report,
        verb=FundVerb.REQUESTED_KPI_REPORT,
        data={
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "due_on": due_on.isoformat(),
        },
        tell=Tell(
            people,
            title=fmt(
                _("%(fund)s asks for your figures of %(start)s to %(end)s"),
                fund=deal.fund.name,
                start=period_start,
                end=period_end,
            ),
            body=fmt(_("Please submit them by %(date)s."), date=due_on),
            url=kpi_report_url(report),
        ),
    )
    return report


KPI_AMOUNTS = ("revenue", "rd_spend", "tax_paid", "follow_on_financing")
KPI_COUNTS = ("headcount", "patents")


@transaction.atomic
def submit_kpi_report(
    *, actor, report, revenue, rd_spend, headcount, patents, tax_paid, follow_on_financing, comment=""
):
    """The company sends its figures; the report is frozen from then on and the fund's managers are told."""
    if not permissions.acts_for_company(actor, report.deal.company):
        raise PermissionDenied
    checked = Checked()
    given = {
        "revenue": revenue,
        "rd_spend": rd_spend,
        "tax_paid": tax_paid,
        "follow_on_financing": follow_on_financing,
    }
    figures = {field: checked.money(field, given[field]) for field in KPI_AMOUNTS}
    figures["headcount"] = checked.count("headcount", headcount)
    figures["patents"] = checked.count("patents", patents)
    figures["comment"] = checked.text(KpiReport, {"comment": comment})["comment"]
    checked.raise_any()

    report = KpiReport.objects.select_for_update(of=("self",)).select_related("deal__fund").get(pk=report.pk)
    if report.state != KpiState.REQUESTED:
        raise ValidationError(
            fmt(
                _("This report was submitted on %(date)s; it can no longer be changed."),
                date=timezone.localtime(report.submitted_at).date(),
            )
        )
    for field, value in figures.items():
        setattr(report, field, value)
    report.state = KpiState.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save()
    deal = report.deal
    recipients = get_user_model().objects.filter(managed_funds=deal.fund, is_active=True)
    _record(
        "funds.submit_kpi_report",
        actor=actor,
        deal=deal,
        instance=report,
        verb=FundVerb.SUBMITTED_KPI_REPORT,
        data={"period_end": report.period_end.isoformat(), **{f: str(figures[f]) for f in KPI_AMOUNTS + KPI_COUNTS}},
        tell=Tell(
            recipients,
            title=fmt(_("KPI report received: %(deal)s"), deal=str(deal)),
            url=deal.get_absolute_url(),
        ),
    )
    return report
