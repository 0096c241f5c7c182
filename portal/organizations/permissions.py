"""Who may do what with organizations and the claims to act for them. Plain booleans only; default deny.

- Any active account may attach itself to an organization by its code: a new organization makes the person its
  contact; an existing one takes a claim.
- A claim is decided by the people who already act for the organization, or by an **officer**: a superuser or a
  holder of the model permission ``organizations.review_organizationclaim`` (given in the CMS; no role grants
  it). Nobody decides their own claim.
- Only the claimant withdraws a claim. Anybody else gets 404 for a claim's URLs.
"""

from portal.accounts.roles import is_active_user
from portal.memo import memo

from .models import OrganizationClaim, OrganizationUser

REVIEW_CLAIMS = "organizations.review_organizationclaim"


def can_attach_organization(user) -> bool:
    return is_active_user(user)


def is_claim_officer(user) -> bool:
    return bool(is_active_user(user) and (user.is_superuser or user.has_perm(REVIEW_CLAIMS)))


def organizations_acted_for(user) -> frozenset:
    """Ids of the organizations ``user`` acts for, once per request."""
    if not is_active_user(user):
        return frozenset()
    return memo(
        user,
        "organizations_acted_for",
        lambda: frozenset(OrganizationUser.objects.filter(user=user).values_list("organization_id", flat=True)),
    )


def can_decide_claim(user, claim) -> bool:
    if not is_active_user(user) or user.pk == claim.user_id:
        return False
    return is_claim_officer(user) or claim.organization_id in organizations_acted_for(user)


def can_withdraw_claim(user, claim) -> bool:
    return bool(is_active_user(user) and user.pk == claim.user_id)


def can_see_claim(user, claim) -> bool:
    return can_withdraw_claim(user, claim) or can_decide_claim(user, claim)


def claims_to_decide(user):
    """The pending claims ``user`` may decide (a queryset)."""
    if not is_active_user(user):
        return OrganizationClaim.objects.none()
    pending = OrganizationClaim.objects.pending().exclude(user=user)
    if is_claim_officer(user):
        return pending
    return pending.filter(organization_id__in=organizations_acted_for(user))


def has_claims_to_decide(user) -> bool:
    return bool(is_active_user(user) and claims_to_decide(user).exists())
