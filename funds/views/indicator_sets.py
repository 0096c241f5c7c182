"""A year's indicator set, written by the fund's managers through ``set_indicators`` and nothing else: a new year
starts as a copy of the latest set (a manager adjusts rather than types fifteen lines); a year whose evaluation is
approved keeps its set, so its page sends the manager back to the evaluation with a message. Anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.calls import REFUSED, call_with_form
from portal.reviews.models import Criterion

from .. import permissions
from ..forms import indicator_sets as forms
from ..models import EvaluationState, IndicatorSet, PerformanceEvaluation
from ..services import performance as services
from .common import fund_for


@login_required
def indicator_set_new(request, fund):
    fund = fund_for(request, fund, permissions.can_manage_evaluation)
    latest = IndicatorSet.objects.filter(fund=fund).order_by("-year").first()
    return _edit(request, fund, None, latest)


@login_required
def indicator_set_edit(request, fund, year):
    fund = fund_for(request, fund, permissions.can_manage_evaluation)
    indicator_set = get_object_or_404(IndicatorSet, fund=fund, year=year)
    if PerformanceEvaluation.objects.filter(indicator_set=indicator_set, state=EvaluationState.APPROVED).exists():
        messages.info(request, _("The evaluation of this year is approved: its indicators can no longer change."))
        return redirect("funds:evaluation", fund=fund.slug, year=year)
    return _edit(request, fund, indicator_set, indicator_set)


def _edit(request, fund, indicator_set, source):
    """The form of ``indicator_set`` (None: a new year), prefilled from ``source``; posted, it goes to the service,
    whose refusals land on the form (nothing is saved then)."""
    new = indicator_set is None
    rubric = source.qualitative_rubric_id if source else None
    options = {"fund": fund, "new": new, "current_rubric": rubric}
    if request.method == "POST":
        header = forms.IndicatorSetForm(request.POST, **options)
        lines = forms.line_formset(request.POST)
        if "add_line" in request.POST:
            header, lines = forms.with_one_more_line(header, lines, **options)
        elif _save(request, fund, indicator_set, header, lines) is not REFUSED:
            year = indicator_set.year if indicator_set else header.cleaned_data["year"]
            return redirect("funds:evaluation", fund=fund.slug, year=year)
    else:
        year = forms.free_year(fund) if new else None
        indicators = list(source.indicators.all()) if source else []
        loaded = services.indicator_set_fingerprint(indicator_set, indicators if indicator_set else None)
        header = forms.IndicatorSetForm(initial={**forms.header_initial(source, year), "loaded": loaded}, **options)
        lines = forms.line_formset(initial=forms.lines_initial(indicators))
    context = {
        "fund": fund,
        "indicator_set": indicator_set,
        "copied_from": source if new else None,
        "form": header,
        "lines": lines,
        "weight_total": forms.weight_total(forms.rows_as_typed(lines)),
        "criteria": _criteria(header),
        "page_title": _("New indicator set") if new else indicator_set.display_name,
        "active": "performance",
    }
    return render(request, "funds/performance/indicator_set_form.html", context)


def _save(request, fund, indicator_set, header, lines):
    """Both the header and every line valid: the service writes the set (or refuses, saying why on the form)."""
    if not lines.is_valid():  # the header's own errors show too: the page reads them
        return REFUSED
    fixed = {"year": indicator_set.year} if indicator_set else {"new": True}
    return call_with_form(
        request,
        header,
        services.set_indicators,
        values=lambda form: {**form.cleaned_data, "indicators": forms.service_lines(lines)},
        success=_("The indicator set is saved."),
        fund=fund,
        **fixed,
    )


def _criteria(header) -> list:
    """The chosen scoring form's criteria, offered as the panel items' criterion names."""
    rubric = header["qualitative_rubric"].value()
    if not rubric or not str(rubric).isdigit():
        return []
    return list(Criterion.objects.filter(rubric_id=rubric).order_by("sort_order", "pk"))


urlpatterns = [
    path("<slug:fund>/performance/indicators/new/", indicator_set_new, name="indicator_set_new"),
    path("<slug:fund>/performance/<int:year>/indicators/", indicator_set_edit, name="indicator_set_edit"),
]
