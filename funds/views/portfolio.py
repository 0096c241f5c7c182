"""After the decision: the record forms of the deal page's portfolio block, and the KPI report a company fills in.

Each record posts to its own URL; a valid record returns to the deal page, a refused one shows its form again with
the messages (GET shows the same form on its own page). Managers of the deal's fund only; others get 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.calls import REFUSED, call_in_place, call_with_form, tell

from .. import permissions
from ..forms import portfolio as forms
from ..models import Disbursement, KpiReport
from ..services import portfolio as services
from .common import deal_for


def _back(deal):
    return redirect(f"{deal.get_absolute_url()}#portfolio")


def _record(request, fund, pk, *, form_class, service, title, success, submit):
    """One record on a deal: the form, the service call, back to the deal page when it is done."""
    deal = deal_for(request, fund, pk, permissions.can_record_portfolio)
    form = form_class(request.POST or None, deal=deal)
    if call_with_form(request, form, service, success=success, deal=deal) is not REFUSED:
        return _back(deal)
    context = {"deal": deal, "fund": deal.fund, "form": form, "page_title": title, "submit": submit}
    return render(request, "funds/portfolio/form.html", context)


def _record_view(form_class, service, title, success, submit):
    @login_required
    def view(request, fund, pk):
        options = {"title": title, "success": success, "submit": submit}
        return _record(request, fund, pk, form_class=form_class, service=service, **options)

    return view


# Each record on a deal: URL name and path, form, service, page title, success message, submit button.
RECORDS = [
    (
        "deal_terms",
        "terms/",
        forms.TermsForm,
        services.record_terms,
        _("Investment terms"),
        _("The terms are recorded."),
        _("Save the terms"),
    ),
    (
        "disbursement_plan",
        "disbursements/",
        forms.DisbursementForm,
        services.plan_disbursement,
        _("Plan a disbursement tranche"),
        _("The tranche is planned."),
        _("Plan the tranche"),
    ),
    (
        "valuation_add",
        "valuations/",
        forms.ValuationForm,
        services.record_valuation,
        _("Record a valuation"),
        _("The valuation is recorded."),
        _("Record the valuation"),
    ),
    (
        "milestone_add",
        "milestones/",
        forms.MilestoneForm,
        services.record_milestone,
        _("Record a company milestone"),
        _("The milestone is recorded."),
        _("Record the milestone"),
    ),
    (
        "deal_exit",
        "exit/",
        forms.ExitForm,
        services.record_exit,
        _("Record the exit"),
        _("The exit is recorded."),
        _("Record the exit"),
    ),
    (
        "kpi_request",
        "kpi/",
        forms.KpiRequestForm,
        services.request_kpi_report,
        _("Request a KPI report"),
        _("The company is asked for its report."),
        _("Send the request"),
    ),
]


@login_required
def pay_disbursement(request, fund, pk, disbursement):
    deal = deal_for(request, fund, pk, permissions.can_record_portfolio)
    tranche = get_object_or_404(Disbursement, pk=disbursement, deal=deal)
    tranche.deal = deal
    form = forms.PaidForm(request.POST or None, disbursement=tranche)
    success = _("The tranche is recorded as paid.")
    if call_with_form(request, form, services.pay_disbursement, success=success, disbursement=tranche) is not REFUSED:
        return _back(deal)
    context = {
        "deal": deal,
        "fund": deal.fund,
        "form": form,
        "tranche": tranche,
        "page_title": _("Tranche %(number)s paid") % {"number": tranche.number},
        "submit": _("Record the payment"),
    }
    return render(request, "funds/portfolio/form.html", context)


@login_required
def kpi_report(request, pk):
    """The company's people fill the report in here while it is requested; afterwards it reads as sent."""
    report = get_object_or_404(
        KpiReport.objects.select_related("deal__fund", "deal__company__organization", "requested_by", "submitted_by"),
        pk=pk,
    )
    if not permissions.can_view_kpi_report(request.user, report):
        raise Http404
    if request.method == "POST" and not permissions.acts_for_company(request.user, report.deal.company):
        raise Http404  # the fund's managers read the report; only the company sends it
    may_submit = permissions.can_submit_kpi_report(request.user, report)
    form = forms.KpiReportForm(request.POST or None)
    if may_submit:
        success = _("Thank you: your report is submitted.")
        if call_with_form(request, form, services.submit_kpi_report, success=success, report=report) is not REFUSED:
            return redirect("funds:kpi_report", pk=report.pk)
    elif request.method == "POST":  # sent twice: say why nothing changed, on the report as it stands
        tell(request, call_in_place(request, form, services.submit_kpi_report, report=report)[1])
        return redirect("funds:kpi_report", pk=report.pk)
    context = {
        "report": report,
        "deal": report.deal,
        "form": form if may_submit else None,
        "is_overdue": report.due_on < timezone.localdate(),
        "page_title": _("KPI report"),
    }
    return render(request, "funds/portfolio/kpi_report.html", context)


DEAL = "<slug:fund>/deals/<int:pk>/"
urlpatterns = [path(f"{DEAL}{route}", _record_view(*options), name=name) for name, route, *options in RECORDS] + [
    path(f"{DEAL}disbursements/<int:disbursement>/paid/", pay_disbursement, name="disbursement_paid"),
    path("kpi/<int:pk>/", kpi_report, name="kpi_report"),
]
