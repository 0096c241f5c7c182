"""Filing with the city (备案) and the decision, on the office's side of a special-talent application; the issued
filing form's PDF for the officers and the employer. The office's page shows these steps through the public
notice's section (views/notices.py ``section_context``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from portal import lifecycle
from portal.calls import REFUSED, call_with_form

from .. import permissions
from ..forms import notices as forms
from ..models import SpecialTalentApplication
from ..services import filing as services
from .common import issued_pdf, special_for


def _form_page(request, special, form, title, submit_label, missing=()):
    context = {
        "special": special,
        "form": form,
        "page_title": title,
        "submit_label": submit_label,
        "missing": missing,
    }
    return render(request, "talent/office/special_form.html", context)


@login_required
def special_filing_record(request, pk):
    special = special_for(request, pk, permissions.runs_special_application)
    form = forms.FilingForm(request.POST or None)
    done = call_with_form(
        request, form, services.record_filing, success=_("The filing with the city is recorded."), special=special
    )
    if done is not REFUSED:
        return redirect(special.get_absolute_url())
    return _form_page(request, special, form, _("Record the filing with the city"), _("Record the filing"))


@login_required
def special_decide(request, pk, transition):
    if transition not in services.DECISIONS:
        raise Http404
    special = special_for(request, pk, permissions.runs_special_application)
    form = forms.DecisionForm(request.POST or None, decision=transition)
    done = call_with_form(
        request,
        form,
        services.decide,
        success=_("The decision is recorded and the employer is told."),
        special=special,
        decision=transition,
    )
    if done is not REFUSED:
        return redirect(special.get_absolute_url())
    label = lifecycle.declared(SpecialTalentApplication, transition).custom["label"]
    missing = lifecycle.blockers(special, transition) if request.method != "POST" else ()
    return _form_page(request, special, form, label, label, missing)


@login_required
def special_filing_form(request, pk):
    """The issued filing form's PDF, for the officers and the employer; a sensitive read, kept in the audit log."""
    special = special_for(request, pk, permissions.can_download_filing_form)
    return issued_pdf(request, special.filing_form)


urlpatterns = [
    path("office/special/<int:pk>/filing/", special_filing_record, name="special_filing_record"),
    path("office/special/<int:pk>/decide/<str:transition>/", special_decide, name="special_decide"),
    path("special/<int:pk>/filing-form/", special_filing_form, name="special_filing_form"),
]
