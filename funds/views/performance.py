"""The fund's performance: live figures and charts, each year's evaluation, the trail behind every figure, the
workbook. Managers and the investment committee see the fund's figures; an evaluation is also open to its expert
panel, and to the fund's LPs once approved. Others get 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from portal.calls import REFUSED, call_in_place, call_with_form, tell
from portal.opinions import permissions as opinion_permissions
from portal.reviews import services as reviews

from .. import permissions
from ..forms import performance as forms
from ..models import EvaluationState, IndicatorSet, PerformanceEvaluation
from ..performance import charts, pdf, report, workbook
from ..services import performance as services
from .common import fund_for


@login_required
def performance(request, fund):
    fund = fund_for(request, fund, permissions.can_view_performance)
    today = timezone.localdate()
    live = report.live(fund, today)
    sets = list(IndicatorSet.objects.filter(fund=fund).select_related("evaluation").order_by("-year"))
    # The indicator scores shown are the latest approved year's (a draft's panel items may not be scored yet).
    evaluations = [s.evaluation for s in sets if hasattr(s, "evaluation")]
    latest = next((e for e in evaluations if e.state == EvaluationState.APPROVED), None)
    context = {
        "fund": fund,
        "page_title": _("Performance"),
        "live": live,
        "charts": charts.dashboard(fund, live, latest),
        "indicator_sets": sets,
        "can_manage": permissions.can_manage_evaluation(request.user, fund),
        "can_import": permissions.can_import_performance(request.user, fund),
        "active": "performance",
    }
    return render(request, "funds/performance/dashboard.html", context)


def _year(request, fund_slug, year):
    """The indicator set of ``year`` and its evaluation (or None), for someone who may see them; else 404."""
    indicator_set = get_object_or_404(IndicatorSet.objects.select_related("fund"), fund__slug=fund_slug, year=year)
    evaluation = PerformanceEvaluation.objects.filter(indicator_set=indicator_set).first()
    if evaluation is not None:
        evaluation.indicator_set = indicator_set
        allowed = permissions.can_view_evaluation(request.user, evaluation)
    else:
        allowed = permissions.can_view_performance(request.user, indicator_set.fund)
    if not allowed:
        raise Http404
    return indicator_set, evaluation


@login_required
def evaluation(request, fund, year):
    indicator_set, evaluation = _year(request, fund, year)
    fund = indicator_set.fund
    user = request.user
    previous = pdf.earlier_evaluation(indicator_set)
    snapshot = evaluation.snapshot if evaluation and evaluation.is_computed else {}
    context = {
        "fund": fund,
        "indicator_set": indicator_set,
        "indicators": list(indicator_set.indicators.all()),
        "evaluation": evaluation,
        "snapshot": snapshot,
        "view": report.evaluation_view(snapshot, previous.snapshot if previous else None),
        "previous": previous,
        "charts": charts.evaluation(snapshot) if snapshot else [],
        "can_manage": permissions.can_manage_evaluation(user, fund)
        and (evaluation is None or evaluation.state == EvaluationState.DRAFT),
        "can_approve": evaluation is not None and permissions.can_approve_evaluation(user, evaluation),
        "can_trace": permissions.can_trace_evaluation(user, evaluation),
        # The approved report drafted as an opinion: the button until it is drafted, then the link to the opinion.
        "can_draft_opinion": evaluation is not None
        and evaluation.state == EvaluationState.APPROVED
        and evaluation.opinion_id is None
        and permissions.can_manage_evaluation(user, fund),
        "opinion_url": evaluation.opinion.get_absolute_url()
        if evaluation is not None and evaluation.opinion_id and opinion_permissions.can_view(user, evaluation.opinion)
        else "",
        "recommendations_form": forms.RecommendationsForm(initial={"recommendations": evaluation.recommendations})
        if evaluation
        else None,
        "start_form": forms.StartForm(
            initial={"as_of": min(timezone.localdate(), datetime.date(indicator_set.year, 12, 31))}
        ),
        "page_title": indicator_set.display_name,
        "active": "performance",
    }
    return render(request, "funds/performance/evaluation.html", context)


def _manages(user, indicator_set, evaluation):
    return permissions.can_manage_evaluation(user, indicator_set.fund)


def _approves(user, indicator_set, evaluation):
    return permissions.can_approve_evaluation(user, evaluation)


def _post(service, form_class, success, may=_manages):
    """A step of the evaluation, posted from its page: who may not take it gets 404 before anything is read; the
    service's refusals come back as messages on the page."""

    @login_required
    @require_POST
    def view(request, fund, year):
        indicator_set, evaluation = _year(request, fund, year)
        starting = service is services.start_evaluation
        if (evaluation is None and not starting) or not may(request.user, indicator_set, evaluation):
            raise Http404
        form = form_class(request.POST)
        arguments = {"indicator_set": indicator_set} if starting else {"evaluation": evaluation}
        result, errors = call_in_place(request, form, service, **arguments)
        tell(request, errors, success if result is not REFUSED else "")
        return redirect("funds:evaluation", fund=indicator_set.fund.slug, year=indicator_set.year)

    return view


evaluation_start = _post(services.start_evaluation, forms.StartForm, _("The evaluation is started."))
evaluation_compute = _post(
    services.compute_evaluation, forms.ConfirmForm, _("The evaluation is computed from the recorded data.")
)
evaluation_recommendations = _post(
    services.write_recommendations, forms.RecommendationsForm, _("The recommendations are saved.")
)
evaluation_approve = _post(
    services.approve_evaluation, forms.ConfirmForm, _("The evaluation is approved."), may=_approves
)


@login_required
def evaluation_panel(request, fund, year):
    """Invite the expert panel (GET: the form; POST: the round is created, opened and the experts invited)."""
    indicator_set, evaluation = _year(request, fund, year)
    if evaluation is None or not permissions.can_manage_evaluation(request.user, indicator_set.fund):
        raise Http404
    fund = indicator_set.fund
    experts = reviews.suggest_experts_for(organization=fund.manager, theme_ids=[fund.theme_id], count=12)
    form = forms.PanelForm(request.POST or None, experts=experts)
    if call_with_form(request, form, services.start_panel, evaluation=evaluation) is not REFUSED:
        messages.success(request, _("The expert panel is invited."))
        return redirect(evaluation.get_absolute_url())
    context = {"fund": fund, "indicator_set": indicator_set, "evaluation": evaluation, "form": form}
    return render(request, "funds/performance/panel.html", context)


@login_required
def evaluation_figure(request, fund, year, key):
    """The rows one figure of the evaluation came from (an htmx partial, or a page of its own)."""
    indicator_set, evaluation = _year(request, fund, year)
    if evaluation is None or not evaluation.is_computed:
        raise Http404
    figure = evaluation.snapshot.get("figures", {}).get(key)
    if not permissions.can_trace_evaluation(request.user, evaluation) or figure is None:
        raise Http404
    rows = evaluation.snapshot.get("rows", {})
    figure = {**figure, "sources": [rows[ref] for ref in figure["sources"] if ref in rows]}
    context = {"fund": indicator_set.fund, "evaluation": evaluation, "key": key, "figure": figure}
    template = "funds/performance/_sources.html" if request.htmx else "funds/performance/sources.html"
    return render(request, template, context)


@login_required
def evaluation_workbook(request, fund, year):
    """Every table behind the evaluation, one workbook."""
    indicator_set, evaluation = _year(request, fund, year)
    if evaluation is None or not evaluation.is_computed:
        raise Http404
    if not permissions.can_view_performance(request.user, indicator_set.fund):
        raise Http404
    content = workbook.evaluation_workbook(evaluation)
    response = HttpResponse(content, content_type=workbook.XLSX)
    response["Content-Disposition"] = workbook.disposition(evaluation)
    return response


@login_required
@require_GET
def evaluation_report(request, fund, year):
    """The annual evaluation report as a PDF, in the reader's language: for whoever may see the evaluation (the
    fund's LPs once it is approved); 404 before it is computed."""
    indicator_set, evaluation = _year(request, fund, year)
    if evaluation is None or not evaluation.is_computed:
        raise Http404
    content = pdf.render_report_pdf(evaluation, pdf.earlier_evaluation(indicator_set))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(evaluation)}"'
    return response


@login_required
@require_POST
def evaluation_opinion(request, fund, year):
    """Draft the approved report as an opinion of the investment committee; the engine's opinion page takes it on."""
    indicator_set, evaluation = _year(request, fund, year)
    if evaluation is None or not permissions.can_manage_evaluation(request.user, indicator_set.fund):
        raise Http404
    form = forms.ConfirmForm(request.POST)
    opinion, errors = call_in_place(request, form, services.draft_report_opinion, evaluation=evaluation)
    success = _("The report is drafted as an opinion. Check it, then send it to the chair for sign-off.")
    tell(request, errors, success if opinion is not REFUSED else "")
    if opinion is REFUSED:
        return redirect(evaluation.get_absolute_url())
    return redirect(opinion)


urlpatterns = [
    path("<slug:fund>/performance/", performance, name="performance"),
    path("<slug:fund>/performance/<int:year>/", evaluation, name="evaluation"),
    path("<slug:fund>/performance/<int:year>/start/", evaluation_start, name="evaluation_start"),
    path("<slug:fund>/performance/<int:year>/compute/", evaluation_compute, name="evaluation_compute"),
    path(
        "<slug:fund>/performance/<int:year>/recommendations/",
        evaluation_recommendations,
        name="evaluation_recommendations",
    ),
    path("<slug:fund>/performance/<int:year>/approve/", evaluation_approve, name="evaluation_approve"),
    path("<slug:fund>/performance/<int:year>/panel/", evaluation_panel, name="evaluation_panel"),
    path("<slug:fund>/performance/<int:year>/figures/<slug:key>/", evaluation_figure, name="evaluation_figure"),
    path("<slug:fund>/performance/<int:year>/workbook.xlsx", evaluation_workbook, name="evaluation_workbook"),
    path("<slug:fund>/performance/<int:year>/report.pdf", evaluation_report, name="evaluation_report"),
    path("<slug:fund>/performance/<int:year>/opinion/", evaluation_opinion, name="evaluation_opinion"),
]
