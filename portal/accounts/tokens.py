"""The signed, expiring token in a registration's confirmation link.

A signed value (``django.core.signing``) rather than Django's password-reset tokens, so a confirmation link can
never reset a password nor a reset link confirm an account, and an expired link can be told from a forged one.
It names the account, the address the mail went to and where the person goes afterwards (``next``, checked
before it was signed and again when the link is followed).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

SALT = "portal.accounts.confirm"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def make_token(user, next_url=""):
    return signing.dumps({"u": user.pk, "e": user.email.lower(), "n": next_url}, salt=SALT, compress=True)


def read_token(token):
    """(user id, email, next) from a token; TokenExpired or TokenInvalid when it cannot be used."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.ACCOUNT_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        raise TokenInvalid from None
    if not isinstance(value, dict) or not isinstance(value.get("u"), int):
        raise TokenInvalid
    return value["u"], str(value.get("e", "")), str(value.get("n", ""))


def awaiting_confirmation():
    """Accounts registered but never confirmed: inactive and never logged in. (An account an administrator
    switched off has logged in before, so no old link switches it on again.)"""
    return get_user_model()._default_manager.filter(is_active=False, last_login__isnull=True)
