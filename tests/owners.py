"""A stand-in owner for the engines' own tests: an Organization registered with ``portal.authority`` for one
test, with powers granted by hand. Domain owners (councils, committees) are tested with their own world."""

from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model

from portal import authority
from portal.authority import Power
from portal.memo import forget
from portal.organizations.models import Organization


class OwnerGrants:
    """``grant(user, owner, power)`` names a holder; the registration answers from these grants only."""

    def __init__(self):
        self._grants = defaultdict(set)  # (owner pk, power) -> user pks

    def grant(self, user, owner, power=Power.MANAGE):
        self._grants[(owner.pk, Power(power))].add(user.pk)
        forget(owner)  # forget the per-instance memo
        return owner

    def revoke(self, user, owner, power=Power.MANAGE):
        self._grants[(owner.pk, Power(power))].discard(user.pk)
        forget(owner)

    def holders(self, owner, power):
        return get_user_model().objects.filter(pk__in=self._grants[(owner.pk, power)])

    def held_by(self, user, power):
        pks = [pk for (pk, granted), users in self._grants.items() if granted == power and user.pk in users]
        return Organization.objects.filter(pk__in=pks)


@pytest.fixture
def owner_grants(db):
    grants = OwnerGrants()
    authority.register(Organization, holders=grants.holders, held_by=grants.held_by)
    yield grants
    authority.unregister(Organization)
