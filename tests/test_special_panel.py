"""The expert panel of a special-talent application (issue 13, part A): starting the round (suggested experts, the
material the officer exposes, validation that writes nothing), the expert reading only what was exposed with the
candidate's identifiers masked, and the panel's review opinion — drafted once the round has closed, signed by the
director, issued as a PDF that gives the criteria and the aggregate but no expert, no scorecard and no identifier,
downloaded (audited) by whoever sees the application."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from portal.opinions import services as opinions
from portal.opinions.models import OpinionKind, OpinionState
from portal.reviews import services as reviews
from portal.reviews.models import ReviewRound
from talent.models import SpecialStage
from talent.review import rounds_of
from talent.services import panel
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, reload, scored_panel, special_application

pytestmark = pytest.mark.django_db

CANDIDATE = "application:section:candidate"
CONTRIBUTION = "application:section:contribution"


@pytest.fixture
def world():
    return build_special_world()


def _url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _no_identifier(text):
    assert RESIDENT_ID not in text and BIRTH_DATE not in text and "19580307" not in text


# --- starting the panel -------------------------------------------------------------------------------------------


def test_the_form_offers_the_suggested_experts_and_the_sent_material(client, world):
    special = special_application(world, SpecialStage.PANEL)
    client.force_login(world.officer)
    page = client.get(_url("talent:special_start_panel", pk=special.pk)).content.decode()
    assert all(expert.name in page for expert in world.experts)
    assert f'value="{CANDIDATE}"' in page and f'value="{CONTRIBUTION}"' in page
    assert "recommendations.pdf" in page  # the sent attachment, one by one
    _no_identifier(page)


def _start(client, world, special, **overrides):
    data = {
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "experts": [expert.pk for expert in world.experts[:2]],
        "keys": [CANDIDATE],
    }
    data.update(overrides)
    client.force_login(world.officer)
    return client.post(_url("talent:special_start_panel", "en", pk=special.pk), data)


def test_bad_input_comes_back_with_messages_and_writes_nothing(client, world):
    special = special_application(world, SpecialStage.PANEL)
    response = _start(client, world, special, experts=[])
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = _start(client, world, special, deadline=(timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    assert response.status_code == 200 and "The deadline must be in the future." in response.content.decode()
    assert not ReviewRound.objects.exists()


def test_the_officer_starts_the_panel_once(client, world):
    special = special_application(world, SpecialStage.PANEL)
    response = _start(client, world, special)
    assert response.status_code == 302
    review_round = rounds_of(special).get()
    assert review_round.owner == world.programme and review_round.rubric == world.rubric
    assert {a.expert for a in review_round.assignments.all()} == set(world.experts[:2])
    assert [row.key for row in review_round.material.all()] == [CANDIDATE]
    # Again (a double submit, the form in another tab): a message; still one round.
    response = _start(client, world, special)
    assert response.status_code == 302
    assert "cannot be started now" in client.get(response["Location"]).content.decode()
    assert rounds_of(special).count() == 1


def test_the_panel_waits_for_its_stage_and_its_officers(client, world):
    special = special_application(world)  # still in pre-review
    client.force_login(world.officer)
    assert client.get(_url("talent:special_start_panel", pk=special.pk)).status_code == 302
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError):
        panel.start_panel(actor=world.officer, special=special, deadline=deadline)
    passed = special_application(world, SpecialStage.PANEL, name="王工")
    for user in (world.reviewer, world.other_officer, world.director):
        with pytest.raises(PermissionDenied):
            panel.start_panel(actor=user, special=passed, deadline=deadline)
        client.force_login(user)
        assert client.get(_url("talent:special_start_panel", pk=passed.pk)).status_code == 404
    assert not ReviewRound.objects.exists()


def test_an_expert_reads_only_the_exposed_material_with_identifiers_masked(client, world):
    special = special_application(world, SpecialStage.PANEL)
    review_round = panel.start_panel(
        actor=world.officer,
        special=special,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        experts=[world.experts[0]],
        keys=[CANDIDATE],
    )
    assignment = review_round.assignments.get()
    expert = world.experts[0].user
    reviews.accept_assignment(actor=expert, assignment=assignment)
    reviews.declare_conflict(actor=expert, assignment=assignment, has_conflict=False)
    client.force_login(expert)
    page = client.get(_url("reviews:assignment", pk=assignment.pk)).content.decode()
    _no_identifier(page)
    rows = list(review_round.material.all())
    assert [row.key for row in rows] == [CANDIDATE]
    section = client.get(rows[0].get_absolute_url())
    assert section.status_code == 200
    text = section.content.decode()
    assert "首席工艺工程师" in text and "•" * 16 + RESIDENT_ID[-2:] in text
    _no_identifier(text)
    assert "320000000" not in text and "320,000,000" not in text  # the contribution step was not exposed
    # An expert not on the panel reads nothing of it.
    client.force_login(world.experts[1].user)
    assert client.get(rows[0].get_absolute_url()).status_code == 404


# --- the panel's review opinion -------------------------------------------------------------------------------------


def test_the_opinion_waits_for_the_panel_to_finish(client, world):
    special = special_application(world, SpecialStage.PANEL)
    with pytest.raises(ValidationError):
        panel.draft_panel_opinion(actor=world.officer, special=special, conclusion="同意推荐。")
    client.force_login(world.officer)
    response = client.get(_url("talent:special_panel_opinion_draft", pk=special.pk))
    assert response.status_code == 302
    assert reload(special).panel_opinion_id is None


def _scored(world):
    special = special_application(world, SpecialStage.PANEL)
    scored_panel(world, special)
    return reload(special)


def test_a_bad_draft_writes_nothing_and_others_may_not_draft(client, world):
    special = _scored(world)
    client.force_login(world.officer)
    response = client.post(_url("talent:special_panel_opinion_draft", pk=special.pk), {"conclusion": "  "})
    assert response.status_code == 200 and "field__error" in response.content.decode()
    for user in (world.reviewer, world.director, world.other_officer):
        with pytest.raises(PermissionDenied):
            panel.draft_panel_opinion(actor=user, special=special, conclusion="同意推荐。")
    assert reload(special).panel_opinion_id is None


def test_the_panel_opinion_is_drafted_signed_issued_and_downloaded(client, world):
    special = _scored(world)
    client.force_login(world.officer)
    form = client.get(_url("talent:special_panel_opinion_draft", pk=special.pk)).content.decode()
    assert "8.00" in form or "8" in form  # the aggregate the officer writes the conclusion on
    response = client.post(
        _url("talent:special_panel_opinion_draft", pk=special.pk),
        {
            "conclusion": "专家组一致认为该候选人不可替代，同意推荐。",
            "conclusion_en": "The panel recommends the candidate.",
        },
    )
    assert response.status_code == 302
    special = reload(special)
    opinion = special.panel_opinion
    assert response["Location"] == opinions.detail_url(opinion)
    assert opinion.kind == OpinionKind.REVIEW and opinion.state == OpinionState.IN_REVIEW
    assert [sign_off.user for sign_off in opinion.sign_offs.all()] == [world.director]
    assert opinion.issuer.owner == world.programme
    body = opinion.body
    assert "社会经济效益" in body and "Social-economic benefit" in body and "Development potential" in body
    assert "专家组一致认为" in body and "The panel recommends the candidate." in body
    assert special.application.reference in body
    _no_identifier(body)
    assert not any(expert.name in body for expert in world.experts)
    # A second draft: a message, still the one opinion.
    again = client.post(_url("talent:special_panel_opinion_draft", pk=special.pk), {"conclusion": "再来一次"})
    assert again.status_code == 302 and reload(special).panel_opinion == opinion
    # Not downloadable before it is issued.
    download = _url("talent:special_panel_opinion", pk=special.pk)
    assert client.get(download).status_code == 404
    opinions.sign_off(actor=world.director, opinion=opinion, approve=True)
    opinions.issue_now(opinion_id=opinion.pk, actor_id=world.officer.pk)
    page = client.get(special.get_absolute_url()).content.decode()
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "张工" in text and "社会经济效益" in text and reload(special).panel_opinion.number in text
    _no_identifier(text)
    assert not any(expert.name in text for expert in world.experts)
    assert ModelLogEntry.objects.filter(action="opinions.download", user=world.officer).exists()
    client.force_login(world.reviewer)
    assert client.get(download).status_code == 200
    for user in (world.employer, world.other_officer, world.other_reviewer, world.experts[0].user):
        client.force_login(user)
        assert client.get(download).status_code == 404
