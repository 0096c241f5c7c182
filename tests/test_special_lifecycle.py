"""The special-talent lifecycle: submission to the sector authority with identifiers encrypted, the engine's
expiry and withdrawal, each transition refused to the wrong person and from the wrong state, an upheld objection."""

import pytest
from django.db import connection

from talent.models import SpecialStage, SpecialTalentApplication
from tests.special_world import RESIDENT_ID, build_special_world, special_application

pytestmark = pytest.mark.django_db


def test_submission_assigns_the_sector_authority_and_seals_identifiers():
    world = build_special_world()
    special = special_application(world)
    assert special.stage == SpecialStage.PRE_REVIEW
    assert special.authority == world.authority
    assert SpecialTalentApplication.objects.get(pk=special.pk).id_number == RESIDENT_ID
    with connection.cursor() as cursor:
        cursor.execute("select id_number, birth_date from talent_specialtalentapplication where id = %s", [special.pk])
        raw_id, raw_birth = cursor.fetchone()
        cursor.execute("select answers from applications_application where id = %s", [special.application_id])
        raw_answers = cursor.fetchone()[0]
    assert raw_id.startswith("enc:") and RESIDENT_ID not in raw_id
    assert raw_birth.startswith("enc:")
    assert RESIDENT_ID not in raw_answers and "1958-03-07" not in raw_answers


def test_panel_stage_reached_through_pre_review():
    world = build_special_world()
    special = special_application(world, stage=SpecialStage.DELIBERATION)
    assert special.stage == SpecialStage.DELIBERATION
    assert [visit.stage for visit in special.stage_visits.all()] == ["pre_review", "panel", "deliberation"]


def test_the_sector_reviewer_is_told_and_the_notification_holds_no_identifier():
    from portal.notifications.models import Notification

    world = build_special_world()
    special = special_application(world)
    told = Notification.objects.filter(recipient=world.reviewer)
    assert told.count() == 1
    assert special.application.reference in str(told.get().title)
    assert not Notification.objects.filter(recipient=world.other_reviewer).exists()
    for notification in Notification.objects.all():
        assert RESIDENT_ID not in f"{notification.title} {notification.body}"


def test_an_upheld_objection_stops_the_filing(django_user_model):
    from django.core.exceptions import ValidationError

    from talent.services import notices
    from tests.special_world import end_notice, reload

    world = build_special_world()
    special = special_application(world, stage=SpecialStage.NOTICE)
    objection = notices.lodge_objection(
        special=special, name="王某", phone="13800138000", email="", grounds="候选人业绩材料与实际不符。"
    )
    notices.investigate(actor=world.officer, objection=objection, investigation="已向用人单位核实。")
    notices.resolve(actor=world.officer, objection=objection, outcome="upheld", resolution="异议成立。")
    end_notice(special)
    with pytest.raises(ValidationError, match="经查属实"):
        notices.send_to_filing(actor=world.officer, special=reload(special))
    assert reload(special).stage == SpecialStage.NOTICE and reload(special).filing_form_id is None


def test_the_authority_asks_for_a_supplement_which_expires_the_application_when_unanswered():
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from portal.applications import services as applications
    from talent.services import special as services
    from tests.special_world import reload

    world = build_special_world()
    special = special_application(world)
    applications.request_supplement(
        actor=world.reviewer,
        application=special.application,
        message="请补充近三年纳税证明。",
        deadline=timezone.localdate(),
    )
    # While the supplement is open the pre-review cannot pass: the guard says why, nothing moves.
    with pytest.raises(ValidationError, match="补正"):
        services.pre_review(actor=world.reviewer, special=reload(special), outcome="pass_pre_review", opinion="同意")
    assert reload(special).stage == SpecialStage.PRE_REVIEW
    later = timezone.now() + datetime.timedelta(days=2)
    assert applications.expire_overdue_supplements(now=later) == 1
    special = reload(special)
    assert special.stage == SpecialStage.EXPIRED
    assert [visit.stage for visit in special.stage_visits.all()] == ["pre_review", "expired"]


def test_the_other_sectors_reviewer_may_not_ask_for_a_supplement():
    from portal.applications import permissions as engine

    world = build_special_world()
    special = special_application(world)
    assert engine.can_request_supplement(world.reviewer, special.application)
    assert not engine.can_request_supplement(world.other_reviewer, special.application)
    assert not engine.can_view(world.other_reviewer, special.application)


def test_the_employer_withdraws_during_the_panel_but_not_after_the_meeting_took_it():
    from django.core.exceptions import ValidationError

    from portal.applications import permissions as engine
    from portal.applications import services as applications

    world = build_special_world()
    special = special_application(world, stage=SpecialStage.WITHDRAWN)
    assert special.stage == SpecialStage.WITHDRAWN
    deliberating = special_application(world, stage=SpecialStage.DELIBERATION)
    # The engine's application is still open, but the district's procedure no longer lets it go: no button, and
    # a forged POST gets a message, nothing changed.
    assert not engine.can_withdraw(world.employer, deliberating.application)
    with pytest.raises(ValidationError, match="撤回"):
        applications.withdraw(actor=world.employer, application=deliberating.application)
    deliberating = type(deliberating).objects.get(pk=deliberating.pk)
    assert deliberating.stage == SpecialStage.DELIBERATION
    assert deliberating.application.state == "submitted"


@pytest.mark.parametrize(
    ("stage", "name", "who"),
    [
        (SpecialStage.PRE_REVIEW, "pass_pre_review", "officer"),
        (SpecialStage.PRE_REVIEW, "pass_pre_review", "other_reviewer"),
        (SpecialStage.PRE_REVIEW, "decline", "employer"),
        (SpecialStage.PANEL, "send_to_deliberation", "reviewer"),
        (SpecialStage.PANEL, "send_to_deliberation", "other_officer"),
        (SpecialStage.PANEL, "pass_pre_review", "reviewer"),
        (SpecialStage.PRE_REVIEW, "send_to_deliberation", "officer"),
        (SpecialStage.PRE_REVIEW, "approve", "officer"),
        (SpecialStage.PANEL, "send_to_filing", "officer"),
    ],
)
def test_each_transition_is_refused_to_the_wrong_person_or_from_the_wrong_state(stage, name, who):
    from portal import lifecycle

    world = build_special_world()
    special = special_application(world, stage=stage)
    assert not lifecycle.allowed(special, name, getattr(world, who))
