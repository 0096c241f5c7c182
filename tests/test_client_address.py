"""Finding 4: the client's address behind a reverse proxy, for the login lockout and the /verify/ limit."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured

from portal.security import client_address, parse_trusted_proxies
from tests.factories import PASSWORD, UserFactory

NGINX = "127.0.0.1"


def address(rf, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(rf.get("/", **headers))


def test_no_proxy_trusted_by_default_a_forged_header_is_ignored(rf, settings):
    assert settings.TRUSTED_PROXIES == ""  # the default: REMOTE_ADDR only
    assert address(rf, "203.0.113.7", "198.51.100.1") == "203.0.113.7"


@pytest.mark.parametrize("trusted", ["1", "127.0.0.1", "127.0.0.0/8, 10.0.0.0/8"])
def test_through_one_trusted_proxy_the_address_it_appended(rf, settings, trusted):
    settings.TRUSTED_PROXIES = trusted
    assert address(rf, NGINX, "203.0.113.7") == "203.0.113.7"
    # A client that sends its own header through nginx: nginx appends the real peer, which wins.
    assert address(rf, NGINX, "198.51.100.1, 203.0.113.7") == "203.0.113.7"
    # Through the proxy without a header (a health check from the proxy itself).
    assert address(rf, NGINX) == NGINX


def test_proxy_networks_ignore_a_forged_header_from_a_direct_client(rf, settings):
    settings.TRUSTED_PROXIES = "127.0.0.1,10.0.0.0/8"
    assert address(rf, "203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_proxy_networks_walk_back_through_a_chain_of_proxies(rf, settings):
    settings.TRUSTED_PROXIES = "127.0.0.1,10.0.0.0/8"
    # client -> load balancer 10.0.0.5 -> nginx 127.0.0.1 -> app
    assert address(rf, NGINX, "198.51.100.1, 203.0.113.7, 10.0.0.5") == "203.0.113.7"


def test_a_hop_count_takes_the_address_that_many_proxies_back(rf, settings):
    settings.TRUSTED_PROXIES = 2
    assert address(rf, NGINX, "198.51.100.1, 203.0.113.7, 10.0.0.5") == "203.0.113.7"
    assert address(rf, NGINX, "10.0.0.5") == NGINX  # fewer hops than proxies: the header is not believed


def test_garbage_in_the_header_falls_back_to_the_peer(rf, settings):
    settings.TRUSTED_PROXIES = "1"
    assert address(rf, NGINX, "not-an-address") == NGINX
    settings.TRUSTED_PROXIES = "127.0.0.1"
    assert address(rf, NGINX, "<script>") == NGINX


def test_ipv6_and_ipv4_mapped_peers(rf, settings):
    settings.TRUSTED_PROXIES = "127.0.0.1,::1"
    assert address(rf, "::ffff:127.0.0.1", "2001:db8::1") == "2001:db8::1"
    assert address(rf, "::1", "203.0.113.7") == "203.0.113.7"


def test_trusted_proxies_setting_is_validated():
    assert parse_trusted_proxies("") == 0
    assert parse_trusted_proxies(" 2 ") == 2
    assert parse_trusted_proxies("10.0.0.0/8, 127.0.0.1") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("127.0.0.1/32"),
    )
    with pytest.raises(ImproperlyConfigured):
        parse_trusted_proxies("10.0.0.0/8, nginx")


def test_a_mistyped_trusted_proxies_setting_stops_the_server_at_start(settings):
    from django.core.handlers.wsgi import WSGIHandler

    settings.TRUSTED_PROXIES = "127.0.0.1, nginx.internal"
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        WSGIHandler()


def test_axes_and_ratelimit_use_the_one_client_address_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "portal.security.client_address"
    assert settings.RATELIMIT_IP_META_KEY == "portal.security.client_address"


# Two people behind the same nginx -------------------------------------------------------------------------


def post_login(client, username, password, forwarded):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_two_clients_behind_the_proxy_get_separate_lockouts(client, settings):
    settings.TRUSTED_PROXIES = "1"
    UserFactory(username="authority1")
    for _ in range(5):
        post_login(client, "authority1", "wrong-password", "203.0.113.7")
    assert post_login(client, "authority1", PASSWORD, "203.0.113.7").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # The account's owner, at another address behind the same proxy, still logs in.
    assert post_login(client, "authority1", PASSWORD, "198.51.100.1").status_code == 302


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_lockout_without_a_trusted_proxy(client):
    UserFactory(username="authority1")
    for n in range(5):
        post_login(client, "authority1", "wrong-password", f"198.51.100.{n}")
    assert post_login(client, "authority1", PASSWORD, "198.51.100.99").status_code == 429


@pytest.mark.django_db
def test_two_clients_behind_the_proxy_get_separate_verify_limits(client, settings, one_rate_window):
    from portal.opinions.views import VERIFY_RATE

    settings.TRUSTED_PROXIES = "1"
    settings.PAGE_CACHE_ENABLED = False  # the start page is otherwise kept: renders are what the limit counts
    allowed = int(VERIFY_RATE.split("/")[0])

    def verify(forwarded):
        return client.get("/verify/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [verify("203.0.113.7") for _ in range(allowed)] == [200] * allowed
    assert verify("203.0.113.7") == 429
    assert verify("198.51.100.1") == 200  # someone else behind the same proxy is not limited
