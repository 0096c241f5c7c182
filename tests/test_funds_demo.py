"""Demo data: seeding works on a database that lacks the officers' permission (funds' demo checks follow)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from portal.organizations.demo import seed_organization_claims

pytestmark = pytest.mark.django_db


def test_claim_officers_get_their_permission_when_the_database_lacks_it():
    """A database whose permission rows were not made (post_migrate did not run for it) used to stop seed_demo with
    Permission.DoesNotExist in seed_organization_claims; the step now makes the permission first."""
    Permission.objects.filter(codename="review_organizationclaim").delete()
    officer = get_user_model().objects.create_user(username="fundmgr", password="x")
    seed_organization_claims(lambda message: None)
    assert officer.has_perm("organizations.review_organizationclaim")
