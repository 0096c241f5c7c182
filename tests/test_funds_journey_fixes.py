"""Regressions found by the fund's browser journey (tests/browser/test_funds_apply_journey.py)."""

import pytest

from tests.funds_world import make_fund

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_apply_page_sends_a_newcomer_to_registration_in_their_language(client, prefix):
    # The start page's "Register" link was a fixed /accounts/register/: an English reader landed on the Chinese form.
    fund = make_fund()
    page = f"{prefix}/apply/financing/{fund.pk}/"
    response = client.get(page)
    assert response.status_code == 200
    assert f'href="{prefix}/accounts/register/?next={page}"' in response.content.decode()


def test_an_applicant_without_an_organization_is_sent_to_attach_one_and_back(client):
    # The start page offered "Start the application" over an empty organization list, which then refused to start:
    # a newcomer fresh from registration had no way on from there.
    from portal.accounts.roles import RoleCode
    from tests.factories import UserFactory
    from tests.funds_world import make_company

    fund = make_fund()
    newcomer = UserFactory(roles=[RoleCode.APPLICANT])
    client.force_login(newcomer)
    page = f"/en/apply/financing/{fund.pk}/"
    text = client.get(page).content.decode()
    assert f'href="/en/accounts/organization/?next={page}"' in text
    assert "Start the application" not in text

    make_company(contact=newcomer)  # once linked, the page offers to start, and no longer the detour
    text = client.get(page).content.decode()
    assert "Start the application" in text
    assert "/accounts/organization/?next=" not in text


def test_a_long_held_portfolio_deal_is_not_called_stuck_but_a_long_due_diligence_is(client):
    from funds.models import DealStage
    from tests.funds_world import FundWorld, make_deal

    world = FundWorld.build()
    long = world.fund.stuck_after_days + 30
    held = make_deal(world, stage=DealStage.PORTFOLIO, days_in_stage=long)
    waiting = make_deal(world, stage=DealStage.DUE_DILIGENCE, days_in_stage=long)
    client.force_login(world.manager)
    assert client.get(held.get_absolute_url()).context["stuck"] is False
    assert client.get(waiting.get_absolute_url()).context["stuck"] is True
