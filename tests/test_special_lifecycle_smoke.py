"""Smoke: an employer's application reaches the sector authority's pre-review with its identifiers encrypted."""

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
    with pytest.raises(ValidationError, match="upheld"):
        notices.send_to_filing(actor=world.officer, special=reload(special))
    assert reload(special).stage == SpecialStage.NOTICE and reload(special).filing_form_id is None
