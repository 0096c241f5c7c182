"""Roadshow pages (issue 12, 路演): the public event page in both languages (confirmed pitches only, no investor
named), a team's pitch and an investor's registration, the investor's feedback page, the office's page (feedback
summed up per project, the attendee list, constant queries at 5 and 50 registrations), named feedback with
follow-up introductions, the workbook, and the dashboard panel."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from talent.models import Interest, Introduction, InvestorRegistration, RoadshowFeedback, RoadshowProject
from tests.talent_roadshows_helpers import admitted_team, feedback, investor, make_roadshow, pitch, register
from tests.talent_world import build_world

pytestmark = pytest.mark.django_db


def url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def scene(world):
    """A started roadshow: a confirmed pitch, an unconfirmed one, and two investors who scored the confirmed one."""
    roadshow = make_roadshow(world)
    confirmed = pitch(world, roadshow, admitted_team(world), title="单细胞蛋白测序", title_en="Protein sequencing")
    waiting = pitch(
        world,
        roadshow,
        admitted_team(world, world.other_team),
        title="未确认项目",
        title_en="Unconfirmed",
        confirm=False,
    )
    first, second = investor(real_name="钱多多"), investor(real_name="赵投资")
    register(roadshow, first, institution="深创投")
    register(roadshow, second, institution="Sequoia China")
    feedback(confirmed, first, score=9, interest=Interest.INVEST)
    feedback(confirmed, second, score=6, interest=Interest.FOLLOW)
    return roadshow, confirmed, waiting, first, second


# --- public -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_public_page_shows_confirmed_pitches_in_both_languages_and_no_investor(client, scene, language):
    roadshow, _confirmed, _waiting, _first, _second = scene
    response = client.get(url("talent:roadshow", language, slug=roadshow.slug))
    page = response.content.decode()
    assert response.status_code == 200
    assert "单细胞蛋白测序" in page and "Protein sequencing" in page
    assert "未确认项目" not in page and "Unconfirmed" not in page
    for private in ("钱多多", "赵投资", "深创投", "Sequoia China"):
        assert private not in page
    assert ("坪山创新广场" if language == "zh-hans" else "Pingshan Innovation Plaza") in page
    assert ("海外人才项目路演" if language == "zh-hans" else "Overseas talent project roadshow") in page
    assert "生物医药" in page or "Biomedicine" in page


def test_the_list_shows_published_roadshows_and_an_unpublished_one_is_only_the_offices(client, world):
    make_roadshow(world, "shown")
    hidden = make_roadshow(world, "hidden", is_published=False)
    page = client.get(url("talent:roadshows")).content.decode()
    assert url("talent:roadshow", slug="shown") in page
    assert url("talent:roadshow", slug="hidden") not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(world.officer)
    assert client.get(hidden.get_absolute_url()).status_code == 200


# --- the team and the investor ------------------------------------------------------------------------------------


def test_an_admitted_team_registers_its_pitch_through_the_page(client, world):
    roadshow = make_roadshow(world)
    base = admitted_team(world)
    client.force_login(world.team)
    assert url("talent:roadshow_pitch", slug=roadshow.slug) in client.get(roadshow.get_absolute_url()).content.decode()
    form_url = url("talent:roadshow_pitch", slug=roadshow.slug)
    assert client.get(form_url).status_code == 200
    refused = client.post(form_url, {"base": base.pk, "pitch_title": "项目", "pitch_title_en": " "})
    assert refused.status_code == 200 and not RoadshowProject.objects.exists()
    response = client.post(form_url, {"base": base.pk, "pitch_title": "蛋白测序", "pitch_title_en": "Protein seq"})
    assert response.status_code == 302
    project = RoadshowProject.objects.get()
    assert (project.base_application, project.pitch_title_en) == (base, "Protein seq")
    page = client.get(roadshow.get_absolute_url()).content.decode()
    assert "蛋白测序" in page  # the team sees its own pitch waiting for the office


def test_the_pitch_form_is_not_there_for_whoever_has_no_admitted_team(client, world):
    roadshow = make_roadshow(world)
    client.force_login(world.outsider)
    assert client.get(url("talent:roadshow_pitch", slug=roadshow.slug)).status_code == 404


def test_an_investor_registers_and_a_full_roadshow_says_so(client, world):
    roadshow = make_roadshow(world, capacity=1)
    user = investor()
    client.force_login(user)
    form_url = url("talent:roadshow_register", "en", slug=roadshow.slug)
    response = client.post(form_url, {"organization_name": "深创投", "interests": "早期生物医药"})
    assert response.status_code == 302
    assert InvestorRegistration.objects.get().investor == user
    client.force_login(investor())
    full = client.post(form_url, {"organization_name": "高瓴"})
    assert full.status_code == 200
    assert "All places for investors are taken." in full.content.decode()
    assert InvestorRegistration.objects.count() == 1


def test_the_feedback_page_takes_a_score_once_and_refuses_a_bad_one_in_the_readers_language(client, world):
    roadshow = make_roadshow(world)
    project = pitch(world, roadshow, admitted_team(world))
    user = investor()
    register(roadshow, user)
    client.force_login(user)
    page_url = url("talent:roadshow_feedback", "en", slug=roadshow.slug)
    assert client.get(page_url).status_code == 200
    post_url = url("talent:roadshow_give_feedback", "en", slug=roadshow.slug, project=project.pk)
    prefix = f"p{project.pk}"
    bad = client.post(post_url, {f"{prefix}-score": "11", f"{prefix}-interest": Interest.FOLLOW})
    assert bad.status_code == 200
    assert "Give a whole-number score from 1 to 10." in bad.content.decode()
    assert not RoadshowFeedback.objects.exists()
    good = client.post(post_url, {f"{prefix}-score": "8", f"{prefix}-interest": Interest.FOLLOW})
    assert good.status_code == 302
    assert RoadshowFeedback.objects.get().score == 8
    page = client.get(page_url).content.decode()
    assert "8 / 10" in page and f'name="{prefix}-score"' not in page


def test_feedback_pages_are_only_for_registered_investors(client, scene, world):
    roadshow, confirmed, _waiting, _first, _second = scene
    for who in (investor(), world.team, world.officer):
        client.force_login(who)
        assert client.get(url("talent:roadshow_feedback", slug=roadshow.slug)).status_code == 404


# --- the office -----------------------------------------------------------------------------------------------


def test_the_offices_page_sums_the_feedback_up_per_project_and_lists_the_attendees(client, scene, world):
    roadshow, confirmed, waiting, _first, _second = scene
    client.force_login(world.officer)
    response = client.get(url("talent:roadshow_office", "en", slug=roadshow.slug))
    page = response.content.decode()
    assert response.status_code == 200
    rows = {project.pk: project for project in response.context["projects"]}
    assert (rows[confirmed.pk].answers, str(rows[confirmed.pk].mean)) == (2, "7.5")
    assert (rows[confirmed.pk].invest, rows[confirmed.pk].follow, rows[confirmed.pk].not_for_us) == (1, 1, 0)
    assert rows[waiting.pk].answers == 0
    assert "7.5" in page
    assert "钱多多" in page and "Sequoia China" in page  # the attendee list
    assert url("talent:roadshow_confirm", "en", slug=roadshow.slug, project=waiting.pk) in page
    client.force_login(world.other_officer)
    assert client.get(url("talent:roadshow_office", slug=roadshow.slug)).status_code == 404


def test_the_office_confirms_orders_and_marks_attendance_through_the_page(client, scene, world):
    roadshow, confirmed, waiting, first, _second = scene
    client.force_login(world.officer)
    client.post(url("talent:roadshow_confirm", slug=roadshow.slug, project=waiting.pk))
    assert RoadshowProject.objects.get(pk=waiting.pk).is_confirmed
    client.post(
        url("talent:roadshow_order", slug=roadshow.slug), {f"order-{confirmed.pk}": "2", f"order-{waiting.pk}": "1"}
    )
    assert list(roadshow.projects.order_by("order").values_list("pk", flat=True)) == [waiting.pk, confirmed.pk]
    refused = client.post(url("talent:roadshow_order", "en", slug=roadshow.slug), {f"order-{confirmed.pk}": "x"})
    assert refused.status_code == 302
    assert list(roadshow.projects.order_by("order").values_list("pk", flat=True)) == [waiting.pk, confirmed.pk]
    registration = InvestorRegistration.objects.get(investor=first)
    client.post(url("talent:roadshow_attended", slug=roadshow.slug, registration=registration.pk), {"attended": "on"})
    assert InvestorRegistration.objects.get(pk=registration.pk).attended


def test_named_feedback_is_audited_and_a_follow_up_makes_the_introduction(client, scene, world):
    roadshow, confirmed, _waiting, first, _second = scene
    client.force_login(world.officer)
    response = client.get(url("talent:roadshow_answers", "en", slug=roadshow.slug))
    page = response.content.decode()
    assert "钱多多" in page and "9 / 10" in page
    assert ModelLogEntry.objects.filter(action="talent.read_roadshow_feedback", object_id=str(roadshow.pk)).exists()
    answer = RoadshowFeedback.objects.get(registration__investor=first)
    follow_url = url("talent:roadshow_follow_up", "en", slug=roadshow.slug, feedback=answer.pk)
    assert follow_url in page
    blank = client.post(follow_url, {f"f{answer.pk}-note": " "})
    assert blank.status_code == 200 and not Introduction.objects.exists()
    made = client.post(follow_url, {f"f{answer.pk}-note": "Please meet the team."})
    assert made.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.left, introduction.right_person) == (confirmed, first)
    page = client.get(url("talent:roadshow_answers", "en", slug=roadshow.slug)).content.decode()
    assert introduction.get_absolute_url() in page and follow_url not in page
    client.force_login(first)
    assert client.get(url("talent:roadshow_answers", slug=roadshow.slug)).status_code == 404


@pytest.mark.parametrize(
    ("language", "sheets", "header"),
    [
        ("zh-hans", ["路演项目", "参会投资人", "投资人反馈"], "机构"),
        ("en", ["Projects", "Attendees", "Feedback"], "Institution"),
    ],
)
def test_the_export_opens_with_the_attendees_and_the_feedback(client, scene, world, language, sheets, header):
    roadshow, confirmed, _waiting, _first, _second = scene
    client.force_login(world.officer)
    response = client.get(url("talent:roadshow_export", language, slug=roadshow.slug))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    projects, attendees, answers = workbook.worksheets
    assert workbook.sheetnames == sheets
    assert header in [cell.value for cell in attendees[1]]
    assert sorted(row[1] for row in attendees.iter_rows(min_row=2, values_only=True)) == ["Sequoia China", "深创投"]
    scores = sorted((row[2], row[4]) for row in answers.iter_rows(min_row=2, values_only=True))
    assert scores == [("赵投资", 6), ("钱多多", 9)]
    first_row = next(projects.iter_rows(min_row=2, values_only=True))
    assert first_row[1] == "单细胞蛋白测序" and first_row[5] == 2 and first_row[6] == 7.5
    assert ModelLogEntry.objects.filter(action="talent.export_roadshow").exists()
    client.force_login(world.team)
    assert client.get(url("talent:roadshow_export", slug=roadshow.slug)).status_code == 404


def _officers_page_queries(client, world, base, registrations):
    roadshow = make_roadshow(world, f"budget-{registrations}", capacity=100)
    project = pitch(world, roadshow, base)
    for _number in range(registrations):
        user = investor()
        register(roadshow, user)
        feedback(project, user, score=7)
    client.force_login(world.officer)
    page_url = url("talent:roadshow_office", slug=roadshow.slug)
    client.get(page_url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url).status_code == 200
    return len(queries)


def test_the_offices_page_costs_the_same_queries_at_5_and_50_registrations(client, world):
    base = admitted_team(world)
    assert _officers_page_queries(client, world, base, 5) == _officers_page_queries(client, world, base, 50)


def test_the_dashboard_panel_shows_pitches_to_score_and_projects_to_confirm(client, scene, world):
    roadshow, _confirmed, _waiting, _first, _second = scene
    late = investor(real_name="孙晚到")
    register(roadshow, late)
    client.force_login(late)
    page = client.get(url("workspace:dashboard", "en")).content.decode()
    assert url("talent:roadshow_feedback", "en", slug=roadshow.slug) in page and "1 pitch to score" in page
    client.force_login(world.officer)
    page = client.get(url("workspace:dashboard", "en")).content.decode()
    assert "1 registration to confirm" in page
    client.force_login(world.outsider)
    assert (
        url("talent:roadshow_office", "en", slug=roadshow.slug)
        not in client.get(url("workspace:dashboard", "en")).content.decode()
    )
