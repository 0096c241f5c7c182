"""Who may do what with opinions. Plain booleans only."""

from portal.accounts.roles import RoleCode, has_role

from .models import OpinionState, SignOffDecision


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_opinion_staff(user) -> bool:
    return _active(user) and bool(user.is_superuser or has_role(user, RoleCode.SECRETARIAT))


def is_editor(user, issuer) -> bool:
    if not _active(user):
        return False
    return is_opinion_staff(user) or issuer.editors.filter(pk=user.pk).exists()


def can_create(user, issuer) -> bool:
    return is_editor(user, issuer)


def can_view(user, opinion) -> bool:
    """Editors of the issuer, the signatories and staff; published metadata is public via /verify/."""
    if not _active(user):
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
    """Only the next signatory in order, while the opinion is in review."""
    if not _active(user) or opinion.state != OpinionState.IN_REVIEW:
        return False
    pending = next_sign_off(opinion)
    return pending is not None and pending.user_id == user.pk


def can_issue(user, opinion) -> bool:
    return opinion.state == OpinionState.APPROVED and is_editor(user, opinion.issuer)


def can_revoke(user, opinion) -> bool:
    return opinion.state == OpinionState.ISSUED and is_editor(user, opinion.issuer)


def can_download(user, opinion) -> bool:
    """The issued file: public opinions for everyone, others for those who may view them."""
    if opinion.state not in (OpinionState.ISSUED, OpinionState.REVOKED) or not opinion.pdf:
        return False
    return opinion.is_public or can_view(user, opinion)
