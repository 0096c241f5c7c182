"""Who may see and do what in panel reviews. Plain booleans only; default deny.

- Round managers (the staff who run a round), superusers and staff holding the model permission
  ``reviews.change_reviewround`` see everything about a round.
- An assignee sees their invitation; the material only after declaring no conflict; never other people's
  scores before submitting their own, and afterwards only when the round allows it.
- Declined and recused assignees see nothing of the round (404). Everybody else gets 404 too.
- Applicants are never assignees nor managers, so they never see individual scores or who scored.
"""

from portal.accounts.roles import RoleCode, role_codes

from .models import AssignmentState, RoundState

ROUND_CREATOR_ROLES = {RoleCode.SECRETARIAT, RoleCode.FUND_MANAGER, RoleCode.TALENT_OFFICER}
# Assignment states in which the assignee may still open the assignment page.
_VISIBLE_TO_ASSIGNEE = {
    AssignmentState.INVITED,
    AssignmentState.ACCEPTED,
    AssignmentState.CLEARED,
    AssignmentState.SUBMITTED,
}
_MATERIAL_STATES = {AssignmentState.CLEARED, AssignmentState.SUBMITTED}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_create_round(user) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser or role_codes(user) & ROUND_CREATOR_ROLES or user.has_perm("reviews.add_reviewround"))


def can_edit_rubrics(user) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser or role_codes(user) & ROUND_CREATOR_ROLES or user.has_perm("reviews.change_rubric"))


def can_manage_round(user, review_round) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or user.has_perm("reviews.change_reviewround"):
        return True
    cache = getattr(review_round, "_manager_ids", None)
    if cache is None:
        cache = set(review_round.managers.values_list("pk", flat=True))
        review_round._manager_ids = cache
    return user.pk in cache


def is_assignee(user, assignment) -> bool:
    return bool(_active(user) and assignment.expert.user_id is not None and assignment.expert.user_id == user.pk)


def can_open_assignment(user, assignment) -> bool:
    """The assignment page: the assignee while invited, accepted, cleared or submitted; the round's managers."""
    if is_assignee(user, assignment) and assignment.state in _VISIBLE_TO_ASSIGNEE:
        return True
    return can_manage_round(user, assignment.round)


def can_respond(user, assignment) -> bool:
    """Accept or decline the invitation."""
    return bool(
        is_assignee(user, assignment)
        and assignment.state == AssignmentState.INVITED
        and assignment.round.state != RoundState.CLOSED
    )


def can_declare_conflict(user, assignment) -> bool:
    """Declare (no) conflict: after accepting and before submitting; a cleared expert may still declare one."""
    return bool(
        is_assignee(user, assignment)
        and assignment.state in {AssignmentState.ACCEPTED, AssignmentState.CLEARED}
        and assignment.round.state != RoundState.CLOSED
    )


def can_see_material(user, assignment) -> bool:
    """The subject under review: only after a 'no conflict' declaration, and never when recused or declined."""
    if can_manage_round(user, assignment.round):
        return True
    return bool(
        is_assignee(user, assignment)
        and assignment.state in _MATERIAL_STATES
        and assignment.round.state != RoundState.DRAFT
    )


def can_score(user, assignment) -> bool:
    return bool(
        is_assignee(user, assignment)
        and assignment.state == AssignmentState.CLEARED
        and assignment.round.state == RoundState.OPEN
    )


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
    if not _active(user):
        return False
    if RoleCode.EVALUATOR in role_codes(user):
        return True
    from .models import Assignment

    return Assignment.objects.filter(expert__user=user).exists()


def can_see_assignment_list(user) -> bool:
    return _active(user)


def manages_any_round(user) -> bool:
    """The dashboard panel listing the rounds one manages."""
    if not _active(user):
        return False
    return user.managed_review_rounds.exists()
