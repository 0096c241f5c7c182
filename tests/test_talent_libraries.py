"""The resource libraries' curation (talent/services/libraries.py): submit, edit, publish, return, archive and
withdraw — who may, what each step records and tells, bad input that changes nothing, and who sees what."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.history.models import Event
from portal.notifications.models import Notification
from talent.models import EnterpriseDemand, ListingState, PatentListing, ProjectListing
from talent.services import libraries
from tests.talent_libraries_helpers import listing, values
from tests.talent_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _logged(entry, action):
    return ModelLogEntry.objects.filter(object_id=str(entry.pk), action=action).count()


def test_a_team_submits_an_entry_that_waits_for_the_officers(world):
    entry = listing(world, "projects", world.team, title="单细胞蛋白测序", title_en="Single-cell protein sequencing")
    assert isinstance(entry, ProjectListing) and entry.state == ListingState.PENDING
    assert entry.submitted_by == world.team and entry.programme == world.programme
    assert list(entry.themes.all()) == [world.theme]
    assert _logged(entry, "talent.submit_listing") == 1
    assert Notification.objects.filter(recipient=world.officer, title__contains="单细胞蛋白测序").exists()
    assert Event.objects.filter(verb="talent.submitted_listing").count() == 1


def test_publishing_tells_the_submitter_and_makes_it_public(world, client):
    entry = listing(world, "demands", world.outsider)
    mail.outbox.clear()
    entry = libraries.curate(actor=world.officer, listing=entry, transition="publish")
    assert entry.state == ListingState.PUBLISHED and entry.published_at and entry.reviewed_by == world.officer
    assert Notification.objects.filter(recipient=world.outsider, url=entry.get_absolute_url()).exists()
    assert _logged(entry, "talent.curate_listing") == 1
    assert client.get(entry.get_absolute_url()).status_code == 200


def test_a_returned_entry_is_edited_and_goes_back_to_the_curators(world):
    entry = listing(world, "patents", world.team, state=ListingState.RETURNED)
    assert entry.return_reason == "请补充英文摘要。"
    assert Notification.objects.filter(recipient=world.team, body="请补充英文摘要。").exists()
    changed = values(
        world, "patents", title="一种慢病毒载体纯化方法", summary_en="A lentiviral vector purification method."
    )
    entry = libraries.edit_listing(actor=world.team, listing=entry, values=changed)
    entry = PatentListing.objects.get(pk=entry.pk)
    assert entry.state == ListingState.PENDING and entry.title == "一种慢病毒载体纯化方法"
    assert entry.summary_en == "A lentiviral vector purification method."


def test_archive_and_withdraw(world):
    archived = listing(world, "demands", world.outsider, state=ListingState.ARCHIVED)
    assert archived.state == ListingState.ARCHIVED
    withdrawn = listing(world, "demands", world.outsider, state=ListingState.PUBLISHED)
    withdrawn = libraries.withdraw(actor=world.outsider, listing=withdrawn)
    assert withdrawn.state == ListingState.WITHDRAWN
    assert _logged(withdrawn, "talent.withdraw_listing") == 1


@pytest.mark.parametrize("who", ["team", "other_officer", "outsider"])
def test_only_the_programmes_officers_curate(world, who):
    entry = listing(world, "projects", world.other_team)
    with pytest.raises(PermissionDenied):
        libraries.curate(actor=getattr(world, who), listing=entry, transition="publish")
    with pytest.raises(PermissionDenied):
        libraries.send_back(actor=getattr(world, who), listing=entry, reason="不行")
    assert ProjectListing.objects.get(pk=entry.pk).state == ListingState.PENDING


def test_only_the_submitter_edits_or_withdraws(world):
    entry = listing(world, "projects", world.team)
    for actor in (world.other_team, world.officer):
        with pytest.raises(PermissionDenied):
            libraries.edit_listing(actor=actor, listing=entry, values=values(world, "projects", title="改"))
        with pytest.raises(PermissionDenied):
            libraries.withdraw(actor=actor, listing=entry)
    assert ProjectListing.objects.get(pk=entry.pk).state == ListingState.PENDING


def test_a_published_entry_is_not_edited(world):
    entry = listing(world, "projects", world.team, state=ListingState.PUBLISHED)
    with pytest.raises(ValidationError):
        libraries.edit_listing(actor=world.team, listing=entry, values=values(world, "projects", title="改"))
    assert ProjectListing.objects.get(pk=entry.pk).title != "改"


def test_wrong_state_is_refused_with_a_message(world):
    entry = listing(world, "demands", world.outsider, state=ListingState.PUBLISHED)
    with pytest.raises(ValidationError) as refused:
        libraries.curate(actor=world.officer, listing=entry, transition="publish")
    assert "Published" in " ".join(refused.value.messages) or "已发布" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        libraries.send_back(actor=world.officer, listing=entry, reason="太晚了")
    with pytest.raises(ValidationError):
        libraries.curate(actor=world.officer, listing=entry, transition="delete")


def test_an_anonymous_or_unknown_user_cannot_submit(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        libraries.submit_listing(actor=AnonymousUser(), library="projects", values=values(world, "projects"))
    assert ProjectListing.objects.count() == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"demand_kind": "dance"}, "demand_kind"),
        ({"budget": "-5"}, None),
        ({"programme": None}, "programme"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(world, changes, field):
    with pytest.raises(ValidationError) as refused:
        libraries.submit_listing(actor=world.outsider, library="demands", values=values(world, "demands", **changes))
    if field:
        assert field in refused.value.error_dict
    assert EnterpriseDemand.objects.count() == 0
    assert not ModelLogEntry.objects.filter(action="talent.submit_listing").exists()


def test_a_return_needs_a_reason(world):
    entry = listing(world, "demands", world.outsider)
    with pytest.raises(ValidationError) as refused:
        libraries.send_back(actor=world.officer, listing=entry, reason="   ")
    assert "return_reason" in refused.value.error_dict
    assert EnterpriseDemand.objects.get(pk=entry.pk).state == ListingState.PENDING


def test_an_unknown_library_is_refused(world):
    with pytest.raises(ValidationError):
        libraries.submit_listing(actor=world.outsider, library="recipes", values=values(world, "demands"))


def test_submitters_see_their_own_unpublished_entries_and_others_get_404(world, client):
    entry = listing(world, "projects", world.team)
    url = entry.get_absolute_url()
    client.force_login(world.team)
    assert client.get(url).status_code == 200
    mine = client.get(reverse("talent:my_listings"))
    assert entry.title in mine.content.decode()
    for other in (world.other_team, world.outsider, world.other_officer):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(world.officer)
    assert client.get(url).status_code == 200
    assert entry.title in client.get(reverse("talent:listing_queue")).content.decode()


def test_the_page_flow_submit_return_edit_publish(world, client):
    client.force_login(world.team)
    data = {
        "programme": world.programme.pk,
        "title": "固态电池热管理",
        "summary": "寻求落地坪山的固态电池热管理项目。",
        "themes": [world.theme.pk],
        "holder_name": "Aurora",
        "contact_name": "Kenji",
        "contact_email": "kenji@example.com",
        "stage": "prototype",
        "seeking": "landing",
    }
    response = client.post(reverse("talent:listing_new", args=["projects"]), data)
    entry = ProjectListing.objects.get()
    assert response.status_code == 302 and response.url == entry.get_absolute_url()
    bad = client.post(reverse("talent:listing_new", args=["projects"]), {**data, "contact_email": "x"})
    assert bad.status_code == 200 and ProjectListing.objects.count() == 1
    client.force_login(world.officer)
    client.post(reverse("talent:listing_return", args=["projects", entry.pk]), {"reason": "Add English."})
    assert ProjectListing.objects.get().state == ListingState.RETURNED
    client.force_login(world.team)
    client.post(reverse("talent:listing_edit", args=["projects", entry.pk]), {**data, "title_en": "Solid-state"})
    entry = ProjectListing.objects.get()
    assert entry.state == ListingState.PENDING and entry.title_en == "Solid-state"
    client.force_login(world.officer)
    client.post(reverse("talent:listing_move", args=["projects", entry.pk, "publish"]))
    assert ProjectListing.objects.get().state == ListingState.PUBLISHED
    client.force_login(world.other_team)
    assert client.post(reverse("talent:listing_move", args=["projects", entry.pk, "archive"])).status_code == 404
    assert ProjectListing.objects.get().state == ListingState.PUBLISHED


def test_the_curators_panel_counts_what_waits(world, client):
    listing(world, "projects", world.team, title="待审核项目")
    client.force_login(world.officer)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert "待审核项目" in page
