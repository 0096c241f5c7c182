"""portal.paging.KeysFirstPaginator gives the same pages as Django's Paginator, reading only the page's rows."""

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.paging import KeysFirstPaginator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    for number in range(23):
        UserFactory(username=f"paging-{number:02d}", real_name=f"第{number % 4}组")
    return get_user_model().objects.filter(username__startswith="paging-").order_by("real_name", "-username")


@pytest.mark.parametrize("orphans", [0, 2, 3])
def test_the_same_pages_in_the_same_order(people, orphans):
    stock, ours = Paginator(people, 5, orphans=orphans), KeysFirstPaginator(people, 5, orphans=orphans)
    assert ours.num_pages == stock.num_pages and ours.count == stock.count == 23
    for number in stock.page_range:
        assert list(ours.page(number)) == list(stock.page(number)), number
    assert list(ours.get_page(999)) == list(stock.get_page(999))  # past the end: the last page


def test_a_far_page_reads_keys_then_its_rows(people):
    paginator = KeysFirstPaginator(people, 5)
    paginator.count  # noqa: B018 -- the count is asked once, by any paginator
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(4)
    assert [person.username for person in page] == [row.username for row in list(people)[15:20]]
    keys, rows = (query["sql"] for query in queries.captured_queries)
    assert "OFFSET 15" in keys and "real_name" not in keys.split("FROM")[0]  # only keys are sorted and skipped
    assert "OFFSET" not in rows
