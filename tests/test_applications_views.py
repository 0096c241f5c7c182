"""portal.applications over HTTP: what is open, starting, steps and drafts, uploads, review and submit, the
application's page for applicant and officer, audited downloads, the list's query budget, both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.applications import services
from portal.applications.models import Application, ApplicationState, Attachment, SupplementRequest
from tests.applications_kind import (
    COMPANY,
    PNG,
    TEAM,
    GrantStatus,
    filled_draft,
    grant_fixture,  # noqa: F401  (the grant fixture)
    submitted,
    upload,
    with_request,
)

pytestmark = pytest.mark.django_db


def english(name, **kwargs):
    with translation.override("en"):
        return reverse(name, **kwargs)


def login(client, user):
    client.force_login(user)
    return client


# --- What is open, and starting ----------------------------------------------------------------------------------


def test_the_open_list_is_public_and_shows_only_open_owners(client, grant):
    grant.hooks.closed.add(grant.other_owner.pk)
    page = client.get(reverse("applications:open")).content.decode()
    assert "测试资助申请" in page and "测试资助方甲" in page and "测试资助方乙" not in page


def test_anonymous_visitors_are_asked_to_log_in_or_register(client, grant):
    url = reverse("applications:start", args=["grant", grant.owner.pk])
    page = client.get(url).content.decode()
    assert f"/accounts/register/?next={url}" in page and f"?next={url}" in page
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("applications:start", args=["grant", 999999])).status_code == 404
    assert client.get(reverse("applications:start", args=["nope", grant.owner.pk])).status_code == 404


def test_starting_opens_the_first_step_and_resumes_the_draft(client, grant):
    login(client, grant.applicant_a)
    url = reverse("applications:start", args=["grant", grant.owner.pk])
    response = client.post(url, {"organization": grant.firm_a.pk})
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:step", args=[application.pk, "company"])
    client.post(url, {"organization": grant.firm_a.pk})
    assert Application.objects.count() == 1
    assert "Continue" in client.get("/en" + url).content.decode()


def test_an_officer_cannot_start(client, grant):
    login(client, grant.officer)
    response = client.post(reverse("applications:start", args=["grant", grant.owner.pk]))
    assert response.status_code == 404 and not Application.objects.exists()


# --- Steps -------------------------------------------------------------------------------------------------------


def test_a_step_is_saved_as_a_draft_and_continues(client, grant):
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    login(client, grant.applicant_a)
    url = reverse("applications:step", args=[application.pk, "company"])
    response = client.post(url, COMPANY)
    assert response["Location"] == url  # "Save draft" stays
    response = client.post(url + "?continue=1", COMPANY)
    assert response["Location"] == reverse("applications:step", args=[application.pk, "team"])
    application.refresh_from_db()
    assert application.answers["company"]["amount"] == "1200.50"
    page = client.get(url).content.decode()
    assert "坪山新药研发项目" in page and "is-done" in page


def test_a_bad_step_shows_its_errors_and_saves_nothing(client, grant):
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    login(client, grant.applicant_a)
    url = reverse("applications:step", args=[application.pk, "company"])
    response = client.post("/en" + url, {**COMPANY, "amount": "-3"})
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    response = client.post(url, {**COMPANY, "amount": "很多"})
    assert response.status_code == 200 and "请填写数字" in response.content.decode()
    application.refresh_from_db()
    assert application.answers == {}


def test_a_repeating_step_takes_rows_and_adds_one_through_htmx(client, grant):
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    login(client, grant.applicant_a)
    url = reverse("applications:step", args=[application.pk, "team"])
    row = client.get(url, {"team-TOTAL_FORMS": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert 'name="team-1-name"' in row and 'hx-swap-oob="true"' in row and 'value="2"' in row
    data = {"team-TOTAL_FORMS": "3", "team-INITIAL_FORMS": "0"}
    for index, member in enumerate(TEAM):
        data |= {f"team-{index}-name": member["name"], f"team-{index}-role": member["role"]}
    data |= {"team-2-name": "王五", "team-2-role": "顾问", "team-2-DELETE": "on"}  # removed before saving
    client.post(url, data)
    application.refresh_from_db()
    assert application.answers["team"] == TEAM


def test_others_get_404_and_a_sent_step_is_closed(client, grant):
    application = filled_draft(grant)
    step = reverse("applications:step", args=[application.pk, "company"])
    for person in (grant.applicant_b, grant.officer):
        login(client, person)
        assert client.get(step).status_code == 404
        assert client.post(step, COMPANY).status_code == 404
        assert client.get(reverse("applications:review", args=[application.pk])).status_code == 404
    services.submit(actor=grant.applicant_a, application=application)
    login(client, grant.applicant_a)
    assert client.post(step, {**COMPANY, "name": "改名"})["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.answers["company"]["name"] == COMPANY["name"]


# --- Documents, review, submit -----------------------------------------------------------------------------------


def test_uploads_are_checked_by_content(client, grant):
    application = filled_draft(grant, files=())
    login(client, grant.applicant_a)
    url = reverse("applications:attachments", args=[application.pk])
    response = client.post(url, {"item": grant.items["plan"].pk, "file": upload("假装.pdf", PNG)}, follow=True)
    assert "PNG" in response.content.decode() and not Attachment.objects.exists()
    client.post(url, {"item": grant.items["plan"].pk, "file": upload("计划书.pdf")})
    attachment = Attachment.objects.get()
    assert attachment.item == grant.items["plan"] and attachment.original_name == "计划书.pdf"
    page = client.get(url).content.decode()
    assert "计划书.pdf" in page and "财务报表" in page
    client.post(reverse("applications:remove_attachment", args=[application.pk, attachment.pk]))
    assert not Attachment.objects.exists()


def test_review_lists_what_is_missing_and_submits(client, grant):
    application = filled_draft(grant, files=("plan",))
    login(client, grant.applicant_a)
    url = reverse("applications:review", args=[application.pk])
    page = client.get(url).content.decode()
    assert "财务报表" in page and "坪山新药研发项目" in page and "首席科学官" in page
    response = client.post(url, follow=True)
    assert "财务报表" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    services.add_attachment(
        actor=grant.applicant_a, application=application, item=grant.items["finance"], upload=upload()
    )
    response = client.post(url)
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.reference


# --- The application's page --------------------------------------------------------------------------------------


def test_the_applicant_reads_the_status_label_never_the_internal_stage(client, grant):
    application = submitted(grant)
    services.set_status(application=application, status=GrantStatus.UNDER_REVIEW)
    services.add_note(actor=grant.officer, application=application, text="尽职调查发现财务问题")
    login(client, grant.applicant_a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "评审中" in page and "已提交" in page  # the status and the timeline
    assert "尽职调查发现财务问题" not in page and "/officer/" not in page
    login(client, grant.officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "尽职调查发现财务问题" in page and f"/officer/{application.pk}/" in page


def test_the_officer_requests_and_the_applicant_answers(client, grant):
    application = submitted(grant)
    login(client, grant.officer)
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    client.post(
        reverse("applications:request_supplement", args=[application.pk]),
        {"message": "请补充财务报表", "deadline": deadline, "items": [grant.items["finance"].pk], "sections": ["plan"]},
    )
    request = SupplementRequest.objects.get()
    assert request.sections == ["plan"] and list(request.items.all()) == [grant.items["finance"]]
    login(client, grant.applicant_a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "请补充财务报表" in page and deadline in page and "待补正" in page
    answer = reverse("applications:answer", args=[application.pk])
    response = client.post(answer, {"answer": "已补充"}, follow=True)
    assert "财务报表" in response.content.decode()  # the document asked for is still missing
    client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"item": grant.items["finance"].pk, "file": upload("新报表.pdf")},
    )
    client.post(answer, {"answer": "已补充"})
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.submissions.count() == 2


def test_a_past_deadline_refuses_the_answer_with_a_message(client, grant, monkeypatch):
    application = with_request(grant, days=0, items=())
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    login(client, grant.applicant_a)
    response = client.post(english("applications:answer", args=[application.pk]), {"answer": "迟了"}, follow=True)
    assert "no longer accepted" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENT_REQUESTED


def test_withdrawing_from_the_page(client, grant):
    application = submitted(grant)
    login(client, grant.applicant_b)
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    login(client, grant.applicant_a)
    client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": "不再需要"})
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


def test_downloads_are_permission_checked_and_audited(client, grant):
    application = submitted(grant)
    attachment = application.attachments.first()
    url = reverse("applications:download", args=[application.pk, attachment.pk])
    for person in (grant.applicant_b, grant.other_officer):
        login(client, person)
        assert client.get(url).status_code == 404
    login(client, grant.officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    entry = ModelLogEntry.objects.get(action="applications.download")
    assert entry.user_id == grant.officer.pk and entry.data["sha256"] == attachment.sha256
    # A file not yet sent is the applicant's alone.
    application = with_request(grant, application, items=())
    draft_file = services.add_attachment(actor=grant.applicant_a, application=application, item=None, upload=upload())
    assert client.get(reverse("applications:download", args=[application.pk, draft_file.pk])).status_code == 404


# --- The list ----------------------------------------------------------------------------------------------------


def _many(grant, count, start=0):
    """``count`` submitted applications of the owner, every third with an open request (rows made directly)."""
    now = timezone.now()
    rows = Application.objects.bulk_create(
        Application(
            kind=grant.kind.code,
            owner=grant.owner,
            applicant=grant.applicant_a,
            organization=grant.firm_a,
            reference=f"ZZ-2026-{start + index:04d}",
            title=f"申请{start + index}",
            state=ApplicationState.SUBMITTED,
            status=GrantStatus.SUBMITTED,
            submitted_at=now,
        )
        for index in range(count)
    )
    SupplementRequest.objects.bulk_create(
        SupplementRequest(
            application=row,
            message="请补充",
            deadline=timezone.localdate(),
            requested_by=grant.officer,
            status_before=GrantStatus.SUBMITTED,
        )
        for row in rows[::3]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("who", ["applicant_a", "officer"])
def test_the_list_costs_the_same_at_5_and_50_applications(client, grant, who):
    login(client, getattr(grant, who))
    url = reverse("applications:list")
    _many(grant, 5)
    client.get(url)  # warm-up: the session, site and content-type lookups are cached after the first request
    few, page = _queries(client, url)
    assert "申请4" in page and "测试资助方甲" in page
    _many(grant, 45, start=5)
    many, page = _queries(client, url)
    assert few == many
    assert page.count("申请") >= 20  # a full first page


def test_the_list_filters_by_status_and_hides_others(client, grant):
    mine = submitted(grant)
    services.set_status(application=mine, status=GrantStatus.UNDER_REVIEW)
    theirs = submitted(grant, user=grant.applicant_b, organization=grant.firm_b, owner=grant.other_owner)
    login(client, grant.applicant_a)
    page = client.get(reverse("applications:list")).content.decode()
    assert mine.reference in page and theirs.reference not in page
    login(client, grant.officer)
    assert mine.reference in client.get(reverse("applications:list"), {"status": "under_review"}).content.decode()
    assert mine.reference not in client.get(reverse("applications:list"), {"status": "approved"}).content.decode()


def test_the_applicant_dashboard_panel(client, grant):
    asked = with_request(grant, submitted(grant, user=grant.applicant_b, organization=grant.firm_b))
    login(client, grant.applicant_b)
    page = client.get(english("workspace:dashboard")).content.decode()
    assert "My applications" in page
    assert asked.display_title in page and "Supplement due" in page and "待补正" in page


def test_switching_people_in_one_client_keeps_the_dashboard(client, grant):
    # A request leaves its language active in the test's thread: reverse() then already carries /en/, so the
    # English address is reversed under override rather than glued ("/en" + "/en/workspace/" was the 404 once
    # taken for a bug in the dashboard).
    submitted(grant)
    with_request(grant, submitted(grant, user=grant.applicant_b, organization=grant.firm_b))
    login(client, grant.applicant_b)
    assert client.get(english("workspace:dashboard")).status_code == 200
    login(client, grant.officer)
    page = client.get(english("workspace:dashboard"))
    assert page.status_code == 200 and "Applications waiting" in page.content.decode()


def test_the_officer_dashboard_panel(client, grant):
    waiting = submitted(grant)
    asked = with_request(grant, submitted(grant, user=grant.applicant_b, organization=grant.firm_b))
    login(client, grant.officer)
    page = client.get(english("workspace:dashboard")).content.decode()
    waiting_panel = page[page.index("Applications waiting") :]
    assert waiting.reference in waiting_panel and asked.reference not in waiting_panel


def test_a_step_saved_from_a_page_loaded_before_another_save_is_refused(client, grant):
    """The applicant in two tabs: the second tab's save would silently undo the first's."""
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    login(client, grant.applicant_a)
    url = reverse("applications:step", args=[application.pk, "company"])
    loaded = client.get(url).context["loaded"]
    assert client.post(url, {**COMPANY, "loaded": loaded})["Location"] == url
    response = client.post(url, {**COMPANY, "amount": "99", "loaded": loaded}, follow=True)
    assert "另一个窗口" in response.content.decode()
    application.refresh_from_db()
    assert application.answers["company"]["amount"] == "1200.50"
    fresh = client.get(url).context["loaded"]
    assert client.post(url, {**COMPANY, "amount": "99", "loaded": fresh})["Location"] == url
    application.refresh_from_db()
    assert application.answers["company"]["amount"] == "99"
