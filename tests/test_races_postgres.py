"""No lost updates (issue 15): two people acting on one thing at the same moment, in real threads on PostgreSQL
(each its own connection and transaction; SQLite serializes every writer, so there is nothing to race there). Each
test ends consistent: one winner, a clear refusal for the other, and the rows say the same as the outcomes.

Elsewhere: two managers moving one deal (tests/test_funds_pipeline_services.py) and two opinions issued at once
(tests/opinions/test_services.py)."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.applications import services as applications
from portal.applications.models import Submission, SupplementRequest
from portal.reviews import services as reviews
from portal.reviews.models import Scorecard
from portal.reviews.testing import cleared_assignment, make_expert, open_round, values_for
from portal.voting import services as voting
from portal.voting.models import Ballot, Poll
from tests import reviews_fixtures
from tests.applications_kind import build_grant_world, filled_draft
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serializes"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture(autouse=True)
def _fresh_types():
    ContentType.objects.clear_cache()


def race(**calls):
    """Run each call in its own thread, released together; {name: "ok" | the refusal's code | the error}."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, call):
        try:
            barrier.wait()
            call()
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = error.code or "invalid"
        except PermissionDenied:
            outcomes[name] = "denied"
        except Exception as error:  # reported by the test's assertion
            outcomes[name] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_the_last_ballot_and_the_close_at_once_leave_a_tally_that_counts_every_stored_ballot(owner_grants):
    body = OrganizationFactory(name="竞态理事会")
    secretariat = UserFactory(username="race-secretariat")
    owner_grants.grant(secretariat, body)
    voters = [UserFactory(username=f"race-voter-{n}") for n in range(3)]
    poll = voting.create_poll(actor=secretariat, subject=OrganizationFactory(), owner=body, title="竞态表决")
    voting.open_poll(actor=secretariat, poll=poll, voters=voters, present=voters)
    for voter in voters[:2]:
        voting.cast_ballot(actor=voter, poll=poll, choice="yes")

    outcomes = race(
        ballot=lambda: voting.cast_ballot(actor=voters[2], poll=Poll.objects.get(pk=poll.pk), choice="no"),
        close=lambda: voting.close_poll(actor=secretariat, poll=Poll.objects.get(pk=poll.pk)),
    )
    assert outcomes["close"] == "ok" and outcomes["ballot"] in ("ok", "closed"), outcomes
    poll.refresh_from_db()
    stored = Ballot.objects.filter(entry__poll=poll).count()
    assert poll.is_closed and stored == (3 if outcomes["ballot"] == "ok" else 2)
    result = ModelLogEntry.objects.get(action="voting.close", object_id=str(poll.pk)).data
    assert result["yes"] + result["no"] + result["abstain"] == stored


def test_two_evaluators_submitting_at_once_are_both_locked_and_compared(manager, owner):
    review_round = open_round(manager, owner)
    assignments = [cleared_assignment(manager, review_round, make_expert(user=UserFactory())) for _ in range(2)]

    def submit(assignment, score):
        return lambda: reviews.submit_scorecard(
            actor=assignment.expert.user, assignment=assignment, values=values_for(review_round, score, score, score)
        )

    outcomes = race(first=submit(assignments[0], 9), second=submit(assignments[1], 2))
    assert outcomes == {"first": "ok", "second": "ok"}
    submits = ModelLogEntry.objects.filter(action="reviews.submit").order_by("pk")
    assert submits.count() == 2
    # One after the other (the round is locked): the first saw nothing to compare with, the second saw the first.
    assert [entry.data.get("outlier") for entry in submits][0] in (False, None)
    assert all(Scorecard.objects.get(assignment=assignment).is_locked for assignment in assignments)


def test_a_double_clicked_submit_sends_the_application_once(owner_grants):
    world = build_grant_world(owner_grants)
    try:
        draft = filled_draft(world)
        click = lambda: applications.submit(actor=world.applicant_a, application=draft)  # noqa: E731
        outcomes = race(first=click, second=click)
        assert sorted(outcomes.values()) in (["denied", "ok"], ["ok", "state"]), outcomes
        assert Submission.objects.filter(application=draft).count() == 1
        assert ModelLogEntry.objects.filter(action="applications.submit", object_id=str(draft.pk)).count() == 1
    finally:
        from portal.applications import kinds

        kinds.unregister(world.kind.code)


def test_two_officers_asking_for_a_supplement_at_once_open_one_request(owner_grants):
    world = build_grant_world(owner_grants)
    colleague = UserFactory(username="grant_colleague")
    owner_grants.grant(colleague, world.owner)
    try:
        draft = filled_draft(world)
        application = applications.submit(actor=world.applicant_a, application=draft)

        def ask(officer):
            return lambda: applications.request_supplement(
                actor=officer,
                application=application,
                message=f"{officer.username}：请补充商业计划书。",
                deadline=timezone.localdate() + timezone.timedelta(days=3),
                items=[world.items["plan"]],
                sections=["plan"],
            )

        outcomes = race(officer=ask(world.officer), colleague=ask(colleague))
        assert sorted(outcomes.values()) in (["denied", "ok"], ["ok", "state"]), outcomes
        assert SupplementRequest.objects.filter(application=application).count() == 1
    finally:
        from portal.applications import kinds

        kinds.unregister(world.kind.code)
