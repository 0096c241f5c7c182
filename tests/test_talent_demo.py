"""The offshore base's demo data (talent/demo*.py), seeded once for the module: the lead's base applications in every
stage, the admitted teams' service requests (talent/demo_services.py: every kind, every state the office meets, one
overdue, on the officer's dashboard), the resource libraries and the roadshows; a second run makes nothing twice."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from funds.models import Deal
from portal.applications.models import SupplementState
from portal.opinions.models import OpinionState
from talent.demo import PROGRAMME_SLUG
from talent.demo_services import REQUESTS, seed_service_requests
from talent.models import (
    BaseApplication,
    BaseStage,
    Roadshow,
    ServiceAttachment,
    ServiceKind,
    ServiceRequest,
    ServiceState,
)
from talent.models.libraries import LIBRARIES
from tests import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.demo_reader]

seeded = seeded_demo.seeded  # seed_demo once for this module

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ADMITTED = (BaseStage.ONBOARDING, BaseStage.ACTIVE, BaseStage.GRADUATED, BaseStage.EXITED)


def _user(username):
    return get_user_model().objects.get(username=username)


def _requests():
    return ServiceRequest.objects.filter(base_application__call__programme__slug=PROGRAMME_SLUG).select_related(
        "base_application__application__applicant", "assigned_to"
    )


def test_the_base_applications_cover_every_stage(seeded):
    bases = BaseApplication.objects.filter(call__programme__slug=PROGRAMME_SLUG)
    assert bases.count() >= 15
    assert set(bases.values_list("stage", flat=True)) == set(BaseStage.values)


def test_overseas1_waits_on_a_supplement_with_a_future_deadline(seeded):
    base = BaseApplication.objects.get(application__applicant__username="overseas1")
    waiting = base.application.supplement_requests.filter(state=SupplementState.OPEN)
    assert waiting.count() == 1
    assert waiting.get().deadline > timezone.localdate()


def test_every_admitted_team_has_its_letter_issued_but_the_one_awaiting_the_directors_signature(seeded):
    admitted = BaseApplication.objects.filter(call__programme__slug=PROGRAMME_SLUG, stage__in=ADMITTED)
    assert admitted.count() >= 5
    letters = {
        base.application.applicant.username: base.letter.state
        for base in admitted.select_related("letter", "application__applicant")
    }
    assert letters.pop("team_patel") == OpinionState.IN_REVIEW  # the lead's demo leaves it for the director
    assert set(letters.values()) == {OpinionState.ISSUED}


def test_only_the_teams_in_the_base_have_service_requests(seeded):
    requests = list(_requests())
    teams = {row.base_application.application.applicant.username for row in requests}
    assert teams == set(REQUESTS)
    assert all(row.base_application.is_in_base for row in requests)
    assert not ServiceRequest.objects.filter(base_application__application__applicant__username="overseas1").exists()
    assert len(requests) == sum(len(rows) for rows in REQUESTS.values())


def test_the_requests_cover_every_kind_and_every_state_the_office_meets(seeded):
    requests = list(_requests())
    assert {row.kind for row in requests} == set(ServiceKind.values)
    states = {state: [row for row in requests if row.state == state] for state in ServiceState.values}
    assert states[ServiceState.REQUESTED] and states[ServiceState.IN_PROGRESS]
    assert states[ServiceState.DONE] and states[ServiceState.DECLINED]
    assert all(row.assigned_to and row.started_at for row in states[ServiceState.IN_PROGRESS])
    assert all(row.outcome and row.completed_at for row in states[ServiceState.DONE] + states[ServiceState.DECLINED])
    assert all(row.assigned_to is None for row in states[ServiceState.REQUESTED])
    assert ServiceAttachment.objects.filter(service_request__in=[row.pk for row in requests]).count() >= 2


def test_each_team_writes_in_its_own_language(seeded):
    for row in _requests():
        applicant = row.base_application.application.applicant
        chinese = applicant.username in ("team_wang", "team_zhao")
        assert bool(CHINESE.search(row.details)) == chinese or "外国高端人才确认函" in row.details, row.details
        if row.outcome:
            assert bool(CHINESE.search(row.outcome)) == chinese, row.outcome


def test_the_financing_introduction_was_handed_to_the_fund(seeded):
    financing = _requests().get(kind=ServiceKind.FINANCING)
    assert financing.state == ServiceState.DONE
    assert financing.handoff_reference
    assert Deal.objects.filter(company__organization__name=financing.base_application.company_name).exists()


def test_some_requests_are_overdue_with_a_due_date_from_the_past(seeded):
    overdue = list(ServiceRequest.objects.overdue())
    assert len(overdue) >= 1
    today = timezone.localdate()
    for row in overdue:
        assert row.due_on < today and row.requested_at.date() < row.due_on
    assert {row.state for row in overdue} == {ServiceState.REQUESTED, ServiceState.IN_PROGRESS}
    assert ServiceRequest.objects.open().count() > len(overdue)


def test_the_officers_dashboard_shows_open_and_overdue_requests(seeded, client):
    client.force_login(_user("talent_officer"))
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert "data-overdue-count" in page
    for row in ServiceRequest.objects.overdue():
        assert row.get_absolute_url() in page
    assert f"{ServiceRequest.objects.open().count()} 项待办申请" in page


def test_a_team_reads_its_requests_and_overseas1_has_none(seeded, client):
    client.force_login(_user("team_patel"))
    page = client.get(reverse("talent:my_services")).content.decode()
    for row in _requests().filter(base_application__application__applicant__username="team_patel"):
        assert row.get_absolute_url() in page
    client.force_login(_user("overseas1"))
    page = client.get(reverse("talent:my_services")).content.decode()
    assert "/talent/services/" not in page


def test_seeding_the_requests_again_makes_nothing(seeded):
    before = (ServiceRequest.objects.count(), ServiceAttachment.objects.count(), ModelLogEntry.objects.count())
    seed_service_requests(lambda message: None)
    assert (ServiceRequest.objects.count(), ServiceAttachment.objects.count(), ModelLogEntry.objects.count()) == before


def test_the_libraries_have_twenty_published_entries_each(seeded):
    for code, model in LIBRARIES.items():
        assert model.objects.published().count() >= 20, code


def test_the_roadshows_one_held_and_one_to_come(seeded):
    now = timezone.now()
    held = Roadshow.objects.filter(starts_at__lt=now).first()
    coming = Roadshow.objects.filter(starts_at__gt=now).first()
    assert held is not None and coming is not None
    assert held.projects.filter(is_confirmed=True).count() >= 3
    assert held.investors.filter(attended=True).exists()
    assert held.investors.filter(feedback__isnull=False).exists()
