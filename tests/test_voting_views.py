"""Poll pages: who may see and do what, the ballot form (plain post and htmx), results, the dashboard panel."""

from fractions import Fraction

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.accounts.roles import RoleCode
from portal.organizations.models import Organization
from portal.voting import services
from portal.voting.models import Ballot, ElectorateEntry, PollState, SecretBallotCount, VoteRecord
from portal.workspace import registry
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
UserModel = get_user_model()


@pytest.fixture
def body(owner_grants):
    """The body whose votes these are; the secretariat holds its MANAGE power."""
    return OrganizationFactory(name="测试理事会")


@pytest.fixture
def secretariat(owner_grants, body):
    user = UserFactory(roles=[RoleCode.SECRETARIAT], real_name="秘书处张")
    owner_grants.grant(user, body)
    return user


@pytest.fixture
def people():
    names = ["a", "b", "c", "d", "e", "outsider"]
    return {name: UserFactory(username=f"voter-{name}", real_name=f"Member {name.upper()}") for name in names}


def make_open_poll(secretariat, people, *, title="Motion on the risk committee", **rules):
    """a, b, c present; d absent, proxy to a; e absent without a proxy."""
    rules.setdefault("quorum", Fraction(1, 2))
    owner = Organization.objects.get(name="测试理事会")
    poll = services.create_poll(actor=secretariat, owner=owner, subject=OrganizationFactory(), title=title, **rules)
    return services.open_poll(
        actor=secretariat,
        poll=poll,
        voters=[people[name] for name in "abcde"],
        present=[people[name] for name in "abc"],
        proxies={people["d"]: people["a"]},
    )


@pytest.fixture
def poll(secretariat, people):
    return make_open_poll(secretariat, people)


def url(poll, name="detail"):
    with translation.override("en"):
        return reverse(f"voting:{name}", args=[poll.uuid])


def entry_of(poll, user):
    return ElectorateEntry.objects.get(poll=poll, user=user)


def rows():
    return (
        Ballot.objects.count(),
        VoteRecord.objects.count(),
        sum(SecretBallotCount.objects.values_list("count", flat=True)),
    )


def text(response):
    return response.content.decode()


# --- who may see and do what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "cast", "close"])
def test_anonymous_users_are_sent_to_login(client, poll, name):
    response = client.get(url(poll, name)) if name == "detail" else client.post(url(poll, name), {"choice": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert rows() == (0, 0, 0)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN


@pytest.mark.parametrize("name", ["detail", "cast", "close"])
@pytest.mark.parametrize("who", ["outsider", "recused-or-new"])
def test_people_outside_the_electorate_get_404(client, poll, people, name, who):
    user = people["outsider"] if who == "outsider" else UserFactory(roles=[RoleCode.COUNCIL_MEMBER])
    client.force_login(user)
    response = client.get(url(poll, name)) if name == "detail" else client.post(url(poll, name), {"choice": "yes"})
    assert response.status_code == 404
    assert rows() == (0, 0, 0)
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN


def test_unknown_poll_is_404(client, people):
    client.force_login(people["a"])
    assert client.get("/en/workspace/voting/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_draft_is_seen_by_its_managers_only(client, secretariat, people, body):
    draft = services.create_poll(actor=secretariat, owner=body, subject=OrganizationFactory(), title="Draft motion")
    client.force_login(people["a"])
    assert client.get(url(draft)).status_code == 404
    client.force_login(secretariat)
    response = client.get(url(draft))
    assert response.status_code == 200
    assert "has not opened yet" in text(response)


def test_an_electorate_member_sees_the_ballot_form(client, poll, people):
    client.force_login(people["b"])
    response = client.get(url(poll))
    html = text(response)
    assert response.status_code == 200
    assert "Motion on the risk committee" in html
    assert "Simple majority (more than half)" in html and "more than half of the base" in html
    assert "At least 1/2 of the electorate must take part: 3 of 5." in html
    for value in ("yes", "no", "abstain"):
        assert f'type="radio" name="choice" value="{value}"' in html
    assert f'hx-post="{url(poll, "cast")}"' in html
    assert "Not voted yet" not in html  # only for managers
    assert "Close the vote" not in html
    assert "0 of 5 ballots cast" in html


def test_an_absent_member_sees_their_proxy_but_no_form(client, poll, people):
    client.force_login(people["d"])
    html = text(client.get(url(poll)))
    assert "Member A holds your proxy" in html
    assert 'name="choice"' not in html
    client.force_login(people["e"])
    html = text(client.get(url(poll)))
    assert "recorded as absent" in html and 'name="choice"' not in html


def test_a_proxy_holder_gets_one_ballot_box_per_vote(client, poll, people):
    client.force_login(people["a"])
    html = text(client.get(url(poll)))
    assert f'id="ballot-{entry_of(poll, people["a"]).pk}"' in html
    assert f'id="ballot-{entry_of(poll, people["d"]).pk}"' in html
    assert "Ballot of Member D (you hold the proxy)" in html
    response = client.post(url(poll, "cast"), {"choice": "no", "entry": entry_of(poll, people["d"]).pk})
    assert response.status_code == 302
    assert Ballot.objects.get().entry.user == people["d"]
    assert not Ballot.objects.filter(entry__user=people["a"]).exists()


def test_a_manager_sees_who_has_not_voted_and_may_close(client, poll, secretariat, people):
    services.cast_ballot(actor=people["b"], poll=poll, choice="yes")
    client.force_login(secretariat)
    html = text(client.get(url(poll)))
    assert "Not voted yet" in html
    not_voted = html.split("Not voted yet", 1)[1].split("</ul>", 1)[0]
    assert "Member A" in not_voted and "Member C" in not_voted and "Member D" in not_voted
    assert "Member B" not in not_voted
    assert "Absent without a proxy" in html and "Member E" in html
    assert 'name="choice"' not in html  # the manager has no vote here
    assert "Close the vote" in html
    assert "1 of 5 ballots cast" in html


def test_a_manager_without_a_vote_cannot_cast(client, poll, secretariat):
    client.force_login(secretariat)
    response = client.post(url(poll, "cast"), {"choice": "yes"}, follow=True)
    assert response.status_code == 200
    assert "You have no ballot to cast here." in text(response)
    assert rows() == (0, 0, 0)


def test_close_is_for_managers(client, poll, secretariat, people):
    client.force_login(people["b"])
    assert client.post(url(poll, "close")).status_code == 404
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
    client.force_login(secretariat)
    assert client.get(url(poll, "close")).status_code == 405
    response = client.post(url(poll, "close"), follow=True)
    assert response.status_code == 200
    assert "The vote is closed" in text(response)
    poll.refresh_from_db()
    assert poll.state == PollState.CLOSED
    # closing twice is a message, not an error page
    response = client.post(url(poll, "close"), follow=True)
    assert response.status_code == 200 and "This cannot be done now: it is Closed." in text(response)


# --- casting: plain post and htmx -----------------------------------------------------------------------------


def test_plain_post_casts_and_redirects(client, poll, people):
    client.force_login(people["b"])
    response = client.post(url(poll, "cast"), {"choice": "yes"})
    assert response.status_code == 302 and response["Location"] == url(poll)
    assert Ballot.objects.get().choice == "yes"
    html = text(client.get(url(poll)))
    assert "Your ballot has been cast: Yes." in html  # the flash message
    html = text(client.get(url(poll)))
    assert "Voted: Yes." in html and 'name="choice"' not in html


def test_htmx_post_returns_the_ballot_box(client, poll, people):
    client.force_login(people["b"])
    box_id = f"ballot-{entry_of(poll, people['b']).pk}"
    response = client.post(url(poll, "cast"), {"choice": "abstain"}, HTTP_HX_REQUEST="true")
    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html and f'id="{box_id}"' in html
    assert "Your ballot has been cast: Abstain." in html
    assert 'name="choice"' not in html
    assert "voting/includes/ballot_box.html" in [t.name for t in response.templates]
    assert Ballot.objects.get().choice == "abstain"
    # The turnout comes along out of band, already counting this ballot.
    assert 'id="turnout"' in html and 'hx-swap-oob="true"' in html
    assert response.context["turnout"]["voted"] == 1


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose yes, no or abstain."),
        ({"choice": "maybe"}, "Choose yes, no or abstain."),
        ({"choice": "yes", "entry": "abc"}, "You have no ballot to cast here."),
        ({"choice": "yes", "entry": "999999"}, "You have no ballot to cast here."),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, poll, people, data, message, htmx):
    client.force_login(people["b"])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url(poll, "cast"), data, **extra)
    assert response.status_code == 200
    assert message in text(response)
    assert rows() == (0, 0, 0)


@pytest.mark.parametrize("htmx", [True, False])
def test_someone_elses_entry_is_refused(client, poll, people, htmx):
    client.force_login(people["b"])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url(poll, "cast"), {"choice": "yes", "entry": entry_of(poll, people["c"]).pk}, **extra)
    assert response.status_code == 200 and "You have no ballot to cast here." in text(response)
    assert rows() == (0, 0, 0)


@pytest.mark.parametrize("htmx", [True, False])
def test_a_second_ballot_is_refused(client, poll, people, htmx):
    client.force_login(people["b"])
    client.post(url(poll, "cast"), {"choice": "yes"})
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url(poll, "cast"), {"choice": "no", "entry": entry_of(poll, people["b"]).pk}, **extra)
    assert response.status_code == 200
    assert "already been cast" in text(response)
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["yes"]


@pytest.mark.parametrize("htmx", [True, False])
def test_a_ballot_after_close_is_refused(client, poll, secretariat, people, htmx):
    services.close_poll(actor=secretariat, poll=poll)
    client.force_login(people["b"])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url(poll, "cast"), {"choice": "yes"}, **extra)
    assert response.status_code == 200
    assert "This vote has closed." in text(response)
    assert rows() == (0, 0, 0)


def test_a_secret_ballot_is_not_shown_back(client, secretariat, people):
    poll = make_open_poll(secretariat, people, secret=True)
    client.force_login(people["b"])
    response = client.post(url(poll, "cast"), {"choice": "no"}, HTTP_HX_REQUEST="true")
    html = text(response)
    assert "Your ballot has been cast." in html
    assert "No" not in html.replace("Not", "")  # neither the choice nor a radio button
    html = text(client.get(url(poll)))
    assert "You have voted. In a secret vote the choice is not shown again." in html
    assert "Voted: No" not in html
    assert sum(SecretBallotCount.objects.values_list("count", flat=True)) == 1


# --- results ------------------------------------------------------------------------------------------------


def test_counts_are_hidden_while_open(client, poll, people):
    services.cast_ballot(actor=people["b"], poll=poll, choice="yes")
    client.force_login(people["c"])
    html = text(client.get(url(poll)))
    assert "Share of the base" not in html and "Who voted how" not in html
    assert "1 of 5 ballots cast" in html


def test_results_after_close(client, poll, secretariat, people):
    services.cast_ballot(actor=people["a"], poll=poll, choice="yes")
    services.cast_ballot(actor=people["a"], poll=poll, choice="yes", entry=entry_of(poll, people["d"]))
    services.cast_ballot(actor=people["b"], poll=poll, choice="no")
    services.close_poll(actor=secretariat, poll=poll)
    for viewer in (people["c"], people["e"], secretariat):
        client.force_login(viewer)
        html = text(client.get(url(poll)))
        assert "Passed" in html
        assert "2 votes · 66.7%" in html and "1 vote · 33.3%" in html  # 2 yes, 1 no of a base of 3 ballots
        assert "4 taking part, 3 required, of an electorate of 5" in html
        named = html.split("Who voted how", 1)[1]
        assert "Member D (by proxy: Member A)" in named
        assert "<span>Member B</span>" in named and "<strong>No</strong>" in named
        assert "did not vote" in named.split("Member C", 1)[1].split("</li>", 1)[0]
        assert "absent" in named.split("Member E", 1)[1].split("</li>", 1)[0]
        assert 'name="choice"' not in html


def test_secret_results_have_no_names(client, secretariat, people):
    poll = make_open_poll(secretariat, people, secret=True, base="yes_no")
    services.cast_ballot(actor=people["b"], poll=poll, choice="yes")
    services.cast_ballot(actor=people["c"], poll=poll, choice="no")
    services.cast_ballot(actor=people["a"], poll=poll, choice="abstain")
    services.close_poll(actor=secretariat, poll=poll)
    client.force_login(people["b"])
    html = text(client.get(url(poll)))
    assert "Not passed" in html and "50.0%" in html and "not counted in the base" in html
    assert "Who voted how" not in html


# --- the dashboard panel --------------------------------------------------------------------------------------


def test_the_panel_lists_open_votes_for_voters_only(client, poll, secretariat, people):
    client.force_login(people["b"])
    html = text(client.get("/en/workspace/"))
    assert "Open votes" in html and "Motion on the risk committee" in html and "To vote" in html
    services.cast_ballot(actor=people["b"], poll=poll, choice="yes")
    html = text(client.get("/en/workspace/"))
    assert "Motion on the risk committee" in html and "To vote" not in html and "Voted" in html
    for outsider in (people["outsider"], people["e"], people["d"]):  # outsider, absent, gave a proxy
        client.force_login(outsider)
        assert "Open votes" not in text(client.get("/en/workspace/"))
    services.close_poll(actor=secretariat, poll=poll)
    client.force_login(people["b"])
    assert "Open votes" not in text(client.get("/en/workspace/"))


def _panel_section(html):
    return html.split(">Open votes</h2>", 1)[1].split("</section>", 1)[0]


def test_the_panel_costs_the_same_queries_for_3_and_30_polls(client, rf, secretariat, people):
    """Measured on the panel itself (visibility, context, template), so other apps' panels do not count."""
    for number in range(3):
        make_open_poll(secretariat, people, title=f"Panel motion {number}")
    panel = next(panel for panel in registry._panels.values() if panel.key == "voting.open_votes")
    request = rf.get("/en/workspace/")
    request.user = UserModel.objects.get(pk=people["a"].pk)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert panel.is_visible(request.user) is True
            html = render_to_string(panel.template, {"panel": panel.get_context(request)}, request=request)
        return len(queries), html

    few, html = measure()
    assert html.count("Panel motion") == 3
    for number in range(3, 30):
        make_open_poll(secretariat, people, title=f"Panel motion {number}")
    many, html = measure()
    assert html.count("Panel motion") == 30
    assert few == many, (few, many)
    # and the dashboard shows all of them in the panel
    client.force_login(people["a"])
    assert _panel_section(text(client.get("/en/workspace/"))).count("Panel motion") == 30


def test_reading_named_voting_behaviour_is_audited(client, poll, secretariat, people):
    """Issue 8, finding 7: who has not voted (managers, while open) and who voted how (after a named poll
    closes) are sensitive reads; each page view leaves one audit line, a plain turnout view none."""
    from wagtail.models import ModelLogEntry

    def reads(user):
        return ModelLogEntry.objects.filter(action="voting.view_named", object_id=str(poll.pk), user=user).count()

    client.force_login(people["b"])
    client.get(url(poll))
    assert reads(people["b"]) == 0  # turnout only while open
    client.force_login(secretariat)
    client.get(url(poll))
    assert reads(secretariat) == 1
    services.close_poll(actor=secretariat, poll=poll)
    client.force_login(people["b"])
    client.get(url(poll))
    assert reads(people["b"]) == 1
