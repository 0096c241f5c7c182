"""The talent programmes and their sector authorities are configured in the Wagtail admin (snippets): the list
pages answer in Chinese, and a sector authority saved there gives its pre-reviewer the power over its sector."""

import pytest
from django.urls import reverse

from talent import permissions
from talent.models import SectorAuthority, SpecialStage
from tests.factories import UserFactory
from tests.special_world import build_special_world, special_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="talent_admin_t", is_superuser=True, is_staff=True))
    return client


def test_programme_and_sector_authority_lists_show_in_chinese(admin_client):
    world = build_special_world()
    for model in ("programme", "sectorauthority"):
        page = admin_client.get(reverse(f"wagtailsnippets_talent_{model}:list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200
    page = admin_client.get(reverse("wagtailsnippets_talent_sectorauthority:list")).content.decode()
    assert world.authority.organization.name in page


def test_a_reviewer_named_in_the_admin_pre_reviews_the_sector(admin_client):
    world = build_special_world()
    special = special_application(world, stage=SpecialStage.PRE_REVIEW)
    newcomer = UserFactory(username="authority_new_t")
    assert not permissions.pre_reviews(newcomer, special)
    url = reverse("wagtailsnippets_talent_sectorauthority:edit", args=[world.authority.pk])
    response = admin_client.post(
        url,
        {
            "programme": world.programme.pk,
            "organization": world.authority.organization.pk,
            "themes": [world.theme.pk],
            "reviewers": [world.reviewer.pk, newcomer.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(SectorAuthority.objects.get(pk=world.authority.pk).reviewers.all()) == {world.reviewer, newcomer}
    assert permissions.pre_reviews(newcomer, type(special).objects.get(pk=special.pk))
