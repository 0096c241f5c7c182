"""The talent programmes' public pages in the page cache (issue 14): every anonymous page is kept with no token, nonce
or cookie, and goes the moment what it shows is written — a call published, changed or closed, a programme's facts, a
roadshow announced or changed, its pitches and places, a library entry approved, changed or withdrawn, a candidate put
on public notice or taken off it — while the pages that do not show the change stay kept."""

import datetime
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from portal.applications.models import ChecklistItem
from portal.pagecache import store
from portal.pages.models import SiteFooterSettings
from portal.reviews import testing as review_testing
from talent.models import ListingState, ObjectionOutcome, SpecialStage
from talent.services import filing
from talent.services import libraries as library_services
from talent.services import roadshows as roadshow_services
from talent.services.schedule import save_call, save_roadshow
from tests.factories import build_site
from tests.page_cache_helpers import cached_get, fresh, get, kept, text
from tests.special_notice_helpers import lodge, resolved
from tests.special_world import build_special_world, reload, special_application
from tests.talent_libraries_helpers import listing
from tests.talent_roadshows_helpers import admitted_team, investor, make_roadshow, pitch, register
from tests.talent_world import build_world, call_values, roadshow_values

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"csrfmiddlewaretoken|X-CSRFToken|nonce=|csrftoken")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture(autouse=True)
def site():
    """The CMS's site, as every public page has it (the header and footer read it)."""
    pages = build_site()
    # The footer's row is made by the first page that shows it: a write during that render, which is not kept.
    SiteFooterSettings.for_site(Site.objects.get(is_default_site=True))
    return pages


def url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(f"talent:{name}", kwargs=kwargs)


def kept_entry(address):
    """The stored entry of an anonymous GET of ``address`` (as the test client asks it)."""
    return store.fetch(store.page_key(RequestFactory().get(address)))


# --- what a kept talent page is ---------------------------------------------------------------------------------


def test_every_public_talent_page_is_kept_with_no_cookie_token_or_nonce(client, world, site):
    entry = listing(world, "projects", world.team, state=ListingState.PUBLISHED, title="单细胞测序平台")
    roadshow = make_roadshow(world, starts_in_hours=48)
    special = build_special_world_on_notice()
    addresses = [
        url("index"),
        url("index", "en"),
        url("programme", programme=world.programme.slug),
        url("call", slug=world.call.slug),
        url("call", "en", slug=world.call.slug),
        url("library", library="projects"),
        url("library", library="projects") + "?q=单细胞&theme=biomed",
        url("listing", library="projects", pk=entry.pk),
        url("experts"),
        url("roadshows"),
        url("roadshow", slug=roadshow.slug),
        url("notices"),
        url("notices", "en"),
        "/themes/biomed/",
    ]
    for address in addresses:
        response = cached_get(client, address)
        assert not response.cookies, address
        assert "Set-Cookie" not in response, address
        assert not TOKEN.search(text(response)), address
        assert "'nonce-" not in response.get("Content-Security-Policy", ""), address
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=" in control and "max-age=0" in control, address
    assert "单细胞测序平台" in text(get(client, "/themes/biomed/"))
    assert special.candidate_name in text(get(client, url("notices")))
    assert not client.cookies


def test_a_logged_in_officer_is_never_served_the_kept_page(client, world):
    cached_get(client, url("programme", programme=world.programme.slug))
    client.force_login(world.officer)
    response = get(client, url("programme", programme=world.programme.slug))
    assert "X-Page-Cache" not in response and "X-CSRFToken" in text(response)


# --- calls and programmes ---------------------------------------------------------------------------------------


def test_a_call_published_shows_on_its_programme_and_theme_page_and_nowhere_else(client, world, site):
    programme_page = url("programme", programme=world.programme.slug)
    other_programme = url("programme", programme=world.other_programme.slug)
    for address in (programme_page, other_programme, "/themes/biomed/", url("roadshows")):
        cached_get(client, address)
    save_call(actor=world.officer, programme=world.programme, values=call_values(world))
    for address in (programme_page, "/themes/biomed/"):
        assert "2027年第一批入驻申请" in text(fresh(client, address)), address
    kept(client, other_programme)
    kept(client, url("roadshows"))


def test_a_call_changed_or_closed_shows_on_its_page_in_both_languages(client, world):
    call = save_call(actor=world.officer, programme=world.programme, values=call_values(world))
    pages = [url("call", slug=call.slug), url("call", "en", slug=call.slug)]
    assert "Apply to this call" in text(cached_get(client, pages[1]))
    cached_get(client, pages[0])
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    values = call_values(world, title="2027年第一批入驻申请（已截止）", closes_on=yesterday)
    save_call(actor=world.officer, programme=world.programme, call=call, values=values)
    assert "2027年第一批入驻申请（已截止）" in text(fresh(client, pages[0]))
    assert "This call has closed" in text(fresh(client, pages[1]))
    # Unpublished, it leaves the public pages.
    save_call(actor=world.officer, programme=world.programme, call=call, values={**values, "is_published": ""})
    fresh(client, pages[0], status=404)


def test_a_programmes_facts_show_on_its_pages_and_the_list_of_programmes(client, world):
    pages = [url("index"), url("programme", programme=world.programme.slug), url("call", slug=world.call.slug)]
    for address in pages:
        cached_get(client, address)
    world.programme.name = "坪山海外人才离岸创新创业基地（新名）"
    world.programme.save()  # as the CMS's snippet editor saves it
    for address in pages:
        assert "坪山海外人才离岸创新创业基地（新名）" in text(fresh(client, address)), address


def test_a_required_document_added_to_the_checklist_shows_on_the_call(client, world):
    page = url("call", slug=world.call.slug)
    cached_get(client, page)
    ChecklistItem.objects.create(checklist=world.checklist, code="ip", name="知识产权证明", name_en="IP proof")
    assert "知识产权证明" in text(fresh(client, page))


# --- roadshows --------------------------------------------------------------------------------------------------


def test_a_roadshow_announced_shows_on_the_lists_and_the_theme_page(client, world, site):
    pages = [url("roadshows"), url("programme", programme=world.programme.slug), "/themes/biomed/"]
    for address in pages + [url("library", library="projects")]:
        cached_get(client, address)
    roadshow = save_roadshow(
        actor=world.officer, programme=world.programme, values={**roadshow_values(), "themes": [world.theme.pk]}
    )
    for address in pages:
        assert "2027年春季海外项目路演" in text(fresh(client, address)), address
    kept(client, url("library", library="projects"))
    page = url("roadshow", slug=roadshow.slug)
    cached_get(client, page)
    values = {**roadshow_values(venue="坪山国际人才馆"), "themes": [world.theme.pk]}
    save_roadshow(actor=world.officer, programme=world.programme, roadshow=roadshow, values=values)
    assert "坪山国际人才馆" in text(fresh(client, page))


def test_pitches_confirmed_and_ordered_and_places_taken_show_on_the_roadshow_page(client, world):
    roadshow = make_roadshow(world, starts_in_hours=48, closes_in_days=1, capacity=5)
    page = url("roadshow", slug=roadshow.slug)
    cached_get(client, page)
    first = pitch(world, roadshow, admitted_team(world), title="单细胞蛋白测序")
    assert "单细胞蛋白测序" in text(fresh(client, page))
    kept(client, page)
    second = pitch(world, roadshow, admitted_team(world, world.other_team), title="固态电池隔膜")
    assert "固态电池隔膜" in text(fresh(client, page))
    kept(client, page)
    roadshow_services.set_order(actor=world.officer, roadshow=roadshow, projects=[second.pk, first.pk])
    body = text(fresh(client, page))
    assert body.index("固态电池隔膜") < body.index("单细胞蛋白测序")  # a bulk write, purged by the service
    kept(client, page)
    assert "投资人名额还剩 5 个" in text(get(client, page))
    register(roadshow, investor())
    assert "投资人名额还剩 4 个" in text(fresh(client, page))


def test_the_roadshow_list_and_theme_page_go_when_a_coming_roadshow_ends(client, world, site):
    roadshow = make_roadshow(world, starts_in_hours=1)  # ends in four hours: then it is past, with no write
    for address in (url("roadshows"), "/themes/biomed/"):
        cached_get(client, address)
        ends = min(roadshow.ends_at.timestamp(), store.next_midnight())
        assert kept_entry(address).expires == pytest.approx(ends)


# --- the libraries ----------------------------------------------------------------------------------------------


def test_a_library_entry_approved_shows_on_its_list_every_query_and_the_theme_page(client, world, site):
    entry = listing(world, "demands", world.outsider, title="需要GMP慢病毒载体")
    pages = [url("library", library="demands"), url("library", library="demands") + "?q=慢病毒", "/themes/biomed/"]
    for address in pages + [url("library", library="patents"), url("notices")]:
        assert "需要GMP慢病毒载体" not in text(cached_get(client, address))
    library_services.curate(actor=world.officer, listing=entry, transition="publish")
    for address in pages:
        assert "需要GMP慢病毒载体" in text(fresh(client, address)), address
    kept(client, url("library", library="patents"))
    kept(client, url("notices"))


def test_a_library_entry_withdrawn_leaves_its_page_and_list(client, world):
    entry = listing(world, "projects", world.team, state=ListingState.PUBLISHED, title="撤回的项目")
    page = url("listing", library="projects", pk=entry.pk)
    for address in (page, url("library", library="projects")):
        assert "撤回的项目" in text(cached_get(client, address))
    library_services.withdraw(actor=world.team, listing=entry)
    fresh(client, page, status=404)
    assert "撤回的项目" not in text(fresh(client, url("library", library="projects")))


def test_a_library_entrys_themes_changed_show_on_its_page(client, world, site):
    entry = listing(world, "patents", world.team, state=ListingState.PUBLISHED, title="一种抗体纯化方法", themes=[])
    page = url("listing", library="patents", pk=entry.pk)
    cached_get(client, page)
    cached_get(client, "/themes/biomed/")
    entry.themes.set([world.theme])  # the CMS's editors may file an entry under a theme
    assert "生物医药" in text(fresh(client, page))
    assert "一种抗体纯化方法" in text(fresh(client, "/themes/biomed/"))


def test_an_expert_added_to_the_pool_shows_on_the_expert_list(client, world):
    page = url("experts")
    cached_get(client, page)
    expert = review_testing.make_expert(name="林专家")
    assert "林专家" in text(fresh(client, page))
    kept(client, page)
    expert.is_active = False
    expert.save()
    assert "林专家" not in text(fresh(client, page))


# --- the public notice ------------------------------------------------------------------------------------------


def build_special_world_on_notice():
    special = build_special_world()
    return special_application(special, stage=SpecialStage.NOTICE)


@pytest.fixture
def special_world():
    return build_special_world()


def test_a_candidate_put_on_notice_by_the_meeting_shows_on_the_next_visit(client, special_world):
    page = url("notices")
    assert "张工" not in text(cached_get(client, page))
    # The officer closes the meeting's vote (deliberations.close_item): the candidate is on notice from today.
    special = special_application(special_world, stage=SpecialStage.NOTICE)
    assert special.notice_starts_on == timezone.localdate()
    body = text(fresh(client, page))
    assert "张工" in body and url("notice_objection", pk=special.pk) in body
    # The kept list goes at midnight at the latest: a period starts and ends then, with no write.
    kept(client, page)
    entry = kept_entry(page)
    assert entry.expires <= store.next_midnight()


def test_a_candidate_rejected_on_an_upheld_objection_leaves_the_notice(client, special_world):
    special = special_application(special_world, stage=SpecialStage.NOTICE)
    page = url("notices")
    cached_get(client, url("library", library="projects"))
    objection = lodge(special)  # anyone's objection changes nothing the list shows
    assert "张工" in text(cached_get(client, page))
    resolved(special_world, objection, ObjectionOutcome.UPHELD)
    kept(client, page)
    filing.decide(actor=special_world.officer, special=reload(special), decision="reject", reason="异议成立。")
    assert "张工" not in text(fresh(client, page))
    kept(client, url("library", library="projects"))
