"""The special-talent reviews' demo data (talent/demo_special.py), seeded once for the module: ten applications in
every stage the issue asks for, each of employer1, authority1, talent_officer (and an evaluator and the director)
with something to do on their dashboard, valid identifiers kept out of every line, dated stays for the reports; a
second run makes nothing twice."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal import lifecycle
from portal.applications.models import ApplicationState, SupplementState
from portal.history.models import Event
from portal.id_numbers import birth_date_of, validate_passport_number, validate_resident_id
from portal.notifications.models import Notification
from portal.opinions.models import OpinionState
from portal.reviews.models import Assignment, AssignmentState, RoundState
from talent import permissions
from talent.demo_special import PROGRAMME_SLUG, seed_special_applications, seed_special_programme
from talent.models import (
    DeliberationState,
    IdKind,
    ObjectionState,
    SpecialStage,
    SpecialTalentApplication,
)
from talent.review import rounds_of
from talent.special_reports import gather
from tests import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.demo_reader]

seeded = seeded_demo.seeded  # seed_demo once for this module


def _user(username):
    return get_user_model().objects.get(username=username)


def _specials():
    return SpecialTalentApplication.objects.filter(call__programme__slug=PROGRAMME_SLUG).select_related(
        "application__applicant", "call__programme", "authority"
    )


def _named(name):
    return _specials().get(candidate_name=name)


def test_ten_applications_cover_the_stages_the_issue_asks_for(seeded):
    specials = list(_specials())
    assert len(specials) >= 8
    stages = {special.stage for special in specials}
    assert stages == {
        SpecialStage.PRE_REVIEW,
        SpecialStage.DECLINED,
        SpecialStage.PANEL,
        SpecialStage.DELIBERATION,
        SpecialStage.NOTICE,
        SpecialStage.FILING,
        SpecialStage.APPROVED,
        SpecialStage.REJECTED,
    }
    assert {special.application.applicant.username for special in specials} >= {"employer1", "employer2"}
    assert {special.theme.code for special in specials} == {"biomed", "nev", "ic"}
    assert any(special.candidate_name_en for special in specials if special.id_kind == IdKind.PASSPORT)


def test_one_waits_for_authority1_and_one_for_employer1s_supplement(seeded):
    authority1 = _user("authority1")
    waiting = [special for special in _specials() if permissions.pre_reviews(authority1, special)]
    assert any(lifecycle.allowed(special, "pass_pre_review", authority1) for special in waiting)
    asked = _named("林晓峰")
    assert asked.application.applicant.username == "employer1"
    assert asked.application.state == ApplicationState.SUPPLEMENT_REQUESTED
    request = asked.application.supplement_requests.get(state=SupplementState.OPEN)
    assert request.requested_by == authority1 and request.deadline > timezone.localdate()


def test_one_declined_at_pre_review_with_the_reasons(seeded):
    declined = _specials().get(stage=SpecialStage.DECLINED)
    assert declined.pre_reviewed_by.username == "authority1" and declined.decision_reason


def test_one_panel_still_scoring_with_evaluator1_to_score_and_one_finished(seeded):
    scoring = _specials().get(stage=SpecialStage.PANEL, candidate_name_en="Dr. Hans Weber")
    round_ = rounds_of(scoring).get()
    assert round_.state == RoundState.OPEN
    waiting = Assignment.objects.get(round=round_, expert__user__username="evaluator1")
    assert waiting.state == AssignmentState.CLEARED and waiting.submitted_at is None
    finished = _named("吴桂兰")
    assert finished.stage == SpecialStage.PANEL and finished.panel_is_finished
    assert lifecycle.allowed(finished, "send_to_deliberation", _user("talent_officer"))


def test_a_meeting_decided_by_vote_passed_one_and_rejected_another(seeded):
    approved = _specials().get(stage=SpecialStage.APPROVED)
    rejected = _specials().get(stage=SpecialStage.REJECTED)
    passed_item, failed_item = approved.last_item, rejected.last_item
    assert passed_item.passed is True and failed_item.passed is False
    meeting = passed_item.deliberation
    assert meeting == failed_item.deliberation
    assert meeting.state == DeliberationState.CLOSED and meeting.minutes
    assert passed_item.poll.yes_count > passed_item.poll.no_count
    assert passed_item.recused.filter(username="member_nev").exists()


def test_the_approved_one_is_filed_with_its_filing_form_issued(seeded):
    approved = _specials().get(stage=SpecialStage.APPROVED)
    assert approved.filing_number and approved.filed_on and approved.quota_reference
    assert approved.filed_on > approved.notice_ends_on
    assert approved.filing_form.state == OpinionState.ISSUED
    assert approved.panel_opinion.state == OpinionState.ISSUED
    assert approved.application.state == ApplicationState.CLOSED


def test_one_is_on_public_notice_with_an_objection_under_investigation(seeded, client):
    noticed = _specials().get(stage=SpecialStage.NOTICE)
    assert noticed.is_on_public_notice
    objection = noticed.objections.get()
    assert objection.state == ObjectionState.INVESTIGATING and objection.investigation
    assert noticed.notice_starts_on <= objection.lodged_at.date() <= noticed.notice_ends_on


def test_one_waits_for_filing_and_its_form_for_the_directors_signature(seeded):
    filing = _specials().get(stage=SpecialStage.FILING)
    assert filing.filing_form.state == OpinionState.IN_REVIEW
    assert not filing.filing_number


def test_one_is_on_the_agenda_of_the_coming_meeting(seeded):
    on_agenda = _specials().get(stage=SpecialStage.DELIBERATION)
    meeting = on_agenda.last_item.deliberation
    assert meeting.state == DeliberationState.SCHEDULED and meeting.starts_at > timezone.now()


# --- who has something to do ----------------------------------------------------------------------------------------


def test_employer1s_dashboard_shows_the_application_waiting_for_its_supplement(seeded, client):
    client.force_login(_user("employer1"))
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert _named("林晓峰").application.get_absolute_url() in page


def test_authority1s_dashboard_shows_the_application_waiting_for_its_pre_review(seeded, client):
    client.force_login(_user("authority1"))
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert _named("周国强").get_absolute_url() in page


def test_the_officers_dashboard_shows_the_panel_to_send_on_and_the_open_objection(seeded, client):
    client.force_login(_user("talent_officer"))
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert _named("吴桂兰").get_absolute_url() in page
    assert _specials().get(stage=SpecialStage.NOTICE).get_absolute_url() in page


def test_the_director_has_two_opinions_to_sign(seeded):
    director = _user("talent_director")
    waiting = [
        special
        for special in _specials().select_related("panel_opinion", "filing_form")
        for opinion in (special.panel_opinion, special.filing_form)
        if opinion is not None and opinion.state == OpinionState.IN_REVIEW
    ]
    assert len(waiting) == 2
    assert all(special.call.programme.director == director for special in waiting)


# --- identifiers and dates ----------------------------------------------------------------------------------------


def test_every_identifier_is_valid_and_matches_the_date_of_birth(seeded):
    for special in _specials():
        if special.id_kind == IdKind.RESIDENT_ID:
            validate_resident_id(special.id_number)
            assert birth_date_of(special.id_number).isoformat() == special.birth_date
        else:
            validate_passport_number(special.id_number)


def test_no_identifier_reaches_a_history_line_an_audit_entry_a_notification_or_the_log(seeded):
    secrets = [value for special in _specials() for value in (special.id_number, special.birth_date)]
    texts = [f"{line.summary} {line.url}" for line in Event.objects.all()]
    texts += [str(entry.data) for entry in ModelLogEntry.objects.all()]
    texts += [f"{note.title} {note.body}" for note in Notification.objects.all()]
    texts.append(seeded)
    for secret in secrets:
        assert not any(secret in text for text in texts), secret


def test_the_stays_are_dated_across_months_for_the_reports(seeded, client):
    programme = _specials().first().call.programme
    report = gather(programme)
    times = {time.stage: time for time in report.times}
    assert times["pre_review"].ended >= 6 and times["pre_review"].median_days >= 5
    assert times["panel"].ended >= 5 and times["deliberation"].ended >= 4
    oldest = min(special.application.submitted_at for special in _specials())
    assert timezone.now() - oldest > datetime.timedelta(days=60)
    client.force_login(_user("talent_officer"))
    assert client.get(reverse("talent:special_reports", args=[PROGRAMME_SLUG])).status_code == 200


def test_seeding_the_special_talent_steps_again_makes_nothing(seeded):
    before = (SpecialTalentApplication.objects.count(), Event.objects.count(), ModelLogEntry.objects.count())
    seed_special_programme(lambda message: None)
    seed_special_applications(lambda message: None)
    assert (SpecialTalentApplication.objects.count(), Event.objects.count(), ModelLogEntry.objects.count()) == before


def test_the_notifications_of_the_past_are_read_and_those_of_work_waiting_are_not(seeded):
    unread = set(
        Notification.objects.filter(recipient__username="employer1", read_at__isnull=True).values_list("url", flat=True)
    )
    assert _named("林晓峰").application.get_absolute_url() in unread
    assert _specials().get(stage=SpecialStage.APPROVED).application.get_absolute_url() not in unread
    assert Notification.objects.filter(
        recipient__username="authority1", read_at__isnull=True, url=_named("周国强").get_absolute_url()
    ).exists()


def test_the_bells_ring_only_for_what_still_waits(seeded):
    """Notifications about finished work are read after seeding (talent/demo_quiet.py); what waits stays unread."""
    from portal.notifications.models import Notification
    from talent.models import LIBRARIES, ListingState

    unread = Notification.objects.filter(read_at__isnull=True)
    published = [entry.get_absolute_url() for model in LIBRARIES.values() for entry in model.objects.published()]
    assert published and not unread.filter(url__in=published).exists()
    pending = [
        entry.get_absolute_url()
        for model in LIBRARIES.values()
        for entry in model.objects.filter(state=ListingState.PENDING)
    ]
    assert unread.filter(recipient=_user("talent_officer"), url__in=pending).exists()
    # authority1's pre-review and employer1's supplement still call for them.
    waiting = _named("周国强").get_absolute_url()
    assert unread.filter(recipient=_user("authority1"), url=waiting).exists()
    assert unread.filter(recipient=_user("talent_officer")).count() < 60
