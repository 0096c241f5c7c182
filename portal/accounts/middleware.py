"""Sends whoever must use two-factor sign-in (portal/accounts/twofactor.py) to set it up or verify a code before any
other page, the Wagtail admin included."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import twofactor

# What an unverified person may still reach: the second factor's own pages, and leaving.
OPEN = frozenset({"accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:logout", "health"})


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not twofactor.asked_for(user):
            return None
        if request.resolver_match.view_name in OPEN:
            return None
        target = "accounts:two_factor_verify" if twofactor.has_authenticator(user) else "accounts:two_factor_setup"
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
