"""The owner and manager of the review rounds in the ``tests/test_reviews_*`` files.

A test module takes them with ``owner = reviews_fixtures.owner`` (pytest finds fixtures among a module's names).
The owner is a stand-in organization registered through ``owner_grants``; the manager holds MANAGE over it. Their
role is the secretariat's, which by itself grants nothing over the rounds.
"""

import pytest

from portal.accounts.roles import RoleCode
from portal.authority import Power
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def owner(owner_grants):
    """The body the rounds belong to (a stand-in for a council, a committee or a fund)."""
    return OrganizationFactory(name="坪山区评审主办单位")


@pytest.fixture
def manager(owner_grants, owner):
    user = UserFactory(roles=[RoleCode.SECRETARIAT])
    owner_grants.grant(user, owner, Power.MANAGE)
    return user
