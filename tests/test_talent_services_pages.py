"""The service requests' pages (issue 12, "Services"): the team's list and form, a request's page as the team reads
it (progress, never the office's notes) and as the officers do, the queue with overdue ones first and its filters,
downloads kept in the audit log, the dashboard panels, both languages; the queue's queries do not grow with its
rows (10 and 200 requests)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from talent.models import BaseStage, ServiceKind, ServiceRequest, ServiceState
from talent.services import service_requests as services
from tests.factories import UserFactory
from tests.talent_world import PDF, base_application, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.colleague = UserFactory(username="talent_colleague_p", real_name="陈同事")
    world.programme.officers.add(world.colleague)
    world.base = base_application(world, world.team, stage=BaseStage.ACTIVE)
    return world


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(name, *args, language="zh-hans"):
    with translation.override(language):
        return reverse(name, args=args)


def _ask(world, kind=ServiceKind.VISA, details="Two R-visa invitations, please."):
    upload = SimpleUploadedFile("invitation-data.pdf", PDF, content_type="application/pdf")
    return services.request_service(actor=world.team, base=world.base, kind=kind, details=details, files=[upload])


def test_the_team_requests_a_service_through_the_form_in_english(world):
    client = _client(world.team)
    page = client.get(_url("talent:my_services", language="en"))
    assert page.status_code == 200
    assert "Request a service" in page.content.decode()
    form_url = _url("talent:service_new", world.base.pk, language="en")
    assert "working days" in client.get(form_url).content.decode()
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    response = client.post(form_url, {"kind": "legal", "details": "Review our lease, please.", "files": [upload]})
    made = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/services/{made.pk}/")
    assert made.attachments.count() == 1
    again = client.post(form_url, {"kind": "legal", "details": "Review our lease, please."})  # a double click
    assert again.status_code == 200
    assert "already have an open request" in again.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_bad_input_comes_back_in_chinese_with_nothing_saved(world):
    client = _client(world.team)
    response = client.post(_url("talent:service_new", world.base.pk), {"kind": "visa", "details": "   "})
    assert response.status_code == 200
    assert not ServiceRequest.objects.exists()
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(_url("talent:service_new", world.base.pk), {"kind": "visa", "details": "签证", "files": bad})
    assert response.status_code == 200
    assert "不接受" in response.content.decode() or "文件" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_the_team_reads_progress_but_never_the_offices_notes(world):
    service_request = _ask(world)
    services.assign(actor=world.officer, service_request=service_request, assignee=world.colleague)
    later = service_request.due_on + datetime.timedelta(days=5)
    services.set_due_on(actor=world.officer, service_request=service_request, due_on=later, reason="SECRET-HOLIDAY")
    services.move(actor=world.colleague, service_request=service_request, transition="start")
    services.move(
        actor=world.colleague, service_request=service_request, transition="complete", outcome="Letters issued."
    )
    team_page = _client(world.team).get(service_request.get_absolute_url()).content.decode()
    assert "陈同事" in team_page
    assert later.isoformat() in team_page
    assert "Letters issued." in team_page
    assert "SECRET-HOLIDAY" not in team_page
    assert "data-history" not in team_page
    officer_page = _client(world.officer).get(service_request.get_absolute_url()).content.decode()
    assert "SECRET-HOLIDAY" in officer_page and "data-history" in officer_page


def test_others_get_404_for_a_request_and_its_files(world):
    service_request = _ask(world)
    attachment = service_request.attachments.get()
    for user in (world.other_team, world.other_officer, world.outsider):
        client = _client(user)
        assert client.get(service_request.get_absolute_url()).status_code == 404
        assert client.get(attachment.get_absolute_url()).status_code == 404
    assert not ModelLogEntry.objects.filter(action="talent.download_service_file").exists()


def test_downloads_are_served_privately_and_audited(world):
    service_request = _ask(world)
    attachment = service_request.attachments.get()
    for user in (world.team, world.officer):
        response = _client(user).get(attachment.get_absolute_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert ModelLogEntry.objects.filter(action="talent.download_service_file").count() == 2


def test_buttons_move_the_request_and_the_team_withdraws(world):
    service_request = _ask(world)
    officer = _client(world.officer)
    page = officer.get(service_request.get_absolute_url()).content.decode()
    assert _url("talent:service_move", service_request.pk, "start") in page
    assert officer.get(_url("talent:service_move", service_request.pk, "start")).status_code == 405
    officer.post(_url("talent:service_move", service_request.pk, "start"))
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.IN_PROGRESS
    # The complete form wants an outcome.
    response = officer.post(_url("talent:service_move", service_request.pk, "complete"), {"outcome": ""})
    assert response.status_code == 200
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.IN_PROGRESS
    other = _ask(world, kind=ServiceKind.HOUSING, details="A flat.")
    team = _client(world.team)
    assert team.get(_url("talent:service_move", other.pk, "complete")).status_code == 404
    team.post(_url("talent:service_move", other.pk, "withdraw"))
    other.refresh_from_db()
    assert other.state == ServiceState.WITHDRAWN


def test_financing_done_without_a_hand_off_says_so(world):
    service_request = _ask(world, kind=ServiceKind.FINANCING, details="Series A.")
    services.move(actor=world.officer, service_request=service_request, transition="start")
    officer = _client(world.officer)
    url = _url("talent:service_move", service_request.pk, "complete", language="en")
    response = officer.post(url, {"outcome": "Met investors."}, follow=True)  # no fund accepts applications here
    assert "not handed to the fund" in response.content.decode()
    assert "data-no-handoff" in response.content.decode()


def test_the_queue_puts_overdue_first_highlights_them_and_filters(world):
    on_time = _ask(world)
    late = _ask(world, kind=ServiceKind.LEGAL, details="Lease review.")
    ServiceRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    done = _ask(world, kind=ServiceKind.HOUSING, details="A flat.")
    services.move(actor=world.team, service_request=done, transition="withdraw")
    client = _client(world.officer)
    url = _url("talent:service_queue", world.programme.slug)
    page = client.get(url).content.decode()
    assert page.index(late.get_absolute_url()) < page.index(on_time.get_absolute_url())
    assert 'class="is-overdue"' in page and "data-overdue-count" in page
    assert done.get_absolute_url() not in page  # open ones unless asked
    assert done.get_absolute_url() in client.get(url, {"state": "all"}).content.decode()
    assert late.get_absolute_url() not in client.get(url, {"kind": "visa"}).content.decode()
    assert late.get_absolute_url() in client.get(url, {"assignee": "none"}).content.decode()
    assert late.get_absolute_url() not in client.get(url, {"assignee": str(world.colleague.pk)}).content.decode()
    assert _client(world.other_officer).get(url).status_code == 404


def test_the_dashboard_panels(world):
    late = _ask(world)
    ServiceRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    officer_page = _client(world.officer).get(reverse("workspace:dashboard")).content.decode()
    assert "data-overdue-count" in officer_page and late.get_absolute_url() in officer_page
    with translation.override("en"):
        team_page = _client(world.team).get(reverse("workspace:dashboard")).content.decode()
    assert "My services" in team_page and f"/services/{late.pk}/" in team_page
    assert "data-overdue" not in team_page  # the team never sees the office's highlighting


def _queue_queries(world, count):
    ServiceRequest.objects.all().delete()
    today = timezone.localdate()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            base_application=world.base,
            kind=list(ServiceKind)[number % len(ServiceKind)],
            details=f"request {number}",
            requested_by=world.team,
            due_on=today + datetime.timedelta(days=number % 7 - 3),
            assigned_to=world.colleague if number % 2 else None,
        )
        for number in range(count)
    )
    client = _client(world.officer)
    url = _url("talent:service_queue", world.programme.slug)
    client.get(url)  # warm up the session and the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"state": "all"})
    assert response.status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_10_and_200_requests(world):
    assert _queue_queries(world, 10) == _queue_queries(world, 200)


def _admitted(world, count):
    from tests import talent_rows

    return talent_rows.base_applications(
        world.base.call, [world.team], count, themes=[world.theme], stages=(BaseStage.ACTIVE,)
    )


def _my_services(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_url("talent:my_services"))
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_a_team_with_many_applications_chooses_one_with_no_more_queries(world):
    client = _client(world.team)
    client.get(_url("talent:my_services"))  # the session's first request reads more
    one_count, one = _my_services(client)
    assert one.count('class="button button--primary" href="') == 1 and 'name="base"' not in one
    _admitted(world, 99)
    many_count, many = _my_services(client)
    assert 'name="base"' in many and many.count("<option ") == 100
    assert 'class="button button--primary" href="' not in many  # a chooser, not a hundred buttons
    assert many_count == one_count
    chosen = client.get(_url("talent:my_services"), {"base": world.base.pk})
    assert chosen.status_code == 302 and chosen["Location"] == _url("talent:service_new", world.base.pk)


def test_choosing_a_team_that_is_not_yours_says_so_and_leads_nowhere(world):
    other = base_application(world, world.outsider, stage=BaseStage.ACTIVE)
    client = _client(world.team)
    for chosen in (str(other.pk), "abc", ""):
        page = client.get(_url("talent:my_services"), {"base": chosen})
        assert page.status_code == 200, chosen
        assert "请选择贵团队已入驻基地的申请" in page.content.decode(), chosen
