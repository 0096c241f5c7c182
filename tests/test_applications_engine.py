"""portal.applications services: drafts, submission and freezing, supplements and their deadlines, withdrawal,
expiry, references, the domain's statuses, internal notes. The kind is the test kind of tests/applications_kind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.applications import kinds, permissions, services
from portal.applications.models import (
    Application,
    ApplicationState,
    Attachment,
    InternalNote,
    Submission,
    SupplementState,
)
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.applications_kind import (
    ANSWERS,
    COMPANY,
    PNG,
    GrantStatus,
    filled_draft,
    grant_fixture,  # noqa: F401  (the grant fixture)
    submitted,
    upload,
    with_request,
)

pytestmark = pytest.mark.django_db


def messages_of(error, language="en"):
    """The refusal's messages as a reader of ``language`` reads them (they are lazy)."""
    with translation.override(language):
        return [str(message) for message in error.value.messages]


def timeline_verbs(application, language="en"):
    with translation.override(language):
        return [str(line.verb_label) for line in services.timeline(application)]


# --- Kinds -----------------------------------------------------------------------------------------------------


def test_a_kind_must_hold_the_engine_statuses(grant):
    from django.db import models

    class Thin(models.TextChoices):
        DRAFT = "draft", "草稿"

    with pytest.raises(ValueError, match="engine"):
        kinds.register(kinds.Kind(**{**grant.kind.__dict__, "code": "tests.thin", "slug": "thin", "statuses": Thin}))


def test_a_slug_belongs_to_one_kind(grant):
    with pytest.raises(ValueError, match="taken"):
        kinds.register(kinds.Kind(**{**grant.kind.__dict__, "code": "tests.other"}))


# --- Drafts ----------------------------------------------------------------------------------------------------


def test_start_makes_a_draft_and_resumes_it(grant):
    first = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    again = services.start(actor=grant.applicant_a, kind="tests.grant", owner=grant.owner, organization=grant.firm_a)
    assert first.pk == again.pk
    assert first.state == ApplicationState.DRAFT and first.status == GrantStatus.DRAFT
    assert first.reference is None  # given at submission
    assert first.owner == grant.owner and first.organization == grant.firm_a
    assert timeline_verbs(first) == ["Application started"]


def test_start_refuses_what_it_must(grant):
    with pytest.raises(PermissionDenied):  # an officer is not an applicant
        services.start(actor=grant.officer, kind=grant.kind, owner=grant.owner)
    with pytest.raises(ValidationError) as error:  # another firm's organization
        services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_b)
    assert "organization" in error.value.error_dict
    with pytest.raises(ValidationError):  # the kind needs an organization
        services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner)
    grant.hooks.closed.add(grant.owner.pk)
    with pytest.raises(ValidationError) as error:
        services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    assert messages_of(error) == ["This call is not accepting applications now."]
    assert not Application.objects.exists()


def test_save_step_keeps_json_safe_answers_and_the_title(grant):
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    application = services.save_step(actor=grant.applicant_a, application=application, step="company", data=COMPANY)
    application.refresh_from_db()
    assert application.answers["company"] == {**COMPANY, "amount": "1200.50"}
    assert application.title == COMPANY["name"]
    rows = [*ANSWERS["team"], {"name": "", "role": ""}]  # an empty extra row is not kept
    services.save_step(actor=grant.applicant_a, application=application, step="team", data=rows)
    application.refresh_from_db()
    assert application.answers["team"] == ANSWERS["team"]


def test_save_step_refuses_bad_input_and_changes_nothing(grant):
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    with pytest.raises(ValidationError) as error:
        services.save_step(
            actor=grant.applicant_a, application=application, step="company", data={**COMPANY, "amount": "-5"}
        )
    assert any("申请金额" in message for message in messages_of(error))
    with pytest.raises(ValidationError):
        services.save_step(
            actor=grant.applicant_a, application=application, step="company", data={**COMPANY, "amount": "abc"}
        )
    with pytest.raises(ValidationError):
        services.save_step(actor=grant.applicant_a, application=application, step="nope", data={})
    with pytest.raises(PermissionDenied):
        services.save_step(actor=grant.applicant_b, application=application, step="company", data=COMPANY)
    application.refresh_from_db()
    assert application.answers == {}


# --- Attachments -----------------------------------------------------------------------------------------------


def test_attachments_are_checked_and_a_draft_one_can_go(grant):
    application = filled_draft(grant, files=())
    with pytest.raises(ValidationError):  # a PNG that says it is a PDF
        services.add_attachment(
            actor=grant.applicant_a, application=application, item=None, upload=upload("x.pdf", PNG)
        )
    attachment = services.add_attachment(
        actor=grant.applicant_a, application=application, item=grant.items["plan"], upload=upload()
    )
    assert attachment.sha256 and attachment.content_type == "application/pdf" and attachment.supplement is None
    with pytest.raises(PermissionDenied):
        services.remove_attachment(actor=grant.applicant_b, attachment=attachment)
    services.remove_attachment(actor=grant.applicant_a, attachment=attachment)
    assert not Attachment.objects.exists()


def test_an_item_of_another_checklist_is_refused(grant):
    from tests.applications_kind import make_checklist

    stranger = make_checklist().items.first()
    application = filled_draft(grant, files=())
    with pytest.raises(ValidationError) as error:
        services.add_attachment(actor=grant.applicant_a, application=application, item=stranger, upload=upload())
    assert "item" in error.value.error_dict


# --- Submission ------------------------------------------------------------------------------------------------


def test_submit_lists_everything_missing_at_once(grant):
    application = services.start(actor=grant.applicant_a, kind=grant.kind, owner=grant.owner, organization=grant.firm_a)
    services.save_step(actor=grant.applicant_a, application=application, step="company", data=COMPANY)
    with pytest.raises(ValidationError) as error:
        services.submit(actor=grant.applicant_a, application=application)
    found = messages_of(error)
    assert "“团队成员” is not filled in." in found and "“落地计划” is not filled in." in found
    assert "The document “Plan” is missing." in found and "The document “Finance” is missing." in found
    assert not any("Ip" in message for message in found)  # optional
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT and not Submission.objects.exists()


def test_submit_revalidates_the_stored_answers(grant):
    application = filled_draft(grant)
    Application.objects.filter(pk=application.pk).update(answers={**ANSWERS, "company": {**COMPANY, "amount": "x"}})
    with pytest.raises(ValidationError):
        services.submit(actor=grant.applicant_a, application=application)


def test_submit_freezes_what_was_sent(grant, mailoutbox):
    application = submitted(grant)
    assert application.state == ApplicationState.SUBMITTED and application.status == GrantStatus.SUBMITTED
    assert application.reference == f"ZZ-{timezone.localdate().year}-0001"
    submission = application.submissions.get()
    assert submission.number == 1 and submission.answers == application.answers
    assert sorted(a.item.code for a in submission.attachments.all()) == ["finance", "plan"]
    assert grant.hooks.calls == [("submit", application.pk, grant.applicant_a.pk)]
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"grant_officer", "grant_applicant_a"}
    # What was sent never changes: the row refuses an update, a sent file refuses deletion.
    with pytest.raises(ValueError):
        submission.save()
    with pytest.raises(ProtectedError):
        submission.attachments.first().delete()
    with pytest.raises(PermissionDenied):  # nothing in it is editable once sent
        services.remove_attachment(actor=grant.applicant_a, attachment=submission.attachments.first())
    with pytest.raises(PermissionDenied):
        services.save_step(actor=grant.applicant_a, application=application, step="company", data=COMPANY)
    assert timeline_verbs(application) == ["Application started", "已提交"]
    assert timeline_verbs(application, "zh-hans") == ["开始填写申请", "已提交"]


def test_submit_is_for_the_applicant_once_while_the_call_is_open(grant):
    application = filled_draft(grant)
    with pytest.raises(PermissionDenied):
        services.submit(actor=grant.officer, application=application)
    grant.hooks.closed.add(grant.owner.pk)
    with pytest.raises(ValidationError):
        services.submit(actor=grant.applicant_a, application=application)
    grant.hooks.closed.clear()
    services.submit(actor=grant.applicant_a, application=application)
    with pytest.raises(ValidationError):  # the same click twice
        services.submit(actor=grant.applicant_a, application=application)
    assert Submission.objects.count() == 1


def test_references_are_gap_free_per_prefix_and_shanghai_year(grant, monkeypatch):
    first = submitted(grant)
    second = submitted(grant, user=grant.applicant_b, organization=grant.firm_b)
    year = timezone.localdate().year
    assert [first.reference, second.reference] == [f"ZZ-{year}-0001", f"ZZ-{year}-0002"]
    # 2026-12-31 20:00 UTC is already 2027 in Shanghai: a new year, numbered from 1.
    new_year = datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(services.timezone, "now", lambda: new_year)
    third = submitted(grant, owner=grant.other_owner)
    assert third.reference == "ZZ-2027-0001"


# --- Supplements -----------------------------------------------------------------------------------------------


def test_only_an_officer_of_the_owner_requests_a_supplement(grant):
    application = submitted(grant)
    deadline = timezone.localdate()
    for person in (grant.other_officer, grant.applicant_a):
        with pytest.raises(PermissionDenied):
            services.request_supplement(actor=person, application=application, message="请补充", deadline=deadline)
    with pytest.raises(ValidationError) as error:
        services.request_supplement(
            actor=grant.officer,
            application=application,
            message=" ",
            deadline=deadline - datetime.timedelta(days=1),
            sections=["nope"],
        )
    assert set(error.value.error_dict) == {"message", "deadline", "sections"}
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and not application.supplement_requests.exists()


def test_a_request_reopens_only_its_sections(grant):
    application = with_request(grant, sections=("plan",))
    assert application.state == ApplicationState.SUPPLEMENT_REQUESTED
    assert application.status == GrantStatus.SUPPLEMENT_REQUESTED
    with pytest.raises(ValidationError):
        services.save_step(actor=grant.applicant_a, application=application, step="company", data=COMPANY)
    services.save_step(actor=grant.applicant_a, application=application, step="plan", data={"plan": "新的计划。"})
    assert Notification.objects.filter(recipient=grant.applicant_a, title__contains=application.reference).count() == 2


def test_answering_needs_the_documents_asked_for(grant):
    application = with_request(grant, items=("plan",))
    with pytest.raises(ValidationError) as error:
        services.answer_supplement(actor=grant.applicant_a, application=application, answer="已补充。")
    assert any("商业计划书" in message for message in messages_of(error, "zh-hans"))
    assert any("Plan" in message for message in messages_of(error))  # each reader gets their language
    with pytest.raises(PermissionDenied):
        services.answer_supplement(actor=grant.officer, application=application, answer="x")


def test_answering_in_time_resubmits_and_restores_the_status(grant):
    application = submitted(grant)
    services.set_status(application=application, status=GrantStatus.UNDER_REVIEW)
    application = with_request(grant, application)
    new_file = services.add_attachment(
        actor=grant.applicant_a, application=application, item=grant.items["plan"], upload=upload("新计划.pdf")
    )
    assert new_file.supplement == application.supplement_requests.get()
    services.save_step(actor=grant.applicant_a, application=application, step="plan", data={"plan": "新的计划。"})
    submission = services.answer_supplement(actor=grant.applicant_a, application=application, answer="已补充。")
    application.refresh_from_db()
    assert submission.number == 2 and submission.answers["plan"] == {"plan": "新的计划。"}
    assert new_file in submission.attachments.all() and submission.attachments.count() == 3
    first = application.submissions.get(number=1)
    assert first.answers["plan"] == ANSWERS["plan"] and first.attachments.count() == 2  # unchanged
    assert application.state == ApplicationState.SUBMITTED and application.status == GrantStatus.UNDER_REVIEW
    request = application.supplement_requests.get()
    assert request.state == SupplementState.ANSWERED and request.answer == "已补充。"
    assert ("resubmit", application.pk, grant.applicant_a.pk) in grant.hooks.calls
    assert timeline_verbs(application)[-3:] == ["待补正", "Supplement sent", "评审中"]


def test_answers_are_refused_after_the_deadline_day(grant, monkeypatch):
    application = with_request(grant, days=0)
    services.add_attachment(actor=grant.applicant_a, application=application, item=grant.items["plan"], upload=upload())
    deadline = application.supplement_requests.get().deadline
    # 23:59 in Shanghai on the deadline day is still in time; 00:01 the day after is not.
    late_evening = datetime.datetime.combine(deadline, datetime.time(23, 59), tzinfo=services.SHANGHAI)
    monkeypatch.setattr("django.utils.timezone.now", lambda: late_evening + datetime.timedelta(minutes=2))
    with pytest.raises(ValidationError) as error:
        services.answer_supplement(actor=grant.applicant_a, application=application, answer="已补充。")
    assert "no longer accepted" in messages_of(error)[0]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENT_REQUESTED and application.submissions.count() == 1
    monkeypatch.setattr("django.utils.timezone.now", lambda: late_evening)
    services.answer_supplement(actor=grant.applicant_a, application=application, answer="已补充。")


def test_overdue_requests_expire(grant):
    application = with_request(grant, days=0)
    other = with_request(grant, submitted(grant, user=grant.applicant_b, organization=grant.firm_b), days=5)
    deadline = application.supplement_requests.get().deadline
    same_day = datetime.datetime.combine(deadline, datetime.time(23, 0), tzinfo=services.SHANGHAI)
    assert services.expire_overdue_supplements(now=same_day) == 0
    assert services.expire_overdue_supplements(now=same_day + datetime.timedelta(hours=2)) == 1
    application.refresh_from_db()
    other.refresh_from_db()
    assert application.state == ApplicationState.EXPIRED and application.status == GrantStatus.EXPIRED
    assert application.supplement_requests.get().state == SupplementState.EXPIRED
    assert other.state == ApplicationState.SUPPLEMENT_REQUESTED
    assert ("expire", application.pk) in grant.hooks.calls
    assert timeline_verbs(application)[-1] == "补正逾期"
    with pytest.raises(ValidationError):
        services.answer_supplement(actor=grant.applicant_a, application=application, answer="迟到")


# --- Withdrawal ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["draft", "submitted", "supplement"])
def test_the_applicant_withdraws(grant, stage):
    application = {
        "draft": lambda: filled_draft(grant),
        "submitted": lambda: submitted(grant),
        "supplement": lambda: with_request(grant),
    }[stage]()
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=grant.officer, application=application)
    officer_told = Notification.objects.filter(recipient=grant.officer).count()
    services.withdraw(actor=grant.applicant_a, application=application, reason="另有安排")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN and application.status == GrantStatus.WITHDRAWN
    assert application.withdrawal_reason == "另有安排"
    assert ("withdraw", application.pk, grant.applicant_a.pk) in grant.hooks.calls
    assert all(r.state == SupplementState.CANCELLED for r in application.supplement_requests.all())
    with pytest.raises(ValidationError):  # twice
        services.withdraw(actor=grant.applicant_a, application=application)
    # Officers never saw a draft, so they hear of a withdrawal only once the application was sent.
    assert Notification.objects.filter(recipient=grant.officer).count() == officer_told + (stage != "draft")


# --- The domain's statuses -------------------------------------------------------------------------------------


def test_set_status_adds_a_line_only_when_the_status_changes(grant):
    application = submitted(grant)
    before = Event.objects.count()
    services.set_status(application=application, status=GrantStatus.UNDER_REVIEW)
    services.set_status(application=application, status=GrantStatus.UNDER_REVIEW)  # e.g. 立项 → 尽调: same label
    assert Event.objects.count() == before + 1
    assert timeline_verbs(application)[-1] == "评审中"
    with pytest.raises(ValidationError):  # an engine code, or one the kind does not have
        services.set_status(application=application, status=GrantStatus.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.set_status(application=application, status="due_diligence")


def test_set_status_waits_while_a_supplement_is_open(grant):
    application = with_request(grant)
    services.set_status(application=application, status=GrantStatus.UNDER_REVIEW)
    application.refresh_from_db()
    assert application.status == GrantStatus.SUPPLEMENT_REQUESTED
    assert application.supplement_requests.get().status_before == GrantStatus.UNDER_REVIEW


def test_set_status_is_refused_on_a_draft(grant):
    with pytest.raises(ValidationError):
        services.set_status(application=filled_draft(grant), status=GrantStatus.UNDER_REVIEW)


def test_close_is_final(grant):
    application = with_request(grant)
    services.close(application=application, status=GrantStatus.NOT_APPROVED)
    application.refresh_from_db()
    assert application.state == ApplicationState.CLOSED and application.status == GrantStatus.NOT_APPROVED
    assert application.supplement_requests.get().state == SupplementState.CANCELLED
    assert timeline_verbs(application)[-1] == "未通过"
    with pytest.raises(ValidationError):
        services.withdraw(actor=grant.applicant_a, application=application)
    with pytest.raises(ValidationError):
        services.close(application=application, status=GrantStatus.APPROVED)
    # The domain may still move what the applicant reads (approved → invested, say).
    services.set_status(application=application, status=GrantStatus.APPROVED)


# --- Notes and permissions -------------------------------------------------------------------------------------


def test_notes_are_for_officers_and_never_on_the_timeline(grant):
    application = submitted(grant)
    lines = Event.objects.count()
    services.add_note(actor=grant.officer, application=application, text="财务数据需核实")
    for person in (grant.applicant_a, grant.other_officer):
        with pytest.raises(PermissionDenied):
            services.add_note(actor=person, application=application, text="x")
    with pytest.raises(ValidationError):
        services.add_note(actor=grant.officer, application=application, text="  ")
    assert InternalNote.objects.count() == 1 and Event.objects.count() == lines
    assert ModelLogEntry.objects.filter(action="applications.add_note").count() == 1
    assert "财务数据" not in " ".join(str(line.summary) for line in services.timeline(application))


def test_officers_see_an_application_once_it_was_sent(grant):
    application = filled_draft(grant)
    assert permissions.can_view(grant.applicant_a, application)
    assert not permissions.can_view(grant.officer, application)
    application = services.submit(actor=grant.applicant_a, application=application)
    assert permissions.can_view(grant.officer, application)
    assert not permissions.can_view(grant.other_officer, application)
    assert not permissions.can_view(grant.applicant_b, application)
    assert permissions.can_request_supplement(grant.officer, application)
    assert not permissions.can_request_supplement(grant.applicant_a, application)
    assert permissions.can_withdraw(grant.applicant_a, application)
    assert permissions.can_see_notes(grant.officer, application) and not permissions.can_see_notes(
        grant.applicant_a, application
    )
