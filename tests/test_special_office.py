"""The office's special-talent pages (issue 13, part A): the list (scoped to the programme's officers and to each
sector's authority, filtered, never an identifier, a constant number of queries), the application's page (masked
identifiers; the officers' audited reveal), the authority's pre-review (the right reviewer only, the right stage,
messages for bad input and double submits), sending on to the talent work meeting, the office's entry, the public
call page and the dashboard panels."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.applications import services as applications
from talent.models import SpecialStage, SpecialTalentApplication
from tests.factories import UserFactory
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, reload, scored_panel, special_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_special_world()


def _url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def _no_identifier(page, special):
    assert RESIDENT_ID not in page and BIRTH_DATE not in page and "19580307" not in page


# --- the list ---------------------------------------------------------------------------------------------------


def test_officers_see_their_programmes_applications_and_each_authority_only_its_sector(client, world):
    biomed = special_application(world, name="张工")
    nev = special_application(world, name="李工", theme_pk=world.other_theme.pk)
    assert nev.authority == world.other_authority
    url = _url("talent:special_applications")
    status, page = _page(client, world.officer, url)
    assert status == 200 and "张工" in page and "李工" in page
    status, page = _page(client, world.reviewer, url)
    assert status == 200 and "张工" in page and "李工" not in page
    status, page = _page(client, world.other_reviewer, url)
    assert status == 200 and "李工" in page and "张工" not in page
    # Another programme's officer has a list of its own, without these.
    status, page = _page(client, world.other_officer, url)
    assert status == 200 and "张工" not in page and "李工" not in page
    for outsider in (world.employer, world.outsider, world.director, world.experts[0].user):
        assert _page(client, outsider, url)[0] == 404
    assert biomed.get_absolute_url() in _page(client, world.officer, url)[1]


def test_the_list_filters_by_stage_and_sector_and_never_shows_an_identifier(client, world):
    special_application(world, name="张工")
    passed = special_application(world, SpecialStage.PANEL, name="王工")
    special_application(world, name="李工", theme_pk=world.other_theme.pk)
    url = _url("talent:special_applications")
    status, page = _page(client, world.officer, f"{url}?stage=panel")
    assert "王工" in page and "张工" not in page and "李工" not in page
    _no_identifier(page, passed)
    assert passed.masked_id_number not in page  # not even masked: the list needs no identifier
    page = _page(client, world.officer, f"{url}?sector={world.other_theme.pk}")[1]
    assert "李工" in page and "张工" not in page and "王工" not in page
    page = _page(client, world.officer, f"{url}?sector=999999&stage=nonsense")[1]  # unknown filters: ignored
    assert "李工" in page and "张工" in page and "王工" in page
    _no_identifier(page, passed)


def _list_queries(client, user):
    client.force_login(user)
    url = _url("talent:special_applications")
    client.get(url)  # the first request of a session reads more (the session, the user's memo)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_lists_queries_do_not_grow_with_its_rows(client, world):
    for number in range(5):
        special_application(world, name=f"候选人{number}")
    few = (_list_queries(client, world.officer), _list_queries(client, world.reviewer))
    for number in range(5, 40):
        special_application(world, name=f"候选人{number}")
    many = (_list_queries(client, world.officer), _list_queries(client, world.reviewer))
    print(f"special-talent list: {few} queries (officer, reviewer) with 5 rows, {many} with 40")
    assert many == few, f"{few} queries with 5 rows, {many} with 40"
    assert SpecialTalentApplication.objects.count() == 40


# --- the application's page and the reveal ------------------------------------------------------------------------


def test_the_page_shows_the_candidate_and_the_sent_sections_with_identifiers_masked(client, world):
    special = special_application(world)
    for user in (world.officer, world.reviewer):
        status, page = _page(client, user, special.get_absolute_url())
        assert status == 200
        assert "张工" in page and "首席工艺工程师" in page and "生物药连续流生产工艺" in page
        assert special.masked_id_number in page
        _no_identifier(page, special)
    english = _page(client, world.officer, _url("talent:special_application", "en", pk=special.pk))[1]
    assert "Over the age limit" in english and "Authority pre-review" in english
    _no_identifier(english, special)


def test_who_may_not_see_the_application_gets_404(client, world):
    special = special_application(world)
    for user in (world.other_officer, world.other_reviewer, world.employer, world.other_employer, world.outsider):
        assert _page(client, user, special.get_absolute_url())[0] == 404


def test_an_officer_reads_the_identifiers_once_and_the_reading_is_audited(client, world):
    special = special_application(world)
    url = _url("talent:special_reveal", pk=special.pk)
    client.force_login(world.officer)
    page = client.get(special.get_absolute_url()).content.decode()
    assert url in page  # the button
    response = client.post(url)
    assert response.status_code == 200
    assert RESIDENT_ID in response.content.decode() and BIRTH_DATE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = ModelLogEntry.objects.get(action="talent.reveal_identity")
    assert entry.user_id == world.officer.pk and entry.object_id == str(special.pk)
    assert RESIDENT_ID not in str(entry.data) and BIRTH_DATE not in str(entry.data)
    assert client.get(url).status_code == 405
    # The page itself stays masked afterwards.
    _no_identifier(client.get(special.get_absolute_url()).content.decode(), special)


def test_nobody_else_may_reveal_not_even_the_sector_authority(client, world):
    special = special_application(world)
    url = _url("talent:special_reveal", pk=special.pk)
    for user in (world.reviewer, world.other_officer, world.employer, world.director):
        client.force_login(user)
        response = client.post(url)
        assert response.status_code == 404
        _no_identifier(response.content.decode(), special)
    client.force_login(world.reviewer)
    assert url not in client.get(special.get_absolute_url()).content.decode()
    assert not ModelLogEntry.objects.filter(action="talent.reveal_identity").exists()


# --- the pre-review -------------------------------------------------------------------------------------------------


def _pre_review(client, user, special, transition, opinion="符合产业急需。"):
    client.force_login(user)
    return client.post(_url("talent:special_pre_review", pk=special.pk, transition=transition), {"opinion": opinion})


def test_the_sector_reviewer_passes_the_pre_review_with_an_opinion(client, world):
    special = special_application(world)
    client.force_login(world.reviewer)
    page = client.get(special.get_absolute_url()).content.decode()
    assert _url("talent:special_pre_review", pk=special.pk, transition="pass_pre_review") in page
    assert _url("talent:special_pre_review", pk=special.pk, transition="decline") in page
    form = client.get(_url("talent:special_pre_review", pk=special.pk, transition="pass_pre_review"))
    assert form.status_code == 200
    response = _pre_review(client, world.reviewer, special, "pass_pre_review")
    assert response.status_code == 302
    special = reload(special)
    assert special.stage == SpecialStage.PANEL and special.pre_review_opinion == "符合产业急需。"
    assert special.pre_reviewed_by == world.reviewer
    assert special.application.status == "panel"


def test_a_decline_keeps_the_reasons_for_the_employer(client, world):
    special = special_application(world)
    _pre_review(client, world.reviewer, special, "decline", "不属于本行业急需紧缺方向。")
    special = reload(special)
    assert special.stage == SpecialStage.DECLINED and special.decision_reason == "不属于本行业急需紧缺方向。"


def test_only_the_sectors_reviewer_may_pre_review(client, world):
    special = special_application(world)
    for user in (world.other_reviewer, world.officer, world.employer, world.outsider):
        assert _pre_review(client, user, special, "pass_pre_review").status_code == 404
        client.force_login(user)
        assert client.get(_url("talent:special_pre_review", pk=special.pk, transition="decline")).status_code == 404
    assert _pre_review(client, world.reviewer, special, "approve").status_code == 404  # not a pre-review step
    assert reload(special).stage == SpecialStage.PRE_REVIEW


def test_an_empty_opinion_is_refused_and_nothing_changes(client, world):
    special = special_application(world)
    before = ModelLogEntry.objects.count()
    response = _pre_review(client, world.reviewer, special, "decline", "   ")
    assert response.status_code == 200 and "field__error" in response.content.decode()
    special = reload(special)
    assert special.stage == SpecialStage.PRE_REVIEW and special.pre_review_opinion == ""
    assert ModelLogEntry.objects.count() == before


def test_a_second_submit_gets_a_message_not_a_second_move(client, world):
    special = special_application(world)
    _pre_review(client, world.reviewer, special, "pass_pre_review")
    visits = reload(special).stage_visits.count()
    response = _pre_review(client, world.reviewer, special, "decline")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "当前无法进行此操作" in page  # "This cannot be done now: it is …", in Chinese
    special = reload(special)
    assert special.stage == SpecialStage.PANEL and special.stage_visits.count() == visits


def test_an_open_supplement_blocks_the_pass_with_its_message(client, world):
    special = special_application(world)
    applications.request_supplement(
        actor=world.reviewer,
        application=special.application,
        message="请补充近三年纳税证明。",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    client.force_login(world.reviewer)
    page = client.get(special.get_absolute_url()).content.decode()
    assert "补正" in page  # "a request for supplement is open", with its deadline
    response = _pre_review(client, world.reviewer, special, "pass_pre_review")
    assert response.status_code == 200 and "补正" in response.content.decode()
    assert reload(special).stage == SpecialStage.PRE_REVIEW


# --- to the talent work meeting -------------------------------------------------------------------------------------


def test_the_officer_sends_a_finished_panel_to_the_meeting(client, world):
    special = special_application(world, SpecialStage.PANEL)
    url = _url("talent:special_to_deliberation", pk=special.pk)
    client.force_login(world.officer)
    client.post(url)
    assert reload(special).stage == SpecialStage.PANEL  # the panel has not scored: a message, nothing moved
    scored_panel(world, reload(special))
    page = client.get(special.get_absolute_url()).content.decode()
    assert url in page
    client.force_login(world.reviewer)
    assert client.post(url).status_code == 404
    client.force_login(world.officer)
    assert client.post(url).status_code == 302
    assert reload(special).stage == SpecialStage.DELIBERATION
    client.post(url)  # again: a message
    assert reload(special).stage_visits.count() == 3


# --- the office's entry, the public call, the dashboard ---------------------------------------------------------


def test_the_office_leads_special_talent_people_to_their_list(client, world):
    office = _url("talent:office")
    special_list = _url("talent:special_applications")
    for user in (world.officer, world.reviewer):
        client.force_login(user)
        response = client.get(office)
        assert response.status_code == 302 and response["Location"] == special_list
    client.force_login(world.outsider)
    assert client.get(office).status_code == 404
    both = UserFactory(username="special_both_t")
    world.programme.officers.add(both)
    world.other_programme.officers.add(both)
    client.force_login(both)
    page = client.get(office).content.decode()
    assert page.count(special_list) >= 2


def test_the_public_call_page_sends_employers_to_the_special_talent_form(client, world):
    page = client.get(_url("talent:call", slug=world.call.slug)).content.decode()
    assert reverse("applications:start", args=["special-talent", world.call.pk]) in page
    assert "offshore-base" not in page


def test_the_dashboard_panels_say_what_waits(client, world):
    waiting = special_application(world, name="待初审")
    done = special_application(world, SpecialStage.PANEL, name="评审完")
    scored_panel(world, done)
    client.force_login(world.reviewer)
    page = client.get(_url("workspace:dashboard")).content.decode()
    assert "待初审" in page and waiting.get_absolute_url() in page
    assert "评审完" not in page
    client.force_login(world.officer)
    page = client.get(_url("workspace:dashboard", "en")).content.decode()
    assert "Panel finished: send to the talent work meeting" in page and "评审完" in page
    # The offshore base's panels are for its own officers, not a special-talent programme's.
    assert "Offshore base applications" not in page and "Service requests" not in page
    client.force_login(world.employer)
    page = client.get(_url("workspace:dashboard", "en")).content.decode()
    assert "Panel finished" not in page and "for your pre-review" not in page
