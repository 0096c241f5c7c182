"""Scoring a deal through portal.reviews: the biomedicine rubric, starting a round with suggested experts
(conflicts excluded) and chosen material, the evaluator reading exactly that material, and the deal page's reviews
block (aggregate, dispersion, comments) for the fund's managers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from funds.models import DealStage, DocumentKind
from funds.rubrics import CRITERIA, biomedicine_rubric
from funds.services import room, scoring
from portal import lifecycle
from portal.accounts.roles import RoleCode
from portal.history.models import Event
from portal.reviews import services as reviews
from portal.reviews.models import AssignmentState, ReviewRound, RoundMaterial, RoundState
from portal.reviews.testing import make_expert
from tests.factories import UserFactory
from tests.funds_world import FundWorld, make_deal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return FundWorld.with_rubric()


@pytest.fixture
def deal(world):
    return make_deal(world, company=world.company, stage=DealStage.DUE_DILIGENCE)


def document(world, deal, title, kind=DocumentKind.OTHER):
    return room.upload_document(
        actor=world.manager,
        deal=deal,
        folder=deal.folders.get(name="尽职调查"),
        kind=kind,
        title=title,
        upload=SimpleUploadedFile(f"{title}.pdf", PDF + title.encode()),
    )


def codes(error) -> set:
    """The codes of a ValidationError's messages (tests read codes, not one language's words)."""
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def expert(*, conflicted_with=None, theme=None, name=None):
    user = UserFactory(roles=[RoleCode.EVALUATOR])
    made = make_expert(user=user, name=name, affiliation=conflicted_with)
    if theme is not None:
        made.themes.add(theme)
    return made


@pytest.fixture
def panel(world):
    """Two biomedicine experts, one without a theme, one who works for the company (a conflict)."""
    return {
        "first": expert(theme=world.fund.theme, name="甲专家"),
        "second": expert(theme=world.fund.theme, name="乙专家"),
        "generalist": expert(name="丙专家"),
        "conflicted": expert(conflicted_with=world.company.organization, theme=world.fund.theme, name="丁专家"),
    }


def start(world, deal, *, experts=(), keys=("deal:summary",), actor=None, **options):
    options.setdefault("title", "项目评审")
    options.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    options.setdefault("spread_threshold", Decimal("2"))
    options.setdefault("min_scores", 2)
    return scoring.start_review(
        actor=actor or world.manager, deal=deal, experts=list(experts), keys=list(keys), **options
    )


# --- the rubric ------------------------------------------------------------------------------------------------


def test_the_biomedicine_rubric_has_ten_weighted_criteria_in_both_languages():
    rubric = biomedicine_rubric()
    criteria = list(rubric.criteria.all())
    assert len(criteria) == 10 == len(CRITERIA)
    assert sum(c.weight for c in criteria) == 100
    assert [c.name_en for c in criteria][:2] == ["Science and mechanism", "Clinical and regulatory path"]
    assert criteria[-1].name_zh == "政策契合与坪山落地"
    assert all(c.name_zh and c.name_en and c.guidance and c.guidance_en for c in criteria)
    assert rubric.weight_error() is None
    assert biomedicine_rubric().pk == rubric.pk  # get-or-create


def test_the_rubric_function_follows_a_revision(world, deal):
    start(world, deal)  # in use: frozen
    revised = reviews.revise_rubric(actor=world.superuser, rubric=world.fund.rubric)
    assert biomedicine_rubric().pk == revised.pk
    assert scoring.rubric_for(world.fund).pk == revised.pk  # the fund's next round scores with the latest


# --- starting a round ------------------------------------------------------------------------------------------


def test_suggestions_leave_out_conflicts_and_put_the_funds_theme_first(world, deal, panel):
    suggested = scoring.suggested_experts(deal)
    assert panel["conflicted"] not in suggested
    assert suggested.index(panel["first"]) < suggested.index(panel["generalist"])
    assert suggested.index(panel["second"]) < suggested.index(panel["generalist"])


def test_a_manager_starts_an_open_round_with_experts_and_material(world, deal, panel):
    report = document(world, deal, "尽调报告", DocumentKind.DD_REPORT)
    review_round = start(
        world,
        deal,
        experts=[panel["first"], panel["second"]],
        keys=["deal:summary", f"document:{report.pk}"],
        open_now=True,
    )
    assert review_round.owner == world.fund and review_round.subject == deal
    assert review_round.rubric == world.fund.rubric and review_round.state == RoundState.OPEN
    assert review_round.subject_organization == world.company.organization
    assert list(review_round.themes.all()) == [world.fund.theme]
    assert review_round.deadline.astimezone(timezone.get_current_timezone()).time() == datetime.time(23, 59)
    assert {a.expert for a in review_round.assignments.all()} == {panel["first"], panel["second"]}
    assert [m.key for m in review_round.material.all()] == ["deal:summary", f"document:{report.pk}"]
    assert ModelLogEntry.objects.filter(action="funds.start_review", object_id=str(deal.pk)).exists()
    assert Event.objects.filter(verb="funds.started_review").exists()


def test_a_conflicted_expert_is_refused_and_nothing_is_created(world, deal, panel):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        start(world, deal, experts=[panel["first"], panel["conflicted"]])
    assert "Possible conflict of interest" in str(refused.value)
    assert not ReviewRound.objects.exists() and not RoundMaterial.objects.exists()


def test_a_fund_without_a_rubric_is_told_so(world, deal):
    world.fund.rubric = None
    world.fund.save()
    with pytest.raises(ValidationError) as refused:
        start(world, deal)
    assert codes(refused.value) == {"no_rubric"}
    assert not ReviewRound.objects.exists()


def test_an_ended_deal_is_not_scored(world):
    ended = make_deal(world, stage=DealStage.REJECTED)
    with pytest.raises(ValidationError):
        start(world, ended)
    assert not ReviewRound.objects.exists()


def test_a_past_deadline_is_refused(world, deal):
    with pytest.raises(ValidationError) as refused:
        start(world, deal, deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert "deadline" in refused.value.message_dict
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_chair", "ic_member", "firm", "outsider"])
def test_only_the_funds_managers_start_a_round(world, deal, who):
    with pytest.raises(PermissionDenied):
        start(world, deal, actor=getattr(world, who))
    assert not ReviewRound.objects.exists()


def page(deal):
    return f"/en/workspace/funds/{deal.fund.slug}/deals/{deal.pk}/reviews/new/"


def test_the_start_page_offers_suggested_experts_and_the_material(client, world, deal, panel):
    report = document(world, deal, "尽调报告")
    client.force_login(world.manager)
    html = client.get(page(deal)).content.decode()
    assert "甲专家" in html and "丙专家" in html and "丁专家" not in html
    assert "Deal summary" in html and "尽调报告" in html
    response = client.post(
        page(deal),
        {
            "title": "项目评审",
            "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "min_scores": 3,
            "spread_threshold": "2",
            "experts": [panel["first"].pk],
            "keys": [f"document:{report.pk}"],
            "open_now": "on",
        },
    )
    review_round = ReviewRound.objects.get()
    assert response.status_code == 302 and response["Location"] == review_round.get_absolute_url()
    assert review_round.is_open and [m.key for m in review_round.material.all()] == [f"document:{report.pk}"]


def test_the_start_page_shows_a_refusal_and_changes_nothing(client, world, deal, panel):
    client.force_login(world.manager)
    response = client.post(
        f"/workspace/funds/{deal.fund.slug}/deals/{deal.pk}/reviews/new/",
        {"title": "项目评审", "deadline": "2020-01-01", "min_scores": 3, "keys": ["deal:summary"]},
    )
    assert response.status_code == 200 and "截止" in response.content.decode()
    assert not ReviewRound.objects.exists()
    response = client.post(page(deal), {"title": "x", "deadline": "soon", "min_scores": "-1"})
    assert response.status_code == 200 and not ReviewRound.objects.exists()


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_member", "firm", "outsider"])
def test_the_start_page_is_404_for_everyone_else(client, world, deal, who):
    client.force_login(getattr(world, who))
    assert client.get(page(deal)).status_code == 404
    data = {"title": "项目评审", "deadline": "2099-01-01", "min_scores": 1}
    assert client.post(page(deal), data).status_code == 404
    assert not ReviewRound.objects.exists()


# --- the evaluator's material ----------------------------------------------------------------------------------


@pytest.fixture
def scored(world, deal, panel):
    """An open round exposing the summary and the plan, but not the memo of the same deal room."""
    plan = document(world, deal, "商业计划书")
    memo = document(world, deal, "内部备忘录")
    review_round = start(
        world, deal, experts=[panel["first"]], keys=["deal:summary", f"document:{plan.pk}"], open_now=True
    )
    assignment = review_round.assignments.get(expert=panel["first"])
    return {"round": review_round, "assignment": assignment, "plan": plan, "memo": memo}


def clear(assignment):
    user = assignment.expert.user
    reviews.accept_assignment(actor=user, assignment=assignment)
    reviews.declare_conflict(actor=user, assignment=assignment, has_conflict=False)


def test_an_accepted_evaluator_reads_and_downloads_exactly_the_exposed_material(client, world, scored):
    assignment = scored["assignment"]
    clear(assignment)
    client.force_login(assignment.expert.user)
    html = client.get(f"/en/workspace/reviews/assignments/{assignment.pk}/").content.decode()
    assert "商业计划书" in html and "Deal summary" in html and "内部备忘录" not in html
    rows = {row.key: row for row in scored["round"].material.all()}
    download = client.get(rows[f"document:{scored['plan'].pk}"].get_absolute_url())
    assert download.status_code == 200 and b"".join(download) == PDF + "商业计划书".encode()
    summary = client.get(rows["deal:summary"].get_absolute_url()).content.decode()
    assert world.company.organization.name in summary or str(world.company) in summary
    assert "Series A" in summary
    reads = ModelLogEntry.objects.filter(action="reviews.read_material", object_id=str(scored["round"].pk))
    assert reads.count() == 2 and {r.user_id for r in reads} == {assignment.expert.user.pk}


def test_a_document_that_is_not_exposed_is_404_even_with_a_guessed_url(client, world, deal, scored, panel):
    assignment = scored["assignment"]
    clear(assignment)
    client.force_login(assignment.expert.user)
    assert client.get(scored["memo"].get_absolute_url()).status_code == 404  # the deal room itself
    assert client.get(scored["plan"].get_absolute_url()).status_code == 404  # exposed, but not through the room
    # The memo exposed by another round of the same deal does not open for this round's evaluator.
    other = start(world, deal, experts=[panel["second"]], keys=[f"document:{scored['memo'].pk}"], open_now=True)
    guessed = other.material.get().get_absolute_url()
    assert client.get(guessed).status_code == 404
    assert not ModelLogEntry.objects.filter(action="reviews.read_material").exists()


@pytest.mark.parametrize("state", ["invited", "declined", "recused"])
def test_evaluators_who_did_not_accept_or_recused_get_404(client, scored, state):
    assignment = scored["assignment"]
    user = assignment.expert.user
    if state == "declined":
        reviews.decline_assignment(actor=user, assignment=assignment)
    if state == "recused":
        reviews.accept_assignment(actor=user, assignment=assignment)
        reviews.declare_conflict(actor=user, assignment=assignment, has_conflict=True, kind="equity")
    client.force_login(user)
    for row in scored["round"].material.all():
        assert client.get(row.get_absolute_url()).status_code == 404


def test_an_unassigned_evaluator_gets_404(client, scored):
    client.force_login(UserFactory(roles=[RoleCode.EVALUATOR]))
    for row in scored["round"].material.all():
        assert client.get(row.get_absolute_url()).status_code == 404


# --- the deal page's reviews block -----------------------------------------------------------------------------


def reviews_block(user, deal, language="en"):
    request = RequestFactory().get("/")
    request.user = user
    with translation.override(language):
        return render_to_string("funds/deals/_reviews.html", {"deal": deal, "fund": deal.fund}, request=request)


def submit(assignment, score, comment):
    clear(assignment)
    criteria = list(assignment.round.rubric.criteria.all())
    return reviews.submit_scorecard(
        actor=assignment.expert.user,
        assignment=assignment,
        values={c.pk: Decimal(score) for c in criteria},
        comment=comment,
    )


def test_managers_see_the_aggregate_dispersion_and_comments(world, deal, panel):
    review_round = start(world, deal, experts=[panel["first"], panel["second"]], open_now=True)
    first, second = review_round.assignments.order_by("pk")
    submit(first, 8, "机制清楚，数据扎实")
    submit(second, 4, "临床路径风险大")
    html = reviews_block(world.manager, deal)
    assert review_round.get_absolute_url() in html.replace("/en/", "/") or f"/rounds/{review_round.pk}/" in html
    assert "Open for scoring" in html
    assert "6.00" in html  # the mean of 8 and 4
    assert "Widely dispersed" in html  # spread 4 > 2
    assert "机制清楚，数据扎实" in html and "临床路径风险大" in html
    assert "甲专家" not in html  # comments unnamed here
    assert "Start a review round" in html
    zh = reviews_block(world.manager, deal, "zh-hans")
    assert "6.00" in zh and "评分分歧较大" in zh


def test_others_who_see_the_deal_see_no_scores(world, deal, panel):
    review_round = start(world, deal, experts=[panel["first"]], open_now=True)
    submit(review_round.assignments.get(), 8, "机制清楚")
    from funds.models import CommitteeMeeting

    meeting = CommitteeMeeting.objects.create(
        committee=world.committee, title="投决会", starts_at=timezone.now(), created_by=world.manager
    )
    meeting.items.create(deal=deal)
    assert reviews_block(world.ic_member, deal).strip() == ""


def test_a_closed_round_and_a_dd_report_open_the_way_to_the_committee(world, deal, panel):
    review_round = start(world, deal, experts=[panel["first"]], min_scores=1, open_now=True)
    assert len(lifecycle.blockers(deal, "submit_to_committee")) == 2
    submit(review_round.assignments.get(), 7, "")
    reviews.close_round(actor=world.manager, review_round=review_round)
    document(world, deal, "尽调报告", DocumentKind.DD_REPORT)
    assert lifecycle.blockers(deal, "submit_to_committee") == []
    assert review_round.assignments.get().state == AssignmentState.SUBMITTED
