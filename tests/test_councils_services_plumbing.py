"""Councils services on the shared plumbing: text limits come from the model fields (clean_text), a refused
value names the field the form shows and changes nothing, and every recorded line names its subject."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from councils import services
from councils.models import ActivityVerb, DocumentVersion, Invitation, Meeting, MeetingState
from councils.services import meetings
from councils.services import opinions as council_opinions
from portal.history.record import timeline
from portal.opinions.models import Issuer
from tests.councils_meetings_world import _english, invitation_of, schedule, snapshot, world  # noqa: F401

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    assert snapshot() == before
    return refused.value


def test_a_meeting_link_longer_than_its_column_is_refused_with_a_message(world):
    link = "https://meeting.example.cn/" + "a" * Meeting._meta.get_field("online_link").max_length
    error = refusal(schedule, world=world, online_link=link)
    assert error.error_dict["online_link"][0].code == "max_length"
    assert "at most 200" in error.error_dict["online_link"][0].messages[0]
    title = refusal(schedule, world=world, title="题" * 201)
    assert title.error_dict["title"][0].code == "max_length"


def test_the_cancel_reason_and_the_rsvp_note_are_refused_under_the_names_the_forms_use(world):
    meeting = schedule(world)
    secretary = world["users"]["secretary"]
    error = refusal(meetings.cancel_meeting, actor=secretary, meeting=meeting, reason="因" * 301)
    assert error.error_dict["reason"][0].code == "max_length"
    assert refusal(meetings.cancel_meeting, actor=secretary, meeting=meeting, reason="  ").error_dict["reason"]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED
    invitation = invitation_of(meeting, world, "council_member")
    member = world["users"]["council_member"]
    error = refusal(meetings.rsvp, actor=member, invitation=invitation, answer="attending", note="注" * 301)
    assert error.error_dict["note"][0].code == "max_length"
    assert Invitation.objects.get(pk=invitation.pk).rsvp_note == ""


def test_a_recorded_line_names_its_subject(world):
    meeting = schedule(world)
    lines = timeline(meeting)
    assert [(line.verb, line.scope) for line in lines] == [(ActivityVerb.SCHEDULED_MEETING, world["council"])]
    meetings.cancel_meeting(actor=world["users"]["secretary"], meeting=meeting, reason="改期")
    assert [line.verb for line in timeline(meeting)] == [ActivityVerb.SCHEDULED_MEETING, ActivityVerb.CANCELLED_MEETING]


def test_a_long_document_note_is_refused_rather_than_cut(world):
    secretary = world["users"]["secretary"]
    folder = services.create_folder(actor=secretary, workspace=world["council"], name="会议材料")
    upload = SimpleUploadedFile("议程.txt", "会议议程".encode(), content_type="text/plain")
    long_note = "注" * (DocumentVersion._meta.get_field("note").max_length + 1)
    with pytest.raises(ValidationError) as refused:
        services.upload_document(actor=secretary, folder=folder, title="议程", upload=upload, note=long_note)
    assert refused.value.error_dict["note"][0].code == "max_length"
    assert not folder.documents.exists()
    document = services.upload_document(actor=secretary, folder=folder, title="议程", upload=upload, note=" 初稿 ")
    assert document.current_version.note == "初稿"


def test_an_issuer_is_checked_against_its_fields(world):
    superuser, council = world["users"]["superuser"], world["council"]
    set_up = council_opinions.set_up_issuer
    error = refusal(set_up, actor=superuser, workspace=council, name="名" * 121, number_prefix="坪 共治")
    assert error.error_dict["name"][0].code == "max_length"
    assert error.error_dict["number_prefix"][0].messages == ["The prefix may not contain spaces or 〔〕."]
    issuer = set_up(actor=superuser, workspace=council, name="坪山生物医药产业共治委员会", number_prefix="坪生医共治")
    assert issuer.owner == council and Issuer.objects.count() == 1
    again = refusal(
        set_up, actor=superuser, workspace=world["committees"]["a"], name=issuer.name, number_prefix="坪生医"
    )
    assert again.error_dict["name"][0].messages == ["Another issuer has this name."]
