"""HTTP hardening shared by the whole site: the client's address behind a proxy, request-body limits,
Content-Security-Policy (one policy for the site, a relaxed one for the Wagtail admin) and the headers
every response carries."""

import ipaddress
from importlib import import_module

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.template.loader import render_to_string

from portal.pagecache.public import is_cached

# Client address ---------------------------------------------------------------------------------------------


def parse_trusted_proxies(value):
    """TRUSTED_PROXIES as a hop count (int) or a tuple of networks; empty means no proxy is trusted.

    Accepts what the environment gives ("1", "127.0.0.1, 10.0.0.0/8") as well as an int or a list.
    """
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        hops = value
    elif isinstance(value, str) and value.strip().isdigit():
        hops = int(value.strip())
    else:
        items = value.split(",") if isinstance(value, str) else value
        try:
            return tuple(ipaddress.ip_network(str(item).strip(), strict=False) for item in items if str(item).strip())
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None
    if hops < 0:
        raise ImproperlyConfigured("TRUSTED_PROXIES must not be negative.")
    return hops


def _address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; compare and count them as IPv4.
    return getattr(address, "ipv4_mapped", None) or address


def client_address(request):
    """The address of the person making the request (axes' AXES_CLIENT_IP_CALLABLE, ratelimit's key).

    X-Forwarded-For is believed only as far as TRUSTED_PROXIES allows: with a hop count, the address that
    many proxies back from the app server; with proxy networks, the first address from the right that is
    not one of them, and only if the request itself came from one of them. A header a client sent
    directly is ignored, and so is anything that is not an IP address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", ""))
    if not trusted:
        return remote
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if isinstance(trusted, int):
        chain = [*forwarded, remote]
        if len(chain) <= trusted:  # fewer hops than proxies: the header did not come through them all
            return remote
        address = _address(chain[-(trusted + 1)])
        return str(address) if address else remote
    current = _address(remote)
    if current is None:
        return remote
    for hop in reversed(forwarded):
        if not any(current in network for network in trusted):
            break
        current = _address(hop)
        if current is None:  # a trusted proxy never writes garbage: distrust the whole header
            return remote
    return str(current)


# Shared headers ---------------------------------------------------------------------------------------------

# The self-contained error pages (500, 413, 411) carry their own <style> and no data from the request, and
# are rendered without a request, so without a nonce; they get this strict policy of their own instead.
ERROR_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def permissions_policy():
    return ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)


# Request-body limit -----------------------------------------------------------------------------------------


def _has_login_session(request):
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return SESSION_KEY in store


class RequestBodyLimitMiddleware:
    """Refuses a request whose body is too large before anything reads it. Must come first in MIDDLEWARE.

    Anonymous requests may send MAX_REQUEST_BODY_SIZE (the largest anonymous upload is a 20 MB PDF to
    /verify/); a logged-in session may send MAX_AUTHENTICATED_REQUEST_BODY_SIZE (a discussion post carries
    up to five 20 MB attachments). A body without a Content-Length (chunked) is refused: nginx buffers such
    bodies and sends a length, so only a client talking to the app server directly sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Built once when the server starts: a mistyped TRUSTED_PROXIES stops it here, not at every login.
        parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", ""))

    def __call__(self, request):
        if request.META.get("HTTP_TRANSFER_ENCODING", "").strip().lower() not in {"", "identity"}:
            return refusal(411)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot parse
        if length > settings.MAX_REQUEST_BODY_SIZE:
            if length > settings.MAX_AUTHENTICATED_REQUEST_BODY_SIZE:
                return refusal(413, settings.MAX_AUTHENTICATED_REQUEST_BODY_SIZE)
            if not _has_login_session(request):
                return refusal(413, settings.MAX_REQUEST_BODY_SIZE)
        return self.get_response(request)


def refusal(status, limit=0):
    """A short page in both languages: the request never reached LocaleMiddleware, so no language is chosen."""
    content = render_to_string("request_refused.html", {"status": status, "limit_mb": limit // (1024 * 1024)})
    response = HttpResponse(content, status=status)
    response["Content-Security-Policy"] = ERROR_PAGE_CSP
    response["Permissions-Policy"] = permissions_policy()
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Headers ----------------------------------------------------------------------------------------------------


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on every response to a
    logged-in user (pages, htmx partials, private downloads, exports), whatever the view set, so that no
    shared cache or back button shows one person's data to the next; the error pages' own policy.

    Place it right after PortalCSPMiddleware, so that its answer for error pages is seen first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", permissions_policy())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            if "Expires" in response:
                del response["Expires"]
        if response.status_code == 500 and not settings.DEBUG:
            response.setdefault("Content-Security-Policy", ERROR_PAGE_CSP)
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp with a second policy for the Wagtail admin (CONTENT_SECURITY_POLICY_ADMIN)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin = settings.CONTENT_SECURITY_POLICY_ADMIN
        if not report_only and parts.config is None and request.path_info.startswith(admin["PATH_PREFIX"]):
            parts.config = default_config(admin["DIRECTIVES"])
        return parts


def csp_nonce(request):
    """Context processor: `csp_nonce`, the name django-htmx's {% htmx_script %} and our templates read.

    The nonce is lazy: a page that never prints it sends no nonce in its header. A page kept in the page cache
    gets none (its scripts are files, allowed by 'self'): a nonce served to everyone would be no nonce."""
    if is_cached(request):
        return {"csp_nonce": None}
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
