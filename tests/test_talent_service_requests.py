"""Service requests of admitted teams (issue 12, "Services"): asking, assigning, every transition, who may and may
not, bad input that changes nothing, due dates moved, overdue reminders once a day, and the financing hand-off to
the fund's pipeline with and without a receiver."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from funds.models import Deal, DealSource, DealStage
from portal import handoffs
from portal.history.models import Event
from portal.notifications.models import Notification
from talent import sla
from talent.models import BaseStage, ServiceAttachment, ServiceKind, ServiceRequest, ServiceState
from talent.services import service_requests as services
from tests.factories import UserFactory
from tests.talent_world import PDF, base_application, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.colleague = UserFactory(username="talent_colleague_t", real_name="陈同事")
    world.programme.officers.add(world.colleague)
    world.base = base_application(world, world.team, stage=BaseStage.ACTIVE)
    Notification.objects.all().delete()  # what the application's steps told people is not this file's business
    return world


def _pdf(name="passport-scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _ask(world, kind=ServiceKind.VISA, details="Two R-visa invitations for our CTO and engineer.", files=()):
    return services.request_service(actor=world.team, base=world.base, kind=kind, details=details, files=files)


def _told(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def _nothing_changed(before_requests=0):
    assert ServiceRequest.objects.count() == before_requests
    assert not ServiceAttachment.objects.exists()


# --- asking -----------------------------------------------------------------------------------------------------


def test_an_admitted_team_asks_for_a_service_with_a_due_date_from_the_sla(world):
    service_request = _ask(world, files=[_pdf()])
    assert service_request.state == ServiceState.REQUESTED
    assert service_request.requested_by == world.team
    assert service_request.due_on == sla.due_on(ServiceKind.VISA, timezone.localdate())
    attachment = service_request.attachments.get()
    assert attachment.original_name == "passport-scan.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read() == PDF
    # The programme's officers are told, in their language; the team is not told about its own request.
    assert _told(world.officer) and _told(world.colleague)
    assert not _told(world.other_officer)
    assert not _told(world.team)
    assert ModelLogEntry.objects.filter(action="talent.request_service", object_id=str(service_request.pk)).exists()
    assert Event.objects.in_scope(world.programme).filter(verb="talent.requested_service").exists()


def test_a_team_in_onboarding_may_ask_too(world):
    onboarding = base_application(world, world.other_team, stage=BaseStage.ONBOARDING)
    made = services.request_service(
        actor=world.other_team, base=onboarding, kind=ServiceKind.COMPANY_REGISTRATION, details="Register our WFOE."
    )
    assert made.base_application == onboarding


@pytest.mark.parametrize("who", ["other_team", "outsider", "officer", "other_officer", "director"])
def test_only_the_team_asks_for_its_services(world, who):
    with pytest.raises(PermissionDenied):
        services.request_service(actor=getattr(world, who), base=world.base, kind="visa", details="x")
    _nothing_changed()


@pytest.mark.parametrize("stage", [BaseStage.CHECK, BaseStage.REVIEW, BaseStage.REJECTED, BaseStage.GRADUATED])
def test_a_team_not_in_the_base_asks_for_nothing(world, stage):
    base = base_application(world, world.other_team, stage=stage)
    with pytest.raises(PermissionDenied):
        services.request_service(actor=world.other_team, base=base, kind="visa", details="x")
    assert not base.service_requests.exists()


@pytest.mark.parametrize(
    ("kind", "details", "files", "field"),
    [
        ("astrology", "Please read our stars.", (), "kind"),
        ("visa", "   ", (), "details"),
        ("visa", "A visa", [SimpleUploadedFile("tool.pdf", b"MZ\x90\x00" + b"\x00" * 200)], "files"),
        ("visa", "A visa", [SimpleUploadedFile("empty.pdf", b"")], "files"),
        ("visa", "A visa", [SimpleUploadedFile(f"p{n}.pdf", PDF) for n in range(6)], "files"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(world, kind, details, files, field):
    with pytest.raises(ValidationError) as refused:
        _ask(world, kind=kind, details=details, files=files)
    assert field in refused.value.message_dict
    _nothing_changed()
    assert not _told(world.officer)


def test_a_double_click_does_not_ask_twice(world):
    _ask(world)
    with pytest.raises(ValidationError) as refused:
        _ask(world)
    assert "kind" in refused.value.message_dict
    assert ServiceRequest.objects.count() == 1
    # Another kind, or the same kind once the first is closed, is fine.
    _ask(world, kind=ServiceKind.HOUSING, details="A flat near the base for two.")
    assert ServiceRequest.objects.count() == 2


# --- assigning --------------------------------------------------------------------------------------------------


def test_an_officer_assigns_a_colleague_who_is_told(world):
    service_request = _ask(world)
    Notification.objects.all().delete()
    services.assign(actor=world.officer, service_request=service_request, assignee=world.colleague)
    service_request.refresh_from_db()
    assert service_request.assigned_to == world.colleague
    assert len(_told(world.colleague)) == 1
    assert not _told(world.team)
    with pytest.raises(ValidationError):  # already theirs
        services.assign(actor=world.officer, service_request=service_request, assignee=world.colleague)


def test_only_an_officer_of_the_programme_is_assigned_or_assigns(world):
    service_request = _ask(world)
    with pytest.raises(ValidationError) as refused:
        services.assign(actor=world.officer, service_request=service_request, assignee=world.other_officer)
    assert "assignee" in refused.value.message_dict
    for actor in (world.team, world.other_officer, world.outsider):
        with pytest.raises(PermissionDenied):
            services.assign(actor=actor, service_request=service_request, assignee=world.officer)
    service_request.refresh_from_db()
    assert service_request.assigned_to is None


# --- moving -----------------------------------------------------------------------------------------------------


def test_start_then_complete_with_an_outcome_the_team_reads(world):
    service_request = _ask(world)
    started = services.move(actor=world.officer, service_request=service_request, transition="start")
    assert started.state == ServiceState.IN_PROGRESS
    assert started.started_at is not None
    assert started.assigned_to == world.officer  # whoever starts answers for it
    with pytest.raises(ValidationError) as refused:
        services.move(actor=world.officer, service_request=started, transition="complete", outcome="  ")
    assert "outcome" in refused.value.message_dict
    started.refresh_from_db()
    assert started.state == ServiceState.IN_PROGRESS
    done = services.move(
        actor=world.officer, service_request=started, transition="complete", outcome="Invitation letters issued."
    )
    done.refresh_from_db()
    assert done.state == ServiceState.DONE
    assert done.outcome == "Invitation letters issued."
    assert done.completed_at is not None
    assert any("done" in title for title in _told(world.team))  # the team reads English


def test_decline_needs_a_reason(world):
    service_request = _ask(world)
    with pytest.raises(ValidationError):
        services.move(actor=world.officer, service_request=service_request, transition="decline", reason="")
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.REQUESTED
    services.move(
        actor=world.officer, service_request=service_request, transition="decline", reason="Outside the base's remit."
    )
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.DECLINED
    assert service_request.outcome == "Outside the base's remit."


def test_the_team_withdraws_before_work_starts_and_the_officers_are_told(world):
    service_request = _ask(world)
    Notification.objects.all().delete()
    services.move(actor=world.team, service_request=service_request, transition="withdraw")
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.WITHDRAWN
    assert _told(world.officer) and _told(world.colleague)
    second = _ask(world)  # the same kind again, now the first is closed
    services.move(actor=world.officer, service_request=second, transition="start")
    with pytest.raises(ValidationError):
        services.move(actor=world.team, service_request=second, transition="withdraw")


@pytest.mark.parametrize(
    ("who", "transition"),
    [
        ("team", "start"),
        ("team", "decline"),
        ("other_team", "withdraw"),
        ("other_officer", "start"),
        ("outsider", "decline"),
        ("officer", "withdraw"),
    ],
)
def test_a_transition_by_the_wrong_person_is_refused(world, who, transition):
    service_request = _ask(world)
    with pytest.raises(PermissionDenied):
        services.move(actor=getattr(world, who), service_request=service_request, transition=transition, reason="r")
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.REQUESTED


def test_a_transition_from_the_wrong_state_or_unknown_is_refused(world):
    service_request = _ask(world)
    with pytest.raises(ValidationError):
        services.move(actor=world.officer, service_request=service_request, transition="complete", outcome="x")
    with pytest.raises(ValidationError):
        services.move(actor=world.officer, service_request=service_request, transition="delete")
    with pytest.raises(ValidationError):
        services.move(actor=world.officer, service_request=service_request, transition="save")
    service_request.refresh_from_db()
    assert service_request.state == ServiceState.REQUESTED


# --- due dates ----------------------------------------------------------------------------------------------------


def test_an_officer_moves_the_due_date_with_a_reason(world):
    service_request = _ask(world)
    later = service_request.due_on + datetime.timedelta(days=7)
    services.set_due_on(
        actor=world.officer, service_request=service_request, due_on=later, reason="国庆假期 National Day holiday"
    )
    service_request.refresh_from_db()
    assert service_request.due_on == later
    line = Event.objects.in_scope(world.programme).get(verb="talent.moved_service_due")
    assert "National Day" in line.summary


@pytest.mark.parametrize(
    ("days", "reason", "field"),
    [(7, "", "reason"), (-1, "假期", "due_on"), (0, "假期", "due_on"), (None, "假期", "due_on")],
)
def test_a_bad_due_date_changes_nothing(world, days, reason, field):
    service_request = _ask(world)
    due = service_request.due_on
    new = None if days is None else (timezone.localdate() if days == -1 else due) + datetime.timedelta(days=days)
    with pytest.raises(ValidationError) as refused:
        services.set_due_on(actor=world.officer, service_request=service_request, due_on=new, reason=reason)
    assert field in refused.value.message_dict
    service_request.refresh_from_db()
    assert service_request.due_on == due


def test_only_the_programmes_officers_move_due_dates_of_open_requests(world):
    service_request = _ask(world)
    later = service_request.due_on + datetime.timedelta(days=3)
    for actor in (world.team, world.other_officer):
        with pytest.raises(PermissionDenied):
            services.set_due_on(actor=actor, service_request=service_request, due_on=later, reason="x")
    services.move(actor=world.team, service_request=service_request, transition="withdraw")
    with pytest.raises(ValidationError):
        services.set_due_on(actor=world.officer, service_request=service_request, due_on=later, reason="x")


# --- reminders ----------------------------------------------------------------------------------------------------


def _overdue(service_request, days=3):
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=days)
    )


def test_overdue_requests_are_reminded_once_a_day_and_never_to_the_team(world):
    unassigned = _ask(world)
    assigned = _ask(world, kind=ServiceKind.LEGAL, details="Review our lease.")
    on_time = _ask(world, kind=ServiceKind.HOUSING, details="A flat.")
    services.assign(actor=world.officer, service_request=assigned, assignee=world.colleague)
    _overdue(unassigned)
    _overdue(assigned)
    Notification.objects.all().delete()
    # Noon in Shanghai, so that "two hours later" is the same calendar day whenever the suite runs (after 22:00 it
    # crossed midnight and the reminders were rightly sent again).
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    reminded = services.remind_overdue(now=now)
    assert {row.pk for row in reminded} == {unassigned.pk, assigned.pk}
    assert on_time.pk not in {row.pk for row in reminded}
    # The unassigned one goes to every officer of the programme; the assigned one to its officer only.
    assert len(_told(world.officer)) == 1
    assert len(_told(world.colleague)) == 2
    assert not _told(world.team) and not _told(world.other_officer)
    assert services.remind_overdue(now=now + datetime.timedelta(hours=2)) == []  # the same day: nothing more
    assert Notification.objects.count() == 3
    tomorrow = services.remind_overdue(now=now + datetime.timedelta(days=1))
    assert len(tomorrow) == 2
    assigned.refresh_from_db()
    assert assigned.reminded_on == timezone.localdate(now + datetime.timedelta(days=1))


def test_closed_requests_are_never_reminded_and_the_command_runs(world, capsys):
    service_request = _ask(world)
    services.move(actor=world.team, service_request=service_request, transition="withdraw")
    _overdue(service_request)
    assert services.remind_overdue() == []
    late = _ask(world)
    _overdue(late)
    call_command("remind_overdue_services")
    assert "1 overdue" in capsys.readouterr().out
    late.refresh_from_db()
    assert late.reminded_on == timezone.localdate()


# --- the financing hand-off ---------------------------------------------------------------------------------------


@pytest.fixture
def fund(world):
    from tests.funds_world import make_fund

    return make_fund()


@pytest.fixture
def no_receiver():
    receiver = handoffs.receiver_of(services.FINANCING_CHANNEL)
    handoffs.unregister(services.FINANCING_CHANNEL)
    yield
    handoffs.register(services.FINANCING_CHANNEL, receiver)


def _financing(world):
    service_request = _ask(world, kind=ServiceKind.FINANCING, details="A Series A introduction, 5 million yuan.")
    return services.move(actor=world.officer, service_request=service_request, transition="start")


def test_a_completed_financing_introduction_becomes_a_sourced_deal(world, fund):
    service_request = _financing(world)
    done = services.move(
        actor=world.officer, service_request=service_request, transition="complete", outcome="Met the fund manager."
    )
    done.refresh_from_db()
    deal = Deal.objects.get(fund=fund)
    assert done.handoff_reference == f"{fund.slug}#{deal.pk}"
    assert deal.stage == DealStage.SOURCED
    assert deal.source == DealSource.TALENT
    assert deal.company.organization.uscc == world.base.uscc
    assert deal.company.organization.name == world.base.company_name
    assert str(deal.amount_requested) == "5000000.00"
    assert "Aurora Bio Team" in deal.summary
    assert ModelLogEntry.objects.filter(action="talent.hand_off_service", object_id=str(done.pk)).exists()
    assert ModelLogEntry.objects.filter(action="funds.create_deal", object_id=str(deal.pk)).exists()


def test_the_officer_may_hand_to_the_fund_before_completing_but_only_once(world, fund):
    service_request = _financing(world)
    with pytest.raises(PermissionDenied):
        services.hand_to_fund(actor=world.team, service_request=service_request)
    services.hand_to_fund(actor=world.officer, service_request=service_request)
    service_request.refresh_from_db()
    assert service_request.handoff_reference
    with pytest.raises(PermissionDenied):  # already handed: no longer offered
        services.hand_to_fund(actor=world.officer, service_request=service_request)
    # Completing it later opens no second deal.
    services.move(actor=world.officer, service_request=service_request, transition="complete", outcome="Done.")
    assert Deal.objects.filter(fund=fund).count() == 1


def test_without_a_receiver_the_request_is_still_completed(world, fund, no_receiver):
    service_request = _financing(world)
    done = services.move(
        actor=world.officer, service_request=service_request, transition="complete", outcome="Met the fund."
    )
    done.refresh_from_db()
    assert done.state == ServiceState.DONE
    assert done.handoff_reference == ""
    assert not Deal.objects.exists()
    with pytest.raises(ValidationError):  # asked by hand: a message, nothing changed
        services.hand_to_fund(actor=world.officer, service_request=done)


def test_no_fund_accepting_or_no_registered_company_means_no_hand_off(world, fund):
    fund.accepts_applications = False
    fund.save()
    service_request = _financing(world)
    with pytest.raises(ValidationError):
        services.hand_to_fund(actor=world.officer, service_request=service_request)
    fund.accepts_applications = True
    fund.save()
    onboarding = base_application(world, world.other_team, stage=BaseStage.ONBOARDING)  # no company yet
    asked = services.request_service(actor=world.other_team, base=onboarding, kind="financing", details="Seed round.")
    with pytest.raises(ValidationError):
        services.hand_to_fund(actor=world.officer, service_request=asked)
    assert not Deal.objects.exists()


def test_other_kinds_are_never_handed_off(world, fund):
    service_request = _ask(world)
    services.move(actor=world.officer, service_request=service_request, transition="start")
    services.move(actor=world.officer, service_request=service_request, transition="complete", outcome="Issued.")
    with pytest.raises(PermissionDenied):
        services.hand_to_fund(actor=world.officer, service_request=service_request)
    assert not Deal.objects.exists()


def test_the_handoff_registry_answers_none_without_a_receiver_and_keeps_the_reference():
    channel = "test-channel"
    assert handoffs.send(channel, {"x": 1}) is None
    handoffs.register(channel, lambda payload: f"ref-{payload['x']}")
    try:
        assert handoffs.send(channel, {"x": 7}) == "ref-7"
        handoffs.register(channel, lambda payload: None)  # a receiver may decline
        assert handoffs.send(channel, {"x": 7}) is None
    finally:
        handoffs.unregister(channel)
    assert handoffs.receiver_of(channel) is None
