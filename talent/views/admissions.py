"""The office's side of a base application: the list, the application's page, and each step after the team sent
it — complete (to expert review), the review round, the decision with its letter, onboarding, the end. The team
follows its application on the applications engine's pages and downloads its issued letter here."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from portal import lifecycle
from portal.calls import REFUSED, call_service, call_with_form
from portal.lifecycle import offered
from portal.opinions.services import detail_url

from .. import permissions
from ..forms import admissions as forms
from ..material import application_material
from ..models import BaseApplication, BaseStage, ProgrammeKind
from ..review import rounds_of
from ..review import summary as review_summary
from ..services import admissions as services
from ..services import review as review_services
from .common import base_for, issued_pdf, programme_for

PER_PAGE = 25
# Transitions that need a form (reasons, a date): their buttons lead to it instead of posting at once.
WITH_A_FORM = {"admit", "reject", "graduate", "leave"}


def _office_url(programme) -> str:
    """Where a programme's office opens: its base applications, or the special-talent applications."""
    if programme.kind == ProgrammeKind.SPECIAL_TALENT:
        return reverse("talent:special_applications")
    return reverse("talent:base_applications", kwargs={"programme": programme.slug})


@login_required
def office(request):
    """The programmes the user runs: straight to the only one, else a choice. A sector authority's pre-reviewer
    who runs no programme goes to the special-talent applications of its sectors."""
    programmes = list(permissions.programmes_for(request.user))
    if not programmes:
        if permissions.sees_special_applications(request.user):
            return redirect("talent:special_applications")
        raise Http404
    if len(programmes) == 1:
        return redirect(_office_url(programmes[0]))
    entries = [(programme, _office_url(programme)) for programme in programmes]
    return render(request, "talent/office/choose.html", {"entries": entries, "page_title": _("Talent office")})


@login_required
def base_applications(request, programme):
    programme = programme_for(request, programme, permissions.is_officer)
    stage = request.GET.get("stage", "")
    rows = (
        BaseApplication.objects.filter(call__programme=programme)
        .select_related("application", "call", "theme")
        .order_by("-stage_changed_at", "-pk")
    )
    if stage in BaseStage.values:
        rows = rows.filter(stage=stage)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "page_obj": page,
        "stages": BaseStage.choices,
        "stage": stage,
        "extra_query": f"stage={stage}" if stage in BaseStage.values else "",
        "page_title": _("Base applications"),
    }
    return render(request, "talent/office/base_applications.html", context)


@login_required
def base_application(request, pk):
    base = base_for(request, pk, permissions.can_view_base_application)
    actions = offered(base, request.user)
    rounds = list(rounds_of(base).select_related("rubric"))
    context = {
        "base": base,
        "application": base.application,
        "programme": base.call.programme,
        "post_actions": [action for action in actions if action.name not in WITH_A_FORM],
        "form_actions": [action for action in actions if action.name in WITH_A_FORM],
        "blocked": {name: lifecycle.blockers(base, name) for name in ("send_to_review", "admit", "activate")},
        "rounds": rounds,
        "review": review_summary(base),
        "can_start_review": base.stage == BaseStage.REVIEW and not rounds,
        "can_record_onboarding": permissions.can_record_onboarding(request.user, base),
        "letter_url": detail_url(base.letter) if base.letter_id else "",
        "funding_need": services.funding_need(base),
        "page_title": str(base),
    }
    return render(request, "talent/office/base_application.html", context)


@login_required
def base_to_review(request, pk):
    base = base_for(request, pk, permissions.can_view_base_application)
    if request.method == "POST":
        call_service(
            request,
            services.send_to_review,
            base=base,
            success=_("The application is complete: it is in expert review."),
        )
    return redirect(base.get_absolute_url())


@login_required
def base_start_review(request, pk):
    base = base_for(request, pk, permissions.runs_base_application)
    form = forms.ReviewRoundForm(
        request.POST or None, experts=review_services.suggested_experts(base), material=application_material(base)
    )
    started = call_with_form(
        request,
        form,
        review_services.start_review,
        success=_("The review round is open: the experts are invited."),
        base=base,
    )
    if started is not REFUSED:
        return redirect(base.get_absolute_url())
    return render(
        request,
        "talent/office/form.html",
        {
            "base": base,
            "form": form,
            "page_title": _("Start the expert review"),
            "submit_label": _("Invite the experts"),
        },
    )


def _transition_label(name):
    return lifecycle.declared(BaseApplication, name).custom.get("label", "")


@login_required
def base_decide(request, pk, transition):
    if transition not in services.DECISIONS:
        raise Http404
    base = base_for(request, pk, permissions.runs_base_application)
    form = forms.DecisionForm(request.POST or None)
    decided = call_with_form(
        request,
        form,
        services.decide,
        success=_("The decision is recorded; its letter waits for the director's signature."),
        base=base,
        decision=transition,
    )
    if decided is not REFUSED:
        return redirect(base.get_absolute_url())
    context = {
        "base": base,
        "form": form,
        "page_title": _transition_label(transition),
        "submit_label": _transition_label(transition),
        "missing": lifecycle.blockers(base, transition),
    }
    return render(request, "talent/office/form.html", context)


@login_required
def base_onboarding(request, pk):
    base = base_for(request, pk, permissions.can_record_onboarding)
    initial = {
        "company_name": base.company_name,
        "uscc": base.uscc,
        "registered_on": base.registered_on,
        "incubation_seat": base.incubation_seat,
    }
    form = forms.OnboardingForm(request.POST or None, initial=initial)
    saved = call_with_form(
        request, form, services.record_onboarding, success=_("The company and seat are recorded."), base=base
    )
    if saved is not REFUSED:
        return redirect(base.get_absolute_url())
    return render(
        request, "talent/office/form.html", {"base": base, "form": form, "page_title": _("Company and incubation seat")}
    )


@login_required
def base_activate(request, pk):
    base = base_for(request, pk, permissions.can_view_base_application)
    if request.method == "POST":
        call_service(request, services.activate, base=base, success=_("The team is in incubation."))
    return redirect(base.get_absolute_url())


@login_required
def base_end(request, pk, transition):
    if transition not in services.ENDINGS:
        raise Http404
    base = base_for(request, pk, permissions.runs_base_application)
    form = forms.EndForm(request.POST or None)
    ended = call_with_form(request, form, services.end, success=_("Recorded."), base=base, ending=transition)
    if ended is not REFUSED:
        return redirect(base.get_absolute_url())
    context = {"base": base, "form": form, "page_title": _transition_label(transition)}
    return render(request, "talent/office/form.html", context)


@login_required
def base_letter(request, pk):
    """The issued decision letter's PDF, for the team and the officers; a sensitive read, kept in the audit log."""
    base = base_for(request, pk, permissions.can_download_letter)
    return issued_pdf(request, base.letter)


urlpatterns = [
    path("office/", office, name="office"),
    path("office/<slug:programme>/applications/", base_applications, name="base_applications"),
    path("office/applications/<int:pk>/", base_application, name="base_application"),
    path("office/applications/<int:pk>/complete/", base_to_review, name="base_to_review"),
    path("office/applications/<int:pk>/review-round/", base_start_review, name="base_start_review"),
    path("office/applications/<int:pk>/decide/<str:transition>/", base_decide, name="base_decide"),
    path("office/applications/<int:pk>/onboarding/", base_onboarding, name="base_onboarding"),
    path("office/applications/<int:pk>/activate/", base_activate, name="base_activate"),
    path("office/applications/<int:pk>/end/<str:transition>/", base_end, name="base_end"),
    path("applications/<int:pk>/letter/", base_letter, name="base_letter"),
]
