"""Panel review pages: who sees what (404 for everyone else), forms, and list query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.roles import RoleCode
from portal.reviews import services
from portal.reviews.models import AssignmentState, Scorecard
from portal.reviews.testing import cleared_assignment, make_expert, make_subject, open_round, submit
from tests import reviews_fixtures
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "康源生物 PD-1 抗体项目融资申请"
ORG = "深圳坪山康源生物医药有限公司"
ORG_EN = "Kangyuan Biomedicine Co."  # what the English pages show


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture
def review_round(manager, owner):
    organization = OrganizationFactory(name=ORG, name_en=ORG_EN)
    return open_round(manager, owner, subject=make_subject(SUBJECT), subject_organization=organization, min_scores=2)


def evaluator():
    return UserFactory(roles=[RoleCode.EVALUATOR])


def invited(manager, review_round, override_reason="", **expert_fields):
    user = evaluator()
    return services.assign_expert(
        actor=manager,
        review_round=review_round,
        expert=make_expert(user=user, **expert_fields),
        override_reason=override_reason,
    )


def url(assignment):
    return f"/en/workspace/reviews/assignments/{assignment.pk}/"


def round_url(review_round):
    return f"/en/workspace/reviews/rounds/{review_round.pk}/"


def page(client, user, address):
    client.force_login(user)
    response = client.get(address)
    return response, response.content.decode() if response.status_code == 200 else ""


# --- permissions per URL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/workspace/reviews/", "/workspace/reviews/assignments/1/", "/workspace/reviews/rounds/1/"]
)
def test_anonymous_users_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_invited_assignee_sees_the_invitation_but_no_material(client, manager, review_round):
    assignment = invited(manager, review_round)
    response, html = page(client, assignment.expert.user, url(assignment))
    assert response.status_code == 200
    assert 'value="accept"' in html
    assert SUBJECT not in html and ORG not in html and ORG_EN not in html
    assert 'name="score_' not in html


def test_accepted_assignee_must_declare_first_and_sees_suggested_conflicts(client, manager, review_round):
    # Staff overrode the suggestion; the expert still sees it before declaring.
    assignment = invited(
        manager, review_round, override_reason="经批准", affiliation_name="康源生物医药（深圳）有限公司"
    )
    services.accept_assignment(actor=assignment.expert.user, assignment=assignment)
    response, html = page(client, assignment.expert.user, url(assignment))
    assert response.status_code == 200
    assert 'id="declaration"' in html
    assert "similar to the organization under review" in html
    assert SUBJECT not in html and ORG not in html and ORG_EN not in html
    assert 'name="score_' not in html


def test_after_declaring_no_conflict_the_material_and_scoring_form_appear(client, manager, review_round):
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    response, html = page(client, assignment.expert.user, url(assignment))
    assert response.status_code == 200
    assert SUBJECT in html and ORG_EN in html
    assert ORG in page(client, assignment.expert.user, url(assignment).removeprefix("/en"))[1]
    for criterion in review_round.rubric.criteria.all():
        assert f'name="score_{criterion.pk}"' in html
        assert criterion.guidance in html
    assert 'min="0.00"' in html or 'min="0"' in html
    assert 'id="declaration"' not in html


def test_hidden_applicant_identity(client, manager, owner):
    organization = OrganizationFactory(name=ORG, name_en=ORG_EN)
    hidden = open_round(
        manager, owner, subject=make_subject(SUBJECT), subject_organization=organization, hide_applicant_identity=True
    )
    assignment = cleared_assignment(manager, hidden, make_expert(user=evaluator()))
    html = page(client, assignment.expert.user, url(assignment))[1]
    assert SUBJECT not in html and "康源" not in html  # the subject's name carries the firm's (finding 5)
    assert f"Review project R-{hidden.pk}" in html
    assert ORG not in html and ORG_EN not in html
    assert "Hidden in this review" in html
    assert ORG_EN in page(client, manager, round_url(hidden))[1]  # staff see it


def test_recused_and_declined_assignees_get_404(client, manager, review_round):
    recused = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    services.declare_conflict(actor=recused.expert.user, assignment=recused, has_conflict=True, kind="competitor")
    declined = invited(manager, review_round)
    services.decline_assignment(actor=declined.expert.user, assignment=declined)
    for assignment in (recused, declined):
        assert page(client, assignment.expert.user, url(assignment))[0].status_code == 404
        # still listed, without a link
        html = page(client, assignment.expert.user, "/en/workspace/reviews/")[1]
        assert review_round.title in html
        assert url(assignment) not in html


def test_other_evaluator_and_applicant_get_404(client, manager, review_round):
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    other = evaluator()
    cleared_assignment(manager, review_round, make_expert(user=other))
    applicant = UserFactory(roles=[RoleCode.APPLICANT])
    for user in (other, applicant):
        assert page(client, user, url(assignment))[0].status_code == 404
        assert page(client, user, round_url(review_round))[0].status_code == 404
        client.force_login(user)
        assert client.post(url(assignment), {"action": "submit"}).status_code == 404
    assert page(client, assignment.expert.user, round_url(review_round))[0].status_code == 404
    assert page(client, manager, "/en/workspace/reviews/assignments/999999/")[0].status_code == 404


def test_manager_sees_round_with_scores_conflicts_and_dispersion(client, manager, owner):
    organization = OrganizationFactory(name=ORG)
    review_round = open_round(
        manager,
        owner,
        subject=make_subject(SUBJECT),
        subject_organization=organization,
        spread_threshold=Decimal(3),
    )
    first = cleared_assignment(manager, review_round, make_expert(user=evaluator(), name="王专家"))
    second = cleared_assignment(manager, review_round, make_expert(user=evaluator(), name="李专家"))
    conflicted = services.assign_expert(
        actor=manager,
        review_round=review_round,
        expert=make_expert(user=evaluator(), name="赵专家", affiliation=organization),
        override_reason="经批准",
    )
    submit(first, 9, 9, 9)
    submit(second, 4, 4, 4)
    response, html = page(client, manager, round_url(review_round))
    assert response.status_code == 200
    assert "王专家" in html and "李专家" in html and "赵专家" in html
    assert "works for the organization under review" in html
    assert "9.00" in html and "4.00" in html
    assert 'id="result-value">6.50<' in html
    assert "widely dispersed" in html
    # The manager may open an assignment read-only.
    response, html = page(client, manager, url(first))
    assert response.status_code == 200
    assert SUBJECT in html
    assert 'name="score_' not in html
    assert conflicted.state == AssignmentState.INVITED


# --- others' scores --------------------------------------------------------------------------------------


@pytest.mark.parametrize("allowed", [True, False])
def test_others_scores_only_after_submitting_and_only_if_the_round_allows(client, manager, allowed, owner):
    review_round = open_round(manager, owner, reviewers_see_scores_after_submit=allowed)
    first = cleared_assignment(manager, review_round, make_expert(user=evaluator(), name="王专家"))
    second = cleared_assignment(manager, review_round, make_expert(user=evaluator(), name="李专家"))
    submit(first, 3, 3, 3)

    html = page(client, second.expert.user, url(second))[1]
    assert 'id="other-scores"' not in html
    assert "3.00" not in html

    submit(second, 8, 8, 8)
    html = page(client, second.expert.user, url(second))[1]
    assert 'id="own-scorecard"' in html and "8.00" in html
    assert ('id="other-scores"' in html) is allowed
    assert ("3.00" in html) is allowed
    assert "王专家" not in html  # who scored is never shown to reviewers


# --- forms -----------------------------------------------------------------------------------------------


def post_scores(client, assignment, scores, action="submit", language="en", **extra):
    criteria = list(assignment.round.rubric.criteria.all())
    data = {"action": action, "comment": "", "outlier_reason": ""}
    for criterion, score in zip(criteria, scores, strict=True):
        data[f"score_{criterion.pk}"] = score
        data[f"reason_{criterion.pk}"] = extra.pop(f"reason_{criterion.name_en}", "")
    data.update(extra)
    client.force_login(assignment.expert.user)
    prefix = "/en" if language == "en" else ""
    return client.post(f"{prefix}/workspace/reviews/assignments/{assignment.pk}/", data)


def test_score_outside_scale_gives_a_form_error_and_saves_nothing(client, manager, review_round):
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    response = post_scores(client, assignment, ["11", "5", "5"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "field--error" in html
    assert "less than or equal to 10" in html
    assert not Scorecard.objects.filter(assignment=assignment).exists()
    # The same in Chinese, the default language.
    html = post_scores(client, assignment, ["11", "5", "5"], language="zh").content.decode()
    assert "field--error" in html
    assert "确保该值小于或等于10" in html
    assert not Scorecard.objects.filter(assignment=assignment).exists()


def test_missing_score_and_missing_reason_give_form_errors(client, manager, owner):
    from portal.reviews.testing import make_rubric

    rubric = make_rubric(Technology={"reason_required_below": Decimal(3)})
    review_round = open_round(manager, owner, rubric=rubric)
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    html = post_scores(client, assignment, ["5", "", "5"]).content.decode()
    assert "Give a score for “Team”" in html
    html = post_scores(client, assignment, ["2", "5", "5"]).content.decode()
    assert "needs a written reason" in html
    assert not Scorecard.objects.filter(assignment=assignment).exists()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CLEARED

    response = post_scores(client, assignment, ["2", "5", "5"], reason_Technology="方案不可行")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    assert Scorecard.objects.get(assignment=assignment).total == Decimal("3.50")  # (6 + 10 + 5) / 6


def test_the_whole_journey_through_the_page(client, manager, review_round):
    assignment = invited(manager, review_round)
    client.force_login(assignment.expert.user)
    assert client.post(url(assignment), {"action": "accept"}).status_code == 302
    response = client.post(url(assignment), {"action": "declare", "answer": "conflict"})
    assert response.status_code == 200
    assert "Choose the kind of conflict" in response.content.decode()
    assert client.post(url(assignment), {"action": "declare", "answer": "none"}).status_code == 302
    assert post_scores(client, assignment, ["6", "", ""], action="save").status_code == 302
    assert Scorecard.objects.get(assignment=assignment).scores.count() == 1
    assert 'value="6.00"' in client.get(url(assignment)).content.decode()
    assert post_scores(client, assignment, ["6", "7", "8"]).status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    # Locked: the form is gone and posting again changes nothing.
    assert 'name="score_' not in client.get(url(assignment)).content.decode()
    post_scores(client, assignment, ["1", "1", "1"])
    assert Scorecard.objects.get(assignment=assignment).total == Decimal("6.67")


def test_declaring_a_conflict_through_the_page_recuses(client, manager, review_round):
    assignment = invited(manager, review_round)
    services.accept_assignment(actor=assignment.expert.user, assignment=assignment)
    client.force_login(assignment.expert.user)
    response = client.post(url(assignment), {"action": "declare", "answer": "conflict", "kind": "equity"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.RECUSED
    assert client.get(url(assignment)).status_code == 404


def test_manager_actions_on_the_round_page(client, manager, review_round):
    client.force_login(manager)
    expert = make_expert(user=evaluator(), affiliation_name="康源生物医药（深圳）有限公司")
    response = client.post(round_url(review_round), {"action": "assign", "expert": expert.pk})
    assert response.status_code == 200
    assert "Possible conflict of interest" in response.content.decode()
    assert not review_round.assignments.exists()
    response = client.post(
        round_url(review_round), {"action": "assign", "expert": expert.pk, "override_reason": "唯一"}
    )
    assert response.status_code == 302
    assert review_round.assignments.count() == 1
    response = client.post(round_url(review_round), {"action": "close"})
    assert response.status_code == 200
    assert "required scorecards are in" in response.content.decode()
    assert client.post(round_url(review_round), {"action": "close", "reason": "测试"}).status_code == 302
    review_round.refresh_from_db()
    assert review_round.state == "closed"


# --- the list and the dashboard panel --------------------------------------------------------------------


def _assignments_for(user, manager, owner, count):
    expert = make_expert(user=user)
    for _ in range(count):
        review_round = open_round(manager, owner)
        services.assign_expert(actor=manager, review_round=review_round, expert=expert)
    return expert


def _count(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_assignment_list_query_count_is_constant(client, manager, owner):
    few_user, many_user = evaluator(), evaluator()
    _assignments_for(few_user, manager, owner, 3)
    _assignments_for(many_user, manager, owner, 30)
    client.force_login(few_user)
    client.get("/workspace/reviews/")
    few, few_html = _count(client, "/workspace/reviews/")
    client.force_login(many_user)
    client.get("/workspace/reviews/")
    many, many_html = _count(client, "/workspace/reviews/")
    assert few_html.count('class="assignment-row"') == 3
    assert many_html.count('class="assignment-row"') == 30
    print(f"assignment list: {few} queries with 3 assignments, {many} with 30")
    assert few == many
    # and the dashboard panel
    client.force_login(few_user)
    few, _html = _count(client, "/workspace/")
    client.force_login(many_user)
    many, html = _count(client, "/workspace/")
    assert "My review assignments" in html or "我的评审任务" in html or "reviews/assignments" in html
    assert few == many


def test_dashboard_panel_for_experts_and_evaluators(client, manager, review_round, owner):
    assignment = invited(manager, review_round)
    client.force_login(assignment.expert.user)
    html = client.get("/en/workspace/").content.decode()
    assert "My review assignments" in html
    assert f"/en/workspace/reviews/assignments/{assignment.pk}/" in html
    # An expert with assignments but no evaluator role sees it too; a plain applicant does not.
    plain = UserFactory()
    _assignments_for(plain, manager, owner, 1)
    client.force_login(plain)
    assert "My review assignments" in client.get("/en/workspace/").content.decode()
    client.force_login(UserFactory(roles=[RoleCode.APPLICANT]))
    assert "My review assignments" not in client.get("/en/workspace/").content.decode()


def test_overdue_deadline_shown(client, manager, review_round):
    assignment = invited(manager, review_round)
    review_round.deadline = timezone.now() - datetime.timedelta(days=1)
    html = page(client, assignment.expert.user, "/en/workspace/reviews/")[1]
    assert review_round.title in html


def test_round_page_shows_zero_spread_not_a_dash(client, manager, review_round):
    submit(cleared_assignment(manager, review_round, make_expert(user=evaluator())), 7, 7, 7)
    html = page(client, manager, round_url(review_round))[1]
    assert 'id="result-value">7.00<' in html
    assert "<dd>0.00</dd>" in html  # spread and standard deviation of one score


def test_managers_find_their_rounds_on_the_dashboard(client, manager, review_round):
    client.force_login(manager)
    html = client.get("/en/workspace/").content.decode()
    assert "Review rounds I manage" in html
    assert f"/en/workspace/reviews/rounds/{review_round.pk}/" in html
    client.force_login(evaluator())
    assert "Review rounds I manage" not in client.get("/en/workspace/").content.decode()
