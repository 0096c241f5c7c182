"""Who sits in a workspace today: seats, chairs, signatories, whom to notify."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import authority
from portal.authority import Power

from ..models import (
    Committee,
    CommitteeMembership,
    CommitteeRole,
    Membership,
    MembershipRole,
)
from .common import today

# Workspace permissions -------------------------------------------------------------------------------------


def council_workspace_user_ids(council, on=None):
    """Who may open the plenary workspace on ``on`` (superusers aside): representatives of memberships in force
    that day and the council's secretariat staff (permissions.can_open_council_workspace asks the same rows)."""
    on = on or today()
    representatives = (
        Membership.objects.filter(council=council, representative__isnull=False)
        .active_on(on)
        .values_list("representative_id", flat=True)
    )
    secretariat = council.secretariat_users.values_list("pk", flat=True)
    return set(representatives) | set(secretariat)


def committee_workspace_user_ids(committee, secretariat_ids=None, on=None):
    """Who may open a committee workspace on ``on`` (superusers aside): members seated by then and the council's
    secretariat."""
    on = on or today()
    if secretariat_ids is None:
        secretariat_ids = set(committee.council.secretariat_users.values_list("pk", flat=True))
    seated = committee.memberships.filter(joined_on__lte=on).values_list("user_id", flat=True)
    return set(seated) | set(secretariat_ids)


def workspace_seats(workspace, on=None):
    """Who sits in a workspace today, as ``[(user, organization, has_vote)]`` in a stable order.

    Plenary: the representatives of memberships active on ``on`` (observers have no vote). Committee: its
    members seated by ``on``, external ones too, each with a vote in the committee.
    """
    on = on or today()
    if isinstance(workspace, Committee):
        members = workspace.memberships.filter(joined_on__lte=on).select_related("user", "organization").order_by("pk")
        return [(member.user, member.organization, True) for member in members if member.user.is_active]
    memberships = (
        Membership.objects.filter(council=workspace, representative__isnull=False)
        .active_on(on)
        .select_related("representative", "organization")
        .order_by("pk")
    )
    seats, seen = [], set()
    for membership in memberships:
        user = membership.representative
        if not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        seats.append((user, membership.organization, membership.has_vote))
    return seats


def workspace_chairs(workspace):
    """The chair of the workspace: the council's chair (理事长, plenary) or the committee's (主任委员)."""
    if isinstance(workspace, Committee):
        ids = set(
            CommitteeMembership.objects.filter(committee=workspace, role=CommitteeRole.CHAIR).values_list(
                "user_id", flat=True
            )
        )
        if workspace.chair_id:
            ids.add(workspace.chair_id)
    else:
        ids = set(
            Membership.objects.filter(council=workspace, role=MembershipRole.CHAIR, representative__isnull=False)
            .active_on(today())
            .values_list("representative_id", flat=True)
        )
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def default_signatories(workspace, actor):
    """Who signs a drafted opinion off unless its editors change it: the workspace's chair, else a vice-chair
    (never the drafter alone). Refused with a message when the workspace has nobody who signs."""
    signers = authority.holders(workspace, Power.SIGN).exclude(pk=actor.pk)
    chairs = workspace_chairs(workspace).exclude(pk=actor.pk)
    signer = chairs.filter(pk__in=signers.values("pk")).first() or signers.first()
    if signer is None:
        raise ValidationError(
            _("Nobody can sign this opinion off: the workspace has no chair or vice-chair in office."),
            code="no_signatory",
        )
    return [signer]


def workspace_recipients(workspace, actor=None):
    """Everyone who may open the workspace (members and secretariat), less the actor: whom to notify."""
    ids = (
        committee_workspace_user_ids(workspace)
        if isinstance(workspace, Committee)
        else council_workspace_user_ids(workspace)
    )
    if actor is not None:
        ids.discard(actor.pk)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
