"""The pipeline's pages: who may open each URL (200) and who gets 404 (anonymous: the login page), GET and POST, a
refused POST changes nothing; the board, the table's filters, sorting, pages and saved filters; the deal page's steps,
what is missing, its history; moving a deal from a page, stale pages and double clicks; new and changed deals."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import Deal, DealFolder, DealSource, DealStage, Round, SavedFilter, StageChange, Subsector
from tests.factories import UserFactory
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db

NOBODY = ("other_manager", "role_only", "ic_member", "ic_chair", "firm", "outsider")


@pytest.fixture
def world():
    return FundWorld.build()


@pytest.fixture
def deal(world):
    return make_deal(world, stage=DealStage.SCREENING, owner=world.manager, days_in_stage=3)


def as_(client, user):
    client.force_login(user)
    return client


def urls(world, deal):
    fund = world.fund.slug
    return {
        "pipeline": reverse("funds:pipeline", kwargs={"fund": fund}),
        "deal_list": reverse("funds:deal_list", kwargs={"fund": fund}),
        "deal_new": reverse("funds:deal_new", kwargs={"fund": fund}),
        "deal": reverse("funds:deal", kwargs={"fund": fund, "pk": deal.pk}),
        "deal_edit": reverse("funds:deal_edit", kwargs={"fund": fund, "pk": deal.pk}),
        "deal_move": reverse("funds:deal_move", kwargs={"fund": fund, "pk": deal.pk, "transition": "approve"}),
    }


# Who may open what ---------------------------------------------------------------------------------------------------


def test_the_manager_opens_every_page(client, world, deal):
    as_(client, world.manager)
    for name, url in urls(world, deal).items():
        assert client.get(url).status_code == 200, name
    assert client.get(reverse("funds:index")).status_code == 200


@pytest.mark.parametrize("who", NOBODY)
def test_everyone_else_gets_404_and_changes_nothing(client, world, deal, who):
    as_(client, getattr(world, who))
    saved = SavedFilter.objects.create(fund=world.fund, user=world.manager, name="我的", query="stage=screening")
    targets = urls(world, deal) | {
        "saved_filter_save": reverse("funds:saved_filter_save", kwargs={"fund": world.fund.slug}),
        "saved_filter_delete": reverse("funds:saved_filter_delete", kwargs={"fund": world.fund.slug, "pk": saved.pk}),
    }
    if who in ("ic_member", "ic_chair"):
        targets.pop("deal")  # the deal is on no agenda: not theirs either — checked below with an agenda item
    for name, url in targets.items():
        assert client.get(url).status_code in (404, 405), name
        response = client.post(
            url,
            {
                "note": "x",
                "expected_stage": "screening",
                "company": world.company.pk,
                "round": Round.SERIES_B,
                "amount_requested": "1",
                "source": DealSource.OWN,
                "name": "偷看",
                "query": "stage=screening",
            },
        )
        assert response.status_code == 404, name
    fresh = Deal.objects.get(pk=deal.pk)
    assert (fresh.stage, fresh.amount_requested, fresh.round) == (
        DealStage.SCREENING,
        deal.amount_requested,
        deal.round,
    )
    assert Deal.objects.count() == 1
    assert SavedFilter.objects.filter(pk=saved.pk).exists() and SavedFilter.objects.count() == 1
    assert not StageChange.objects.exists()


@pytest.mark.parametrize("who", ["ic_member", "ic_chair"])
def test_the_committee_sees_the_deals_on_its_agenda_but_cannot_move_or_change_them(client, world, deal, who):
    from funds.models import AgendaItem, CommitteeMeeting

    as_(client, getattr(world, who))
    assert client.get(deal.get_absolute_url()).status_code == 404
    meeting = CommitteeMeeting.objects.create(
        committee=world.committee, title="投决会", starts_at=timezone.now(), created_by=world.manager
    )
    AgendaItem.objects.create(meeting=meeting, deal=deal)
    page = client.get(deal.get_absolute_url())
    assert page.status_code == 200
    assert page.context["steps"] == []
    assert not page.context["can_edit"]
    move = urls(world, deal)["deal_move"]
    assert client.post(move, {"note": "x", "expected_stage": "screening"}).status_code == 404
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.SCREENING
    assert client.get(urls(world, deal)["pipeline"]).status_code == 404
    assert world.fund in client.get(reverse("funds:index")).context["funds"]


def test_anonymous_goes_to_the_login_page(client, world, deal):
    for name, url in (urls(world, deal) | {"index": reverse("funds:index")}).items():
        for response in (client.get(url), client.post(url, {"note": "x"})):
            assert response.status_code == 302, name
            assert reverse("accounts:login") in response["Location"], name
    assert not StageChange.objects.exists()


def test_a_deal_of_another_fund_is_not_found_under_this_one(client, world):
    other = make_deal(world.other_fund, stage=DealStage.SCREENING)
    as_(client, world.manager)
    url = reverse("funds:deal", kwargs={"fund": world.fund.slug, "pk": other.pk})
    assert client.get(url).status_code == 404
    as_(client, world.other_manager)
    assert client.get(url).status_code == 404  # its own deal, under the wrong fund's address
    assert client.get(other.get_absolute_url()).status_code == 200


def test_the_fund_list_shows_only_ones_own_funds(client, world):
    as_(client, world.other_manager)
    funds = client.get(reverse("funds:index")).context["funds"]
    assert funds == [world.other_fund]
    as_(client, world.role_only)
    assert client.get(reverse("funds:index")).context["funds"] == []


# The board ------------------------------------------------------------------------------------------------------


def test_the_board_shows_cards_by_stage_with_their_steps(client, world):
    stuck = make_deal(world, stage=DealStage.DUE_DILIGENCE, days_in_stage=world.fund.stuck_after_days + 1)
    fresh = make_deal(world, stage=DealStage.SOURCED)
    rejected = make_deal(world, stage=DealStage.REJECTED)
    response = as_(client, world.manager).get(urls(world, fresh)["pipeline"])
    columns = {column["stage"]: column for column in response.context["columns"]}
    assert [deal.pk for deal in columns[DealStage.SOURCED]["deals"]] == [fresh.pk]
    card = columns[DealStage.DUE_DILIGENCE]["deals"][0]
    assert card.pk == stuck.pk and card.stuck
    assert [action.name for action in card.moves] == ["submit_to_committee", "reject", "hold", "withdraw"]
    assert all(rejected.pk not in [d.pk for d in column["deals"]] for column in columns.values())
    assert response.context["elsewhere"][0]["count"] == 1
    html = response.content.decode()
    assert "卡滞" in html or "停滞" in html
    assert 'name="expected_stage" value="sourced"' in html


def test_the_board_moves_a_card_and_returns_to_the_board(client, world, deal):
    board = urls(world, deal)["pipeline"]
    as_(client, world.manager)
    response = client.post(
        urls(world, deal)["deal_move"], {"note": "立项会通过", "expected_stage": "screening", "next": board}
    )
    assert response.status_code == 302 and response["Location"] == board
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.APPROVED


def test_next_never_leaves_the_site(client, world, deal):
    as_(client, world.manager)
    response = client.post(
        urls(world, deal)["deal_move"], {"note": "x", "expected_stage": "screening", "next": "https://evil.example/"}
    )
    assert response["Location"] == deal.get_absolute_url()


# Moving from a page ---------------------------------------------------------------------------------------------------


def test_a_missing_note_keeps_the_deal_where_it_is(client, world, deal):
    as_(client, world.manager)
    response = client.post(urls(world, deal)["deal_move"], {"note": " ", "expected_stage": "screening"})
    assert response.status_code == 200
    assert "写明" in response.content.decode() or "说明" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.SCREENING


def test_the_second_click_is_told_it_was_already_moved(client, world, deal):
    as_(client, world.manager)
    url = urls(world, deal)["deal_move"]
    first = client.post(url, {"note": "立项", "expected_stage": "screening"})
    assert first.status_code == 302
    second = client.post(url, {"note": "立项", "expected_stage": "screening"})
    assert second.status_code == 200
    text = second.content.decode()
    assert "未作任何更改" in text and world.manager.display_name in text
    assert StageChange.objects.filter(deal=deal).count() == 1


def test_a_stale_page_in_english(client, world, deal):
    colleague = UserFactory(username="colleague")
    world.fund.managers.add(colleague)
    as_(client, colleague).post(urls(world, deal)["deal_move"], {"note": "ok", "expected_stage": "screening"})
    as_(client, world.manager)
    url = "/en" + reverse("funds:deal_move", kwargs={"fund": world.fund.slug, "pk": deal.pk, "transition": "reject"})
    response = client.post(url, {"note": "no", "expected_stage": "screening"})
    assert "This deal was moved to Approved for due diligence by" in response.content.decode()
    assert "nothing was changed" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.APPROVED


@pytest.mark.parametrize("name", ["delete", "save", "nonsense"])
def test_an_undeclared_step_is_not_found(client, world, deal, name):
    as_(client, world.manager)
    url = reverse("funds:deal_move", kwargs={"fund": world.fund.slug, "pk": deal.pk, "transition": name})
    assert client.post(url, {"note": "x"}).status_code == 404
    assert Deal.objects.filter(pk=deal.pk).exists()


# The deal page -----------------------------------------------------------------------------------------------------


def test_the_deal_page_lists_steps_whats_missing_and_history(client, world):
    deal = make_deal(world, stage=DealStage.DUE_DILIGENCE, owner=world.manager, amount="35000000")
    StageChange.objects.create(
        deal=deal, from_stage="approved", to_stage="due_diligence", actor=world.manager, note="进场尽调"
    )
    response = as_(client, world.manager).get(deal.get_absolute_url())
    steps = {step["action"].name: step["missing"] for step in response.context["steps"]}
    assert set(steps) == {"submit_to_committee", "reject", "hold", "withdraw"}
    assert len(steps["submit_to_committee"]) == 2 and steps["reject"] == []
    html = response.content.decode()
    assert "3,500.00万元" in html
    assert "进场尽调" in html
    assert [step["present"] for step in response.context["path"]].index(True) == 3
    english = client.get("/en" + deal.get_absolute_url()).content.decode()
    assert "RMB 35.00 million" in english
    assert "The investment committee needs a due diligence report in the deal room." in english


# The table -----------------------------------------------------------------------------------------------------


@pytest.fixture
def table_world(world):
    lead = UserFactory(username="lead-two")
    world.fund.managers.add(lead)
    drugs = make_company(name="坪山创新药业", subsector=Subsector.INNOVATIVE_DRUGS)
    devices = make_company(name="坪山医疗器械", subsector=Subsector.MEDICAL_DEVICES)
    cells = make_company(name="坪山细胞治疗", subsector=Subsector.CELL_GENE)
    deals = {
        "drugs": make_deal(world, company=drugs, stage=DealStage.SCREENING, amount="10000000", owner=lead),
        "devices": make_deal(
            world, company=devices, stage=DealStage.DUE_DILIGENCE, amount="50000000", days_in_stage=90
        ),
        "cells": make_deal(world, company=cells, stage=DealStage.SCREENING, amount="80000000", source="council"),
    }
    make_deal(world.other_fund, company=make_company(name="别的基金的项目"), stage=DealStage.SCREENING)
    return world, lead, deals


def listed(client, world, query=""):
    response = client.get(f"{reverse('funds:deal_list', kwargs={'fund': world.fund.slug})}?{query}")
    assert response.status_code == 200
    return [deal.company.organization.name for deal in response.context["deals"]]


def test_the_table_filters(client, table_world):
    world, lead, deals = table_world
    as_(client, world.manager)
    assert sorted(listed(client, world)) == ["坪山创新药业", "坪山医疗器械", "坪山细胞治疗"]
    assert sorted(listed(client, world, "stage=screening")) == ["坪山创新药业", "坪山细胞治疗"]
    assert listed(client, world, "subsector=medical_devices") == ["坪山医疗器械"]
    assert listed(client, world, f"owner={lead.pk}") == ["坪山创新药业"]
    assert listed(client, world, "source=council") == ["坪山细胞治疗"]
    assert sorted(listed(client, world, "amount_min=40000000")) == ["坪山医疗器械", "坪山细胞治疗"]
    assert listed(client, world, "amount_min=40000000&amount_max=60000000") == ["坪山医疗器械"]
    assert listed(client, world, "days_min=30") == ["坪山医疗器械"]
    assert listed(client, world, "q=细胞") == ["坪山细胞治疗"]
    assert listed(client, world, "development_stage=phase_3") == []


def test_the_table_sorts(client, table_world):
    world, _, _ = table_world
    as_(client, world.manager)
    assert listed(client, world, "o=-amount") == ["坪山细胞治疗", "坪山医疗器械", "坪山创新药业"]
    assert listed(client, world, "o=amount") == ["坪山创新药业", "坪山医疗器械", "坪山细胞治疗"]
    assert listed(client, world, "o=-stage")[0] == "坪山医疗器械"
    assert listed(client, world, "o=entered")[0] == "坪山医疗器械"


@pytest.mark.parametrize("query", ["amount_min=abc", "amount_min=-5", "days_min=x", "owner=999999", "stage=nope"])
def test_bad_filter_values_say_so_and_do_not_break_the_page(client, table_world, query):
    world, _, _ = table_world
    as_(client, world.manager)
    response = client.get(f"{reverse('funds:deal_list', kwargs={'fund': world.fund.slug})}?{query}")
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_table_pages(client, world):
    for _ in range(55):
        make_deal(world, stage=DealStage.SOURCED)
    as_(client, world.manager)
    url = reverse("funds:deal_list", kwargs={"fund": world.fund.slug})
    first = client.get(f"{url}?stage=sourced")
    assert len(first.context["deals"]) == 50
    assert "stage=sourced&amp;page=2" in first.content.decode()
    assert len(client.get(f"{url}?stage=sourced&page=2").context["deals"]) == 5


def test_saved_filters_are_each_persons_own(client, table_world):
    world, lead, _ = table_world
    save = reverse("funds:saved_filter_save", kwargs={"fund": world.fund.slug})
    as_(client, world.manager)
    response = client.post(save, {"name": "尽调中的器械", "query": "subsector=medical_devices&page=3&evil=1"})
    saved = SavedFilter.objects.get(user=world.manager)
    assert saved.query == "subsector=medical_devices"
    assert response["Location"].endswith("?subsector=medical_devices")
    assert [s.name for s in client.get(response["Location"]).context["saved_filters"]] == ["尽调中的器械"]
    client.post(save, {"name": "尽调中的器械", "query": "stage=due_diligence"})  # the same name replaces it
    assert SavedFilter.objects.get(user=world.manager).query == "stage=due_diligence"
    as_(client, lead)
    assert client.get(reverse("funds:deal_list", kwargs={"fund": world.fund.slug})).context["saved_filters"] == []
    delete = reverse("funds:saved_filter_delete", kwargs={"fund": world.fund.slug, "pk": saved.pk})
    assert client.post(delete).status_code == 404  # not theirs
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    as_(client, world.manager)
    assert client.post(delete).status_code == 302
    assert not SavedFilter.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"), [({"name": "", "query": "stage=sourced"}, "命名"), ({"name": "空", "query": ""}, "")]
)
def test_a_saved_filter_needs_a_name_and_a_filter(client, world, data, message):
    as_(client, world.manager)
    response = client.post(reverse("funds:saved_filter_save", kwargs={"fund": world.fund.slug}), data, follow=True)
    assert not SavedFilter.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert message in " ".join(str(m) for m in response.context["messages"])


# New and changed deals -----------------------------------------------------------------------------------------------


def test_a_new_deal_from_the_form(client, world):
    as_(client, world.manager)
    response = client.post(
        urls(world, make_deal(world, stage=DealStage.SOURCED))["deal_new"],
        {
            "company": world.company.pk,
            "round": Round.PRE_A,
            "amount_requested": "25,000,000",
            "pre_money": "",
            "source": DealSource.ROADSHOW,
            "owner": world.manager.pk,
            "summary": "路演项目",
        },
    )
    deal = Deal.objects.get(company=world.company)
    assert response["Location"] == deal.get_absolute_url()
    assert deal.amount_requested == Decimal("25000000") and deal.stage == DealStage.SOURCED
    assert DealFolder.objects.filter(deal=deal).count() == 5


@pytest.mark.parametrize(("amount", "message"), [("-1", "不能为负"), ("三千万", "数字")])
def test_a_bad_amount_on_the_new_deal_form(client, world, amount, message):
    as_(client, world.manager)
    url = reverse("funds:deal_new", kwargs={"fund": world.fund.slug})
    response = client.post(
        url,
        {"company": world.company.pk, "round": Round.SEED, "amount_requested": amount, "source": DealSource.OWN},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Deal.objects.exists()


def test_changing_a_deal(client, world, deal):
    as_(client, world.manager)
    url = urls(world, deal)["deal_edit"]
    form = {"round": Round.SERIES_B, "amount_requested": "-3", "pre_money": "", "owner": "", "summary": ""}
    assert "不能为负" in client.post(url, form).content.decode()
    assert Deal.objects.get(pk=deal.pk).round == deal.round
    response = client.post(url, form | {"amount_requested": "40000000"})
    assert response.status_code == 302
    changed = Deal.objects.get(pk=deal.pk)
    assert (changed.round, changed.amount_requested, changed.owner) == (Round.SERIES_B, Decimal("40000000"), None)


def test_a_stale_edit_is_refused_and_the_colleagues_save_stays(client, world, deal):
    """Two managers open the edit form; the first saves; the second's save would overwrite it and is refused."""
    as_(client, world.manager)
    url = urls(world, deal)["deal_edit"]
    loaded = client.get(url).context["form"]["loaded"].value()
    assert loaded  # the form carries what it showed
    form = {"round": deal.round, "amount_requested": "45000000", "pre_money": "", "owner": "", "summary": "甲的修改"}
    assert client.post(url, form | {"loaded": loaded}).status_code == 302
    response = client.post(url, form | {"summary": "乙的修改", "amount_requested": "1", "loaded": loaded})
    assert response.status_code == 200 and "另一个窗口" in response.content.decode()
    stored = Deal.objects.get(pk=deal.pk)
    assert (stored.summary, stored.amount_requested) == ("甲的修改", Decimal("45000000"))
    fresh = client.get(url).context["form"]["loaded"].value()
    assert fresh != loaded
    assert client.post(url, form | {"summary": "乙的修改", "loaded": fresh}).status_code == 302
    assert Deal.objects.get(pk=deal.pk).summary == "乙的修改"
