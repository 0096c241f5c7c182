"""The talent section of a theme page (issue 12): the offshore base's open calls of the theme's sector and its
published library entries, public things only, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talent.models import ListingState
from talent.public import talent_section
from tests.talent_libraries_helpers import listing
from tests.talent_world import build_world, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _section(world):
    with CaptureQueriesContext(connection) as queries:
        section = talent_section(world.theme, None, None)
    return section, len(queries)


def test_the_section_shows_open_calls_and_published_entries_of_the_theme_only(world):
    published = listing(world, "projects", world.team, state=ListingState.PUBLISHED, title="已发布的坪山项目")
    listing(world, "demands", world.outsider, title="待审核的企业需求")
    other_theme = theme("ic", "集成电路", "Integrated circuits")
    listing(world, "patents", world.team, state=ListingState.PUBLISHED, title="其他主题的专利", themes=[other_theme])
    section, _queries = _section(world)
    assert section["calls"] == [world.call]  # the closed call is not offered
    assert [entry.title for entry in section["listings"]] == [published.title]


def test_a_theme_with_nothing_to_show_has_no_section(world):
    assert talent_section(theme("materials", "新材料", "New materials"), None, None) is None


def test_the_section_costs_the_same_queries_for_one_and_six_entries(world):
    listing(world, "projects", world.team, state=ListingState.PUBLISHED)
    _section_one, few = _section(world)
    for library in ("projects", "demands", "patents", "demands", "patents"):
        listing(world, library, world.team, state=ListingState.PUBLISHED)
    section, many = _section(world)
    assert many == few <= 6
    assert len(section["listings"]) == 6
