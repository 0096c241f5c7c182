"""The talent lists ask the same number of queries with 10 rows as with 1,000 (no query per row), and show one page
of them (issue 14): the office's base and special-talent applications, service requests (the office's queue and
the team's own), the public libraries and the expert pool, the submitters' own entries and the curators' queue,
roadshows (public and the office's), calls, talent work meetings and the public notice.

Run with -s to see the counts. The rows are written in bulk (tests/talent_rows.py).
"""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.experts.models import Expert
from talent.models import (
    BaseStage,
    EnterpriseDemand,
    PatentListing,
    ProjectListing,
    SpecialStage,
)
from tests import talent_rows as rows
from tests.special_world import build_special_world
from tests.talent_world import build_world, theme

FEW, MANY = 10, 1_000
# What an active team may ask services for (the team's own list shows its requests over them).
ADMITTED = (BaseStage.ONBOARDING, BaseStage.ACTIVE)


@pytest.fixture(autouse=True)
def rendered(settings):
    """The budgets are a render's: the public pages' second anonymous visit would come from the page cache."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def world(db):
    base = build_world()
    special = build_special_world()
    return SimpleNamespace(
        base=base,
        special=special,
        themes=[base.theme, special.other_theme, theme("ic", "集成电路", "Integrated circuits")],
    )


def _url(name, **kwargs):
    with translation.override("zh-hans"):
        return reverse(f"talent:{name}", kwargs=kwargs)


def _count(client, user, url):
    """Queries of a second request (the first of a session reads more: the session, the user's memo)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


# --- what each list grows by --------------------------------------------------------------------------------------


def _bases(world, count):
    rows.base_applications(world.base.call, [world.base.team], count, themes=world.themes)


def _specials(world, count, stages=rows.SPECIAL_STAGES):
    special = world.special
    rows.special_applications(
        special.call,
        [special.employer],
        [special.organization, special.other_organization],
        count,
        themes=[special.theme, special.other_theme],
        authority=special.authority,
        stages=stages,
    )


def _services(world, count):
    if not hasattr(world, "admitted"):
        world.admitted = rows.base_applications(
            world.base.call, [world.base.team], 3, themes=world.themes, stages=ADMITTED
        )
    rows.service_requests(world.admitted, count, requested_by=world.base.team, officers=[world.base.officer])


def _all_libraries(world, count):
    for model in (ProjectListing, EnterpriseDemand, PatentListing):
        rows.listings(model, world.base.programme, [world.base.outsider], count, themes=world.themes)


def _experts(world, count):
    from tests.talent_rows import BATCH

    created = Expert.objects.bulk_create(
        [Expert(name=f"批量专家{number}", title="研究员", affiliation_name="坪山研究院") for number in range(count)],
        batch_size=BATCH,
    )
    through = Expert.themes.through
    through.objects.bulk_create(
        [through(expert_id=e.pk, theme_id=world.themes[n % 3].pk) for n, e in enumerate(created)], batch_size=BATCH
    )


def _roadshows(world, count):
    rows.roadshows(world.base.programme, count, themes=world.themes)


def _calls(world, count):
    rows.calls(world.base.programme, count, themes=world.themes)


def _on_notice(world, count):
    _specials(world, count, stages=(SpecialStage.NOTICE,))


# Each group grows its kinds of rows in one world and asks each of its lists at 10 and at 1,000 rows.
GROUPS = {
    "applications": (
        (_bases, _specials),
        {
            "base applications": ("base.officer", lambda w: _url("base_applications", programme=w.base.programme.slug)),
            "base applications by stage": (
                "base.officer",
                lambda w: _url("base_applications", programme=w.base.programme.slug) + "?stage=review",
            ),
            "special applications (officer)": ("special.officer", lambda w: _url("special_applications")),
            "special applications (authority)": ("special.reviewer", lambda w: _url("special_applications")),
            "special applications by stage and sector": (
                "special.officer",
                lambda w: _url("special_applications") + f"?stage=panel&sector={w.special.other_theme.pk}",
            ),
        },
    ),
    "services and the notice": (
        (_services, _on_notice),
        {
            "service queue": ("base.officer", lambda w: _url("service_queue", programme=w.base.programme.slug)),
            "service queue, every state of a kind": (
                "base.officer",
                lambda w: _url("service_queue", programme=w.base.programme.slug) + "?state=all&kind=visa",
            ),
            "the team's services": ("base.team", lambda w: _url("my_services")),
            "public notice": (None, lambda w: _url("notices")),
        },
    ),
    "libraries": (
        (_all_libraries, _experts),
        {
            "project library": (None, lambda w: _url("library", library="projects")),
            "demand library, searched": (None, lambda w: _url("library", library="demands") + "?q=测序&theme=biomed"),
            "patent library": (None, lambda w: _url("library", library="patents")),
            "expert pool": (None, lambda w: _url("experts")),
            "my library entries": ("base.outsider", lambda w: _url("my_listings")),
            "curators' queue (waiting)": ("base.officer", lambda w: _url("listing_queue")),
            "curators' queue (published)": ("base.officer", lambda w: _url("listing_queue") + "?state=published"),
        },
    ),
    "roadshows and calls": (
        (_roadshows, _calls),
        {
            "roadshows": (None, lambda w: _url("roadshows")),
            "the office's roadshows": (
                "base.officer",
                lambda w: _url("office_roadshows", programme=w.base.programme.slug),
            ),
            "the office's calls": ("base.officer", lambda w: _url("office_calls", programme=w.base.programme.slug)),
            "the programme's page": (None, lambda w: _url("programme", programme=w.base.programme.slug)),
        },
    ),
}


# Pages that show a bounded part of a growing list (the programme's page: its open calls and the latest five past).
NOT_PAGED = {"the programme's page"}


def _user(world, path):
    if path is None:
        return None
    holder = world
    for name in path.split("."):
        holder = getattr(holder, name)
    return holder


def _counts(client, world, lists):
    return {name: _count(client, _user(world, who), address(world)) for name, (who, address) in lists.items()}


@pytest.mark.parametrize("group", GROUPS)
def test_each_list_asks_the_same_queries_for_10_and_1000_rows(client, world, group):
    growers, lists = GROUPS[group]
    for grow in growers:
        grow(world, FEW)
    few = _counts(client, world, lists)
    for grow in growers:
        grow(world, MANY - FEW)
    many = _counts(client, world, lists)
    for name in lists:
        print(f"{name}: {few[name][0]} queries with {FEW} rows, {many[name][0]} with {MANY}")
    assert {name: count for name, (count, _r) in many.items()} == {name: count for name, (count, _r) in few.items()}
    for name, (_queries, response) in many.items():
        page = response.context.get("page_obj")
        if name in NOT_PAGED:
            continue
        assert page is not None, f"{name}: not paginated"
        # A page at a time, not the thousand rows.
        assert page.paginator.num_pages > 1 and len(page.object_list) == page.paginator.per_page, name
