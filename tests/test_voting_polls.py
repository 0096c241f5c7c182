"""Poll services: the electorate snapshot, proxies, ballots (named and secret), closing, audit log, notices."""

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode
from portal.notifications.models import Notification
from portal.organizations.models import Organization
from portal.voting import permissions, services
from portal.voting.models import (
    Ballot,
    ElectorateEntry,
    Poll,
    PollState,
    SecretBallotCount,
    VoteRecord,
)
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


BODY = "测试理事会"


@pytest.fixture(autouse=True)
def body(owner_grants):
    """The body whose votes these are (a stand-in owner); the secretariat holds its MANAGE power."""
    return OrganizationFactory(name=BODY)


@pytest.fixture
def secretariat(owner_grants, body):
    user = UserFactory(roles=[RoleCode.SECRETARIAT])
    owner_grants.grant(user, body)
    return user


@pytest.fixture
def people():
    """Six council members a–f and someone from outside."""
    names = ["a", "b", "c", "d", "e", "f", "outsider"]
    return {name: UserFactory(username=f"member-{name}", real_name=f"成员{name}") for name in names}


def make_poll(actor, **rules):
    rules.setdefault("title", "关于设立产业风险防控专业委员会的议案")
    rules.setdefault("owner", Organization.objects.get(name=BODY))
    return services.create_poll(actor=actor, subject=OrganizationFactory(), **rules)


def open_standard(actor, poll, people, **overrides):
    """a, b, c present; d absent with a proxy to a; e absent without proxy; f recused."""
    arguments = {
        "voters": [people[name] for name in "abcdef"],
        "present": [people[name] for name in "abcf"],
        "recused": [people["f"]],
        "proxies": {people["d"]: people["a"]},
    }
    arguments.update(overrides)
    return services.open_poll(actor=actor, poll=poll, **arguments)


def entry(poll, user):
    return ElectorateEntry.objects.get(poll=poll, user=user)


def snapshot():
    """Row counts of everything a voting action may write."""
    return {
        "polls_open": Poll.objects.filter(state=PollState.OPEN).count(),
        "polls_closed": Poll.objects.filter(state=PollState.CLOSED).count(),
        "entries": ElectorateEntry.objects.count(),
        "ballots": Ballot.objects.count(),
        "records": VoteRecord.objects.count(),
        "secret_total": sum(SecretBallotCount.objects.values_list("count", flat=True)),
        "notifications": Notification.objects.count(),
        "log": ModelLogEntry.objects.filter(action__startswith="voting.").count(),
    }


# --- create ---------------------------------------------------------------------------------------------------


def test_create_poll_is_a_draft_managed_by_its_owners_managers(secretariat, people, body, owner_grants):
    owner_grants.grant(people["b"], body)
    poll = make_poll(secretariat, quorum="2/3", majority="two_thirds", base="present")
    assert poll.state == PollState.DRAFT
    assert poll.quorum == Fraction(2, 3)
    assert poll.owner == body
    assert permissions.can_manage_poll(people["b"], poll)
    assert not permissions.can_manage_poll(people["c"], poll)
    assert ModelLogEntry.objects.filter(action="voting.create", object_id=str(poll.pk)).count() == 1


def test_create_poll_refuses_people_without_the_right(people):
    before = Poll.objects.count()
    with pytest.raises(PermissionDenied):
        make_poll(people["a"])
    assert Poll.objects.count() == before


@pytest.mark.parametrize(
    "who",
    [
        pytest.param({"roles": [RoleCode.SECRETARIAT]}, id="secretariat-role-of-another-body"),
        pytest.param({"roles": [RoleCode.FUND_MANAGER]}, id="fund-manager-role"),
        pytest.param({"is_staff": True}, id="staff"),
    ],
)
def test_a_role_or_staff_grants_no_power_over_a_body(secretariat, people, body, owner_grants, who):
    """Issue 8, finding 1: the secretariat of another council could manage, close and see this one's polls."""
    stranger = UserFactory(**who)
    other_body = OrganizationFactory(name="另一理事会")
    owner_grants.grant(stranger, other_body)
    before = Poll.objects.count()
    with pytest.raises(PermissionDenied):
        make_poll(stranger)
    assert Poll.objects.count() == before
    poll = make_poll(secretariat)
    open_standard(secretariat, poll, people)
    assert not permissions.can_manage_poll(stranger, poll)
    assert not permissions.can_view_poll(stranger, poll)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.close_poll(actor=stranger, poll=poll)
    assert snapshot() == before


def test_a_new_secretariat_takes_over_at_once(secretariat, people, body, owner_grants):
    poll = make_poll(secretariat)
    successor = UserFactory()
    assert not permissions.can_manage_poll(successor, poll)
    owner_grants.grant(successor, body)
    assert permissions.can_manage_poll(successor, Poll.objects.get(pk=poll.pk))


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"quorum": 0.5}, "quorum"),
        ({"quorum": Fraction(4, 3)}, "quorum"),
        ({"majority": "absolute"}, "majority"),
        ({"base": "members"}, "base"),
        ({"title": "  "}, "title"),
        ({"max_proxies_per_holder": -1}, "max_proxies_per_holder"),
    ],
)
def test_create_poll_validates_rules(secretariat, rules, field):
    before = snapshot(), Poll.objects.count()
    with pytest.raises(ValidationError) as error:
        make_poll(secretariat, **rules)
    assert field in error.value.message_dict
    assert (snapshot(), Poll.objects.count()) == before


# --- open: the electorate snapshot ---------------------------------------------------------------------------


def test_opening_snapshots_the_electorate(secretariat, people):
    poll = make_poll(secretariat)
    open_standard(secretariat, poll, people)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN and poll.opened_at is not None
    entries = {e.user.username: e for e in ElectorateEntry.objects.filter(poll=poll).select_related("user")}
    assert set(entries) == {"member-a", "member-b", "member-c", "member-d", "member-e"}  # f recused
    assert entries["member-a"].present and entries["member-a"].proxy_holder is None
    assert not entries["member-d"].present and entries["member-d"].proxy_holder == people["a"]
    assert not entries["member-e"].present and entries["member-e"].proxy_holder is None
    # the electorate is told, the recused member and the outsider are not
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == set(entries)
    log = ModelLogEntry.objects.get(action="voting.open", object_id=str(poll.pk))
    assert log.data["recused"] == [people["f"].pk]
    assert log.data["proxies"] == {str(people["d"].pk): people["a"].pk}


def test_members_added_after_opening_cannot_vote(secretariat, people):
    poll = make_poll(secretariat)
    open_standard(secretariat, poll, people)
    newcomer = UserFactory(roles=[RoleCode.COUNCIL_MEMBER])
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.cast_ballot(actor=newcomer, poll=poll, choice="yes")
    assert not permissions.can_vote(newcomer, poll)
    assert snapshot() == before


def test_present_people_who_are_not_voters_are_ignored(secretariat, people):
    poll = make_poll(secretariat)
    services.open_poll(actor=secretariat, poll=poll, voters=[people["a"]], present=[people["a"], people["outsider"]])
    assert list(ElectorateEntry.objects.filter(poll=poll).values_list("user__username", flat=True)) == ["member-a"]


def _giver_present(p):
    return {"present": [p[n] for n in "abcd"], "proxies": {p["d"]: p["a"]}}


@pytest.mark.parametrize(
    ("case", "code"),
    [
        (lambda p: {"proxies": {p["d"]: p["e"]}}, "proxy_holder_absent"),
        (lambda p: {"proxies": {p["d"]: p["outsider"]}}, "proxy_holder_outsider"),
        (lambda p: {"proxies": {p["outsider"]: p["a"]}}, "proxy_giver_outsider"),
        (lambda p: {"proxies": {p["b"]: p["a"]}}, "proxy_giver_present"),
        (_giver_present, "proxy_giver_present"),
        (lambda p: {"proxies": {p["f"]: p["a"]}}, "proxy_giver_recused"),
        (lambda p: {"recused": [p["f"], p["a"]], "proxies": {p["d"]: p["a"]}}, "proxy_holder_recused"),
        (lambda p: {"proxies": {p["d"]: p["a"], p["e"]: p["a"]}}, "too_many_proxies"),
        (lambda p: {"voters": [], "proxies": {}}, "empty_electorate"),
        (lambda p: {"voters": [p["f"]], "proxies": {}}, "empty_electorate"),
    ],
)
def test_proxy_rules_refuse_and_change_nothing(secretariat, people, case, code):
    poll = make_poll(secretariat)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        open_standard(secretariat, poll, people, **case(people))
    assert code in {item.code for item in error.value.error_list}
    assert snapshot() == before
    poll.refresh_from_db()
    assert poll.state == PollState.DRAFT


def test_a_holder_may_hold_more_proxies_when_the_rules_allow(secretariat, people):
    poll = make_poll(secretariat, max_proxies_per_holder=2)
    open_standard(secretariat, poll, people, proxies={people["d"]: people["a"], people["e"]: people["a"]})
    assert ElectorateEntry.objects.filter(poll=poll, proxy_holder=people["a"]).count() == 2


def test_no_proxies_when_the_rules_forbid_them(secretariat, people):
    poll = make_poll(secretariat, max_proxies_per_holder=0)
    with pytest.raises(ValidationError) as error:
        open_standard(secretariat, poll, people)
    assert error.value.error_list[0].code == "too_many_proxies"
    open_standard(secretariat, poll, people, proxies={})
    assert not ElectorateEntry.objects.filter(poll=poll, proxy_holder__isnull=False).exists()


def test_a_poll_opens_once(secretariat, people):
    poll = make_poll(secretariat)
    open_standard(secretariat, poll, people)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        open_standard(secretariat, poll, people)
    assert error.value.code == "state"  # the lifecycle refuses: it is open already
    assert snapshot() == before


def test_only_managers_open_a_poll(secretariat, people, owner_grants):
    poll = make_poll(secretariat)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        open_standard(people["a"], poll, people)
    assert snapshot() == before
    owner_grants.grant(people["a"], poll.owner)
    open_standard(people["a"], Poll.objects.get(pk=poll.pk), people)


# --- cast ---------------------------------------------------------------------------------------------------


@pytest.fixture
def named_poll(secretariat, people):
    poll = make_poll(secretariat, majority="simple", base="yes_no_abstain", quorum=Fraction(1, 2))
    return open_standard(secretariat, poll, people)


def test_members_cast_one_ballot_each(named_poll, people):
    ballot = services.cast_ballot(actor=people["b"], poll=named_poll, choice="yes")
    assert ballot.entry == entry(named_poll, people["b"]) and ballot.choice == "yes" and ballot.cast_at
    log = ModelLogEntry.objects.get(action="voting.cast")
    assert log.user_id == people["b"].pk and log.data["choice"] == "yes" and not log.data["by_proxy"]

    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=people["b"], poll=named_poll, choice="no")
    assert error.value.code == "already_cast"
    assert snapshot() == before
    assert Ballot.objects.get(entry__user=people["b"]).choice == "yes"


def test_the_database_allows_one_ballot_per_entry(named_poll, people):
    services.cast_ballot(actor=people["b"], poll=named_poll, choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(entry=entry(named_poll, people["b"]), choice="no")
    assert Ballot.objects.filter(entry__user=people["b"]).count() == 1


def test_a_proxy_holder_casts_the_absent_members_ballot_separately(named_poll, people):
    own = services.cast_ballot(actor=people["a"], poll=named_poll, choice="yes")
    held = services.cast_ballot(actor=people["a"], poll=named_poll, choice="no", entry=entry(named_poll, people["d"]))
    assert own.entry.user == people["a"] and own.choice == "yes"
    assert held.entry.user == people["d"] and held.choice == "no"
    # the represented member is told that their ballot was cast
    assert Notification.objects.filter(recipient=people["d"], title__contains=named_poll.title).count() == 2
    assert ModelLogEntry.objects.filter(action="voting.cast", data__by_proxy=True).count() == 1


@pytest.mark.parametrize(
    ("actor", "whose"),
    [
        ("d", None),  # gave a proxy: the holder votes, not them
        ("e", None),  # absent without a proxy
        ("f", None),  # recused
        ("outsider", None),
        ("b", "d"),  # someone else's proxy
        ("a", "b"),  # someone else's own ballot
    ],
)
def test_who_may_not_cast(named_poll, people, actor, whose):
    target = entry(named_poll, people[whose]) if whose else None
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.cast_ballot(actor=people[actor], poll=named_poll, choice="yes", entry=target)
    assert snapshot() == before


def test_an_entry_of_another_poll_is_refused(secretariat, named_poll, people):
    other = open_standard(secretariat, make_poll(secretariat), people)
    with pytest.raises(PermissionDenied):
        services.cast_ballot(actor=people["b"], poll=named_poll, choice="yes", entry=entry(other, people["b"]))


def test_unknown_choice_is_refused(named_poll, people):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=people["b"], poll=named_poll, choice="maybe")
    assert error.value.code == "invalid_choice"
    assert snapshot() == before


def test_a_draft_poll_takes_no_ballots(secretariat, people):
    poll = make_poll(secretariat)
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=people["a"], poll=poll, choice="yes")
    assert error.value.code == "not_open"


def test_no_ballot_after_the_deadline(secretariat, people):
    poll = make_poll(secretariat, closes_at=timezone.now() + datetime.timedelta(hours=1))
    open_standard(secretariat, poll, people)
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=people["b"], poll=poll, choice="yes")
    assert error.value.code == "deadline"
    assert snapshot() == before


# --- close ----------------------------------------------------------------------------------------------------


def test_close_records_the_tally(named_poll, secretariat, people):
    services.cast_ballot(actor=people["a"], poll=named_poll, choice="yes")
    services.cast_ballot(actor=people["a"], poll=named_poll, choice="yes", entry=entry(named_poll, people["d"]))
    services.cast_ballot(actor=people["b"], poll=named_poll, choice="no")
    services.cast_ballot(actor=people["c"], poll=named_poll, choice="abstain")
    Notification.objects.all().delete()
    result = services.close_poll(actor=secretariat, poll=named_poll)
    named_poll.refresh_from_db()
    assert named_poll.state == PollState.CLOSED and named_poll.closed_at
    # electorate a–e (5); taking part: a, b, c in person and d by proxy (4); quorum ⌈5/2⌉ = 3
    assert (named_poll.yes_count, named_poll.no_count, named_poll.abstain_count) == (2, 1, 1)
    assert (named_poll.electorate_count, named_poll.present_count, named_poll.required_present) == (5, 4, 3)
    assert named_poll.base_count == 4  # yes + no + abstain
    assert named_poll.quorum_met is True
    assert named_poll.passed is False  # 2 of 4 is not more than half
    assert result.passed is False and named_poll.result() == result
    log = ModelLogEntry.objects.get(action="voting.close")
    assert log.data["yes"] == 2 and log.data["passed"] is False
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {secretariat.pk}


def test_close_passes_with_a_majority(named_poll, secretariat, people):
    for name in "bc":
        services.cast_ballot(actor=people[name], poll=named_poll, choice="yes")
    services.close_poll(actor=secretariat, poll=named_poll)
    named_poll.refresh_from_db()
    assert named_poll.passed is True and named_poll.base_count == 2


def test_close_without_quorum_does_not_pass(secretariat, people):
    poll = make_poll(secretariat, quorum=Fraction(2, 3), base="yes_no")
    voters = [people[name] for name in "abcdef"]
    services.open_poll(actor=secretariat, poll=poll, voters=voters, present=[people["a"], people["b"]])
    services.cast_ballot(actor=people["a"], poll=poll, choice="yes")
    services.cast_ballot(actor=people["b"], poll=poll, choice="yes")
    result = services.close_poll(actor=secretariat, poll=poll)
    assert result.required_present == 4 and not result.quorum_met and result.majority_met and not result.passed


def test_no_ballot_after_close_and_no_second_close(named_poll, secretariat, people):
    services.close_poll(actor=secretariat, poll=named_poll)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.cast_ballot(actor=people["b"], poll=named_poll, choice="yes")
    assert error.value.code == "closed"
    with pytest.raises(ValidationError) as error:
        services.close_poll(actor=secretariat, poll=named_poll)
    assert error.value.code == "state"
    assert snapshot() == before


def test_only_managers_close(named_poll, people):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.close_poll(actor=people["a"], poll=named_poll)
    assert snapshot() == before


def test_the_owners_managers_and_superusers_close_staff_does_not(secretariat, people, body, owner_grants):
    owner_grants.grant(people["c"], body)
    poll = make_poll(secretariat)
    open_standard(secretariat, poll, people)
    assert permissions.can_manage_poll(people["c"], poll)
    assert permissions.can_manage_poll(UserFactory(is_superuser=True), poll)
    assert not permissions.can_manage_poll(UserFactory(is_staff=True), poll)
    assert not permissions.can_manage_poll(people["b"], poll)
    services.close_poll(actor=people["c"], poll=poll)


def test_state_is_not_assignable(named_poll):
    with pytest.raises(AttributeError):
        named_poll.state = PollState.DRAFT


# --- secret polls ---------------------------------------------------------------------------------------------


@pytest.fixture
def secret_poll(secretariat, people):
    poll = make_poll(secretariat, secret=True, base="yes_no")
    return open_standard(secretariat, poll, people)


def _related_models(model):
    return {field.related_model for field in model._meta.get_fields() if field.is_relation and field.related_model}


def test_no_column_links_a_secret_choice_to_a_voter():
    from django.contrib.auth import get_user_model

    counter_fields = {field.name for field in SecretBallotCount._meta.get_fields()}
    assert counter_fields == {"id", "poll", "choice", "count"}
    assert _related_models(SecretBallotCount) == {Poll}
    assert not any(
        isinstance(field, models.DateTimeField | models.DateField | models.UUIDField)
        for field in SecretBallotCount._meta.get_fields()
    )
    # who voted knows nothing of what
    record_fields = {field.name for field in VoteRecord._meta.get_fields()}
    assert record_fields == {"id", "poll", "entry"}
    assert get_user_model() not in _related_models(SecretBallotCount)
    # and no reverse relation from the electorate or the voter leads to the counters
    assert SecretBallotCount not in _related_models(ElectorateEntry)
    assert SecretBallotCount not in _related_models(VoteRecord)


def test_secret_ballots_are_counted_but_not_attributed(secret_poll, secretariat, people):
    services.cast_ballot(actor=people["a"], poll=secret_poll, choice="yes")
    services.cast_ballot(actor=people["a"], poll=secret_poll, choice="no", entry=entry(secret_poll, people["d"]))
    services.cast_ballot(actor=people["b"], poll=secret_poll, choice="yes")
    services.cast_ballot(actor=people["c"], poll=secret_poll, choice="abstain")
    assert not Ballot.objects.exists()
    assert VoteRecord.objects.filter(poll=secret_poll).count() == 4
    counts = dict(SecretBallotCount.objects.filter(poll=secret_poll).values_list("choice", "count"))
    assert counts == {"yes": 2, "no": 1, "abstain": 1}
    # the audit log says who cast a ballot, never what it said
    for log in ModelLogEntry.objects.filter(action="voting.cast"):
        assert "choice" not in log.data
        assert not {"yes", "no", "abstain"} & {str(value) for value in log.data.values()}

    result = services.close_poll(actor=secretariat, poll=secret_poll)
    assert (result.yes, result.no, result.abstain, result.base) == (2, 1, 1, 3)
    assert result.passed  # 2 of 3 yes/no votes, quorum 4 of 5 ≥ 3


def test_a_secret_ballot_is_cast_once(secret_poll, people):
    services.cast_ballot(actor=people["b"], poll=secret_poll, choice="yes")
    before = snapshot()
    with pytest.raises(ValidationError):
        services.cast_ballot(actor=people["b"], poll=secret_poll, choice="no")
    assert snapshot() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteRecord.objects.create(poll=secret_poll, entry=entry(secret_poll, people["b"]))


def test_every_secret_counter_is_rewritten_by_each_cast(secret_poll, people):
    """The rows of the counters must not tell which one a ballot went to (see SecretBallotCount)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.cast_ballot(actor=people["b"], poll=secret_poll, choice="no")
    updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "secretballotcount" in q["sql"]
    ]
    assert len(updates) == 1 and "CASE WHEN" in updates[0]
    assert "WHERE" in updates[0] and "choice" not in updates[0].split("WHERE", 1)[1]
