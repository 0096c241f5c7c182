"""State changes of organizations and the claims to act for them. Views call these (portal.calls)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Tell, record
from portal.memo import forget
from portal.text import clean_text, fmt

from . import permissions
from .models import (
    Organization,
    OrganizationClaim,
    OrganizationContactRole,
    OrganizationKind,
    OrganizationUser,
)
from .validators import normalize_uscc, validate_uscc

# Audit-log actions of this module (registered in wagtail_hooks.py).
ACTIONS = {
    "organizations.register": (_("Register organization"), _("Registered the organization and became its contact")),
    "organizations.claim": (_("Ask to act for organization"), _("Asked to act for the organization")),
    "organizations.approve_claim": (_("Approve claim"), _("Approved a request to act for the organization")),
    "organizations.refuse_claim": (_("Refuse claim"), _("Refused a request to act for the organization")),
    "organizations.withdraw_claim": (_("Withdraw claim"), _("Withdrew a request to act for the organization")),
}

# Kinds a person may register themself; government bodies are set up by portal staff in the CMS.
SELF_REGISTERED_KINDS = [
    (value, label) for value, label in OrganizationKind.choices if value != OrganizationKind.GOVERNMENT
]


@dataclass
class Attachment:
    """What attaching to an organization did: registered it (``claim`` None) or asked to act for it."""

    organization: Organization
    claim: OrganizationClaim | None = None


def _uscc(value):
    try:
        validate_uscc(value)
    except ValidationError as error:
        raise ValidationError({"uscc": error.error_list}) from None
    return normalize_uscc(value)


@transaction.atomic
def attach_organization(*, actor, uscc, name="", name_en="", kind=OrganizationKind.ENTERPRISE, message=""):
    """Attach ``actor`` to the organization with this code: register it (the person becomes its contact) when
    nobody has, else file a claim for its people or an officer to decide. An organization is never duplicated."""
    if not permissions.can_attach_organization(actor):
        raise PermissionDenied
    code = _uscc(uscc)
    names = clean_text(Organization, {"name": name, "name_en": name_en})
    message = clean_text(OrganizationClaim, {"message": message})["message"]
    if kind not in dict(SELF_REGISTERED_KINDS):
        raise ValidationError({"kind": _("Choose the kind of organization from the list.")})
    organization = Organization.objects.select_for_update().filter(uscc=code).first()
    if organization is None:
        return _register(actor, code, names, kind)
    return _claim(actor, organization, message)


def _register(actor, code, names, kind):
    if not names["name"]:
        raise ValidationError(
            {"name": _("No organization is registered under this code yet: enter its name to register it.")}
        )
    if Organization.objects.filter(name=names["name"]).exists():
        raise ValidationError(
            {
                "name": _(
                    "An organization of this name is registered under another code. Check the code on the "
                    "business licence."
                )
            }
        )
    organization = Organization(uscc=code, kind=kind, **names)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:  # registered by someone else a moment ago
        raise ValidationError(
            {"uscc": _("This organization was registered a moment ago. Send the form again to ask to act for it.")}
        ) from None
    OrganizationUser.objects.create(organization=organization, user=actor, role=OrganizationContactRole.CONTACT)
    forget(actor)
    record(
        "organizations.register",
        actor=actor,
        instance=organization,
        data={"uscc": code, "name": organization.name},
    )
    return Attachment(organization)


def _claim(actor, organization, message):
    if OrganizationUser.objects.filter(organization=organization, user=actor).exists():
        raise ValidationError({"uscc": fmt(_("You already act for %(name)s."), name=organization.name)})
    if OrganizationClaim.objects.pending().filter(organization=organization, user=actor).exists():
        raise ValidationError(
            {
                "uscc": fmt(
                    _("You have already asked to act for %(name)s; the request is waiting for approval."),
                    name=organization.name,
                )
            }
        )
    claim = OrganizationClaim.objects.create(organization=organization, user=actor, message=message)
    record(
        "organizations.claim",
        actor=actor,
        instance=claim,
        data={"organization": organization.name, "uscc": organization.uscc},
        tell=Tell(
            deciders(organization),
            title=fmt(
                _("%(person)s asks to act for %(organization)s"),
                person=actor.display_name,
                organization=organization.name,
            ),
            body=message,
            url=reverse("accounts:organization_claims"),
        ),
    )
    return Attachment(organization, claim)


def deciders(organization):
    """Whom to tell about a new claim: the people who act for the organization; officers when nobody does."""
    User = get_user_model()
    people = User.objects.filter(organization_links__organization=organization, is_active=True).distinct()
    if people.exists():
        return people
    return User.objects.with_perm(permissions.REVIEW_CLAIMS, backend="portal.accounts.backends.UsernameOrEmailBackend")


def _locked(claim):
    return OrganizationClaim.objects.select_for_update().select_related("organization", "user").get(pk=claim.pk)


@transaction.atomic
def approve_claim(*, actor, claim):
    """The claimant acts for the organization from now on (as a contact person)."""
    claim = _locked(claim)
    lifecycle.take(claim, "approve", actor, actor)
    claim.save()
    OrganizationUser.objects.get_or_create(
        organization=claim.organization, user=claim.user, role=OrganizationContactRole.CONTACT
    )
    forget(claim.user)
    record(
        "organizations.approve_claim",
        actor=actor,
        instance=claim,
        data={"organization": claim.organization.name, "claimant": claim.user.username},
        tell=Tell(
            [claim.user],
            title=fmt(_("You now act for %(organization)s"), organization=claim.organization.name),
            url=reverse("accounts:organization"),
        ),
    )
    return claim


@transaction.atomic
def refuse_claim(*, actor, claim, reason):
    """Refuse a claim; the reason is recorded and the claimant is told it."""
    claim = _locked(claim)
    if not permissions.can_decide_claim(actor, claim):
        raise PermissionDenied
    reason = clean_text(
        OrganizationClaim,
        {"reason": reason},
        required={"reason": _("Say why the request is refused: the person who asked is told.")},
    )["reason"]
    lifecycle.take(claim, "refuse", actor, actor, reason)
    claim.save()
    record(
        "organizations.refuse_claim",
        actor=actor,
        instance=claim,
        data={"organization": claim.organization.name, "claimant": claim.user.username, "reason": reason},
        tell=Tell(
            [claim.user],
            title=fmt(_("Your request to act for %(organization)s was refused"), organization=claim.organization.name),
            body=reason,
            url=reverse("accounts:organization"),
        ),
    )
    return claim


@transaction.atomic
def withdraw_claim(*, actor, claim):
    claim = _locked(claim)
    lifecycle.take(claim, "withdraw", actor)
    claim.save()
    record("organizations.withdraw_claim", actor=actor, instance=claim, data={"organization": claim.organization.name})
    return claim
