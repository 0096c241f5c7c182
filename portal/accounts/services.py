"""State changes of accounts. Views call these; they do not write models themselves."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.history.record import record
from portal.text import clean_text

from .roles import RoleCode, group_for, is_active_user
from .tasks import send_confirmation_email
from .tokens import TokenExpired, TokenInvalid, awaiting_confirmation, read_token
from .validators import validate_phone

# Audit-log actions of this module (registered in wagtail_hooks.py).
ACTIONS = {
    "accounts.register": (_("Register"), _("Registered an account")),
    "accounts.confirm": (_("Confirm registration"), _("Confirmed the account's email address")),
    "accounts.resend_confirmation": (_("Resend confirmation"), _("Sent a new confirmation link")),
}

LINK_EXPIRED = _("This confirmation link has expired. Ask for a new one below.")
LINK_INVALID = _("This confirmation link is not valid. Copy the whole link from the mail, or ask for a new one below.")
LINK_USED = _("This account is already confirmed. Log in with your username and password.")


@transaction.atomic
def update_profile(*, user, form):
    """Save a validated ProfileForm for the user themself and record it in the audit log."""
    if form.instance.pk != user.pk:
        raise PermissionError("A profile is changed only by its owner.")
    changed = form.changed_data
    profile = form.save()
    if changed:
        log(instance=profile, action="wagtail.edit", user=user, data={"fields": sorted(changed)})
    return profile


@transaction.atomic
def register(*, actor, username, email, real_name, password, phone="", preferred_language="", next_url=""):
    """Create an inactive applicant account and mail its confirmation link (in the person's language).

    ``next_url`` is where the person goes after confirming; the view has checked it is on this site.
    """
    if is_active_user(actor):
        raise PermissionDenied  # a logged-in person does not register another account
    User = get_user_model()
    values = clean_text(
        User,
        {"username": username, "email": email, "real_name": real_name, "phone": phone},
        required={
            "username": _("Choose a username."),
            "email": _("Enter your email address: the confirmation link is sent there."),
            "real_name": _("Enter your real name."),
        },
    )
    errors = {}
    if User._default_manager.filter(username__iexact=values["username"]).exists():
        errors["username"] = _("This username is taken. Choose another one.")
    if values["email"] and User._default_manager.filter(email__iexact=values["email"]).exists():
        errors["email"] = _(
            "An account already uses this email address. If it is yours, log in or reset your password."
        )
    user = User(**values, preferred_language=preferred_language or settings.LANGUAGE_CODE, is_active=False)
    user.set_password(password)
    try:
        validate_phone(values["phone"])
    except ValidationError as error:
        errors["phone"] = error
    try:
        user.full_clean(exclude=["password", *errors])
    except ValidationError as error:
        errors.update({field: messages for field, messages in error.message_dict.items() if field not in errors})
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name or address registered a moment ago
        raise ValidationError({"username": _("This username is taken. Choose another one.")}) from None
    user.groups.add(group_for(RoleCode.APPLICANT))
    record("accounts.register", actor=user, instance=user, data={"username": user.username, "email": user.email})
    transaction.on_commit(lambda: send_confirmation_email.enqueue(user.pk, next_url))
    return user


def confirmation_of(*, actor, token, lock=False):
    """(account, next) a confirmation link names, when it may still confirm it; else a ValidationError that
    says why (expired, used, not valid)."""
    try:
        user_id, email, next_url = read_token(token)
    except TokenExpired:
        raise ValidationError(LINK_EXPIRED, code="expired") from None
    except TokenInvalid:
        raise ValidationError(LINK_INVALID, code="invalid") from None
    users = get_user_model()._default_manager.filter(pk=user_id)
    user = (users.select_for_update() if lock else users).first()
    if user is None or user.email.lower() != email:
        raise ValidationError(LINK_INVALID, code="invalid")
    if user.is_active:
        raise ValidationError(LINK_USED, code="used")
    if user.last_login is not None:
        raise ValidationError(LINK_INVALID, code="invalid")
    return user, next_url


@transaction.atomic
def confirm_registration(*, actor, token):
    """Switch on the account a valid confirmation link names. Returns (account, next); the view logs it in."""
    user, next_url = confirmation_of(actor=actor, token=token, lock=True)
    user.is_active = True
    user.save(update_fields=["is_active"])
    record("accounts.confirm", actor=user, instance=user, data={"email": user.email})
    return user, next_url


@transaction.atomic
def resend_confirmation(*, actor, email):
    """Mail a new link to the account at ``email`` if one is waiting for confirmation. Says nothing either way:
    the page reads the same whether or not the address is registered."""
    email = (email or "").strip()
    user = awaiting_confirmation().filter(email__iexact=email).first() if email else None
    if user is None:
        return None
    record("accounts.resend_confirmation", actor=None, instance=user, data={"email": user.email})
    transaction.on_commit(lambda: send_confirmation_email.enqueue(user.pk, ""))
    return None
