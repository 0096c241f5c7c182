"""Where a person goes next: a ``next`` parameter, believed only when it points at this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request, url) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, default=""):
    """The request's ``next`` (posted or in the query) when it is on this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    return url if is_safe(request, url) else default
