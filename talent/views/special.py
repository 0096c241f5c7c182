"""The office's side of a special-talent application: the list and the application's page for the programme's
officers and the sector's authority, the authority's pre-review, the officers' audited reading of the candidate's
identifiers, the expert panel and its review opinion, and sending the application on to the talent work meeting.

The meeting (talent/views/deliberations.py) and the notice, objections and filing (talent/views/notices.py) add
their own sections to the application's page: each module's ``section_context(request, special)``, when it has
one, gives the context of its partial (``SECTIONS``)."""

from importlib import import_module

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import lifecycle
from portal.applications import kinds
from portal.applications.answers import summarize
from portal.applications.material import latest_submission
from portal.applications.models import SupplementRequest, SupplementState
from portal.calls import REFUSED, call_service, call_with_form
from portal.opinions.services import detail_url
from themes.models import Theme

from .. import permissions
from ..forms.admissions import ReviewRoundForm
from ..forms.special_office import PanelOpinionForm, PreReviewForm
from ..material import application_material
from ..models import MissedCriterion, SpecialStage, SpecialTalentApplication
from ..review import rounds_of
from ..review import summary as review_summary
from ..services import panel as panel_services
from ..services import special as services
from .common import issued_pdf, special_for

PER_PAGE = 25
# Transitions whose buttons lead to a form (an opinion, reasons) instead of posting at once: those declared
# ``named`` (one view takes several of them, the transition in its URL).
WITH_A_FORM = {"pass_pre_review", "decline", "approve", "reject"}
# Whose guards the page lists as what is missing, and who is told: the authority its own, the officers theirs.
AUTHORITY_STEPS = ("pass_pre_review",)
OFFICER_STEPS = ("send_to_deliberation", "send_to_filing", "approve")
# The other parts' sections of the page: (partial, module whose section_context(request, special) fills it).
SECTIONS = (
    ("talent/deliberations/_office_section.html", "talent.views.deliberations"),
    ("talent/notices/_office_section.html", "talent.views.notices"),
)


@login_required
def special_applications(request):
    """The officers' applications of their programmes and each authority's of its sectors; never an identifier."""
    if not permissions.sees_special_applications(request.user):
        raise Http404
    scope = permissions.special_applications_for(request.user)
    stage, sector = request.GET.get("stage", ""), request.GET.get("sector", "")
    rows = scope.select_related("application", "employer", "theme", "call__programme").order_by(
        "-stage_changed_at", "-pk"
    )
    if stage in SpecialStage.values:
        rows = rows.filter(stage=stage)
    sectors = list(Theme.objects.filter(pk__in=scope.values("theme")).order_by("order", "pk"))
    chosen = next((theme for theme in sectors if str(theme.pk) == sector), None)
    if chosen is not None:
        rows = rows.filter(theme=chosen)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = [f"stage={stage}"] if stage in SpecialStage.values else []
    query += [f"sector={chosen.pk}"] if chosen is not None else []
    context = {
        "page_obj": page,
        "stages": SpecialStage.choices,
        "stage": stage,
        "sectors": sectors,
        "sector": str(chosen.pk) if chosen is not None else "",
        "extra_query": "&".join(query),
        "programme": _only_programme(request.user),
        "page_title": _("Special-talent applications"),
    }
    return render(request, "talent/office/special_applications.html", context)


def _only_programme(user):
    """The special-talent programme the user runs, when exactly one (the office's tabs link its calls)."""
    from ..models import ProgrammeKind

    programmes = list(permissions.programmes_for(user).filter(kind=ProgrammeKind.SPECIAL_TALENT)[:2])
    return programmes[0] if len(programmes) == 1 else None


@login_required
def special_application(request, pk):
    special = special_for(request, pk, permissions.can_view_special_application)
    return _page(request, special)


def _page(request, special, revealed=None):
    user = request.user
    application = special.application
    actions = lifecycle.offered(special, user)
    steps = [step for step in AUTHORITY_STEPS if permissions.pre_reviews(user, special)]
    steps += [step for step in OFFICER_STEPS if permissions.runs_special_application(user, special)]
    is_officer = permissions.runs_special_application(user, special)
    context = {
        "special": special,
        "application": application,
        "programme": special.call.programme,
        "missed": [MissedCriterion(code).label for code in special.missed_criteria if code in MissedCriterion.values],
        "summaries": _summaries(application),
        "stages": services.stages_reached(special),
        "open_request": SupplementRequest.objects.filter(application=application, state=SupplementState.OPEN).first(),
        "pre_reviewing": permissions.pre_reviews(user, special),
        "post_actions": [action for action in actions if action.name not in WITH_A_FORM],
        "form_actions": [action for action in actions if action.name in WITH_A_FORM],
        "blocked": [message for step in steps for message in lifecycle.blockers(special, step)],
        "is_officer": is_officer,
        "rounds": list(rounds_of(special).select_related("rubric")) if is_officer else [],
        "review": review_summary(special),
        "can_start_panel": permissions.can_start_panel(user, special),
        "can_draft_panel_opinion": permissions.can_draft_panel_opinion(user, special),
        "panel_opinion_url": detail_url(special.panel_opinion) if is_officer and special.panel_opinion_id else "",
        "can_download_panel_opinion": permissions.can_download_panel_opinion(user, special),
        "last_item": special.last_item,
        "objections": special.objections.count(),
        "can_reveal": revealed is None and permissions.can_reveal_identity(user, special),
        "revealed": revealed,
        "sections": _sections(request, special),
        "page_title": str(special),
    }
    return render(request, "talent/office/special_application.html", context)


def _summaries(application) -> list:
    """The sections as last sent, the candidate's identifiers masked (the kind's private fields)."""
    kind = kinds.get(application.kind)
    submission = latest_submission(application)
    if kind is None or submission is None:
        return []
    return [
        summarize(step, submission.answers.get(step.code), masked=kind.private_fields.get(step.code, ()))
        for step in kind.steps
    ]


def _sections(request, special) -> list:
    sections = []
    for template, module in SECTIONS:
        provide = getattr(import_module(module), "section_context", None)
        sections.append({"template": template, "context": provide(request, special) if provide else {}})
    return sections


@login_required
@require_POST
def special_reveal(request, pk):
    """The page once more with the candidate's full ID or passport number and date of birth, for an officer; the
    reading is audited and the answer never cached."""
    special = special_for(request, pk, permissions.can_reveal_identity)
    revealed = call_service(request, services.reveal_identity, special=special)
    if revealed is REFUSED:
        return redirect(special)
    response = _page(request, special, revealed=revealed)
    add_never_cache_headers(response)
    return response


@login_required
def special_pre_review(request, pk, transition):
    """The sector's authority passes the application to the expert panel or declines it, with its opinion."""
    if transition not in services.PRE_REVIEW_OUTCOMES:
        raise Http404
    special = special_for(request, pk, permissions.is_sector_reviewer)
    if not permissions.pre_reviews(request.user, special):
        # Pre-reviewed already (a second submit, another tab): say so rather than hide the page.
        for message in lifecycle.refused(special).messages:
            messages.error(request, message)
        return redirect(special)
    form = PreReviewForm(request.POST or None)
    success = (
        _("The pre-review has passed: the application goes to the expert panel.")
        if transition == "pass_pre_review"
        else _("The application is declined; the employer reads your reasons.")
    )
    done = call_with_form(request, form, services.pre_review, success=success, special=special, outcome=transition)
    if done is not REFUSED:
        return redirect(special)
    label = lifecycle.declared(SpecialTalentApplication, transition).custom["label"]
    context = {
        "special": special,
        "form": form,
        "page_title": label,
        "submit_label": label,
        "missing": lifecycle.blockers(special, transition),
    }
    return render(request, "talent/office/special_form.html", context)


@login_required
def special_to_deliberation(request, pk):
    special = special_for(request, pk, permissions.runs_special_application)
    if request.method == "POST":
        call_service(
            request,
            services.send_to_deliberation,
            special=special,
            success=_("The application waits for the agenda of a talent work meeting."),
        )
    return redirect(special)


@login_required
def special_start_panel(request, pk):
    special = special_for(request, pk, permissions.runs_special_application)
    if not permissions.can_start_panel(request.user, special):
        messages.error(request, _("The expert panel cannot be started now: it has been, or the stage is another."))
        return redirect(special)
    form = ReviewRoundForm(
        request.POST or None,
        experts=panel_services.suggested_experts(special),
        material=application_material(special),
    )
    started = call_with_form(
        request,
        form,
        panel_services.start_panel,
        success=_("The expert panel is open: the experts are invited."),
        special=special,
    )
    if started is not REFUSED:
        return redirect(special)
    context = {
        "special": special,
        "form": form,
        "page_title": _("Start the expert panel"),
        "submit_label": _("Invite the experts"),
        "help": _(
            "The experts read only the material you tick, the candidate's ID number and date of birth masked; "
            "each declares conflicts of interest before scoring."
        ),
    }
    return render(request, "talent/office/special_form.html", context)


@login_required
def special_panel_opinion_draft(request, pk):
    special = special_for(request, pk, permissions.runs_special_application)
    if not permissions.can_draft_panel_opinion(request.user, special):
        messages.error(
            request, _("The panel's review opinion cannot be drafted now: the panel has not finished, or it exists.")
        )
        return redirect(special)
    form = PanelOpinionForm(request.POST or None)
    opinion = call_with_form(
        request,
        form,
        panel_services.draft_panel_opinion,
        success=_("The panel's review opinion is drafted; it waits for the director's signature."),
        special=special,
    )
    if opinion is not REFUSED:
        return redirect(detail_url(opinion))
    context = {
        "special": special,
        "form": form,
        "page_title": _("Draft the panel's review opinion"),
        "submit_label": _("Draft and send for signature"),
        "summary": review_summary(special),
    }
    return render(request, "talent/office/special_form.html", context)


@login_required
def special_panel_opinion(request, pk):
    """The issued review opinion's PDF; a sensitive read, kept in the audit log."""
    special = special_for(request, pk, permissions.can_download_panel_opinion)
    return issued_pdf(request, special.panel_opinion)


urlpatterns = [
    path("office/special/", special_applications, name="special_applications"),
    path("office/special/<int:pk>/", special_application, name="special_application"),
    path("office/special/<int:pk>/reveal/", special_reveal, name="special_reveal"),
    path("office/special/<int:pk>/pre-review/<str:transition>/", special_pre_review, name="special_pre_review"),
    path("office/special/<int:pk>/to-meeting/", special_to_deliberation, name="special_to_deliberation"),
    path("office/special/<int:pk>/panel/", special_start_panel, name="special_start_panel"),
    path("office/special/<int:pk>/panel-opinion/", special_panel_opinion_draft, name="special_panel_opinion_draft"),
    path("office/special/<int:pk>/panel-opinion/pdf/", special_panel_opinion, name="special_panel_opinion"),
]
