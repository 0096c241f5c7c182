"""Two-factor sign-in: who must use it, enrolling an authenticator app, verifying a code, recovery codes.

TOTP and static recovery codes come from django-otp (its devices, throttling and session marking); this module holds
the portal's rules. People who hold power over others' data — staff, the secretariat, fund managers, talent officers,
industry authorities and anyone who may open the Wagtail admin — must verify a code after their password when the
setting TWO_FACTOR_REQUIRED is on (production; development and most tests run without it, so the demo's people
sign in with a password alone). Applicants, council members and experts are not asked.
"""

import datetime
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from portal.history.record import record

from .roles import RoleCode, is_active_user, role_codes

# The roles whose holders must use a second factor (with staff and Wagtail admin users).
ROLES_REQUIRING = frozenset({RoleCode.SECRETARIAT, RoleCode.FUND_MANAGER, RoleCode.TALENT_OFFICER, RoleCode.AUTHORITY})
RECOVERY_CODES = 10
# How long a verification counts as recent for what asks again (exporting personal data, changing the second factor).
RECENT = datetime.timedelta(minutes=15)
VERIFIED_AT = "two_factor_verified_at"  # session key: when this session last verified a code (ISO time)
PENDING_KEY = "two_factor_pending_key"  # session key: the secret of the authenticator being set up
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"

ACTIONS = {
    "accounts.two_factor_enable": (_("Turn on two-factor sign-in"), _("Turned on two-factor sign-in")),
    "accounts.two_factor_recovery_codes": (_("New recovery codes"), _("Made new recovery codes")),
    "accounts.two_factor_reset": (_("Reset two-factor sign-in"), _("An administrator reset two-factor sign-in")),
    "accounts.two_factor_replace": (
        _("Replace the authenticator"),
        _("Removed the authenticator app to set up another"),
    ),
}

TOO_MANY = _("Too many wrong codes in a row. Wait a minute, then enter the code your app shows at that time.")
WRONG_CODE = _("That code is not right. Enter the 6-digit code your app shows now, or one of your recovery codes.")


def required_for(user) -> bool:
    """Whether ``user`` must verify a second factor to use the portal (when TWO_FACTOR_REQUIRED is on)."""
    if not is_active_user(user):
        return False
    return (
        user.is_staff
        or user.is_superuser
        or bool(role_codes(user) & ROLES_REQUIRING)
        or user.has_perm("wagtailadmin.access_admin")
    )


def asked_for(user) -> bool:
    """Whether the portal asks ``user`` for a code before anything else (TWO_FACTOR_REQUIRED on, and they must)."""
    return settings.TWO_FACTOR_REQUIRED and required_for(user)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=True).exists()


def pending_authenticator(request) -> TOTPDevice:
    """The authenticator being set up, unsaved: its secret is kept in the session (the same QR code on every visit,
    and nothing written until a code from it proves the app has it)."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = random_hex(20)
    return TOTPDevice(user=request.user, name=AUTHENTICATOR, key=key, confirmed=False)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


def _normalized(code) -> str:
    return "".join(str(code or "").split()).lower()


@transaction.atomic
def enable(request, *, code) -> list[str]:
    """Save the pending authenticator once a code it shows is right; returns the new recovery codes (shown once)."""
    user = request.user
    key = request.session.get(PENDING_KEY)
    if not key:  # finished in another tab meanwhile, or the session was renewed
        raise ValidationError(_("This setup has already been finished or has expired. Start again."))
    device = TOTPDevice(user=user, name=AUTHENTICATOR, key=key, confirmed=True)
    token = _normalized(code)
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not token.isdigit() or not check.verify(int(token), device.tolerance):
        raise ValidationError(WRONG_CODE)
    device.last_t = check.t()  # the code just used cannot sign in again
    TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR).delete()
    device.save()
    del request.session[PENDING_KEY]
    codes = _new_recovery_codes(user)
    _verified(request, device)
    record("accounts.two_factor_enable", actor=user, instance=user)
    return codes


def verify(request, *, code):
    """Verify ``code`` (the app's or a recovery code) for this session; returns the device or raises."""
    user = request.user
    token = _normalized(code)
    candidates = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=True)
    if not (len(token) == 6 and token.isdigit()):  # the app's codes are 6 digits; recovery codes 8 characters
        candidates = StaticDevice.objects.filter(user=user, name=RECOVERY, confirmed=True)
    # The check commits whatever it finds: a failure must count towards the wait even though the form is refused.
    with transaction.atomic():
        device = candidates.select_for_update().first()
        allowed = device is not None and device.verify_is_allowed()[0]  # each failure doubles the wait (django-otp)
        verified = allowed and device.verify_token(token)
    if device is not None and not allowed:
        raise ValidationError(TOO_MANY)
    if not verified:
        raise ValidationError(WRONG_CODE)
    _verified(request, device)
    return device


def recently_verified(request) -> bool:
    stamp = request.session.get(VERIFIED_AT)
    if not stamp:
        return False
    return timezone.now() - datetime.datetime.fromisoformat(stamp) <= RECENT


@transaction.atomic
def new_recovery_codes(request) -> list[str]:
    """Replace the recovery codes (asks a recent verification: the view sends the person to verify first)."""
    if not recently_verified(request):
        raise ValidationError(_("Confirm it is you with a code first."))
    codes = _new_recovery_codes(request.user)
    record("accounts.two_factor_recovery_codes", actor=request.user, instance=request.user)
    return codes


@transaction.atomic
def replace_authenticator(request) -> None:
    """Remove the confirmed authenticator so another is set up; recovery codes stay valid until then."""
    if not recently_verified(request):
        raise ValidationError(_("Confirm it is you with a code first."))
    TOTPDevice.objects.filter(user=request.user, name=AUTHENTICATOR).delete()
    record("accounts.two_factor_replace", actor=request.user, instance=request.user)


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session[VERIFIED_AT] = timezone.now().isoformat()


def reverify_first(view):
    """For views that hand out personal data (exports): who is asked for codes verifies again if the last time was
    longer ago than RECENT, then comes back here."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if asked_for(request.user) and not recently_verified(request):
            messages.info(request, _("Confirm it is you with a code before taking personal data away."))
            url = f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.get_full_path()})}"
            return redirect(url)
        return view(request, *args, **kwargs)

    return wrapped
