"""The dashboard panel of council work: my workspaces, my meetings, votes on motions, unanswered policy
feedback and my action items. A fixed number of queries, whatever the user belongs to."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from portal.voting.models import Ballot, ElectorateEntry, PollState

from . import permissions
from .models import (
    ActionItem,
    ActionItemStatus,
    CampaignState,
    CommitteeMembership,
    FeedbackResponse,
    Invitation,
    MeetingState,
    Membership,
    Motion,
    MotionState,
    PolicyFeedback,
)

PANEL_LENGTH = 5


def _member_workspaces_filter(user):
    """A Q over WorkspaceScoped rows in the workspaces the user is a member of (not just may open)."""
    on = permissions.today()
    council_ids = list(
        Membership.objects.filter(representative=user).active_on(on).values_list("council_id", flat=True).distinct()
    )
    committee_ids = list(
        CommitteeMembership.objects.filter(user=user, joined_on__lte=on).values_list("committee_id", flat=True)
    )
    return Q(council_id__in=council_ids, committee__isnull=True) | Q(committee_id__in=committee_ids)


def _openable_filter(councils, committees, prefix=""):
    """A Q over WorkspaceScoped rows (through ``prefix``) in the workspaces the user may open today, so that a
    term that has ended takes its invitations, votes and action items off the panel with it."""
    return Q(**{f"{prefix}committee__isnull": True, f"{prefix}council__in": councils}) | Q(
        **{f"{prefix}committee__in": committees}
    )


def workspaces_context(request):
    user = request.user
    councils, committees = permissions.openable_workspaces(user)
    now = timezone.now()
    invitations = list(
        Invitation.objects.filter(
            _openable_filter(councils, committees, "meeting__"),
            user=user,
            meeting__state__in=[MeetingState.SCHEDULED, MeetingState.IN_PROGRESS],
            meeting__starts_at__gte=now - timezone.timedelta(hours=12),
        )
        .select_related("meeting__council", "meeting__committee")
        .order_by("meeting__starts_at")[:PANEL_LENGTH]
    )
    my_entries = ElectorateEntry.objects.filter(poll=OuterRef("poll"), poll__state=PollState.OPEN).filter(
        Q(user=user, present=True, proxy_holder__isnull=True) | Q(proxy_holder=user)
    )
    unvoted = my_entries.exclude(Exists(Ballot.objects.filter(entry=OuterRef("pk"))))
    motions = list(
        Motion.objects.filter(_openable_filter(councils, committees), state=MotionState.VOTING)
        .filter(Exists(unvoted))
        .select_related("poll", "council", "committee")
        .order_by("poll__closes_at", "pk")[:PANEL_LENGTH]
    )
    member_filter = _member_workspaces_filter(user)
    campaigns = list(
        PolicyFeedback.objects.filter(member_filter, state=CampaignState.OPEN)
        .exclude(Exists(FeedbackResponse.objects.filter(campaign=OuterRef("pk"), respondent=user)))
        .select_related("council", "committee")
        .order_by("closes_on", "pk")[:PANEL_LENGTH]
    )
    action_items = list(
        ActionItem.objects.filter(_openable_filter(councils, committees), owner=user, status=ActionItemStatus.OPEN)
        .select_related("council", "committee")
        .order_by("due_on", "pk")[:PANEL_LENGTH]
    )
    return {
        "councils": list(councils.order_by("theme__order", "name_zh")[:20]),
        "committees": list(committees.select_related("council").order_by("council__slug", "order", "pk")[:20]),
        "invitations": invitations,
        "motions": motions,
        "campaigns": campaigns,
        "action_items": action_items,
        "today": timezone.localdate(),
    }
