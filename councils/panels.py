"""The dashboard panel of council work: my workspaces, my meetings, unanswered policy feedback and my action
items. A fixed number of queries, whatever the user belongs to.

Votes on motions are not listed here: a motion is voted through its poll, and the voting engine's "Open votes"
panel lists every poll the user owes a ballot in (motions, and later the fund's and the talent programmes'),
linking straight to the ballot. Listing motions here too showed the same vote twice."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

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
    PolicyFeedback,
)

PANEL_LENGTH = 5
WORKSPACE_LIMIT = 40


def _workspace_groups(councils, committees):
    """One group per council: its plenary workspace (when the user may open it) and the committees the user may
    open, so that eighteen workspaces read as three councils rather than one long column."""
    groups = {council.pk: {"council": council, "plenary": True, "committees": []} for council in councils}
    for committee in committees:
        group = groups.setdefault(
            committee.council_id, {"council": committee.council, "plenary": False, "committees": []}
        )
        group["committees"].append(committee)
    return list(groups.values())


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
    councils = list(councils.order_by("theme__order", "name_zh")[:WORKSPACE_LIMIT])
    committees = list(
        committees.select_related("council").order_by("council__theme__order", "council__name_zh", "order", "pk")[
            :WORKSPACE_LIMIT
        ]
    )
    return {
        "councils": councils,
        "committees": committees,
        "workspace_groups": _workspace_groups(councils, committees),
        "invitations": invitations,
        "campaigns": campaigns,
        "action_items": action_items,
        "today": timezone.localdate(),
    }
