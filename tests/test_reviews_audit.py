"""Reading a round's named scorecards is audited (issue 8, finding 7): one entry per view, with who and when."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode
from portal.reviews.models import ReviewRound
from portal.reviews.testing import cleared_assignment, make_expert, open_round, submit
from tests import reviews_fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


def views_of(review_round):
    return ModelLogEntry.objects.filter(
        action="reviews.view_scores",
        content_type=ContentType.objects.get_for_model(ReviewRound),
        object_id=str(review_round.pk),
    ).order_by("pk")


def test_each_view_of_named_scorecards_is_logged(client, manager, owner):
    review_round = open_round(manager, owner)
    client.force_login(manager)
    address = f"/workspace/reviews/rounds/{review_round.pk}/"
    assert client.get(address).status_code == 200
    assert not views_of(review_round).exists()  # no scorecard yet: nothing sensitive was read

    first = cleared_assignment(manager, review_round, make_expert(user=UserFactory(), name="王专家"))
    second = cleared_assignment(manager, review_round, make_expert(user=UserFactory(), name="李专家"))
    submit(first, 8, 8, 8)
    submit(second, 6, 6, 6)
    assert "王专家" in client.get(address).content.decode()
    client.get(address)
    entries = list(views_of(review_round))
    assert len(entries) == 2  # once per view
    assert all(entry.user == manager and entry.data["scorecards"] == 2 for entry in entries)
    with translation.override("en"):
        assert entries[0].message == "Named scorecards viewed"

    # A manager opening one expert's submitted scorecard is logged too, naming the assignment.
    assert client.get(f"/workspace/reviews/assignments/{first.pk}/").status_code == 200
    latest = views_of(review_round).last()
    assert latest.data["assignment"] == first.pk and latest.user == manager

    # The expert reading their own scorecard, or the others' anonymised ones, is not a sensitive read.
    count = views_of(review_round).count()
    client.force_login(first.expert.user)
    assert client.get(f"/workspace/reviews/assignments/{first.pk}/").status_code == 200
    assert views_of(review_round).count() == count

    # Someone refused the page leaves no read behind.
    client.force_login(UserFactory(roles=[RoleCode.SECRETARIAT]))
    assert client.get(address).status_code == 404
    assert views_of(review_round).count() == count
