"""Review rounds and assignments: create, open, assign; accept, decline, declare conflicts, recuse."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import lifecycle
from portal.experts.models import Expert
from portal.history.record import Tell, record
from portal.notifications.services import notify

from .. import permissions
from ..conflicts import suggest_conflicts
from ..identity import names_organization
from ..models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    ConflictKind,
    ReviewRound,
    Rubric,
)
from ..scoring import AggregationMethod
from .common import assignee_users, round_managers, stored_link

# --- Rounds ----------------------------------------------------------------------------------------------


_HIDDEN_NAME_ERROR = gettext_lazy(
    "This round hides the applicant from the reviewers: leave out the organization's name and its unified "
    "social credit code."
)


@transaction.atomic
def create_round(
    *,
    actor,
    owner,
    subject,
    rubric: Rubric,
    title: str,
    deadline,
    title_en: str = "",
    min_scores: int = 3,
    aggregation: str = AggregationMethod.MEAN,
    outlier_threshold=None,
    spread_threshold=None,
    std_threshold=None,
    reviewers_see_scores_after_submit: bool = False,
    hide_applicant_identity: bool = False,
    assignee_title: str = "",
    assignee_title_en: str = "",
    subject_organization=None,
    themes=(),
) -> ReviewRound:
    """A review round in draft on any subject, owned by ``owner``: who holds MANAGE over the owner runs it.

    ``title`` is the Chinese title; ``title_en`` (optional) is what the English pages show instead."""
    if not permissions.can_create_round(actor, owner):
        raise PermissionDenied
    errors = {}
    texts = {
        "title": title,
        "title_en": title_en,
        "assignee_title": assignee_title if hide_applicant_identity else "",
        "assignee_title_en": assignee_title_en if hide_applicant_identity else "",
    }
    texts = {field: (text or "").strip() for field, text in texts.items()}
    if not texts["title"]:
        errors["title"] = _("Give the round a title.")
    if hide_applicant_identity:
        for field, text in texts.items():
            if field not in errors and names_organization(text, subject_organization):
                errors[field] = _HIDDEN_NAME_ERROR
    if deadline is None or deadline <= timezone.now():
        errors["deadline"] = _("The deadline must be in the future.")
    weight_error = rubric.weight_error()
    if weight_error:
        errors["rubric"] = weight_error
    elif not rubric.is_latest:
        errors["rubric"] = _("A newer version of this rubric exists; use the latest version.")
    if aggregation not in AggregationMethod.values:
        errors["aggregation"] = _("Choose an aggregation method.")
    if min_scores < 1:
        errors["min_scores"] = _("At least one score is needed.")
    for name, value in (
        ("outlier_threshold", outlier_threshold),
        ("spread_threshold", spread_threshold),
        ("std_threshold", std_threshold),
    ):
        if value is not None and Decimal(value) < 0:
            errors[name] = _("A threshold cannot be negative.")
    review_round = ReviewRound(
        owner=owner,
        subject=subject,
        **texts,
        rubric=rubric,
        deadline=deadline,
        min_scores=min_scores,
        aggregation=aggregation,
        outlier_threshold=outlier_threshold,
        spread_threshold=spread_threshold,
        std_threshold=std_threshold,
        reviewers_see_scores_after_submit=reviewers_see_scores_after_submit,
        hide_applicant_identity=hide_applicant_identity,
        subject_organization=subject_organization,
        created_by=actor,
    )
    # The texts' limits come from the model's fields (the other fields were checked above).
    try:
        review_round.clean_fields(exclude=[field.name for field in ReviewRound._meta.fields if field.name not in texts])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    review_round.save()
    review_round.themes.set(themes)
    record(
        "reviews.create_round",
        actor=actor,
        instance=review_round,
        data={
            "rubric": rubric.pk,
            "subject": f"{review_round.content_type_id}:{review_round.object_id}",
            "owner": f"{review_round.owner_type_id}:{review_round.owner_id}",
        },
        tell=Tell(
            [user for user in round_managers(review_round) if user.pk != actor.pk],
            title=format_lazy(gettext_lazy("You manage the review round {title}"), title=review_round),
            url=stored_link("round", review_round.pk),
        ),
    )
    return review_round


@transaction.atomic
def open_round(*, actor, review_round: ReviewRound) -> ReviewRound:
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    lifecycle.take(review_round, "open", actor, timezone.now())
    review_round.save()
    record("reviews.open_round", actor=actor, instance=review_round)
    # Each invited expert gets the link to their own assignment.
    invited = list(review_round.assignments.filter(state=AssignmentState.INVITED).select_related("expert__user"))
    for assignment in invited:
        notify(
            assignee_users([assignment]),
            title=format_lazy(gettext_lazy("The review round {title} is open"), title=review_round.assignee_label),
            url=stored_link("assignment", assignment.pk),
        )
    return review_round


@transaction.atomic
def assign_expert(*, actor, review_round: ReviewRound, expert: Expert, override_reason: str = "") -> Assignment:
    """Invite an expert. Refused when the system suggests a conflict, unless staff give a reason to override."""
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    if review_round.is_closed:
        raise ValidationError(_("This review round has closed."), code="closed")
    if not expert.is_active:
        raise ValidationError(_("This expert is not active in the pool."), code="inactive")
    if review_round.assignments.filter(expert=expert).exists():
        raise ValidationError(_("This expert is already assigned to the round."), code="duplicate")
    conflicts = suggest_conflicts(expert, review_round.subject_organization)
    override_reason = (override_reason or "").strip()
    if conflicts and not override_reason:
        raise ValidationError(
            [_("Possible conflict of interest: %(reason)s") % {"reason": c.message} for c in conflicts]
            + [_("Give a reason to assign this expert anyway.")],
            code="conflict",
        )
    assignment = Assignment(
        round=review_round,
        expert=expert,
        assigned_by=actor,
        conflict_override_reason=override_reason if conflicts else "",
    )
    assignment.save()
    record(
        "reviews.assign",
        actor=actor,
        instance=review_round,
        data={
            "assignment": assignment.pk,
            "expert": expert.pk,
            "suggested_conflicts": [c.code for c in conflicts],
            "override_reason": assignment.conflict_override_reason,
        },
        tell=Tell(
            [expert.user],
            title=format_lazy(gettext_lazy("You are invited to review: {title}"), title=review_round.assignee_label),
            body=gettext_lazy("Please accept or decline, then declare any conflict of interest before scoring."),
            url=stored_link("assignment", assignment.pk),
        )
        if expert.user_id
        else None,
    )
    return assignment


def _assignee_or_deny(actor, assignment):
    """Only the assignee acts on an assignment; what they may do in its present state the lifecycle says."""
    if not permissions.is_assignee(actor, assignment):
        raise PermissionDenied


@transaction.atomic
def accept_assignment(*, actor, assignment: Assignment) -> Assignment:
    _assignee_or_deny(actor, assignment)
    lifecycle.take(assignment, "accept", actor, timezone.now())
    assignment.save()
    record(
        "reviews.accept",
        actor=actor,
        instance=assignment,
        data={"round": assignment.round_id},
        tell=Tell(
            round_managers(assignment.round),
            title=format_lazy(
                gettext_lazy("{expert} accepted to review {title}"), expert=assignment.expert, title=assignment.round
            ),
            url=stored_link("round", assignment.round_id),
            email=False,
        ),
    )
    return assignment


@transaction.atomic
def decline_assignment(*, actor, assignment: Assignment, reason: str = "") -> Assignment:
    _assignee_or_deny(actor, assignment)
    reason = (reason or "").strip()
    lifecycle.take(assignment, "decline", actor, timezone.now())
    assignment.save()
    record(
        "reviews.decline",
        actor=actor,
        instance=assignment,
        data={"round": assignment.round_id, "reason": reason},
        tell=Tell(
            round_managers(assignment.round),
            title=format_lazy(
                gettext_lazy("{expert} declined to review {title}"), expert=assignment.expert, title=assignment.round
            ),
            body=reason,
            url=stored_link("round", assignment.round_id),
        ),
    )
    return assignment


@transaction.atomic
def declare_conflict(
    *, actor, assignment: Assignment, has_conflict: bool, kind: str = "", text: str = ""
) -> ConflictDeclaration:
    """No conflict: the assignee may see the material and score. A conflict: recused, no access, not counted."""
    _assignee_or_deny(actor, assignment)
    if not permissions.can_declare_conflict(actor, assignment):
        raise lifecycle.refused(assignment)
    text = (text or "").strip()
    if has_conflict:
        errors = {}
        if kind not in ConflictKind.values:
            errors["kind"] = _("Choose the kind of conflict.")
        elif kind == ConflictKind.OTHER and not text:
            errors["text"] = _("Describe the conflict.")
        if errors:
            raise ValidationError(errors)
    elif assignment.state != AssignmentState.ACCEPTED:
        raise ValidationError(_("You have already declared that you have no conflict."), code="already")
    declaration = ConflictDeclaration.objects.create(
        assignment=assignment,
        has_conflict=bool(has_conflict),
        kind=kind if has_conflict else "",
        text=text,
        declared_by=actor,
    )
    if has_conflict:
        lifecycle.take(assignment, "recuse", actor, timezone.now())
        kind_label = ConflictKind(kind).label
        tell = Tell(
            round_managers(assignment.round),
            title=format_lazy(
                gettext_lazy("{expert} declared a conflict of interest and is recused from {title}"),
                expert=assignment.expert,
                title=assignment.round,
            ),
            body=format_lazy("{kind}: {text}", kind=kind_label, text=text) if text else kind_label,
            url=stored_link("round", assignment.round_id),
        )
    else:
        lifecycle.take(assignment, "clear", actor)
        tell = Tell(
            [actor],
            title=format_lazy(gettext_lazy("You may now score {title}"), title=assignment.round.assignee_label),
            url=stored_link("assignment", assignment.pk),
            email=False,
        )
    assignment.save()
    record(
        "reviews.declare_conflict",
        actor=actor,
        instance=assignment,
        data={"round": assignment.round_id, "has_conflict": bool(has_conflict), "kind": declaration.kind},
        tell=tell,
    )
    return declaration


@transaction.atomic
def recuse_assignment(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """Staff recuse an assignee (a conflict found later): access ends and any scorecard stops counting."""
    if not permissions.can_manage_round(actor, assignment.round):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the recusal.")})
    review_round = assignment.round
    if review_round.hide_applicant_identity and names_organization(reason, review_round.subject_organization):
        raise ValidationError({"reason": _HIDDEN_NAME_ERROR})  # the reason is sent to the expert
    if assignment.has_left_the_panel:
        raise ValidationError(_("This assignee is no longer on the panel."), code="state")
    if assignment.round.is_closed:
        raise ValidationError(_("This review round has closed."), code="closed")
    lifecycle.take(assignment, "recuse", actor, timezone.now())
    assignment.save()
    record(
        "reviews.recuse",
        actor=actor,
        instance=assignment,
        data={"round": assignment.round_id, "reason": reason},
        tell=Tell(
            [assignment.expert.user],
            title=format_lazy(gettext_lazy("You are recused from {title}"), title=assignment.round.assignee_label),
            body=reason,
        )
        if assignment.expert.user_id
        else None,
    )
    return assignment
