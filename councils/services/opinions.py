"""Opinions of councils and committees, issued through portal.opinions.

A council or committee issues opinions as an ``Issuer`` whose generic ``owner`` is that council or committee
(staff set issuers up in the admin; the demo does it for the three councils and their committees). Drafting,
sign-off or a vote, numbering, the signed PDF and verification all stay in the engine; this module finds a
workspace's issuer and its opinions, and writes the workspace's activity line when one is issued.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.opinions.models import Issuer, Opinion, OpinionState
from portal.opinions.services import detail_url

from .. import activity, permissions
from ..models import ActivityVerb, Committee, Council

# Audit-log actions of this module; the engine logs every action on the opinions themselves.
ACTIONS = {
    "councils.set_up_issuer": (_("Set up opinion issuer"), _("Opinion issuer set up")),
}
PREFIX_MAX = Issuer._meta.get_field("number_prefix").max_length
NAME_MAX = Issuer._meta.get_field("name").max_length


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


@transaction.atomic
def set_up_issuer(*, actor, workspace, name, number_prefix, addressee_default=""):
    """Let a council or committee issue opinions: an Issuer it owns, its secretariat as editors.

    The prefix is the part of the document number before 〔year〕 (坪生医共治 → 坪生医共治〔2026〕1号); it can never be
    shared, since numbers are counted per issuer.
    """
    if not permissions.can_set_up_issuer(actor, workspace):
        raise PermissionDenied
    name, number_prefix = (name or "").strip(), (number_prefix or "").strip()
    errors = {}
    if issuer_for(workspace) is not None:
        errors["name"] = _("This workspace already issues opinions.")
    if not name:
        errors["name"] = _("Give the issuer's name as it heads the opinions.")
    elif len(name) > NAME_MAX or Issuer.objects.filter(name=name).exists():
        errors["name"] = _("Another issuer has this name, or it is too long.")
    if not number_prefix:
        errors["number_prefix"] = _("Give the document-number prefix, for example 坪生医共治.")
    elif len(number_prefix) > PREFIX_MAX or any(char in number_prefix for char in "〔〕 "):
        errors["number_prefix"] = _("The prefix is at most %(max)s characters, without spaces or 〔〕.") % {
            "max": PREFIX_MAX
        }
    elif Issuer.objects.filter(number_prefix=number_prefix).exists():
        errors["number_prefix"] = _("Another issuer already numbers its opinions with this prefix.")
    if errors:
        raise ValidationError(errors)
    council = workspace.council if isinstance(workspace, Committee) else workspace
    issuer = Issuer.objects.create(
        name=name,
        number_prefix=number_prefix,
        addressee_default=(addressee_default or council.leading_bureau.name).strip()[:120],
        signatory_lines=name,
        owner_type=ContentType.objects.get_for_model(type(workspace)),
        owner_id=str(workspace.pk),
    )
    issuer.editors.set(council.secretariat_users.all())
    log(
        instance=issuer,
        action="councils.set_up_issuer",
        user=actor,
        data={"workspace": str(workspace), "number_prefix": number_prefix},
    )
    return issuer


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


__all__ = [
    "ACTIONS",
    "OpinionState",
    "issuer_for",
    "public_opinions",
    "record_issued",
    "set_up_issuer",
    "workspace_opinions",
]
