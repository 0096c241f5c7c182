"""The offshore base's application lifecycle (issue 12): every transition, who may take it and from where, supplement
deadlines and expiry, the call's window, the decision and its bilingual letter, onboarding with a checked USCC."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal.applications import services as applications
from portal.applications.models import Application, ApplicationState
from portal.opinions.models import OpinionKind, OpinionState
from talent.models import BaseApplication, BaseStage
from talent.services import admissions
from tests.factories import make_uscc
from tests.talent_world import base_application, build_world, draft, reload, scored_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _labels(application):
    with translation.override("en"):
        return [str(line.verb_label) for line in applications.timeline(application)]


def test_submitting_starts_the_completeness_check_with_what_officers_filter_by(world):
    base = base_application(world, world.team)
    assert base.stage == BaseStage.CHECK
    assert base.call == world.call
    assert base.team_name == "Aurora Bio Team"
    assert base.theme == world.theme
    assert base.project_stage == "prototype"
    application = Application.objects.get(pk=base.application_id)
    assert application.reference.startswith("HC-")
    with translation.override("en"):
        assert str(application.status_label) == "Received — completeness check"
    with translation.override("zh-hans"):
        assert str(application.status_label) != "Received — completeness check"


def test_a_closed_call_refuses_new_applications_and_late_submissions(world):
    with pytest.raises(ValidationError):
        applications.start(actor=world.team, kind="talent.base", owner=world.closed_call)
    application = draft(world, world.team)
    world.call.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    world.call.save()
    with pytest.raises(ValidationError) as refused:
        applications.submit(actor=world.team, application=application)
    assert "no longer accepting" in str(refused.value.messages[0]) or refused.value.messages
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert not BaseApplication.objects.exists()


def test_missing_required_documents_are_refused_before_anything_is_sent(world):
    application = applications.start(actor=world.team, kind="talent.base", owner=world.call)
    with pytest.raises(ValidationError):
        applications.submit(actor=world.team, application=application)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT and application.reference is None


def test_a_malformed_passport_number_is_refused_on_the_team_step(world):
    application = applications.start(actor=world.team, kind="talent.base", owner=world.call)
    row = {
        "name": "A",
        "role": "CEO",
        "nationality": "UK",
        "residence": "UK",
        "degree": "phd",
        "passport_number": "12#4",
    }
    # The form's messages are rendered in the language active when it validates: the team's English here.
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        applications.save_step(actor=world.team, application=application, step="team", data=[row])
    assert any("passport number" in str(message) for message in refused.value.messages)
    application.refresh_from_db()
    assert "team" not in application.answers


def test_a_supplement_holds_the_check_and_its_answer_releases_it(world):
    base = base_application(world, world.team)
    applications.request_supplement(
        actor=world.officer,
        application=base.application,
        message="请补充商业计划书的财务预测。",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError) as refused:
        admissions.send_to_review(actor=world.officer, base=reload(base))
    with translation.override("en"):
        assert "supplement is still open" in " ".join(str(m) for m in refused.value.messages)
    assert reload(base).stage == BaseStage.CHECK
    applications.answer_supplement(
        actor=world.team, application=Application.objects.get(pk=base.application_id), answer="Forecast added."
    )
    base = admissions.send_to_review(actor=world.officer, base=reload(base))
    assert base.stage == BaseStage.REVIEW
    assert Application.objects.get(pk=base.application_id).status == "under_review"


def test_an_unanswered_supplement_expires_the_application(world):
    base = base_application(world, world.team)
    applications.request_supplement(
        actor=world.officer,
        application=base.application,
        message="Please add the team's CVs.",
        deadline=timezone.localdate(),
    )
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert applications.expire_overdue_supplements(now=tomorrow) == 1
    base = reload(base)
    assert base.stage == BaseStage.EXPIRED
    assert base.application.status == "expired"
    assert "Expired — the supplement was not sent in time" in _labels(base.application)


def test_a_supplement_answered_after_its_deadline_is_refused(world):
    base = base_application(world, world.team)
    applications.request_supplement(
        actor=world.officer, application=base.application, message="CVs please.", deadline=timezone.localdate()
    )
    application = Application.objects.get(pk=base.application_id)
    later = timezone.now() + datetime.timedelta(days=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        with pytest.raises(ValidationError):
            applications.answer_supplement(actor=world.team, application=application, answer="Too late")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENT_REQUESTED


@pytest.mark.parametrize("who", ["team", "other_officer", "outsider", "director"])
def test_only_the_programmes_officers_move_an_application(world, who):
    base = base_application(world, world.team)
    with pytest.raises(PermissionDenied):
        admissions.send_to_review(actor=getattr(world, who), base=base)
    assert reload(base).stage == BaseStage.CHECK


def test_a_transition_from_the_wrong_stage_is_refused_with_the_present_stage(world):
    base = base_application(world, world.team)
    with pytest.raises(ValidationError) as refused:
        admissions.decide(actor=world.officer, base=base, decision="admit", reason="好")
    with translation.override("en"):
        assert "Completeness check" in " ".join(str(m) for m in refused.value.messages)
    with pytest.raises(ValidationError):
        admissions.activate(actor=world.officer, base=base)
    base = reload(base)
    assert base.stage == BaseStage.CHECK and base.letter_id is None and base.decided_at is None


def test_admission_waits_for_the_expert_review_to_finish(world):
    base = base_application(world, world.team, stage=BaseStage.REVIEW)
    with pytest.raises(ValidationError) as refused:
        admissions.decide(actor=world.officer, base=base, decision="admit", reason="团队优秀。")
    with translation.override("en"):
        assert "expert review has not finished" in " ".join(str(m) for m in refused.value.messages)
    assert reload(base).stage == BaseStage.REVIEW and reload(base).letter_id is None


def test_admitting_closes_the_application_and_drafts_a_bilingual_letter_for_the_director(world):
    base = base_application(world, world.team, stage=BaseStage.REVIEW)
    scored_review(world, base)
    base = admissions.decide(
        actor=world.officer, base=reload(base), decision="admit", reason="团队与技术优秀。", reason_en="Strong team."
    )
    base = reload(base)
    assert base.stage == BaseStage.ONBOARDING
    assert base.application.state == ApplicationState.CLOSED and base.application.status == "admitted"
    letter = base.letter
    assert letter.kind == OpinionKind.DECISION_LETTER and letter.state == OpinionState.IN_REVIEW
    assert [sign_off.user for sign_off in letter.sign_offs.all()] == [world.director]
    assert "团队与技术优秀" in letter.body and "Strong team." in letter.body
    assert "admit" in letter.body  # the English half
    assert letter.subject == base
    assert "Admitted — onboarding" in _labels(base.application)


def test_a_decision_needs_its_reasons_and_a_director_and_otherwise_changes_nothing(world):
    base = base_application(world, world.team)
    with pytest.raises(ValidationError):
        admissions.decide(actor=world.officer, base=base, decision="reject", reason="  ")
    world.programme.director = None
    world.programme.save()
    with pytest.raises(ValidationError):
        admissions.decide(actor=world.officer, base=reload(base), decision="reject", reason="不符合方向。")
    base = reload(base)
    assert base.stage == BaseStage.CHECK and base.letter_id is None
    assert base.application.state == ApplicationState.SUBMITTED


def test_a_double_clicked_decision_makes_one_letter(world):
    base = base_application(world, world.team)
    admissions.decide(actor=world.officer, base=base, decision="reject", reason="不符合产业方向。")
    with pytest.raises(ValidationError):
        admissions.decide(actor=world.officer, base=base, decision="reject", reason="不符合产业方向。")
    assert reload(base).stage == BaseStage.REJECTED
    from portal.opinions.models import Opinion

    assert Opinion.objects.filter(kind=OpinionKind.DECISION_LETTER).count() == 1


@pytest.mark.parametrize(
    "uscc, registered_on, field",
    [
        ("914403101234567890", 0, "uscc"),
        ("9144031", 0, "uscc"),
        (None, 3, "registered_on"),
    ],
)
def test_onboarding_refuses_a_bad_uscc_or_a_future_date(world, uscc, registered_on, field):
    base = base_application(world, world.team, stage=BaseStage.ONBOARDING)
    with pytest.raises(ValidationError) as refused:
        admissions.record_onboarding(
            actor=world.officer,
            base=base,
            company_name="深圳极光生物科技有限公司",
            uscc=uscc or make_uscc(),
            registered_on=timezone.localdate() + datetime.timedelta(days=registered_on),
            incubation_seat="A301",
        )
    assert field in refused.value.error_dict
    assert reload(base).uscc == ""


def test_incubation_starts_only_with_a_company_and_a_seat(world):
    base = base_application(world, world.team, stage=BaseStage.ONBOARDING)
    with pytest.raises(ValidationError) as refused:
        admissions.activate(actor=world.officer, base=base)
    with translation.override("en"):
        assert "USCC" in " ".join(str(m) for m in refused.value.messages)
    code = make_uscc()
    admissions.record_onboarding(
        actor=world.officer,
        base=base,
        company_name="深圳极光生物科技有限公司",
        uscc=code.lower(),
        registered_on=timezone.localdate(),
        incubation_seat="A301",
    )
    base = admissions.activate(actor=world.officer, base=reload(base))
    assert base.stage == BaseStage.ACTIVE and base.uscc == code
    assert reload(base).application.status == "active"


@pytest.mark.parametrize(
    "ending, stage, status", [("graduate", BaseStage.GRADUATED, "graduated"), ("leave", BaseStage.EXITED, "exited")]
)
def test_a_team_graduates_or_leaves_with_a_reason(world, ending, stage, status):
    base = base_application(world, world.team, stage=BaseStage.ACTIVE)
    with pytest.raises(ValidationError):
        admissions.end(actor=world.officer, base=base, ending=ending, reason="")
    with pytest.raises(ValidationError):
        admissions.end(
            actor=world.officer,
            base=base,
            ending=ending,
            reason="x",
            on=timezone.localdate() + datetime.timedelta(days=1),
        )
    base = admissions.end(actor=world.officer, base=reload(base), ending=ending, reason="完成孵化目标。")
    base = reload(base)
    assert base.stage == stage and base.ended_on == timezone.localdate()
    assert base.application.status == status


def test_the_team_withdraws_during_the_check_or_review(world):
    base = base_application(world, world.team, stage=BaseStage.WITHDRAWN)
    assert base.stage == BaseStage.WITHDRAWN
    assert base.application.status == "withdrawn"


def test_every_stage_a_team_reaches_is_a_dated_line_of_its_timeline_in_its_language(world):
    base = base_application(world, world.team, stage=BaseStage.GRADUATED)
    labels = _labels(base.application)
    for label in (
        "Received — completeness check",
        "Under expert review",
        "Admitted — onboarding",
        "In incubation",
        "Graduated from the base",
    ):
        assert label in labels
    lines = applications.timeline(base.application)
    assert all(line.created_at is not None for line in lines)
