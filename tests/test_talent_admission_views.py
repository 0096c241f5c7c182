"""The offshore base's pages (issue 12): public call pages in both languages, the office's list (a constant number of
queries) and application page, the decision and onboarding forms' messages, the team's decision letter, and
passport numbers masked for experts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.opinions import services as opinion_services
from portal.reviews import services as reviews
from portal.reviews.models import RoundMaterial
from portal.reviews.testing import cleared_assignment
from talent.models import BaseStage
from talent.services import review
from tests.permission_matrix.world import TINY_PDF
from tests.talent_world import base_application, build_world, issue_letter, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_an_open_calls_page_shows_its_window_sectors_documents_and_the_way_to_apply(client, world):
    page = client.get(_url("talent:call", slug=world.call.slug)).content.decode()
    assert world.call.title in page and "商业计划书" in page and "生物医药" in page
    assert reverse("applications:start", args=["offshore-base", world.call.pk]) in page
    english = client.get(_url("talent:call", "en", slug=world.call.slug)).content.decode()
    assert world.call.title_en in english and "Business plan" in english and "Apply to this call" in english


def test_a_closed_call_says_so_and_offers_no_application(client, world):
    page = client.get(_url("talent:call", "en", slug=world.closed_call.slug)).content.decode()
    assert "This call has closed" in page
    assert reverse("applications:start", args=["offshore-base", world.closed_call.pk]) not in page


def test_the_programme_page_lists_open_and_past_calls(client, world):
    page = client.get(_url("talent:programme", "en", programme=world.programme.slug)).content.decode()
    assert world.call.title_en in page and world.closed_call.title_en in page


def _list_queries(client, world):
    client.force_login(world.officer)
    url = _url("talent:base_applications", programme=world.programme.slug)
    client.get(url)  # the first request of a session reads more (the session, the user's memo)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_office_list_costs_the_same_queries_for_3_and_12_applications(client, world):
    for number in range(3):
        base_application(world, world.team, team_name=f"Team {number}")
    few = _list_queries(client, world)
    for number in range(9):
        base_application(world, world.other_team, team_name=f"Other {number}")
    assert _list_queries(client, world) == few
    assert few <= 12


def test_the_office_list_filters_by_stage(client, world):
    base_application(world, world.team, team_name="Still checking")
    base_application(world, world.team, stage=BaseStage.REVIEW, team_name="In review now")
    client.force_login(world.officer)
    url = _url("talent:base_applications", programme=world.programme.slug)
    page = client.get(url, {"stage": BaseStage.REVIEW}).content.decode()
    assert "In review now" in page and "Still checking" not in page


def test_the_officer_completes_an_application_from_its_page(client, world):
    base = base_application(world, world.team)
    client.force_login(world.officer)
    page = client.get(base.get_absolute_url()).content.decode()
    complete = _url("talent:base_to_review", pk=base.pk)
    assert complete in page
    client.post(complete)
    assert reload(base).stage == BaseStage.REVIEW


def test_a_decision_without_reasons_is_refused_in_the_officers_language(client, world):
    base = base_application(world, world.team)
    world.officer.preferred_language = "en"
    world.officer.save()
    client.force_login(world.officer)
    response = client.post(_url("talent:base_decide", "en", pk=base.pk, transition="reject"), {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert reload(base).stage == BaseStage.CHECK


def test_a_bad_uscc_is_refused_on_the_onboarding_form_in_both_languages(client, world):
    base = base_application(world, world.team, stage=BaseStage.ONBOARDING)
    client.force_login(world.officer)
    data = {
        "company_name": "深圳极光生物科技有限公司",
        "uscc": "914403101234567890",
        "registered_on": timezone.localdate().isoformat(),
        "incubation_seat": "A301",
    }
    english = client.post(_url("talent:base_onboarding", "en", pk=base.pk), data).content.decode()
    assert "unified social credit code" in english.lower()
    chinese = client.post(_url("talent:base_onboarding", pk=base.pk), data).content.decode()
    assert "统一社会信用代码" in chinese
    assert reload(base).uscc == ""


def test_the_team_downloads_its_issued_letter_and_nobody_else_does(client, world, monkeypatch):
    monkeypatch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())
    base = base_application(world, world.team, stage=BaseStage.ONBOARDING)
    letter_url = _url("talent:base_letter", pk=base.pk)
    client.force_login(world.team)
    assert client.get(letter_url).status_code == 404  # not issued yet
    base = issue_letter(world, base)
    detail = client.get(_url("applications:detail", "en", pk=base.application_id)).content.decode()
    assert "Decision letter (PDF)" in detail and letter_url in detail
    response = client.get(letter_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(world.other_team)
    assert client.get(letter_url).status_code == 404


def test_experts_read_the_team_without_passport_numbers_the_officer_reads_them(client, world):
    base = base_application(world, world.team, stage=BaseStage.REVIEW)
    review_round = review.start_review(
        actor=world.officer,
        base=base,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        keys=["application:section:team"],
        open_now=False,
    )
    reviews.open_round(actor=world.officer, review_round=review_round)
    expert = world.experts[0]
    cleared_assignment(world.officer, review_round, expert)
    row = RoundMaterial.objects.get(round=review_round, key="application:section:team")
    client.force_login(expert.user)
    page = client.get(_url("reviews:material", pk=row.pk)).content.decode()
    assert "Dr. Kenji Sato" in page and "TK1234567" not in page and "•••••••67" in page
    client.force_login(world.officer)
    officer_page = client.get(_url("applications:detail", pk=base.application_id)).content.decode()
    assert "TK1234567" not in officer_page and "•••••••67" in officer_page
    revealed = client.post(_url("applications:reveal", pk=base.application_id))
    assert "TK1234567" in revealed.content.decode() and "no-store" in revealed["Cache-Control"]
    entry = ModelLogEntry.objects.get(action="applications.reveal_private")
    assert entry.user_id == world.officer.pk and "TK1234567" not in str(entry.data)
    client.force_login(expert.user)
    assert client.post(_url("applications:reveal", pk=base.application_id)).status_code == 404
