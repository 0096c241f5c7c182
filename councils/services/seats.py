"""Who sits in a workspace today: seats, chairs, signatories, whom to notify. The answers live on the
Workspace value (councils/workspace.py), which the services ask directly; these names remain as the package's
public names for the views and tests that call them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import authority
from portal.authority import Power

from ..workspace import Workspace

# Workspace permissions -------------------------------------------------------------------------------------


def council_workspace_user_ids(council, on=None):
    return Workspace(council).user_ids(on)


def committee_workspace_user_ids(committee, secretariat_ids=None, on=None):
    return Workspace.of(committee).user_ids(on, secretariat_ids)


def workspace_seats(workspace, on=None):
    return Workspace.of(workspace).seats(on)


def workspace_chairs(workspace):
    return Workspace.of(workspace).chairs()


def default_signatories(workspace, actor):
    """Who signs a drafted opinion off unless its editors change it: the workspace's chair, else a vice-chair
    (never the drafter alone). Refused with a message when the workspace has nobody who signs."""
    place = Workspace.of(workspace)
    signers = authority.holders(place.body, Power.SIGN).exclude(pk=actor.pk)
    chairs = place.chairs().exclude(pk=actor.pk)
    signer = chairs.filter(pk__in=signers.values("pk")).first() or signers.first()
    if signer is None:
        raise ValidationError(
            _("Nobody can sign this opinion off: the workspace has no chair or vice-chair in office."),
            code="no_signatory",
        )
    return [signer]


def workspace_recipients(workspace, actor=None):
    return Workspace.of(workspace).recipients(actor)
