"""The deployment files (Dockerfile, compose.yaml, deploy/nginx.conf) stay true to the code: Docker does not run on
these machines, so what they name is checked here instead — the system packages the portal needs, the settings they
set, the health check's URL, nginx's body limit against the portal's own."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def test_the_image_installs_what_scripts_system_deps_asks_for_a_server():
    deps = (ROOT / "scripts" / "system-deps.sh").read_text().split('if [ "$mode" = "test" ]')[0]
    needed = set(re.findall(r'missing="\$missing ([^"]+)"', deps)) - {"python3-venv"}
    packages = {package for group in needed for package in group.split()}
    assert packages and all(package in DOCKERFILE for package in packages), packages


def test_the_image_checks_the_health_endpoint_and_serves_with_gunicorn():
    assert "http://127.0.0.1:8000/health/" in DOCKERFILE
    assert resolve("/health/").url_name == "health"
    assert '"gunicorn", "portal.wsgi:application"' in DOCKERFILE
    assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in DOCKERFILE


def test_compose_runs_two_web_nodes_a_worker_and_the_engines():
    services = re.search(r"^services:\n(.*?)^volumes:", COMPOSE, re.M | re.S).group(1)
    names = set(re.findall(r"^  (\w+):", services, re.M))
    assert {"web1", "web2", "worker", "postgres", "redis", "nginx", "migrate"} <= names
    assert '"manage.py", "worker"' in COMPOSE
    for variable in ("DATABASE_URL", "REDIS_URL", "TRUSTED_PROXIES", "OPINIONS_SIGNING_KEY", "OPINIONS_SIGNING_CERT"):
        assert f"    {variable}:" in COMPOSE, variable
        assert variable in (ROOT / "README.md").read_text(), f"{variable} is not documented"


def test_nginx_balances_both_nodes_and_allows_the_portals_largest_body():
    assert "server web1:8000" in NGINX and "server web2:8000" in NGINX
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1))
    assert megabytes * 1024 * 1024 >= settings.MAX_AUTHENTICATED_REQUEST_BODY_SIZE
    assert "X-Forwarded-Proto" in NGINX and "X-Forwarded-For" in NGINX
