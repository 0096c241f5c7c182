"""Who may do what with opinions. Plain booleans only.

Power over an issuer's opinions comes from the issuer's **owner** (a council, a committee, later a fund or a
programme) through ``portal.authority``: who holds ``MANAGE`` over the owner drafts, submits, issues and revokes
(the issuer's editors); who holds ``SIGN`` may be named in the sign-off list. A role or ``is_staff`` grants
nothing; an issuer without a registered owner has no editors.
"""

from portal import authority
from portal.accounts.roles import is_active_user
from portal.authority import Power

from .models import Issuer, OpinionState, SignOff, SignOffDecision


def shows_opinions_panel(user) -> bool:
    """The dashboard panel: editors of an issuer (who hold MANAGE over its owner) and anyone in a sign-off list."""
    if not is_active_user(user):
        return False
    if Issuer.objects.filter(authority.owner_q(user, Power.MANAGE)).exists():
        return True
    return SignOff.objects.filter(user=user).exists()


def is_editor(user, issuer) -> bool:
    return authority.holds(user, issuer.owner, Power.MANAGE)


def may_sign_for(user, issuer) -> bool:
    """Whether the user may be named in the sign-off list of this issuer's opinions (its chair, vice-chairs …)."""
    return authority.holds(user, issuer.owner, Power.SIGN)


def can_create(user, issuer) -> bool:
    return is_editor(user, issuer)


def can_view(user, opinion) -> bool:
    """Editors of the issuer and the signatories (once submitted); published metadata is public via /verify/."""
    if not is_active_user(user):
        return False
    if is_editor(user, opinion.issuer):
        return True
    return opinion.state != OpinionState.DRAFT and opinion.sign_offs.filter(user=user).exists()


def can_edit(user, opinion) -> bool:
    return opinion.state == OpinionState.DRAFT and is_editor(user, opinion.issuer)


def can_submit(user, opinion) -> bool:
    return can_edit(user, opinion)


def next_sign_off(opinion):
    return opinion.sign_offs.filter(decision=SignOffDecision.PENDING).order_by("position").first()


def can_sign(user, opinion) -> bool:
    """Only the next signatory in order, while the opinion is in review, and only while they still hold the
    issuer's signing power (a chair who has stepped down signs nothing)."""
    if not is_active_user(user) or opinion.state != OpinionState.IN_REVIEW:
        return False
    pending = next_sign_off(opinion)
    return bool(pending is not None and pending.user_id == user.pk and may_sign_for(user, opinion.issuer))


def can_issue(user, opinion) -> bool:
    return opinion.state == OpinionState.APPROVED and is_editor(user, opinion.issuer)


def can_revoke(user, opinion) -> bool:
    return opinion.state == OpinionState.ISSUED and is_editor(user, opinion.issuer)


def can_download(user, opinion) -> bool:
    """The issued file: public opinions for everyone, others for those who may view them."""
    if opinion.state not in (OpinionState.ISSUED, OpinionState.REVOKED) or not opinion.pdf:
        return False
    return bool(opinion.is_public or can_view(user, opinion))
