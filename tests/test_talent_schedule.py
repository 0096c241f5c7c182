"""What a programme opens, in the talent office (issue 12): calls and roadshows, opened and changed by the programme's
officers; bad dates, a changed opening day of a call teams applied to, an unpublished roadshow people registered for
are refused with nothing saved; nobody else may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from talent.models import Call, Roadshow
from talent.services.schedule import save_call, save_roadshow
from tests.talent_world import base_application, build_world, call_values, roadshow_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def values(world, **changes):
    return call_values(world, opens_in=30, **changes)


def test_an_officer_opens_a_call_that_shows_on_the_public_pages(world, client):
    call = save_call(actor=world.officer, programme=world.programme, values=values(world))
    assert call.programme == world.programme and list(call.themes.all()) == [world.theme]
    page = client.get(reverse("talent:programme", kwargs={"programme": world.programme.slug})).content.decode()
    assert "2027年第一批入驻申请" in page


@pytest.mark.parametrize(
    "changes, field",
    [
        (
            {
                "closes_on": timezone.localdate().isoformat(),
                "opens_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            },
            "closes_on",
        ),
        ({"slug": "open-call"}, "slug"),
        ({"title": ""}, "title"),
        ({"opens_on": "2027-02-30"}, "opens_on"),
    ],
)
def test_bad_call_input_is_refused_with_nothing_saved(world, changes, field):
    before = Call.objects.count()
    with pytest.raises(ValidationError) as refused:
        save_call(actor=world.officer, programme=world.programme, values=values(world, **changes))
    assert field in refused.value.error_dict
    assert Call.objects.count() == before


def test_a_call_teams_applied_to_keeps_its_opening_day_and_stays_published(world):
    base_application(world, world.team)
    call = world.call
    moved = values(world, slug=call.slug, opens_on=(call.opens_on - datetime.timedelta(days=1)).isoformat())
    with pytest.raises(ValidationError):
        save_call(actor=world.officer, programme=world.programme, call=call, values=moved)
    hidden = values(world, slug=call.slug, opens_on=call.opens_on.isoformat(), is_published="")
    with pytest.raises(ValidationError):
        save_call(actor=world.officer, programme=world.programme, call=call, values=hidden)
    later = values(world, slug=call.slug, opens_on=call.opens_on.isoformat())
    saved = save_call(actor=world.officer, programme=world.programme, call=call, values=later)
    assert saved.closes_on == timezone.localdate() + datetime.timedelta(days=90)


@pytest.mark.parametrize("who", ["other_officer", "team", "director"])
def test_only_the_programmes_officers_open_calls(world, who):
    with pytest.raises(PermissionDenied):
        save_call(actor=getattr(world, who), programme=world.programme, values=values(world))
    with pytest.raises(PermissionDenied):
        save_call(actor=world.other_officer, programme=world.other_programme, call=world.call, values=values(world))
    assert not Call.objects.filter(slug="2027-first").exists()


def test_the_office_form_saves_and_lists_the_call(world, client):
    client.force_login(world.officer)
    response = client.post(reverse("talent:call_new", kwargs={"programme": world.programme.slug}), values(world))
    assert response.status_code == 302
    listing = client.get(reverse("talent:office_calls", kwargs={"programme": world.programme.slug})).content.decode()
    assert "2027年第一批入驻申请" in listing


def test_an_officer_announces_a_roadshow_that_shows_in_public(world, client):
    roadshow = save_roadshow(actor=world.officer, programme=world.programme, values=roadshow_values())
    assert roadshow.programme == world.programme and roadshow.capacity == 40
    page = client.get(reverse("talent:roadshows")).content.decode()
    assert "2027年春季海外项目路演" in page


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ends_at": "2020-01-01T10:00"}, "ends_at"),
        ({"registration_closes_on": "2099-01-01"}, "registration_closes_on"),
        ({"capacity": "0"}, "capacity"),
        ({"venue": ""}, "venue"),
    ],
)
def test_bad_roadshow_input_is_refused_with_nothing_saved(world, changes, field):
    with pytest.raises(ValidationError) as refused:
        save_roadshow(actor=world.officer, programme=world.programme, values=roadshow_values(**changes))
    assert field in refused.value.error_dict
    assert not Roadshow.objects.exists()


def test_only_the_programmes_officers_announce_roadshows(world):
    with pytest.raises(PermissionDenied):
        save_roadshow(actor=world.other_officer, programme=world.programme, values=roadshow_values())
    roadshow = save_roadshow(actor=world.officer, programme=world.programme, values=roadshow_values())
    with pytest.raises(PermissionDenied):
        save_roadshow(
            actor=world.other_officer, programme=world.other_programme, roadshow=roadshow, values=roadshow_values()
        )
    assert Roadshow.objects.get().programme == world.programme


def test_the_office_form_announces_a_roadshow(world, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("talent:roadshow_new", kwargs={"programme": world.programme.slug}), roadshow_values()
    )
    assert response.status_code == 302
    roadshow = Roadshow.objects.get()
    edit = client.get(reverse("talent:roadshow_edit", kwargs={"slug": roadshow.slug}))
    assert edit.status_code == 200 and "Pingshan Hall" in edit.content.decode()
