"""Matching and introductions through the pages and services: a relevant pair ranks first on the curator's matching
page with the words and themes both share (Chinese, English, mixed); an introduction sent from it, both sides
accepting, one declining, a pair introduced twice, the outcome; who sees an introduction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.notifications.models import Notification
from portal.reviews.testing import make_expert
from talent import library_index
from talent.models import Answer, Introduction, IntroductionSource, IntroductionState, ListingState, Outcome
from talent.services import introductions, libraries
from tests.factories import UserFactory
from tests.talent_libraries_helpers import listing
from tests.talent_world import build_world, theme

pytestmark = pytest.mark.django_db

PUBLISHED = ListingState.PUBLISHED


@pytest.fixture
def world():
    world = build_world()
    nev = theme("nev", "新能源汽车", "New-energy vehicles")
    world.cart = listing(
        world,
        "projects",
        world.team,
        PUBLISHED,
        title="CAR-T细胞治疗慢病毒载体GMP生产平台",
        summary="可提供慢病毒载体工艺开发与GMP生产服务。",
    )
    world.battery = listing(
        world,
        "projects",
        world.other_team,
        PUBLISHED,
        title="Solid-state batteries for electric vehicles",
        summary="High energy density solid-state battery cells and packs.",
        themes=[nev],
    )
    world.adc = listing(
        world,
        "projects",
        world.other_team,
        PUBLISHED,
        title="ADC抗体偶联药物平台",
        summary="ADC antibody drug conjugate platform targeting HER2 and PD-1.",
    )
    world.patent = listing(
        world, "patents", world.other_team, PUBLISHED, title="一种慢病毒载体纯化方法", summary="慢病毒载体纯化。"
    )
    world.firm = UserFactory(username="firm_lib_t", real_name="坪山药企")
    world.expert_user = UserFactory(username="expert_lib_t", real_name="王教授")
    world.expert = make_expert(
        user=world.expert_user,
        name="王教授",
        title="教授",
        expertise="慢病毒载体工艺与CAR-T细胞治疗",
        email="wang@x.cn",
    )
    world.expert.themes.set([world.theme])
    return world


def demand(world, title, summary="", themes=None):
    return listing(
        world, "demands", world.outsider, PUBLISHED, title=title, summary=summary or title, themes=themes or []
    )


def matches_page(client, world, entry):
    client.force_login(world.officer)
    response = client.get(reverse("talent:listing_matches", args=[entry.LIBRARY, entry.pk]))
    assert response.status_code == 200
    return response


def test_a_chinese_demand_ranks_the_relevant_project_first_and_names_the_shared_words(world, client):
    need = demand(world, "需要GMP级别慢病毒载体生产能力", "开展CAR-T细胞治疗工艺开发", themes=[world.theme])
    response = matches_page(client, world, need)
    first = response.context["matches"][0]
    assert first.item == world.cart
    assert {"gmp", "载体"} <= set(first.shared_terms)
    assert [t.code for t in first.shared_themes] == ["biomed"]
    kinds = {match.kind for match in response.context["matches"]}
    assert {"patents", "experts"} <= kinds and "demands" not in kinds
    page = response.content.decode()
    assert "<mark>gmp</mark>" in page and "生物医药" in page
    assert "wang@x.cn" not in page  # the expert's public profile only


def test_an_english_demand_matches_words_in_any_form(world, client):
    need = demand(world, "We need a supplier of solid-state battery packs for electric buses")
    first = matches_page(client, world, need).context["matches"][0]
    assert first.item == world.battery
    assert {"battery", "electric", "solid"} <= set(first.shared_terms)


def test_a_mixed_demand_matches_on_the_english_words_it_shares(world, client):
    need = demand(world, "寻找PD-1抗体偶联药物（ADC）的合作伙伴")
    response = matches_page(client, world, need)
    first = response.context["matches"][0]
    assert first.item == world.adc and {"pd", "adc"} <= set(first.shared_terms)
    client.force_login(world.officer)
    english = client.get("/en" + reverse("talent:listing_matches", args=["demands", need.pk])).content.decode()
    assert "Shared words" in english and "<mark>adc</mark>" in english


def test_a_project_is_matched_with_demands(world, client):
    need = demand(world, "需要慢病毒载体GMP生产合作伙伴", themes=[world.theme])
    matches = matches_page(client, world, world.cart).context["matches"]
    assert [match.item for match in matches] == [need]


def test_the_index_follows_the_library(world, client):
    need = demand(world, "需要固态电池热管理方案")
    assert world.battery not in [m.item for m in matches_page(client, world, need).context["matches"]]
    fresh = listing(world, "projects", world.team, title="固态电池热管理系统", summary="固态电池热管理")
    assert fresh not in [m.item for m in matches_page(client, world, need).context["matches"]]  # pending
    libraries.curate(actor=world.officer, listing=fresh, transition="publish")
    first = matches_page(client, world, need).context["matches"][0]
    assert first.item.pk == fresh.pk
    libraries.curate(actor=world.officer, listing=fresh, transition="archive")
    assert fresh.pk not in [m.item.pk for m in matches_page(client, world, need).context["matches"]]


def test_the_index_is_built_once_per_state_of_the_libraries(world, monkeypatch):
    need = demand(world, "需要GMP慢病毒载体")
    library_index.suggestions_for(need)
    built = []
    monkeypatch.setattr(library_index, "Matcher", lambda entries: built.append(1))
    library_index.suggestions_for(need)
    library_index.suggestions_for(need)
    assert built == []


def test_only_the_programmes_officers_see_the_matching_page(world, client):
    need = demand(world, "需要GMP慢病毒载体")
    url = reverse("talent:listing_matches", args=["demands", need.pk])
    for who in (world.outsider, world.team, world.other_officer):
        client.force_login(who)
        assert client.get(url).status_code == 404
    pending = listing(world, "demands", world.outsider, title="待审核需求")
    client.force_login(world.officer)
    assert client.get(reverse("talent:listing_matches", args=["demands", pending.pk])).status_code == 404


def _introduce(client, world, need, match_kind, other, note="请对接。"):
    client.force_login(world.officer)
    url = reverse("talent:listing_introduce", args=["demands", need.pk, match_kind, other.pk])
    return client.post(url, {f"{match_kind}-{other.pk}-note": note})


def test_an_introduction_sent_from_the_matching_page_keeps_why(world, client):
    need = demand(world, "需要GMP级别慢病毒载体生产能力", "开展CAR-T细胞治疗工艺开发", themes=[world.theme])
    response = _introduce(client, world, need, "projects", world.cart)
    introduction = Introduction.objects.get()
    assert response.status_code == 302 and response.url == introduction.get_absolute_url()
    assert introduction.source == IntroductionSource.MATCHING and introduction.note == "请对接。"
    assert introduction.left == need and introduction.right == world.cart
    assert introduction.left_person == world.outsider and introduction.right_person == world.team
    assert "gmp" in introduction.explanation["shared_terms"] and introduction.explanation["shared_themes"] == ["biomed"]
    for person in (world.outsider, world.team):
        # each in their own language: the team reads English (/en/…)
        assert Notification.objects.filter(recipient=person, url__endswith=introduction.get_absolute_url()).exists()
    assert ModelLogEntry.objects.filter(action="talent.introduce").count() == 1


def test_an_expert_with_an_account_is_introduced(world, client):
    need = demand(world, "需要慢病毒载体工艺专家", themes=[world.theme])
    _introduce(client, world, need, "experts", world.expert)
    assert Introduction.objects.get().right_person == world.expert_user


def test_twice_and_empty_notes_are_refused_with_a_message(world, client):
    need = demand(world, "需要GMP慢病毒载体")
    _introduce(client, world, need, "projects", world.cart)
    again = _introduce(client, world, need, "projects", world.cart)
    assert again.status_code == 302 and again.url.endswith(f"/{need.pk}/matches/")
    assert Introduction.objects.count() == 1
    with pytest.raises(ValidationError):  # the other way round is the same pair
        introductions.introduce(
            actor=world.officer,
            programme=world.programme,
            left=world.cart,
            left_person=world.team,
            right=need,
            right_person=world.outsider,
            note="再次",
            source=IntroductionSource.MATCHING,
        )
    _introduce(client, world, need, "patents", world.patent, note="   ")
    assert Introduction.objects.count() == 1


def test_only_officers_introduce(world, client):
    need = demand(world, "需要GMP慢病毒载体")
    client.force_login(world.team)
    url = reverse("talent:listing_introduce", args=["demands", need.pk, "projects", world.cart.pk])
    assert client.post(url, {f"projects-{world.cart.pk}-note": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        introductions.introduce(
            actor=world.other_officer,
            programme=world.programme,
            left=need,
            left_person=world.outsider,
            right=world.cart,
            right_person=world.team,
            note="x",
            source=IntroductionSource.MATCHING,
        )
    assert not Introduction.objects.exists()


@pytest.fixture
def sent(world, client):
    need = demand(world, "需要GMP慢病毒载体")
    _introduce(client, world, need, "projects", world.cart)
    return Introduction.objects.get()


def _answer(client, user, introduction, answer):
    client.force_login(user)
    return client.post(reverse("talent:introduction_answer", args=[introduction.pk, answer]))


def test_both_accept(world, client, sent):
    _answer(client, world.outsider, sent, "accept")
    assert Introduction.objects.get().state == IntroductionState.SENT
    _answer(client, world.team, sent, "accept")
    introduction = Introduction.objects.get()
    assert introduction.state == IntroductionState.ACCEPTED
    assert introduction.left_answer == introduction.right_answer == Answer.ACCEPTED
    assert Notification.objects.filter(recipient=world.officer, url=introduction.get_absolute_url()).count() == 2


def test_one_declines(world, client, sent):
    _answer(client, world.team, sent, "decline")
    introduction = Introduction.objects.get()
    assert introduction.state == IntroductionState.DECLINED and introduction.left_answer == Answer.PENDING
    response = _answer(client, world.outsider, sent, "accept")  # too late: it is over
    assert response.status_code == 302
    assert Introduction.objects.get().left_answer == Answer.PENDING


def test_answering_twice_is_refused(world, client, sent):
    _answer(client, world.team, sent, "accept")
    _answer(client, world.team, sent, "decline")
    assert Introduction.objects.get().right_answer == Answer.ACCEPTED
    assert ModelLogEntry.objects.filter(action="talent.answer_introduction").count() == 1


def test_only_the_two_sides_answer(world, client, sent):
    for who in (world.officer, world.other_team, world.other_officer):
        assert _answer(client, who, sent, "accept").status_code == 404
    assert _answer(client, world.team, sent, "maybe").status_code == 404
    assert Introduction.objects.get().right_answer == Answer.PENDING


def test_the_officer_records_the_outcome(world, client, sent):
    _answer(client, world.outsider, sent, "accept")
    _answer(client, world.team, sent, "accept")
    url = reverse("talent:introduction_close", args=[sent.pk])
    client.force_login(world.team)
    assert client.post(url, {"outcome": "agreement"}).status_code == 404
    client.force_login(world.officer)
    assert client.post(url, {"outcome": "nonsense"}).status_code == 200
    assert Introduction.objects.get().state == IntroductionState.ACCEPTED
    client.post(url, {"outcome": "agreement", "outcome_note": "签署技术服务合同。"})
    introduction = Introduction.objects.get()
    assert introduction.state == IntroductionState.CLOSED and introduction.outcome == Outcome.AGREEMENT
    assert introduction.closed_at and introduction.outcome_note == "签署技术服务合同。"
    with pytest.raises(ValidationError):
        introductions.close(actor=world.officer, introduction=introduction, outcome="no_result")


def test_who_sees_an_introduction_and_the_workspace_lists(world, client, sent):
    url = sent.get_absolute_url()
    for who in (world.outsider, world.team, world.officer):
        client.force_login(who)
        assert client.get(url).status_code == 200
    for who in (world.other_team, world.other_officer, world.expert_user):
        client.force_login(who)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(world.team)
    assert url in client.get(reverse("talent:my_introductions")).content.decode()
    assert url in client.get(reverse("workspace:dashboard")).content.decode()
    client.force_login(world.other_team)
    assert url not in client.get(reverse("talent:my_introductions")).content.decode()
    english = client.get("/en" + reverse("talent:my_introductions")).content.decode()
    assert "Nobody has been introduced to you yet." in english


def test_the_districts_own_name_is_not_a_reason_to_meet():
    from talent.matching import Entry, Matcher

    matcher = Matcher([Entry(1, "projects", "固态电池热管理，寻求在坪山落地"), Entry(2, "projects", "量子计算")])
    (first,) = matcher.suggest(Entry(3, "demands", "坪山企业需要固态电池热管理方案"))
    assert first.entry.key == 1 and "坪山" not in first.shared_terms and "电池" in first.shared_terms
