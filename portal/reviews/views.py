"""Thin views: permissions from permissions.py, changes through services.py, 404 for what one may not see."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.calls import REFUSED, call_service, call_with_form
from portal.experts.models import Expert

from . import material, permissions, services
from .conflicts import suggest_conflicts
from .forms import (
    AssignExpertForm,
    CloseRoundForm,
    DeclarationForm,
    DeclineForm,
    MaterialForm,
    OutlierReasonForm,
    ScorecardForm,
)
from .models import Assignment, AssignmentState, ReviewRound, RoundMaterial, Scorecard

PAGE_SIZE = 50


def _login_required(request):
    if not getattr(request.user, "is_authenticated", False):
        return redirect_to_login(request.get_full_path())
    return None


def assignment_list(request):
    if redirect_response := _login_required(request):
        return redirect_response
    if not permissions.can_see_assignment_list(request.user):
        raise Http404
    page = Paginator(Assignment.objects.for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/assignment_list.html",
        {"assignments": page.object_list, "page_obj": page, "page_title": _("My review assignments")},
    )


def _score_rows(criteria, scorecard):
    scores = {score.criterion_id: score for score in scorecard.scores.all()}
    return [(criterion, scores.get(criterion.pk)) for criterion in criteria]


def _other_rows(assignment, criteria):
    """The other counted scorecards of the round, anonymised: (label, scores per criterion, total)."""
    cards = [card for card in services.counted_scorecards(assignment.round) if card.assignment_id != assignment.pk]
    rows = []
    for number, card in enumerate(cards, start=1):
        scores = [score for _criterion, score in _score_rows(criteria, card)]
        rows.append((_("Expert %(number)s") % {"number": number}, scores, card.total))
    return rows


@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk):
    if redirect_response := _login_required(request):
        return redirect_response
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "round__rubric", "round__subject_organization", "round__content_type", "expert__affiliation", "expert__user"
        ),
        pk=pk,
    )
    user = request.user
    if not permissions.can_open_assignment(user, assignment):
        raise Http404
    review_round = assignment.round
    criteria = list(review_round.rubric.criteria.all())
    is_assignee = permissions.is_assignee(user, assignment)

    scorecard_form = None
    if permissions.can_score(user, assignment):
        values, reasons, comment = services.draft_values(assignment)
        scorecard_form = ScorecardForm(criteria=criteria, initial=ScorecardForm.initial_from(values, reasons, comment))
    outlier_form = OutlierReasonForm() if permissions.can_explain_outlier(user, assignment) else None

    forms = {
        "decline_form": DeclineForm(),
        "declaration_form": DeclarationForm(),
        "scorecard_form": scorecard_form,
        "outlier_form": outlier_form,
    }
    if request.method == "POST":
        if not is_assignee:
            raise Http404
        handler = ASSIGNMENT_ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            raise Http404
        if response := handler(request, assignment, forms, criteria):
            return response

    can_see_material = permissions.can_see_material(user, assignment)
    can_see_organization = permissions.can_see_subject_organization(user, review_round)
    own_scorecard = None
    if assignment.is_counted and (is_assignee or can_see_material):
        own_scorecard = Scorecard.objects.prefetch_related("scores").filter(assignment=assignment).first()
    can_see_others = (assignment.is_counted or not is_assignee) and permissions.can_see_other_scores(user, assignment)
    other_rows = _other_rows(assignment, criteria) if can_see_others else None
    if not is_assignee and (own_scorecard or other_rows):  # a manager reads an expert's named scorecard
        services.record_scores_viewed(
            actor=user,
            review_round=review_round,
            scorecards=len(other_rows or []) + (1 if own_scorecard else 0),
            assignment=assignment,
        )
    # Where the round hides the applicant, the reviewer sees a neutral label, never the title or the subject.
    round_title = review_round.display_title if can_see_organization else review_round.assignee_label
    context = {
        "assignment": assignment,
        "review_round": review_round,
        "is_assignee": is_assignee,
        "can_respond": permissions.can_respond(user, assignment),
        "can_declare": permissions.can_declare_conflict(user, assignment),
        "must_declare": is_assignee and assignment.state == AssignmentState.ACCEPTED,
        "can_see_material": can_see_material,
        "can_see_organization": can_see_organization,
        "round_title": round_title,
        "subject": (review_round.subject if can_see_organization else round_title) if can_see_material else None,
        "criteria": criteria if can_see_material else [],
        # Exactly what the round's managers chose to expose, and only to who may read it.
        "material": list(review_round.material.all()) if can_see_material else [],
        "suggested_conflicts": suggest_conflicts(
            assignment.expert, review_round.subject_organization, name_affiliation=can_see_organization
        )
        if permissions.can_declare_conflict(user, assignment)
        else [],
        **forms,
        "own_scorecard": own_scorecard,
        "own_rows": _score_rows(criteria, own_scorecard) if own_scorecard else [],
        "other_rows": other_rows,
        "page_title": round_title,
    }
    return render(request, "reviews/assignment_detail.html", context)


@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    if redirect_response := _login_required(request):
        return redirect_response
    review_round = get_object_or_404(
        ReviewRound.objects.select_related("rubric", "subject_organization", "content_type"), pk=pk
    )
    user = request.user
    if not permissions.can_see_round(user, review_round):
        raise Http404
    available = Expert.objects.active().exclude(assignments__round=review_round)

    forms = {"assign_form": AssignExpertForm(experts=available), "close_form": CloseRoundForm()}
    if request.method == "POST":
        handler = ROUND_ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            raise Http404
        if response := handler(request, review_round, forms, available):
            return response

    criteria = list(review_round.rubric.criteria.all())
    assignments = list(
        review_round.assignments.select_related("expert__affiliation", "expert__user")
        .prefetch_related("declarations", "expert__declared_relationships", "expert__user__organization_links")
        .order_by("pk")
    )
    scorecards = services.counted_scorecards(review_round)
    if scorecards:  # named scorecards on the page: a sensitive read, audited each time
        services.record_scores_viewed(actor=user, review_round=review_round, scorecards=len(scorecards))
    result = services.round_result(review_round, scorecards)
    rows_by_assignment = {row.assignment.pk: row for row in result.rows}
    table = []
    for assignment in assignments:
        row = rows_by_assignment.get(assignment.pk)
        scores = {s.criterion_id: s for s in row.scorecard.scores.all()} if row else {}
        table.append(
            {
                "assignment": assignment,
                "conflicts": suggest_conflicts(assignment.expert, review_round.subject_organization),
                "declarations": list(assignment.declarations.all()),
                "row": row,
                "scores": [scores.get(c.pk) for c in criteria],
            }
        )
    context = {
        "review_round": review_round,
        "subject": review_round.subject,
        "criteria": criteria,
        "table": table,
        "result": result,
        "suggestions": services.suggest_experts(review_round, 5) if not review_round.is_closed else [],
        "material": list(review_round.material.all()),
        "can_choose_material": permissions.can_choose_material(user, review_round),
        **forms,
        "page_title": review_round.display_title,
    }
    return render(request, "reviews/round_detail.html", context)


# What each posted ``action`` does ------------------------------------------------------------------------------
# A handler runs one service through call_service and answers a redirect when it went through; it answers None
# to show the page again with the bound form (and the service's refusal on it) that it put into ``forms``.


def _accept(request, assignment, forms, criteria):
    success = _("You accepted. Please declare any conflict of interest next.")
    call_service(request, services.accept_assignment, success=success, assignment=assignment)
    return redirect(assignment.get_absolute_url())


def _decline(request, assignment, forms, criteria):
    form = forms["decline_form"] = DeclineForm(request.POST)
    if not form.is_valid():
        return None
    reason = form.cleaned_data["reason"]
    if call_service(request, services.decline_assignment, assignment=assignment, reason=reason) is REFUSED:
        return redirect(assignment.get_absolute_url())
    messages.success(request, _("You declined the invitation."))
    return redirect("reviews:list")


def _declare(request, assignment, forms, criteria):
    form = forms["declaration_form"] = DeclarationForm(request.POST)
    if not form.is_valid():
        return None
    declared = call_service(
        request,
        services.declare_conflict,
        form=form,
        assignment=assignment,
        has_conflict=form.has_conflict,
        kind=form.cleaned_data["kind"],
        text=form.cleaned_data["text"],
    )
    if declared is REFUSED:
        return None
    if form.has_conflict:
        messages.success(request, _("Thank you. You are recused from this review."))
        return redirect("reviews:list")
    messages.success(request, _("Thank you. You may now read the material and score."))
    return redirect(assignment.get_absolute_url())


def _scores(service):
    def handler(request, assignment, forms, criteria):
        if forms["scorecard_form"] is None:  # not (or no longer) theirs to score
            raise Http404
        form = forms["scorecard_form"] = ScorecardForm(request.POST, criteria=criteria)
        if not form.is_valid():
            return None
        scorecard = call_service(
            request,
            service,
            form=form,
            assignment=assignment,
            values=form.values(),
            reasons=form.reasons(),
            comment=form.cleaned_data["comment"],
        )
        if scorecard is REFUSED:
            return None
        if service is services.save_scores:
            messages.success(request, _("Your draft scores have been saved."))
        elif scorecard.is_outlier:
            messages.warning(
                request,
                _(
                    "Your scorecard has been submitted. Its total is far from the totals the other "
                    "experts submitted: please give a written reason for it below."
                ),
            )
        else:
            messages.success(request, _("Your scorecard has been submitted."))
        return redirect(assignment.get_absolute_url())

    return handler


def _explain(request, assignment, forms, criteria):
    if forms["outlier_form"] is None:
        raise Http404
    form = forms["outlier_form"] = OutlierReasonForm(request.POST)
    if not form.is_valid():
        return None
    reason = form.cleaned_data["outlier_reason"]
    if call_service(request, services.explain_outlier, form=form, assignment=assignment, reason=reason) is REFUSED:
        return None
    messages.success(request, _("Thank you. Your reason has been recorded."))
    return redirect(assignment.get_absolute_url())


ASSIGNMENT_ACTIONS = {
    "accept": _accept,
    "decline": _decline,
    "declare": _declare,
    "save": _scores(services.save_scores),
    "submit": _scores(services.submit_scorecard),
    "explain": _explain,
}


def _open_round(request, review_round, forms, available):
    call_service(request, services.open_round, success=_("The round is open for scoring."), review_round=review_round)
    return redirect(review_round.get_absolute_url())


def _close_round(request, review_round, forms, available):
    form = forms["close_form"] = CloseRoundForm(request.POST)
    if not form.is_valid():
        return None
    reason = form.cleaned_data["reason"]
    if call_service(request, services.close_round, form=form, review_round=review_round, reason=reason) is REFUSED:
        return None
    messages.success(request, _("The round is closed."))
    return redirect(review_round.get_absolute_url())


def _assign(request, review_round, forms, available):
    form = forms["assign_form"] = AssignExpertForm(request.POST, experts=available)
    if not form.is_valid():
        return None
    invited = call_service(
        request,
        services.assign_expert,
        form=form,
        review_round=review_round,
        expert=form.cleaned_data["expert"],
        override_reason=form.cleaned_data["override_reason"],
    )
    if invited is REFUSED:
        return None
    messages.success(request, _("The expert has been invited."))
    return redirect(review_round.get_absolute_url())


ROUND_ACTIONS = {"open": _open_round, "close": _close_round, "assign": _assign}


# --- Review material ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def round_material(request, pk):
    """The managers choose what the round exposes. Once it is open, what is exposed stays; more may be added."""
    if redirect_response := _login_required(request):
        return redirect_response
    review_round = get_object_or_404(ReviewRound.objects.select_related("content_type"), pk=pk)
    if not permissions.can_choose_material(request.user, review_round):
        raise Http404
    exposed = list(review_round.material.all())
    exposed_keys = [row.key for row in exposed]
    items = material.candidates(review_round.subject)
    kept = exposed_keys if review_round.is_open else []  # an open round's material is not withdrawn
    form = MaterialForm(
        request.POST or None,
        items=[item for item in items if item.key not in kept],
        initial={"keys": exposed_keys},
    )
    chosen = call_with_form(
        request,
        form,
        services.expose_material,
        values=lambda form: {"keys": kept + form.cleaned_data["keys"]},
        success=_("The review material is saved."),
        review_round=review_round,
    )
    if chosen is not REFUSED:
        return redirect(review_round.get_absolute_url())
    context = {
        "review_round": review_round,
        "subject": review_round.subject,
        "form": form,
        "kept": exposed if review_round.is_open else [],
        "page_title": _("Review material"),
    }
    return render(request, "reviews/round_material.html", context)


@require_http_methods(["GET"])
def material_detail(request, pk):
    """One exposed item: a file is handed over, a section shown. Audited; 404 for anyone who may not read it and
    for an item that is no longer part of the subject."""
    if redirect_response := _login_required(request):
        return redirect_response
    row = get_object_or_404(RoundMaterial.objects.select_related("round__content_type", "round__rubric"), pk=pk)
    user = request.user
    if not permissions.can_open_material(user, row):
        raise Http404
    review_round = row.round
    subject = review_round.subject
    provider = material.provider_for(subject)
    item = material.find(subject, row.key)
    if provider is None or item is None:
        raise Http404
    handler = provider.serve if item.is_file else provider.render
    if handler is None:
        raise Http404
    assignment = Assignment.objects.filter(round=review_round, expert__user=user).first()
    answer = handler(request, subject, item)
    services.record_material_read(actor=user, material_row=row, assignment=assignment)
    if item.is_file:
        return answer
    can_see_organization = permissions.can_see_subject_organization(user, review_round)
    round_title = review_round.display_title if can_see_organization else review_round.assignee_label
    context = {
        "review_round": review_round,
        "material": row,
        "item": item,
        "body": answer,
        "round_title": round_title,
        "back": assignment.get_absolute_url() if assignment else review_round.get_absolute_url(),
        "page_title": row.display_label,
    }
    return render(request, "reviews/material_section.html", context)
