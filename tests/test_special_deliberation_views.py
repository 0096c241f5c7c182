"""The talent work meeting's pages (talent/views/deliberations.py): the officers' list and convening form, the
meeting's page for its officers and (read-only, with links to vote) its members, each step's form and messages, the
query budget of the meeting's page, the members' dashboard panel, the section on the application's office page, and
what the employer never sees (the votes)."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.voting import services as voting
from talent.models import Deliberation, DeliberationItem, DeliberationState, SpecialStage
from talent.services import deliberations
from talent.views.deliberations import section_context
from tests.special_deliberation_helpers import convened, in_session, waiting, with_agenda
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_special_world()


def url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def page(client, user, address):
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def private(text):
    return RESIDENT_ID in text or BIRTH_DATE in text


# --- the programme's meetings -------------------------------------------------------------------------------


def test_the_officers_list_shows_the_meetings_and_how_many_applications_wait(client, world):
    waiting(world, 2)
    meeting = convened(world)
    text = page(client, world.officer, url("talent:deliberations", "en", programme=world.programme.slug))
    assert meeting.title_en in text and "2 applications wait for a meeting" in text
    assert 'aria-current="page">Talent work meetings' in text  # the special-talent office's tab
    for someone in (world.other_officer, world.members[0], world.employer, world.reviewer):
        client.force_login(someone)
        assert client.get(url("talent:deliberations", programme=world.programme.slug)).status_code == 404


def test_the_convening_form_proposes_the_previous_meetings_members(client, world):
    convened(world, members=world.members[1:])
    text = page(client, world.officer, url("talent:deliberation_new", programme=world.programme.slug))
    ticked = set(re.findall(r'name="members" value="(\d+)" id="[^"]+" checked', text))
    assert ticked == {str(member.pk) for member in world.members[1:]}


def test_convening_through_the_form(client, world):
    client.force_login(world.officer)
    address = url("talent:deliberation_new", programme=world.programme.slug)
    data = {
        "title": "2026年第六次区人才工作会议",
        "title_en": "Sixth meeting",
        "starts_at": "2026-12-10T09:30",
        "location": "区政府",
        "members": [member.pk for member in world.members[:3]],
    }
    response = client.post(address, data)
    meeting = Deliberation.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at.isoformat().startswith("2026-12-10T01:30")  # 09:30 in Shanghai


def test_too_few_members_come_back_with_a_message_and_nothing_saved(client, world):
    client.force_login(world.officer)
    with translation.override("en"):
        response = client.post(
            url("talent:deliberation_new", "en", programme=world.programme.slug),
            {"title": "会议", "starts_at": "2026-12-10T09:30", "members": [world.members[0].pk]},
        )
    assert response.status_code == 200
    assert "at least 3 members" in response.content.decode()
    assert not Deliberation.objects.exists()


# --- the meeting's page ---------------------------------------------------------------------------------------


def test_the_meeting_page_shows_the_agenda_the_panels_score_and_the_quorum(client, world):
    [special] = waiting(world)
    meeting, _items = with_agenda(world, [special], present=world.members[:4])
    text = page(client, world.officer, url("talent:deliberation", "en", pk=meeting.pk))
    assert special.candidate_name in text and str(special.employer) in text and special.theme.name in text
    assert "8.00" in text or "32.00" in text or "Panel score" in text
    assert "4 of 5 present, quorum 2/3:" in text and "met" in text
    assert "Record the attendance" in text and "Open the session" in text
    assert not private(text)


def test_the_quorum_not_met_says_so_and_offers_no_opening(client, world):
    [special] = waiting(world)
    meeting, _items = with_agenda(world, [special], present=world.members[:2])
    text = page(client, world.officer, url("talent:deliberation", "en", pk=meeting.pk))
    assert "2 of 5 present, quorum 2/3:" in text and "not met" in text
    assert "Not enough members are present for the quorum." in text
    assert url("talent:deliberation_open", "en", pk=meeting.pk) not in text


def test_a_member_reads_the_meeting_and_finds_the_link_to_vote(client, world):
    [special] = waiting(world)
    meeting, [item] = in_session(world, [special], recused={special.pk: [world.members[1]]})
    text = page(client, world.members[0], url("talent:deliberation", "en", pk=meeting.pk))
    assert item.poll.get_absolute_url() in text and "Record the attendance" not in text
    assert url("talent:deliberation_close_item", "en", pk=item.pk) not in text
    recused = page(client, world.members[1], url("talent:deliberation", "en", pk=meeting.pk))
    assert "You are recused" in recused
    # The member votes on portal.voting's page: it names the application, never the candidate's ID.
    vote_page = page(client, world.members[0], item.poll.get_absolute_url())
    assert special.candidate_name in vote_page and not private(vote_page)
    client.force_login(world.members[0])
    client.post(reverse("voting:cast", args=[item.poll.uuid]), {"choice": "yes"})
    assert "You have voted" in page(client, world.members[0], url("talent:deliberation", "en", pk=meeting.pk))


@pytest.mark.parametrize("who", ["employer", "reviewer", "other_officer", "outsider"])
def test_people_outside_the_meeting_get_404_on_it_and_its_votes(client, world, who):
    [special] = waiting(world)
    meeting, [item] = in_session(world, [special])
    client.force_login(getattr(world, who))
    assert client.get(url("talent:deliberation", pk=meeting.pk)).status_code == 404
    assert client.get(item.poll.get_absolute_url()).status_code == 404


def test_the_employer_reads_a_label_never_the_vote(client, world):
    passed, failed = waiting(world, 2)
    _meeting, (one, two) = in_session(world, [passed, failed])
    for member in world.members:
        voting.cast_ballot(actor=member, poll=one.poll, choice="yes")
        voting.cast_ballot(actor=member, poll=two.poll, choice="no")
    deliberations.close_item(actor=world.officer, item=one)
    deliberations.close_item(actor=world.officer, item=two)
    for special, label in ((passed, "On public notice"), (failed, "Not approved")):
        text = page(client, world.employer, url("applications:detail", "en", pk=special.application_id))
        assert label in text and "Before the district talent work meeting" in text
        assert "5–0–0" not in text and "0–5–0" not in text
        assert str(one.poll.uuid) not in text and str(two.poll.uuid) not in text


# --- the steps ------------------------------------------------------------------------------------------------


def test_the_whole_meeting_through_its_pages(client, world):
    first, second = waiting(world, 2)
    meeting = convened(world)
    client.force_login(world.officer)
    client.post(url("talent:deliberation_add_item", pk=meeting.pk), {"special": first.pk})
    client.post(
        url("talent:deliberation_add_item", pk=meeting.pk), {"special": second.pk, "recused": [world.members[0].pk]}
    )
    one, two = DeliberationItem.objects.order_by("position")
    assert list(two.recused.all()) == [world.members[0]]
    client.post(url("talent:deliberation_recusals", pk=one.pk), {"recused": [world.members[4].pk]})
    assert list(one.recused.all()) == [world.members[4]]
    client.post(url("talent:deliberation_attendance", pk=meeting.pk), {"present": [m.pk for m in world.members]})
    client.post(url("talent:deliberation_open", pk=meeting.pk))
    assert reload(meeting).state == DeliberationState.IN_SESSION
    one, two = reload(one), reload(two)
    for member in world.members[:4]:
        voting.cast_ballot(actor=member, poll=one.poll, choice="yes")
    client.post(url("talent:deliberation_close_item", pk=one.pk))
    client.post(url("talent:deliberation_close_item", pk=two.pk))
    text = page(client, world.officer, url("talent:deliberation", "en", pk=meeting.pk))
    assert "passed" in text and "4–0–0" in text and "0–0–0" in text
    response = client.post(url("talent:deliberation_close", pk=meeting.pk), {"minutes": "会议审议两名候选人。"})
    assert response.status_code == 302
    meeting = reload(meeting)
    assert meeting.state == DeliberationState.CLOSED and meeting.minutes == "会议审议两名候选人。"
    assert (reload(first).stage, reload(second).stage) == (SpecialStage.NOTICE, SpecialStage.REJECTED)


def test_bad_steps_come_back_as_messages_and_change_nothing(client, world):
    [special] = waiting(world)
    meeting = convened(world)
    client.force_login(world.officer)
    with translation.override("en"):
        response = client.post(url("talent:deliberation_add_item", "en", pk=meeting.pk), {"special": 0}, follow=True)
        assert "Choose one of the applications waiting for the meeting." in response.content.decode()
        response = client.post(url("talent:deliberation_open", "en", pk=meeting.pk), follow=True)
        assert "Put at least one application on the agenda first." in response.content.decode()
        response = client.post(url("talent:deliberation_close", "en", pk=meeting.pk), {"minutes": ""})
        assert response.status_code == 200
    assert not meeting.items.exists() and reload(meeting).state == DeliberationState.SCHEDULED
    # The application is taken off nobody's agenda it was not on; the double add gets its message.
    client.post(url("talent:deliberation_add_item", pk=meeting.pk), {"special": special.pk})
    with translation.override("en"):
        response = client.post(
            url("talent:deliberation_add_item", "en", pk=meeting.pk), {"special": special.pk}, follow=True
        )
    assert "Choose one of the applications waiting" in response.content.decode()
    assert meeting.items.count() == 1


def test_the_meeting_can_be_changed_before_the_session_only(client, world):
    [special] = waiting(world)
    meeting, _items = with_agenda(world, [special])
    client.force_login(world.officer)
    assert client.get(url("talent:deliberation_edit", pk=meeting.pk)).status_code == 200
    deliberations.open_session(actor=world.officer, deliberation=meeting)
    assert client.get(url("talent:deliberation_edit", pk=meeting.pk)).status_code == 404


# --- the query budget ---------------------------------------------------------------------------------------


def _meeting_queries(client, world, count):
    specials = waiting(world, count)
    meeting, items = in_session(world, specials, recused={specials[0].pk: [world.members[0]]})
    for item in items[: count // 2]:
        voting.cast_ballot(actor=world.members[1], poll=item.poll, choice="yes")
        deliberations.close_item(actor=world.officer, item=item)
    address = url("talent:deliberation", pk=meeting.pk)
    counted = {}
    for user in (world.officer, world.members[1]):
        client.force_login(user)
        client.get(address)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        counted[user.pk] = len(queries)
    return counted


def test_the_meeting_page_asks_the_same_number_of_queries_for_2_and_12_items(client, world):
    small = _meeting_queries(client, world, 2)
    large = _meeting_queries(client, world, 12)
    print(f"talent work meeting page: {small} queries with 2 items, {large} with 12")
    assert small == large


# --- the dashboard and the application's page ---------------------------------------------------------------


def test_a_member_with_a_vote_to_cast_finds_it_on_the_dashboard(client, world):
    [special] = waiting(world)
    meeting, [item] = in_session(world, [special])
    text = page(client, world.members[2], url("workspace:dashboard", "en"))
    assert "data-deliberation-votes" in text and item.poll.get_absolute_url() in text
    officer = page(client, world.officer, url("workspace:dashboard", "en"))
    assert meeting.get_absolute_url() in officer and "1 vote to close" in officer
    voting.cast_ballot(actor=world.members[2], poll=item.poll, choice="no")
    assert "data-deliberation-votes" not in page(client, world.members[2], url("workspace:dashboard", "en"))


def test_the_application_office_section_shows_the_vote_to_officers_only(world):
    [special] = waiting(world)
    meeting, [item] = in_session(world, [special])
    for member in world.members:
        voting.cast_ballot(actor=member, poll=item.poll, choice="yes")
    deliberations.close_item(actor=world.officer, item=item)
    special = reload(special)
    factory = RequestFactory()

    def section(user):
        request = factory.get("/")
        request.user = user
        with translation.override("en"):
            context = {
                "special": special,
                "request": request,
                "user": user,
                "section": section_context(request, special),
            }
            return render_to_string("talent/deliberations/_office_section.html", context)

    officer = section(world.officer)
    assert meeting.get_absolute_url() in officer and "5–0–0" in officer
    reviewer = section(world.reviewer)
    assert meeting.title_en in reviewer and "passed" in reviewer and "5–0–0" not in reviewer
    assert meeting.get_absolute_url() not in reviewer


def test_an_application_waiting_links_the_officer_to_the_meetings(world):
    [special] = waiting(world)
    request = RequestFactory().get("/")
    request.user = world.officer
    context = section_context(request, special)
    assert context["meetings_url"] == reverse("talent:deliberations", args=[world.programme.slug])
    request.user = world.reviewer
    assert section_context(request, special)["meetings_url"] == ""


def test_the_office_page_of_an_application_carries_the_meeting_section(client, world):
    [special] = waiting(world)
    text = page(client, world.officer, url("talent:special_application", "en", pk=special.pk))
    assert reverse("talent:deliberations", args=[world.programme.slug]) in text
    meeting, [item] = in_session(world, [special])
    text = page(client, world.officer, url("talent:special_application", "en", pk=special.pk))
    assert meeting.get_absolute_url() in text and item.poll.get_absolute_url() in text
