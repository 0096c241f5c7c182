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
