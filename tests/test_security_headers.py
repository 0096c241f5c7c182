"""Finding 12: Content-Security-Policy, Permissions-Policy, no-store for logged-in users, the request-body
limit, no external avatars, and a clean `check --deploy` on production settings."""

import io
import re
import sys

import pytest
from django.http import FileResponse, HttpResponse
from django.test import override_settings
from django.test.client import ClientHandler
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url

from tests.factories import UserFactory
from tests.test_settings import import_production

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# Content-Security-Policy ------------------------------------------------------------------------------------


def test_pages_get_a_nonce_policy_and_the_nonce_is_on_their_scripts(client, site_pages):
    # The login page is never cached: it gets a fresh nonce on every response, on each of its scripts.
    response = client.get("/accounts/login/")
    policy = directives(response)
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["script-src"])).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts, "the page loads htmx"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    # A new nonce on every response.
    assert nonce not in client.get("/accounts/login/")["Content-Security-Policy"]


def test_a_cached_public_page_has_no_nonce_and_only_script_files(client, site_pages):
    # The same page for everyone: a nonce in it would be known to all. Its scripts are files ('self'). (The first
    # render also makes the footer's settings row, a write during it: that render is not kept.)
    for _ in range(3):
        response = client.get("/")
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert scripts and all("src=" in tag and "nonce" not in tag for tag in scripts)
    assert response["X-Page-Cache"] == "hit"


def test_no_template_has_an_unnonced_inline_script_or_an_event_handler():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    templates = [
        p for p in root.glob("**/templates/**/*.html") if ".venv" not in p.parts and "test-artifacts" not in p.parts
    ]
    assert templates
    for template in templates:
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or "nonce=" in tag or 'type="application/json"' in tag, (template, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", text), template
        assert "javascript:" not in text, template


def test_the_wagtail_admin_has_its_own_relaxed_policy(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail writes inline scripts for panels and widgets
    assert policy["frame-src"] == ["'self'"]  # live preview
    assert policy["frame-ancestors"] == ["'self'"]
    assert not any(source.startswith("http") for sources in policy.values() for source in sources)


def test_the_self_contained_500_page_gets_the_strict_error_policy(client, settings):
    def boom(request):
        raise RuntimeError("test")

    with override_settings(ROOT_URLCONF=_urlconf(path("boom/", boom))):
        client.raise_request_exception = False
        response = client.get("/boom/")
    assert response.status_code == 500
    policy = directives(response)
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy


# Permissions-Policy and Cache-Control -----------------------------------------------------------------------


def test_every_response_carries_a_permissions_policy(client, site_pages):
    for url in ["/", "/en/", "/accounts/login/", "/no-such-page/", "/verify/"]:
        features = client.get(url)["Permissions-Policy"]
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]:
            assert feature in features, url


def _urlconf(*patterns):
    module = type(sys)("portal_test_urls")
    module.urlpatterns = list(patterns)
    return module


def public_download(request):
    response = FileResponse(io.BytesIO(b"%PDF-1.7 private"), as_attachment=True, filename="private.pdf")
    response["Cache-Control"] = "public, max-age=86400"  # what a careless view might set
    return response


def cached_page(request):
    response = HttpResponse("hello")
    response["Cache-Control"] = "max-age=600"
    return response


def test_logged_in_responses_are_never_stored_whatever_the_view_set(client):
    with override_settings(ROOT_URLCONF=_urlconf(path("file/", public_download), path("page/", cached_page))):
        assert "no-store" not in client.get("/page/")["Cache-Control"]  # anonymous: the view decides
        client.force_login(UserFactory())
        for url in ["/file/", "/page/"]:
            assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_workspace_and_public_pages_seen_logged_in_are_not_stored(client, site_pages):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(UserFactory())
    for url in ["/", "/workspace/", "/accounts/profile/"]:
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_a_workspace_document_download_is_not_stored(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from councils import services
    from tests.councils_world import build_world

    world = build_world()
    secretary = world["users"]["secretary"]
    folder = services.create_folder(actor=secretary, workspace=world["council"], name="会议材料")
    document = services.upload_document(
        actor=secretary, folder=folder, title="议程", upload=SimpleUploadedFile("议程.txt", "会议议程\n".encode())
    )
    client.force_login(secretary)
    response = client.get(f"/workspace/councils/biomed/versions/{document.current_version.pk}/download/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


# Request-body limit -----------------------------------------------------------------------------------------


class UnreadableBody(io.RawIOBase):
    """A wsgi.input that records (and refuses) any attempt to read it."""

    def __init__(self):
        self.touched = False

    def read(self, *args):
        self.touched = True
        raise OSError("the body was read")

    readline = readinto = read


VIEW_RAN = []


@csrf_exempt
def accept(request):
    VIEW_RAN.append(request.path)
    return HttpResponse("ok")


def call_wsgi(path="/verify/", length=30 * MB, cookie="", **extra):
    body = UnreadableBody()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(length) if length is not None else "",
        "HTTP_COOKIE": cookie,
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **extra,
    }
    # Django's test handler: the whole middleware stack, without closing the test's database connection.
    response = ClientHandler()(environ)
    content = response.content.decode() if not response.streaming else ""
    assert not body.touched, "the body was read"
    return response.status_code, response.headers, content


@pytest.fixture
def accepting_urls():
    VIEW_RAN.clear()
    with override_settings(ROOT_URLCONF=_urlconf(path("upload/", accept))):
        yield VIEW_RAN


def test_a_30_mb_anonymous_post_is_refused_before_the_body_is_read(accepting_urls):
    status, headers, body = call_wsgi("/upload/", 30 * MB)
    assert status == 413
    assert not accepting_urls, "the view ran"
    assert "请求内容过大" in body and "Request too large" in body
    assert "25 MB" in body
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "camera=()" in headers["Permissions-Policy"]
    # The same on a real upload URL, where the form would read the body.
    assert call_wsgi("/verify/", 30 * MB)[0] == 413


def test_a_body_under_the_limit_reaches_the_view(accepting_urls):
    assert call_wsgi("/upload/", 5 * MB)[0] == 200
    assert accepting_urls == ["/upload/"]


def test_a_body_without_a_length_is_refused(accepting_urls):
    status, _headers, body = call_wsgi("/upload/", None, HTTP_TRANSFER_ENCODING="chunked")
    assert status == 411
    assert "Request refused" in body
    assert not accepting_urls


def test_a_logged_in_session_may_send_a_post_with_several_large_attachments(client, accepting_urls):
    client.force_login(UserFactory())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert call_wsgi("/upload/", 30 * MB, cookie=cookie)[0] == 200  # five 20 MB attachments need this
    status, _headers, body = call_wsgi("/upload/", 200 * MB, cookie=cookie)
    assert status == 413
    assert "110 MB" in body
    # A made-up session key counts as anonymous.
    assert call_wsgi("/upload/", 30 * MB, cookie="sessionid=forged")[0] == 413
    assert accepting_urls == ["/upload/"]


def test_the_largest_allowed_upload_fits_under_the_anonymous_limit(settings):
    from portal.opinions.services import MAX_PDF_UPLOAD

    assert settings.MIDDLEWARE[0] == "portal.security.RequestBodyLimitMiddleware"
    assert MAX_PDF_UPLOAD < settings.MAX_REQUEST_BODY_SIZE
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE < settings.MAX_AUTHENTICATED_REQUEST_BODY_SIZE


# Avatars and the deploy check -------------------------------------------------------------------------------


def test_the_wagtail_admin_requests_no_external_avatar(client, settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    editor = UserFactory(is_superuser=True, is_staff=True, email="editor@example.cn")
    assert not avatar_url(editor).startswith(("http", "//"))
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html
    assert not re.search(r"""src=["'](https?:)?//""", html)


def test_the_deploy_check_on_production_settings_is_clean():
    result = import_production(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        SECRET_KEY="s3cr3t-" + "x" * 50,
        ALLOWED_HOSTS="portal.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "W0" not in result.stdout + result.stderr
