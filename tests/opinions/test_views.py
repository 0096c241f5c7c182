import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.opinions import services
from portal.opinions.models import Opinion, OpinionState
from tests.opinions.conftest import approve, make_opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(issuer, people, fast_pdf):
    opinion = make_opinion(issuer, people, is_public=False)
    approve(opinion, people)
    services.request_issue(actor=people["editor"], opinion=opinion)
    return services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)


def test_workspace_urls_answer_404_to_outsiders(client, issuer, people):
    opinion = make_opinion(issuer, people)
    client.force_login(people["outsider"])
    for suffix in ["", "edit/", "status/", "pdf/"]:
        assert client.get(f"/workspace/opinions/{opinion.pk}/{suffix}").status_code == 404, suffix
    for suffix in ["submit/", "sign/", "issue/", "revoke/"]:
        assert client.post(f"/workspace/opinions/{opinion.pk}/{suffix}").status_code == 404, suffix
    assert client.get(f"/workspace/opinions/new/{issuer.pk}/").status_code == 404
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.DRAFT


def test_anonymous_is_sent_to_login(client, issuer, people):
    opinion = make_opinion(issuer, people)
    response = client.get(f"/workspace/opinions/{opinion.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signatories_do_not_see_drafts(client, issuer, people):
    opinion = make_opinion(issuer, people)
    client.force_login(people["first"])
    assert client.get(f"/workspace/opinions/{opinion.pk}/").status_code == 404
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    response = client.get(f"/workspace/opinions/{opinion.pk}/")
    assert response.status_code == 200
    assert response.context["can_sign"] is True
    # The second signatory sees it but may not sign yet.
    client.force_login(people["second"])
    assert client.get(f"/workspace/opinions/{opinion.pk}/").context["can_sign"] is False


def test_create_through_the_form_with_bad_input_changes_nothing(client, issuer, people):
    client.force_login(people["editor"])
    response = client.post(f"/workspace/opinions/new/{issuer.pk}/", {"title": "", "kind": "evaluation", "body": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Opinion.objects.count() == 0
    response = client.post(
        f"/workspace/opinions/new/{issuer.pk}/",
        {
            "title": "关于项目的评价意见",
            "kind": "evaluation",
            "body": "第一段。\n\n第二段<script>x</script>",
            "signatory_1": people["first"].pk,
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    # Typed markup is text, shown as typed, never run.
    assert opinion.body == "<p>第一段。</p>\n\n<p>第二段&lt;script&gt;x&lt;/script&gt;</p>"


def test_sign_off_through_the_form(client, issuer, people):
    opinion = make_opinion(issuer, people)
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    client.force_login(people["first"])
    response = client.post(
        f"/workspace/opinions/{opinion.pk}/sign/", {"decision": "return", "comment": ""}, follow=True
    )
    assert response.status_code == 200
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.IN_REVIEW  # a return needs a reason
    client.post(f"/workspace/opinions/{opinion.pk}/sign/", {"decision": "approve"})
    assert opinion.sign_offs.get(user=people["first"]).decision == "approved"


def test_status_partial_shows_rendering_then_the_number(client, issuer, people, fast_pdf, settings):
    opinion = make_opinion(issuer, people)
    approve(opinion, people)
    client.force_login(people["editor"])
    # A backend that queues without running, so the "rendering" state can be seen.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.post(f"/workspace/opinions/{opinion.pk}/issue/")
    html = client.get(f"/workspace/opinions/{opinion.pk}/status/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in html
    services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)
    html = client.get(f"/workspace/opinions/{opinion.pk}/status/", HTTP_HX_REQUEST="true").content.decode()
    opinion.refresh_from_db()
    assert opinion.number in html and "hx-trigger" not in html


def test_download_is_permission_checked_and_logged(client, issued, people):
    from wagtail.models import ModelLogEntry

    client.force_login(people["editor"])
    response = client.get(f"/workspace/opinions/{issued.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ModelLogEntry.objects.filter(
        object_id=str(issued.pk), action="opinions.download", user=people["editor"]
    ).exists()
    client.force_login(people["outsider"])
    assert client.get(f"/workspace/opinions/{issued.pk}/pdf/").status_code == 404
    client.logout()
    assert client.get(f"/verify/{issued.verification_code}/pdf/").status_code == 404  # not public


def test_public_opinions_can_be_downloaded_from_the_verify_page(client, issued):
    Opinion.objects.filter(pk=issued.pk).update(is_public=True)
    response = client.get(f"/verify/{issued.verification_code}/pdf/")
    assert response.status_code == 200


def test_verify_page_shows_public_metadata(client, issued):
    response = client.get(f"/verify/{issued.verification_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in [issued.number, issued.title, issued.sha256, "坪山区生物医药产业共治委员会"]:
        assert text in html
    assert issued.body not in html  # the text itself is not public


def test_verify_accepts_codes_as_people_type_them(client, issued):
    code = issued.verification_code
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    response = client.get("/verify/", {"code": typed})
    assert response["Location"] == f"/verify/{code}/"


def test_unknown_code_answers_404_with_a_message(client, db):
    response = client.get("/verify/ZZZZZZZZ/")
    assert response.status_code == 404
    assert "ZZZZZZZZ" in response.content.decode()


def test_upload_comparison_on_the_verify_page(client, issued):
    url = f"/verify/{issued.verification_code}/"
    data = issued.pdf.read()
    same = client.post(url, {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert same.context["outcome"] == "match"
    tampered = client.post(url, {"file": SimpleUploadedFile("a.pdf", data + b"\n%tampered", "application/pdf")})
    assert tampered.context["outcome"] == "mismatch"
    not_pdf = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"GIF89a....", "application/pdf")})
    assert not_pdf.context["outcome"] is None and not_pdf.context["form"].errors["file"]


def test_revoked_opinions_say_so(client, issued, people):
    services.revoke(actor=people["editor"], opinion=issued, reason="依据的数据有误")
    html = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "依据的数据有误" in html


def test_verify_is_rate_limited(client, issued, one_rate_window):
    from portal.opinions import views

    statuses = [client.get(f"/verify/{issued.verification_code}/").status_code for _ in range(35)]
    assert statuses.count(200) == int(views.VERIFY_RATE.split("/")[0])
    assert statuses[-1] == 429


def test_opinion_list_query_count_is_constant(client, issuer, people):
    client.force_login(people["editor"])
    make_opinion(issuer, people, title="一")
    client.get("/workspace/opinions/")  # warm-up: site and locale lookups are cached after the first request
    with CaptureQueriesContext(connection) as few:
        client.get("/workspace/opinions/")
    for index in range(15):
        make_opinion(issuer, people, title=f"意见{index}")
    with CaptureQueriesContext(connection) as many:
        client.get("/workspace/opinions/")
    assert len(few) == len(many)


def test_dashboard_panel_lists_what_waits_for_each_person(client, issuer, people):
    opinion = make_opinion(issuer, people, title="待签发的评价意见")
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    client.force_login(people["first"])
    assert "待签发的评价意见" in client.get("/workspace/").content.decode()
    client.force_login(people["second"])  # named, but not next in line
    assert "待签发的评价意见" not in client.get("/workspace/").content.decode()
    client.force_login(people["outsider"])
    assert "待签发的评价意见" not in client.get("/workspace/").content.decode()
