"""The proxy rules of a meeting's attendance (councils.attendance): pure functions, no database."""

import pytest
from django.utils import translation

from councils.attendance import Invitee, errors, merge
from councils.models import Attendance

PRESENT, ABSENT, PROXY, UNRECORDED = Attendance.PRESENT, Attendance.ABSENT, Attendance.PROXY, Attendance.UNRECORDED

# Invitation key → invitee; user ids are the key times ten, so a key is never mistaken for a user id.
CHAIR = Invitee(1, 10, "Chair", True)
MEMBER = Invitee(2, 20, "Member", True)
OTHER = Invitee(3, 30, "Other", True)
GUEST = Invitee(4, 40, "Guest", False)
INVITEES = {invitee.key: invitee for invitee in (CHAIR, MEMBER, OTHER, GUEST)}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(final, proxies_allowed=True, max_proxies_per_holder=1):
    attendance = dict.fromkeys(INVITEES, (UNRECORDED, None)) | final
    problems = errors(
        INVITEES, attendance, proxies_allowed=proxies_allowed, max_proxies_per_holder=max_proxies_per_holder
    )
    return [str(problem) for problem in problems]


def test_a_present_holder_may_carry_one_proxy():
    assert check({1: (PRESENT, None), 2: (PROXY, 10)}) == []


def test_everyone_present_or_absent_is_fine():
    assert check({1: (PRESENT, None), 2: (ABSENT, None), 3: (PRESENT, None), 4: (PRESENT, None)}) == []


def test_the_charter_may_forbid_proxies():
    assert check({1: (PRESENT, None), 2: (PROXY, 10)}, proxies_allowed=False) == [
        "The charter does not allow proxies, so Member cannot give one."
    ]


def test_a_holder_is_named_only_for_a_proxy():
    assert check({1: (PRESENT, None), 2: (ABSENT, 10)}) == [
        "Member is not represented by proxy, so no proxy holder can be named."
    ]


def test_who_has_no_vote_gives_no_proxy():
    assert check({1: (PRESENT, None), 4: (PROXY, 10)}) == ["Guest has no vote, so cannot give a proxy."]


def test_a_proxy_needs_a_holder_and_not_oneself():
    assert check({2: (PROXY, None)}) == ["Choose who holds the proxy of Member."]
    assert check({2: (PROXY, 20)}) == ["Member cannot hold their own proxy."]


def test_the_holder_is_a_voting_invitee_who_is_present():
    assert check({2: (PROXY, 99)}) == ["The proxy of Member can only go to a voting member invited to this meeting."]
    assert check({4: (PRESENT, None), 2: (PROXY, 40)}) == [
        "The proxy of Member can only go to a voting member invited to this meeting."
    ]
    assert check({1: (ABSENT, None), 2: (PROXY, 10)}) == ["Chair is not present, so cannot hold the proxy of Member."]
    # A holder who has given a proxy is not present either: proxies do not chain.
    assert check({1: (PROXY, 30), 2: (PROXY, 10), 3: (PRESENT, None)}) == [
        "Chair is not present, so cannot hold the proxy of Member."
    ]


def test_the_charter_caps_the_proxies_one_holder_carries():
    two = {1: (PRESENT, None), 2: (PROXY, 10), 3: (PROXY, 10)}
    assert check(two, max_proxies_per_holder=2) == []
    assert check(two, max_proxies_per_holder=1) == ["Chair would hold 2 proxies; the charter allows at most 1."]


def test_every_problem_is_listed_at_once_in_the_rows_order():
    final = {1: (ABSENT, None), 2: (PROXY, 10), 3: (PROXY, None), 4: (PROXY, 10)}
    assert check(final) == [
        "Chair is not present, so cannot hold the proxy of Member.",
        "Choose who holds the proxy of Other.",
        "Guest has no vote, so cannot give a proxy.",
    ]


def test_merge_records_over_the_current_attendance():
    current = dict.fromkeys(INVITEES, (UNRECORDED, None))
    final, problems = merge(INVITEES, current, [(1, PRESENT, None), (2, PROXY, 10)])
    assert problems == []
    assert final == {1: (PRESENT, None), 2: (PROXY, 10), 3: (UNRECORDED, None), 4: (UNRECORDED, None)}
    assert current[1] == (UNRECORDED, None)  # the current attendance is not changed in place


def test_merge_refuses_strangers_and_unknown_attendance_and_keeps_the_rest():
    current = dict.fromkeys(INVITEES, (UNRECORDED, None))
    final, problems = merge(INVITEES, current, [(None, PRESENT, None), (99, PRESENT, None), (3, "late", None)])
    assert [str(problem) for problem in problems] == [
        "Someone in the list is not invited to this meeting.",
        "Someone in the list is not invited to this meeting.",
        "Choose the attendance of Other.",
    ]
    assert final == current


def test_messages_read_in_each_readers_language():
    problems = errors(INVITEES, {2: (PROXY, 20)}, proxies_allowed=True, max_proxies_per_holder=1)
    with translation.override("zh-hans"):
        chinese = str(problems[0])
    assert chinese != "Member cannot hold their own proxy." and "Member" in chinese
