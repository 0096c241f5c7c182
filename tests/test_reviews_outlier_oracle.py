"""The outlier check is no oracle (issue 8, finding 6).

Before an expert's own scorecard is locked, nothing they can try depends on the totals the others submitted:
the same expert, making the same attempts in two rounds whose other totals lie far apart, gets identical
answers; two different attempts get no refusal that carries information. Only after submitting is the total
compared, and a flagged expert is asked for a reason without being told the others' median.
"""

import datetime
import difflib
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.accounts.roles import RoleCode
from portal.reviews import services
from portal.reviews.models import AssignmentState, Scorecard
from portal.reviews.testing import cleared_assignment, make_expert, make_rubric, make_subject, open_round, submit
from tests import reviews_fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Per-response tokens, not information: CSRF tokens (form field and htmx header) and script nonces.
_CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]*"')
_ASSIGNMENT = re.compile(r"/assignments/\d+/")


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture
def two_rounds(manager, owner):
    """The same subject, rubric, title and deadline; the others submitted 9s in one round and 2s in the other."""
    rubric, subject = make_rubric(), make_subject("同一申请项目")
    deadline = timezone.now() + datetime.timedelta(days=7)
    rounds = {}
    for peers_score in (9, 2):
        review_round = open_round(
            manager,
            owner,
            rubric=rubric,
            subject=subject,
            title="同一项目评审",
            deadline=deadline,
            outlier_threshold=Decimal(2),
            reviewers_see_scores_after_submit=False,
        )
        for _ in range(2):
            peer = cleared_assignment(manager, review_round, make_expert(user=UserFactory()))
            submit(peer, peers_score, peers_score, peers_score)
        rounds[peers_score] = review_round
    return rounds


def normalized(html):
    return _ASSIGNMENT.sub("/assignments/N/", _CSRF.sub(r"\1", html))


def _diff(first, second):
    lines = lambda answer: [str(answer[0][:2]), *answer[0][2].splitlines(), *answer[1].splitlines()]  # noqa: E731
    return "\n".join(difflib.unified_diff(lines(first), lines(second), lineterm="", n=0))


def attempt(client, assignment, scores, action):
    """POST a scorecard through the page; what the expert then sees (the answer, and the page after it)."""
    criteria = list(assignment.round.rubric.criteria.all())
    data = {"action": action, "comment": "草稿"}
    data |= {f"score_{c.pk}": score for c, score in zip(criteria, scores, strict=True)}
    address = f"/en/workspace/reviews/assignments/{assignment.pk}/"
    response = client.post(address, data)
    answer = (response.status_code, normalized(response.get("Location", "")), normalized(response.content.decode()))
    return answer, normalized(client.get(address).content.decode())


def test_attempts_before_submitting_answer_the_same_whatever_the_others_scored(client, manager, two_rounds):
    prober = UserFactory(roles=[RoleCode.EVALUATOR])
    expert = make_expert(user=prober, name="试探专家")
    mine = {score: cleared_assignment(manager, review_round, expert) for score, review_round in two_rounds.items()}
    client.force_login(prober)
    attempts = [
        (["3", "3", "3"], "save"),  # 6 points below the 9s, 1 above the 2s
        (["9", "9", "9"], "save"),
        (["3", "3", ""], "submit"),  # incomplete: refused, for a reason of its own
        (["11", "3", "3"], "submit"),  # outside the scale
        (["3.555", "3", "3"], "submit"),
        (["2", "2", "2"], "save"),
    ]
    for scores, action in attempts:
        high, low = (attempt(client, mine[score], scores, action) for score in (9, 2))
        assert high == low, (scores, action, _diff(high, low))
        for text in (high[0][2], high[1]):
            assert "outlier" not in text.lower() and "median" not in text.lower()
    for assignment in mine.values():
        assignment.refresh_from_db()
        assert assignment.state == AssignmentState.CLEARED  # nothing submitted by the probing

    # Two different attempts in the same round: neither is refused, and the only difference is the echo of
    # the expert's own numbers.
    high, _page = attempt(client, mine[9], ["1", "1", "1"], "save")
    other, _page = attempt(client, mine[9], ["8", "8", "8"], "save")
    assert high == other  # the same redirect, no error either way

    # The service layer says the same: a draft never runs the outlier check.
    user = prober
    for score, assignment in mine.items():
        card = services.save_scores(
            actor=user, assignment=assignment, values={c.pk: Decimal(3) for c in assignment.round.rubric.criteria.all()}
        )
        assert card.is_outlier is False and card.total is None, score


def test_submission_always_succeeds_and_locks_before_the_check(client, manager, two_rounds):
    prober = UserFactory(roles=[RoleCode.EVALUATOR])
    expert = make_expert(user=prober)
    mine = {score: cleared_assignment(manager, review_round, expert) for score, review_round in two_rounds.items()}
    client.force_login(prober)
    answers = {score: attempt(client, assignment, ["3", "3", "3"], "submit")[0] for score, assignment in mine.items()}
    assert answers[9][:2] == answers[2][:2]  # both accepted with the same redirect
    cards = {score: Scorecard.objects.get(assignment=assignment) for score, assignment in mine.items()}
    assert all(card.is_locked and card.total == Decimal("3.00") for card in cards.values())
    assert cards[9].is_outlier is True and cards[9].awaits_outlier_reason  # 5.5 from the others' median 9
    assert cards[2].is_outlier is False

    # The follow-up asks for a reason and never names the others' totals or their median.
    html = client.get(f"/en/workspace/reviews/assignments/{mine[9].pk}/").content.decode()
    assert 'id="outlier-reason"' in html
    assert "9.00" not in html and "5.5" not in html and ">9<" not in html
    assert 'id="outlier-reason"' not in client.get(f"/en/workspace/reviews/assignments/{mine[2].pk}/").content.decode()
    # An explanation is refused to an expert with nothing to explain, and an empty one changes nothing.
    address = f"/en/workspace/reviews/assignments/{mine[2].pk}/"
    assert client.post(address, {"action": "explain", "outlier_reason": "无"}).status_code == 404
    address = f"/en/workspace/reviews/assignments/{mine[9].pk}/"
    response = client.post(address, {"action": "explain", "outlier_reason": " "})
    assert response.status_code == 200 and "field--error" in response.content.decode()
    assert client.post(address, {"action": "explain", "outlier_reason": "专利稳定性存疑"}).status_code == 302
    cards[9].refresh_from_db()
    assert cards[9].outlier_reason == "专利稳定性存疑" and not cards[9].awaits_outlier_reason
    # The managers see the flag and the reason.
    client.force_login(manager)
    html = client.get(f"/en/workspace/reviews/rounds/{two_rounds[9].pk}/").content.decode()
    assert "outlier" in html and "专利稳定性存疑" in html
