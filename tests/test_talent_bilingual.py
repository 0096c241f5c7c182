"""Both languages in the offshore base (issue 12): an English-speaking team reads its statuses, its mails and its
decision letter in English; the Chinese officer reads hers in Chinese; the issued letter's PDF carries both."""

import io

import pytest
from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from portal.opinions import services as opinion_services
from portal.opinions.models import OpinionState
from talent.models import BaseStage
from talent.services import admissions
from tests.talent_world import base_application, build_world, reload, scored_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.officer.preferred_language = "zh-hans"
    world.officer.save()
    return world


def _mails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def test_the_english_team_and_the_chinese_officer_are_each_told_in_their_language(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        base = base_application(world, world.team)
    received = _mails_to(world.team)
    assert received and "has been received" in received[-1].subject
    told = _mails_to(world.officer)
    assert told and "新" in told[-1].subject and "New application" not in told[-1].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admissions.decide(
            actor=world.officer, base=base, decision="reject", reason="不符合产业方向。", reason_en="Not a fit."
        )
    decided = _mails_to(world.team)
    assert decided and "Not admitted" in decided[-1].subject


def test_the_english_team_reads_its_statuses_in_english_and_the_officer_in_chinese(world):
    base = base_application(world, world.team, stage=BaseStage.REVIEW)
    with translation.override("en"):
        assert str(reload(base).application.status_label) == "Under expert review"
    with translation.override("zh-hans"):
        assert str(reload(base).application.status_label) == "专家评审中"


def test_the_issued_letter_pdf_is_in_chinese_and_english(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    base = base_application(world, world.team, stage=BaseStage.REVIEW)
    scored_review(world, base)
    base = admissions.decide(
        actor=world.officer,
        base=reload(base),
        decision="admit",
        reason="团队优秀，同意入驻。",
        reason_en="Strong team.",
    )
    letter = reload(base).letter
    opinion_services.sign_off(actor=world.director, opinion=letter, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        opinion_services.request_issue(actor=world.officer, opinion=letter)
    letter.refresh_from_db()
    assert letter.state == OpinionState.ISSUED, letter.render_error
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf.read())).pages)
    squeezed = "".join(text.split())
    for expected in (letter.number, "团队优秀，同意入驻", "入驻", "StrongTeam.", "admit", base.application.reference):
        assert "".join(expected.split()).lower() in squeezed.lower(), expected
