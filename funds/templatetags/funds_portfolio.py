"""The deal page's portfolio block: what was recorded after the decision, and the forms the fund's managers use.

``{% portfolio_records deal request.user as portfolio %}`` gathers it in a fixed number of queries; the forms are
offered only where the deal's stage takes that record (the services refuse the rest anyway)."""

from decimal import Decimal

from django import template
from django.utils import timezone

from .. import permissions
from ..forms import portfolio as forms
from ..models import BEFORE_DECISION, DealTerms, Exit, KpiState
from ..services.portfolio import EXIT_STAGES, HOLDING_STAGES, TERMS_STAGES

register = template.Library()


@register.simple_tag
def portfolio_records(deal, user):
    may_record = permissions.can_record_portfolio(user, deal)
    stage = deal.stage
    terms = DealTerms.objects.filter(deal=deal).select_related("signed_document").first()
    exit_record = Exit.objects.filter(deal=deal).first()
    deal.terms, deal.exit = terms, exit_record  # the forms read them; no second query
    tranches = list(deal.disbursements.all())
    paid = sum((t.paid_amount for t in tranches if t.is_paid), Decimal(0))
    today = timezone.localdate()
    reports = list(deal.kpi_reports.select_related("submitted_by"))
    for report in reports:
        report.is_overdue = report.state == KpiState.REQUESTED and report.due_on < today
    records = {
        "after_decision": stage not in BEFORE_DECISION,
        "terms": terms,
        "tranches": tranches,
        "paid": paid,
        "planned": sum((t.planned_amount for t in tranches), Decimal(0)),
        "valuations": list(deal.valuations.all()),
        "milestones": list(deal.company.milestones.all()),
        "exit": exit_record,
        "reports": reports,
        "may_record": may_record,
    }
    if may_record:
        records["forms"] = _forms(deal, stage, terms, tranches)
    return records


def _forms(deal, stage, terms, tranches):
    """The blank forms offered now, each with its own ids so several can sit on one page."""
    offered = {"milestone": forms.MilestoneForm(deal=deal, auto_id="milestone_%s")}
    if stage in TERMS_STAGES:
        offered["terms"] = forms.TermsForm(deal=deal, auto_id="terms_%s")
        if terms is not None:
            offered["tranche"] = forms.DisbursementForm(
                deal=deal, auto_id="tranche_%s", initial={"number": len(tranches) + 1}
            )
    if stage in HOLDING_STAGES:
        offered["valuation"] = forms.ValuationForm(deal=deal, auto_id="valuation_%s")
        offered["kpi"] = forms.KpiRequestForm(deal=deal, auto_id="kpi_%s")
        offered["pay"] = {
            t.pk: forms.PaidForm(disbursement=t, auto_id=f"paid{t.pk}_%s") for t in tranches if not t.is_paid
        }
    if stage in EXIT_STAGES:
        offered["exit"] = forms.ExitForm(deal=deal, auto_id="exit_%s")
    return offered


@register.filter
def form_for(forms_by_key, key):
    """``{{ portfolio.forms.pay|form_for:tranche.pk }}``: the pay form of one tranche, if it is offered."""
    return (forms_by_key or {}).get(key)
