"""Opinions of councils and committees, issued through portal.opinions.

A council or committee issues opinions as an ``Issuer`` whose generic ``owner`` is that council or committee
(staff set issuers up in the admin; the demo does it for the three councils and their committees). Drafting,
sign-off or a vote, numbering, the signed PDF and verification all stay in the engine; this module finds a
workspace's issuer and its opinions, and writes the workspace's activity line when one is issued.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from portal.opinions.models import Issuer, Opinion, OpinionState
from portal.opinions.services import detail_url

from .. import activity
from ..models import ActivityVerb, Committee, Council

# Audit-log actions of this module: none of its own, the engine logs every opinion action.
ACTIONS = {}


def _owner_filter(workspaces, prefix=""):
    """A Q matching issuers owned by any of these councils or committees."""
    query = Q(pk__in=[])
    for model in (Council, Committee):
        ids = [str(workspace.pk) for workspace in workspaces if isinstance(workspace, model)]
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            query |= Q(**{f"{prefix}owner_type": content_type, f"{prefix}owner_id__in": ids})
    return query


def issuer_for(workspace):
    """The Issuer the workspace issues opinions as, or None when staff have not set one up."""
    return Issuer.objects.filter(_owner_filter([workspace])).order_by("pk").first()


def workspace_opinions(workspace):
    """The opinions of the workspace's issuer, newest first (one query)."""
    return Opinion.objects.filter(_owner_filter([workspace], prefix="issuer__")).select_related("issuer")


def public_opinions(council, limit=20):
    """Issued public opinions of the council and of its committees, for the public council page."""
    workspaces = [council, *council.committees.all()]
    return list(
        Opinion.objects.filter(_owner_filter(workspaces, prefix="issuer__"), state=OpinionState.ISSUED, is_public=True)
        .select_related("issuer")
        .order_by("-issued_at", "-pk")[:limit]
    )


def record_issued(sender, opinion, actor=None, **kwargs):
    """Receiver of portal.opinions.signals.opinion_issued: a line in the owning workspace's activity stream."""
    owner = opinion.issuer.owner
    if not isinstance(owner, Council | Committee):
        return
    activity.record(
        actor=actor,
        workspace=owner,
        verb=ActivityVerb.ISSUED_OPINION,
        summary=f"{opinion.number} {opinion.title}",
        url=detail_url(opinion),
    )


__all__ = ["ACTIONS", "issuer_for", "public_opinions", "record_issued", "workspace_opinions", "OpinionState"]
