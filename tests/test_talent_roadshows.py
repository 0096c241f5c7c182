"""Roadshows (issue 12, 路演): every service — who may and who may not, the registration window and the start,
investor places, once-only registrations and feedback, bad scores refused with nothing written, the office's
confirmation, order and attendance, and the follow-up introduction between an investor and a team."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.history.models import Event
from portal.notifications.models import Notification
from talent.models import (
    BaseStage,
    Interest,
    Introduction,
    IntroductionSource,
    InvestorRegistration,
    RoadshowFeedback,
    RoadshowProject,
)
from talent.roadshow_scores import mean_score
from talent.services import roadshows
from talent.verbs import TalentVerb
from tests.factories import UserFactory
from tests.talent_roadshows_helpers import admitted_team, feedback, investor, make_roadshow, pitch, register
from tests.talent_world import base_application, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def team(world):
    return admitted_team(world)


def _messages(error):
    with translation.override("en"):
        return " ".join(str(message) for message in error.value.messages)


def _register(world, roadshow, base):
    return roadshows.register_project(
        actor=world.team, roadshow=roadshow, base=base, pitch_title="项目", pitch_title_en="Project"
    )


# --- register_project -----------------------------------------------------------------------------------------


def test_an_admitted_team_registers_its_project_once_and_the_office_is_told(world, team):
    roadshow = make_roadshow(world)
    Notification.objects.all().delete()
    project = roadshows.register_project(
        actor=world.team, roadshow=roadshow, base=team, pitch_title="  单细胞蛋白测序 ", pitch_title_en="Protein seq"
    )
    assert project.pitch_title == "单细胞蛋白测序"
    assert project.pitch_title_en == "Protein seq"
    assert not project.is_confirmed
    assert project.registered_by == world.team
    assert ModelLogEntry.objects.filter(action="talent.register_pitch", object_id=str(project.pk)).exists()
    assert Event.objects.in_scope(world.programme).filter(verb=TalentVerb.REGISTERED_PITCH).count() == 1
    assert Notification.objects.filter(recipient=world.officer).count() == 1
    assert not Notification.objects.filter(recipient=world.other_officer).exists()

    with pytest.raises(ValidationError) as twice:
        roadshows.register_project(
            actor=world.team, roadshow=roadshow, base=team, pitch_title="另一个", pitch_title_en="Another"
        )
    assert "already registered" in _messages(twice)
    assert RoadshowProject.objects.count() == 1


@pytest.mark.parametrize("stage", [BaseStage.ONBOARDING, BaseStage.GRADUATED])
def test_every_admitted_stage_may_pitch(world, stage):
    base = admitted_team(world, stage=stage)
    project = roadshows.register_project(
        actor=world.team, roadshow=make_roadshow(world), base=base, pitch_title="项目", pitch_title_en="Project"
    )
    assert project.pk


def test_a_team_not_admitted_is_refused(world):
    base = base_application(world, world.team, stage=BaseStage.REVIEW)
    with pytest.raises(ValidationError) as refused:
        roadshows.register_project(
            actor=world.team, roadshow=make_roadshow(world), base=base, pitch_title="项目", pitch_title_en="Project"
        )
    assert "admitted" in _messages(refused)
    assert not RoadshowProject.objects.exists()


@pytest.mark.parametrize("who", ["other_team", "outsider", "officer"])
def test_only_the_team_registers_its_own_project(world, team, who):
    with pytest.raises(PermissionDenied):
        roadshows.register_project(
            actor=getattr(world, who), roadshow=make_roadshow(world), base=team, pitch_title="项目", pitch_title_en="P"
        )
    assert not RoadshowProject.objects.exists()


def test_registration_closed_refuses_a_project(world, team):
    roadshow = make_roadshow(world, closes_in_days=-1)
    with pytest.raises(ValidationError) as refused:
        _register(world, roadshow, team)
    assert "closed" in _messages(refused)
    assert not RoadshowProject.objects.exists()


def test_a_roadshow_of_another_programme_is_refused(world, team):
    roadshow = make_roadshow(world, programme=world.other_programme)
    with pytest.raises(ValidationError):
        _register(world, roadshow, team)
    assert not RoadshowProject.objects.exists()


def test_pitch_titles_are_required_in_both_languages_and_checked_against_the_column(world, team):
    roadshow = make_roadshow(world)
    with pytest.raises(ValidationError) as refused:
        roadshows.register_project(actor=world.team, roadshow=roadshow, base=team, pitch_title=" ", pitch_title_en="")
    assert set(refused.value.error_dict) == {"pitch_title", "pitch_title_en"}
    with pytest.raises(ValidationError) as too_long:
        roadshows.register_project(
            actor=world.team, roadshow=roadshow, base=team, pitch_title="长" * 201, pitch_title_en="P"
        )
    assert set(too_long.value.error_dict) == {"pitch_title"}
    assert not RoadshowProject.objects.exists()


# --- confirm_project and set_order ------------------------------------------------------------------------------


def test_the_office_confirms_a_project_once_and_the_team_is_told(world, team):
    roadshow = make_roadshow(world)
    project = pitch(world, roadshow, team, confirm=False)
    Notification.objects.all().delete()
    project = roadshows.confirm_project(actor=world.officer, project=project)
    assert RoadshowProject.objects.get(pk=project.pk).is_confirmed
    [told] = Notification.objects.filter(recipient=world.team)  # the team reads English: titles in English
    assert told.title == "Your pitch Single-cell protein sequencing is confirmed for Overseas talent project roadshow"
    assert Event.objects.in_scope(world.programme).filter(verb=TalentVerb.CONFIRMED_PITCH).count() == 1
    with pytest.raises(ValidationError):
        roadshows.confirm_project(actor=world.officer, project=project)


@pytest.mark.parametrize("who", ["other_officer", "team", "outsider", "director"])
def test_only_the_programmes_officers_confirm(world, team, who):
    project = pitch(world, make_roadshow(world), team, confirm=False)
    with pytest.raises(PermissionDenied):
        roadshows.confirm_project(actor=getattr(world, who), project=project)
    assert not RoadshowProject.objects.get(pk=project.pk).is_confirmed


def _two_pitches(world, team):
    roadshow = make_roadshow(world)
    first = pitch(world, roadshow, team, title="第一", title_en="First")
    other = admitted_team(world, world.other_team)
    second = pitch(world, roadshow, other, title="第二", title_en="Second")
    return roadshow, first, second


def test_the_office_orders_the_pitches(world, team):
    roadshow, first, second = _two_pitches(world, team)
    assert [first.order, second.order] == [1, 2]
    roadshows.set_order(actor=world.officer, roadshow=roadshow, projects=[second.pk, str(first.pk)])
    assert list(roadshow.projects.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert ModelLogEntry.objects.filter(action="talent.order_pitches").count() == 1


@pytest.mark.parametrize("bad", ["missing", "twice", "stranger", "text"])
def test_an_order_that_is_not_every_project_once_is_refused(world, team, bad):
    roadshow, first, second = _two_pitches(world, team)
    projects = {
        "missing": [first.pk],
        "twice": [first.pk, first.pk],
        "stranger": [first.pk, second.pk, 999999],
        "text": [first.pk, "x"],
    }[bad]
    with pytest.raises(ValidationError):
        roadshows.set_order(actor=world.officer, roadshow=roadshow, projects=projects)
    assert list(roadshow.projects.order_by("pk").values_list("order", flat=True)) == [1, 2]


def test_only_officers_order(world, team):
    roadshow, first, second = _two_pitches(world, team)
    with pytest.raises(PermissionDenied):
        roadshows.set_order(actor=world.other_officer, roadshow=roadshow, projects=[second.pk, first.pk])


# --- register_investor and mark_attended ------------------------------------------------------------------------


def test_a_signed_in_user_registers_as_an_investor_once(world):
    roadshow = make_roadshow(world)
    user = investor()
    Notification.objects.all().delete()
    registration = register(roadshow, user, institution="  深创投 ")
    assert registration.organization_name == "深创投"
    assert registration.investor == user
    assert not registration.attended
    assert Notification.objects.filter(recipient=user).count() == 1
    assert ModelLogEntry.objects.filter(action="talent.register_investor").count() == 1
    with pytest.raises(ValidationError) as twice:
        register(roadshow, user)
    assert "already registered" in _messages(twice)
    assert InvestorRegistration.objects.count() == 1


def test_places_are_limited_by_the_capacity(world):
    roadshow = make_roadshow(world, capacity=2)
    register(roadshow, investor())
    register(roadshow, investor())
    with pytest.raises(ValidationError) as full:
        register(roadshow, investor())
    assert "All places" in _messages(full)
    assert InvestorRegistration.objects.count() == 2


def test_investor_registration_closes_with_the_window(world):
    roadshow = make_roadshow(world, closes_in_days=-1)
    with pytest.raises(ValidationError):
        register(roadshow, investor())
    assert not InvestorRegistration.objects.exists()


def test_an_unpublished_roadshow_takes_no_registration(world):
    roadshow = make_roadshow(world, is_published=False)
    with pytest.raises(ValidationError):
        register(roadshow, investor())


def test_an_institution_is_required_and_anonymous_or_inactive_users_are_refused(world):
    from django.contrib.auth.models import AnonymousUser

    roadshow = make_roadshow(world)
    with pytest.raises(ValidationError) as missing:
        roadshows.register_investor(actor=investor(), roadshow=roadshow, organization_name="  ")
    assert set(missing.value.error_dict) == {"organization_name"}
    with pytest.raises(PermissionDenied):
        roadshows.register_investor(actor=AnonymousUser(), roadshow=roadshow, organization_name="深创投")
    with pytest.raises(PermissionDenied):
        roadshows.register_investor(
            actor=UserFactory(username="gone_t", is_active=False), roadshow=roadshow, organization_name="深创投"
        )
    assert not InvestorRegistration.objects.exists()


def test_the_office_marks_attendance(world):
    roadshow = make_roadshow(world)
    registration = register(roadshow, investor())
    roadshows.mark_attended(actor=world.officer, registration=registration)
    assert InvestorRegistration.objects.get(pk=registration.pk).attended
    roadshows.mark_attended(actor=world.officer, registration=registration, attended=False)
    assert not InvestorRegistration.objects.get(pk=registration.pk).attended
    for who in (registration.investor, world.other_officer, world.team):
        with pytest.raises(PermissionDenied):
            roadshows.mark_attended(actor=who, registration=registration)
    assert not InvestorRegistration.objects.get(pk=registration.pk).attended


# --- give_feedback ----------------------------------------------------------------------------------------------


@pytest.fixture
def scene(world, team):
    """A started roadshow with a confirmed pitch and a registered investor."""
    roadshow = make_roadshow(world)
    project = pitch(world, roadshow, team)
    user = investor()
    register(roadshow, user)
    return roadshow, project, user


def test_a_registered_investor_scores_a_pitch_once(world, scene):
    _roadshow, project, user = scene
    answer = feedback(project, user, score="9", interest=Interest.INVEST, comment=" 很好 ")
    assert (answer.score, answer.interest, answer.comment) == (9, Interest.INVEST, "很好")
    assert ModelLogEntry.objects.filter(action="talent.give_feedback", object_id=str(answer.pk)).exists()
    with pytest.raises(ValidationError) as twice:
        feedback(project, user, score=3)
    assert "already given" in _messages(twice)
    assert RoadshowFeedback.objects.get().score == 9


@pytest.mark.parametrize("score", [0, 11, "x", "", None, "7.5", -3])
def test_bad_scores_are_refused_with_nothing_written(scene, score):
    _roadshow, project, user = scene
    before = ModelLogEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        feedback(project, user, score=score)
    assert set(refused.value.error_dict) == {"score"}
    assert "from 1 to 10" in _messages(refused)
    assert not RoadshowFeedback.objects.exists()
    assert ModelLogEntry.objects.count() == before


@pytest.mark.parametrize("score", [1, 10, "10"])
def test_the_ends_of_the_scale_are_accepted(scene, score):
    _roadshow, project, user = scene
    assert feedback(project, user, score=score).score == int(score)


def test_an_unknown_interest_is_refused(scene):
    _roadshow, project, user = scene
    with pytest.raises(ValidationError) as refused:
        feedback(project, user, interest="maybe")
    assert set(refused.value.error_dict) == {"interest"}
    assert not RoadshowFeedback.objects.exists()


def test_feedback_waits_for_the_start(world, team):
    roadshow = make_roadshow(world, starts_in_hours=24, closes_in_days=0)
    project = pitch(world, roadshow, team)
    user = investor()
    register(roadshow, user)
    with pytest.raises(ValidationError) as early:
        feedback(project, user)
    assert "starts" in _messages(early)
    assert not RoadshowFeedback.objects.exists()


def test_only_registered_investors_score_and_only_confirmed_pitches(world, scene):
    roadshow, project, user = scene
    for stranger in (investor(), world.officer, world.team):
        with pytest.raises(PermissionDenied):
            feedback(project, stranger)
    other = admitted_team(world, world.other_team)
    unconfirmed = pitch(world, roadshow, other, confirm=False)
    with pytest.raises(PermissionDenied):
        feedback(unconfirmed, user)
    assert not RoadshowFeedback.objects.exists()


# --- follow_up --------------------------------------------------------------------------------------------------


def test_follow_up_introduces_the_investor_to_the_team(world, scene):
    _roadshow, project, user = scene
    answer = feedback(project, user, score=8, interest=Interest.FOLLOW)
    Notification.objects.all().delete()
    introduction = roadshows.follow_up(actor=world.officer, feedback=answer, note="请与团队联系。")
    assert introduction.source == IntroductionSource.ROADSHOW
    assert introduction.programme == world.programme
    assert introduction.left == project
    assert introduction.left_person == world.team
    assert introduction.right == answer.registration
    assert introduction.right_person == user
    assert introduction.explanation["score"] == 8
    assert set(Notification.objects.values_list("recipient", flat=True)) == {world.team.pk, user.pk}
    with pytest.raises(ValidationError):
        roadshows.follow_up(actor=world.officer, feedback=answer, note="再来一次")
    assert Introduction.objects.count() == 1


def test_follow_up_needs_an_interest_and_an_officer(world, scene):
    _roadshow, project, user = scene
    answer = feedback(project, user, interest=Interest.NONE)
    with pytest.raises(ValidationError):
        roadshows.follow_up(actor=world.officer, feedback=answer, note="请联系")
    answer.interest = Interest.INVEST
    answer.save()
    for who in (world.other_officer, world.team, user):
        with pytest.raises(PermissionDenied):
            roadshows.follow_up(actor=who, feedback=answer, note="请联系")
    with pytest.raises(ValidationError):
        roadshows.follow_up(actor=world.officer, feedback=answer, note="  ")
    assert not Introduction.objects.exists()


def test_the_note_offered_for_a_follow_up_names_the_score_and_interest(world, scene):
    _roadshow, project, user = scene
    answer = feedback(project, user, score=7, interest=Interest.INVEST)
    answer = roadshows.named_feedback(project.roadshow).get(pk=answer.pk)
    with translation.override("en"):
        note = roadshows.follow_up_note(answer)
    assert "7 out of 10" in note and "Considering an investment" in note and "深创投" in note


# --- what the office reads ----------------------------------------------------------------------------------------


def test_the_aggregate_counts_answers_means_and_interests(world, scene):
    roadshow, project, user = scene
    feedback(project, user, score=9, interest=Interest.INVEST)
    for score, interest in ((8, Interest.FOLLOW), (6, Interest.NONE)):
        other = investor()
        register(roadshow, other)
        feedback(project, other, score=score, interest=interest)
    [row] = roadshows.projects_with_feedback(roadshow)
    assert (row.answers, row.mean, row.follow, row.invest, row.not_for_us) == (3, Decimal("7.7"), 1, 1, 1)


def test_reading_named_feedback_and_exporting_are_the_offices_and_audited(world, scene):
    roadshow, project, user = scene
    feedback(project, user)
    assert len(roadshows.read_named_feedback(actor=world.officer, roadshow=roadshow)) == 1
    assert roadshows.export_roadshow(actor=world.officer, roadshow=roadshow).startswith(b"PK")
    actions = set(ModelLogEntry.objects.filter(object_id=str(roadshow.pk)).values_list("action", flat=True))
    assert {"talent.read_roadshow_feedback", "talent.export_roadshow"} <= actions
    for who in (world.other_officer, user, world.team):
        with pytest.raises(PermissionDenied):
            roadshows.read_named_feedback(actor=who, roadshow=roadshow)
        with pytest.raises(PermissionDenied):
            roadshows.export_roadshow(actor=who, roadshow=roadshow)


def test_mean_score_is_exact_to_one_place():
    assert mean_score(0, 0) is None
    assert mean_score(23, 3) == Decimal("7.7")
    assert mean_score(15, 2) == Decimal("7.5")
    assert mean_score(20, 3) == Decimal("6.7")


def test_a_teams_admitted_bases_are_offered_for_its_programmes_roadshows_only(world, team):
    roadshow = make_roadshow(world)
    assert roadshows.admitted_bases_of(world.team, roadshow) == [team]
    assert roadshows.admitted_bases_of(world.other_team, roadshow) == []
    elsewhere = make_roadshow(world, "elsewhere-roadshow", programme=world.other_programme)
    assert roadshows.admitted_bases_of(world.team, elsewhere) == []
