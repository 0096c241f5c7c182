"""Suggestions of experts and reminders of overdue assignments."""

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from portal.experts.models import Expert
from portal.history.record import Tell, record

from ..conflicts import suggest_conflicts
from ..models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    RoundState,
)
from .common import stored_link

# --- Suggestions and reminders ---------------------------------------------------------------------------


def suggest_experts(review_round, count: int) -> list[Expert]:
    """Up to ``count`` active experts not yet on the round and with no suggested conflict: experts sharing a
    theme with the round first, then the fewest open assignments (invited, accepted, cleared in rounds that are
    not closed), then name."""
    return suggest_experts_for(
        organization=review_round.subject_organization,
        theme_ids=review_round.themes.values_list("pk", flat=True),
        count=count,
        exclude_round=review_round,
    )


def suggest_experts_for(*, organization, theme_ids=(), count: int, exclude_round=None) -> list[Expert]:
    """The same suggestion before a round exists (a form that creates the round and invites at once): experts
    with a suggested conflict with ``organization`` left out, those sharing one of ``theme_ids`` first."""
    theme_ids = set(theme_ids)
    open_load = Count(
        "assignments",
        filter=Q(assignments__state__in=OPEN_ASSIGNMENT_STATES) & ~Q(assignments__round__state=RoundState.CLOSED),
        distinct=True,
    )
    candidates = Expert.objects.active()
    if exclude_round is not None:
        candidates = candidates.exclude(assignments__round=exclude_round)
    candidates = (
        candidates.annotate(open_load=open_load)
        .select_related("affiliation", "user")
        .prefetch_related(
            "declared_relationships",
            Prefetch("themes"),
            "user__organization_links",
        )
    )
    ranked = []
    for expert in candidates:
        if suggest_conflicts(expert, organization):
            continue
        matches = len(theme_ids & {theme.pk for theme in expert.themes.all()})
        ranked.append((0 if matches else 1, -matches, expert.open_load, expert.name, expert.pk, expert))
    ranked.sort(key=lambda row: row[:5])
    return [row[-1] for row in ranked[:count]]


@transaction.atomic
def send_overdue_reminders(now=None) -> list[Assignment]:
    """Remind assignees of open rounds whose deadline has passed and who have not submitted. At most one
    reminder per assignment per calendar day (Asia/Shanghai), recorded in ``reminded_at``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = (
        Assignment.objects.filter(
            state__in=OPEN_ASSIGNMENT_STATES, round__state=RoundState.OPEN, round__deadline__lt=now
        )
        .select_related("round", "expert__user")
        .order_by("pk")
    )
    reminded = []
    for assignment in overdue:
        if assignment.reminded_at is not None and timezone.localdate(assignment.reminded_at) >= today:
            continue
        assignment.reminded_at = now
        assignment.save(update_fields=["reminded_at"])
        tell = None
        if assignment.expert.user_id:
            tell = Tell(
                [assignment.expert.user],
                title=format_lazy(
                    gettext_lazy("Reminder: the review {title} is past its deadline"),
                    title=assignment.round.assignee_label,
                ),
                body=gettext_lazy("Please finish your conflict declaration and scorecard."),
                url=stored_link("assignment", assignment.pk),
            )
        record("reviews.remind", actor=None, instance=assignment, data={"round": assignment.round_id}, tell=tell)
        reminded.append(assignment)
    return reminded
