"""Who may see and do what in panel reviews. Plain booleans only; default deny.

- A round belongs to an **owner** (a council, a committee, later a fund or a programme). Who holds
  ``Power.MANAGE`` over that owner in ``portal.authority`` runs the round and sees everything about it; a role,
  ``is_staff`` or a model permission grants nothing here. Superusers hold MANAGE through ``portal.authority``.
- Creating a round needs MANAGE over the owner it is created for.
- Rubrics are shared configuration, owned by nobody: superusers and holders of the model permission
  ``reviews.change_rubric`` (given in the CMS) edit them; no role grants it.
- An assignee sees their invitation; the material only after declaring no conflict; never other people's
  scores before submitting their own, and afterwards only when the round allows it. When the round hides the
  applicant, an assignee sees nothing that names the subject organization.
- Declined and recused assignees see nothing of the round (404). Everybody else gets 404 too.
- Applicants are never assignees nor managers, so they never see individual scores or who scored.
"""

from portal import authority, lifecycle
from portal.accounts.roles import RoleCode, is_active_user, role_codes
from portal.authority import Power

from .models import AssignmentState, ReviewRound

# Assignment states in which the assignee may still open the assignment page.
_VISIBLE_TO_ASSIGNEE = {
    AssignmentState.INVITED,
    AssignmentState.ACCEPTED,
    AssignmentState.CLEARED,
    AssignmentState.SUBMITTED,
}
_MATERIAL_STATES = {AssignmentState.CLEARED, AssignmentState.SUBMITTED}


def can_create_round(user, owner) -> bool:
    """A round for ``owner``: only who holds MANAGE over it (an unregistered owner has no holders)."""
    return authority.holds(user, owner, Power.MANAGE)


def can_edit_rubrics(user) -> bool:
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or user.has_perm("reviews.change_rubric"))


def can_manage_round(user, review_round) -> bool:
    """Run the round and see everything in it: MANAGE over the round's owner."""
    return authority.holds(user, review_round.owner, Power.MANAGE)


def is_assignee(user, assignment) -> bool:
    return bool(is_active_user(user) and assignment.expert.user_id is not None and assignment.expert.user_id == user.pk)


def can_open_assignment(user, assignment) -> bool:
    """The assignment page: the assignee while invited, accepted, cleared or submitted; the round's managers."""
    if is_assignee(user, assignment) and assignment.state in _VISIBLE_TO_ASSIGNEE:
        return True
    return can_manage_round(user, assignment.round)


def may_recuse(user, assignment) -> bool:
    """Take the assignee off the panel: the assignee declaring a conflict, or the round's managers."""
    return bool(is_assignee(user, assignment) or can_manage_round(user, assignment.round))


def can_respond(user, assignment) -> bool:
    """Accept or decline the invitation (while invited, and the round has not closed)."""
    return lifecycle.allowed(assignment, "accept", user)


def can_declare_conflict(user, assignment) -> bool:
    """Declare (no) conflict: after accepting and before submitting; a cleared expert may still declare one."""
    return bool(
        is_assignee(user, assignment)
        and assignment.state in {AssignmentState.ACCEPTED, AssignmentState.CLEARED}
        and not assignment.round.is_closed
    )


def can_see_material(user, assignment) -> bool:
    """The subject under review: only after a 'no conflict' declaration, and never when recused or declined."""
    if can_manage_round(user, assignment.round):
        return True
    return bool(
        is_assignee(user, assignment) and assignment.state in _MATERIAL_STATES and not assignment.round.is_draft
    )


def can_score(user, assignment) -> bool:
    """Score, save and submit: cleared of conflicts, while the round is open."""
    return lifecycle.allowed(assignment, "submit", user)


def can_see_subject_organization(user, review_round) -> bool:
    return bool(can_manage_round(user, review_round) or not review_round.hide_applicant_identity)


def can_see_other_scores(user, assignment) -> bool:
    """Other assignees' scorecards: managers always; an assignee only after submitting, if the round allows."""
    if can_manage_round(user, assignment.round):
        return True
    return bool(
        is_assignee(user, assignment)
        and assignment.state == AssignmentState.SUBMITTED
        and assignment.round.reviewers_see_scores_after_submit
    )


def can_see_round(user, review_round) -> bool:
    """The round page with every assignment, conflict, score and the aggregate."""
    return can_manage_round(user, review_round)


def can_see_assignments_panel(user) -> bool:
    """The dashboard panel: evaluators, and anyone whose expert profile has assignments."""
    if not is_active_user(user):
        return False
    if RoleCode.EVALUATOR in role_codes(user):
        return True
    from .models import Assignment

    return Assignment.objects.filter(expert__user=user).exists()


def can_see_assignment_list(user) -> bool:
    return is_active_user(user)


def managed_rounds(user):
    """The rounds whose owner the user holds MANAGE over (a queryset for lists and panels)."""
    return ReviewRound.objects.filter(authority.owner_q(user, Power.MANAGE))


def can_explain_outlier(user, assignment) -> bool:
    """The follow-up written reason for a total flagged as an outlier once the scorecard was locked."""
    if not (is_assignee(user, assignment) and assignment.state == AssignmentState.SUBMITTED):
        return False
    if assignment.round.is_closed:
        return False
    scorecard = getattr(assignment, "scorecard", None)
    return bool(scorecard is not None and scorecard.awaits_outlier_reason)


def manages_any_round(user) -> bool:
    """The dashboard panel listing the rounds one manages."""
    if not is_active_user(user):
        return False
    return managed_rounds(user).exists()


# --- Review material ---------------------------------------------------------------------------------------


def can_choose_material(user, review_round) -> bool:
    """Choose what the round exposes: its managers, until it closes (once open, only additions: the service)."""
    return bool(can_manage_round(user, review_round) and not review_round.is_closed)


def can_open_material(user, material) -> bool:
    """One exposed item: the round's managers; otherwise only an assignee who accepted and declared no conflict
    (cleared or submitted), once the round is open. Invited, declined and recused assignees, and everyone else,
    are refused (the view answers 404)."""
    review_round = material.round
    if can_manage_round(user, review_round):
        return True
    if not is_active_user(user) or review_round.is_draft:
        return False
    from .models import Assignment

    states = set(
        Assignment.objects.filter(round=review_round, expert__user=user).values_list("state", flat=True).distinct()
    )
    return bool(states) and states <= _MATERIAL_STATES
