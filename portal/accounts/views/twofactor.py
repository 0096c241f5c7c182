"""Two-factor sign-in pages: set up an authenticator app, verify a code, and the person's own settings (new recovery
codes, another app). Only people who must use it (twofactor.required_for) have these pages; others get 404."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_otp.plugins.otp_static.models import StaticDevice

from .. import twofactor
from ..forms import CodeForm
from ..redirects import safe_next


def _for_who_must(request):
    if not twofactor.required_for(request.user):
        raise Http404


def _private(response):
    # Secrets and recovery codes are never kept by a browser or a proxy.
    add_never_cache_headers(response)
    return response


@login_required
def setup(request):
    _for_who_must(request)
    if twofactor.has_authenticator(request.user):
        return redirect("accounts:two_factor")
    device = twofactor.pending_authenticator(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.enable(request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Two-factor sign-in is on."))
            return _codes(request, codes)
    context = {
        "form": form,
        # The app reads the QR code; the secret is for typing it in by hand. Both stay on this page only.
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, border=2),
        "secret": b32encode(device.bin_key).decode(),
        "next": safe_next(request),
        "page_title": _("Set up two-factor sign-in"),
    }
    return _private(render(request, "accounts/two_factor_setup.html", context))


@login_required
def verify(request):
    _for_who_must(request)
    next_url = safe_next(request, reverse("workspace:dashboard"))
    if not twofactor.has_authenticator(request.user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify(request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if isinstance(device, StaticDevice):
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left. Make new ones in your two-factor settings.")
                    % {"left": left},
                )
            return redirect(next_url)
    context = {"form": form, "next": next_url, "page_title": _("Enter your sign-in code")}
    return _private(render(request, "accounts/two_factor_verify.html", context))


@login_required
@require_safe
def settings_page(request):
    _for_who_must(request)
    if not twofactor.has_authenticator(request.user):
        return redirect("accounts:two_factor_setup")
    context = {
        "codes_left": twofactor.recovery_codes_left(request.user),
        "page_title": _("Two-factor sign-in"),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def recovery_codes(request):
    _for_who_must(request)
    if not twofactor.recently_verified(request):
        return _verify_first(request)
    return _codes(request, twofactor.new_recovery_codes(request))


@login_required
@require_POST
def replace(request):
    _for_who_must(request)
    if not twofactor.recently_verified(request):
        return _verify_first(request)
    twofactor.replace_authenticator(request)
    messages.info(request, _("Scan the new code with the app you will use from now on."))
    return redirect("accounts:two_factor_setup")


def _verify_first(request):
    messages.info(request, _("Confirm it is you with a code first, then choose again."))
    return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': reverse('accounts:two_factor')})}")


def _codes(request, codes):
    context = {
        "codes": codes,
        "next": safe_next(request, reverse("workspace:dashboard")),
        "page_title": _("Recovery codes"),
    }
    return _private(render(request, "accounts/two_factor_codes.html", context))
