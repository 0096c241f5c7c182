"""Who may do what with opinions. Plain booleans only.

Power over an issuer's opinions comes from the issuer's **owner** (a council, a committee, later a fund or a
programme) through ``portal.authority``: who holds ``MANAGE`` over the owner drafts, submits, issues and revokes
(the issuer's editors); who holds ``SIGN`` may be named in the sign-off list. A role or ``is_staff`` grants
nothing; an issuer without a registered owner has no editors.
"""

from portal import authority, lifecycle
from portal.accounts.roles import is_active_user
from portal.authority import Power

from .models import Issuer, SignOff, SignOffDecision


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


def can_manage(user, opinion) -> bool:
    """Edit, send, issue and revoke the opinion (each when its state allows: see Opinion's transitions)."""
    return is_editor(user, opinion.issuer)


def can_view(user, opinion) -> bool:
    """Editors of the issuer and the signatories (once submitted); published metadata is public via /verify/."""
    if not is_active_user(user):
        return False
    if is_editor(user, opinion.issuer):
        return True
    return not opinion.is_draft and opinion.sign_offs.filter(user=user).exists()


def can_edit(user, opinion) -> bool:
    """A draft, by its editors: exactly while they may still send it for sign-off."""
    return lifecycle.allowed(opinion, "submit", user)


def can_submit(user, opinion) -> bool:
    return lifecycle.allowed(opinion, "submit", user)


def next_sign_off(opinion):
    return opinion.sign_offs.filter(decision=SignOffDecision.PENDING).order_by("position").first()


def is_next_signatory(user, opinion) -> bool:
    """The next signatory in order, while they still hold the issuer's signing power (a chair who has stepped
    down signs nothing)."""
    if not is_active_user(user):
        return False
    pending = next_sign_off(opinion)
    return bool(pending is not None and pending.user_id == user.pk and may_sign_for(user, opinion.issuer))


def can_sign(user, opinion) -> bool:
    """Only the next signatory, while the opinion is in review: whoever may return it may also sign it off."""
    return lifecycle.allowed(opinion, "return_to_draft", user)


def can_issue(user, opinion) -> bool:
    return lifecycle.allowed(opinion, "issue", user)


def can_revoke(user, opinion) -> bool:
    return lifecycle.allowed(opinion, "revoke", user)


def can_download(user, opinion) -> bool:
    """The issued file: public opinions for everyone, others for those who may view them."""
    if not opinion.has_been_issued or not opinion.pdf:
        return False
    return bool(opinion.is_public or can_view(user, opinion))
