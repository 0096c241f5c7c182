"""A vote about an opinion (the council's sign-off vote on a feedback opinion): its page shows the deadline and
links the opinion for those who may read it; issuing or revoking the opinion closes the vote, which has nothing
left to decide."""

# ruff: noqa: F811 (the opinion tests' fixtures are imported by name and requested as arguments)

import contextlib
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.notifications.models import Notification
from portal.opinions import services as opinions
from portal.opinions.models import OpinionState
from portal.voting import services as voting
from portal.voting.models import PollState
from tests.factories import UserFactory
from tests.opinions.conftest import approve, fast_pdf, issuer, make_opinion, owner, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(people):
    return [people["first"], people["second"]]


def open_vote(owner, people, voters, opinion, **rules):
    poll = voting.create_poll(
        actor=people["editor"], owner=owner, subject=opinion, title="是否同意报送本次政策评议意见", **rules
    )
    return voting.open_poll(actor=people["editor"], poll=poll, voters=voters, present=voters)


def poll_page(client, poll, viewer, language=None):
    """The poll's page as ``viewer`` reads it, through its link reversed in ``language`` (by default the active one)."""
    client.force_login(viewer)
    with translation.override(language) if language else contextlib.nullcontext():
        url = poll.get_absolute_url()
    return client.get(url).content.decode()


def issue(opinion, people):
    opinions.request_issue(actor=people["editor"], opinion=opinion)
    return opinions.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)


# The page --------------------------------------------------------------------------------------------------


def test_the_poll_page_shows_its_deadline_and_links_the_opinion_for_its_editor(client, issuer, owner, people, voters):
    opinion = make_opinion(issuer, people, kind="policy_feedback")
    closes_at = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    poll = open_vote(owner, people, voters, opinion, closes_at=closes_at)
    page = poll_page(client, poll, people["editor"])
    assert f'href="{reverse("opinions:detail", kwargs={"pk": opinion.pk})}"' in page
    assert opinion.title in page
    assert f'datetime="{timezone.localtime(closes_at).isoformat()}"' in page


def test_in_english_the_link_keeps_the_english_prefix(client, issuer, owner, people, voters):
    opinion = make_opinion(issuer, people)
    page = poll_page(client, open_vote(owner, people, voters, opinion), people["editor"], "en")
    assert f'href="/en/workspace/opinions/{opinion.pk}/"' in page
    assert "None: the vote stays open until its managers close it." in page


def test_a_voter_who_may_not_read_the_draft_sees_its_name_but_no_link(client, issuer, owner, people, voters):
    opinion = make_opinion(issuer, people, signatories=[people["first"]])
    outsider_voter = UserFactory(username="voter_only")
    page = poll_page(client, open_vote(owner, people, [*voters, outsider_voter], opinion), outsider_voter)
    assert opinion.title in page
    assert reverse("opinions:detail", kwargs={"pk": opinion.pk}) not in page
    # and the opinion itself stays closed to them
    assert client.get(reverse("opinions:detail", kwargs={"pk": opinion.pk})).status_code == 404


def test_a_poll_without_a_deadline_says_so_in_chinese(client, issuer, owner, people, voters):
    opinion = make_opinion(issuer, people)
    page = poll_page(client, open_vote(owner, people, voters, opinion), people["first"], "zh-hans")
    assert "表决事项" in page and "截止时间" in page
    assert "表决一直开放" in page


# Issuing and revoking close the vote -------------------------------------------------------------------------


def test_issuing_the_opinion_closes_its_open_vote(issuer, owner, people, voters, fast_pdf):
    opinion = make_opinion(issuer, people)
    poll = open_vote(owner, people, voters, opinion)
    voting.cast_ballot(actor=people["first"], poll=poll, choice="yes")
    approve(opinion, people)
    issued = issue(opinion, people)
    assert issued.state == OpinionState.ISSUED
    poll.refresh_from_db()
    assert poll.state == PollState.CLOSED and poll.closed_at is not None
    assert poll.yes_count == 1  # counted as it stood
    entry = ModelLogEntry.objects.get(action="voting.close", object_id=str(poll.pk))
    assert entry.user_id == people["editor"].pk and opinion.title in entry.data["reason"]
    told = Notification.objects.filter(recipient=people["editor"], url=poll.link()).latest("pk")
    assert opinion.title in str(told.body)


def test_revoking_the_opinion_closes_a_vote_opened_after_it_was_issued(issuer, owner, people, voters, fast_pdf):
    opinion = make_opinion(issuer, people)
    approve(opinion, people)
    issued = issue(opinion, people)
    poll = open_vote(owner, people, voters, issued)
    opinions.revoke(actor=people["editor"], opinion=issued, reason="依据的数据有误")
    poll.refresh_from_db()
    assert poll.state == PollState.CLOSED


def test_polls_about_other_subjects_stay_open(issuer, owner, people, voters, fast_pdf):
    opinion = make_opinion(issuer, people, title="甲意见")
    other = make_opinion(issuer, people, title="乙意见")
    poll = open_vote(owner, people, voters, other)
    approve(opinion, people)
    issue(opinion, people)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN


def test_a_failed_issue_leaves_the_vote_open(issuer, owner, people, voters, monkeypatch):
    opinion = make_opinion(issuer, people)
    poll = open_vote(owner, people, voters, opinion)
    approve(opinion, people)

    def broken(opinion):
        raise RuntimeError("font missing")

    monkeypatch.setattr(opinions, "render_signed_pdf", broken)
    with pytest.raises(RuntimeError):
        issue(opinion, people)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
