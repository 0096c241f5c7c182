"""What every page keeps between renders (portal/pagecache/fragments.py, portal/pages/routing.py): the navigation,
language switch, breadcrumbs, footer, theme sections and the route of a path are read from the store, for everyone,
and go the moment what they show changes — with the page cache off and for logged-in visitors too."""

import time

import pytest
from django.test import override_settings
from wagtail.models import Locale, Site

from portal.pagecache.public import depends_on
from portal.pages.models import SiteFooterSettings, StandardPage
from tests.factories import UserFactory, add_news, build_site, publish, translate
from tests.page_cache_helpers import text
from themes.sections import ThemeSection, register_section, unregister_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    pages = build_site()
    SiteFooterSettings.for_site(Site.objects.get(is_default_site=True))  # made once, as by a first page
    return pages


@pytest.fixture
def member(client):
    """A logged-in visitor: never served a kept page, but shown kept fragments."""
    client.force_login(UserFactory(username="fragment-reader"))
    return client


@pytest.fixture(autouse=True)
def _fragments_without_the_page_cache():
    with override_settings(PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=True):
        yield


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return text(response) if status == 200 else response


# --- the chrome ------------------------------------------------------------------------------------------------------


def test_a_new_menu_page_shows_in_the_kept_navigation_at_once(member, site):
    assert "办事指南" not in page(member, "/news/")
    publish(site["home"].add_child(instance=StandardPage(title="办事指南", slug="guide", show_in_menus=True)))
    assert "办事指南" in page(member, "/news/")
    assert "办事指南" in page(member, site["standard"].url)


def test_the_navigation_marks_the_section_of_each_page(member, site):
    article = add_news(site["news_index"], title="园区动态")[0]
    nav = page(member, article.url).split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/news/" aria-current="page"' in nav
    nav = page(member, "/").split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/" aria-current="page"' in nav and 'href="/news/" aria-current' not in nav


def test_kept_breadcrumbs_follow_a_renamed_parent(member, site):
    article = add_news(site["news_index"], title="园区动态")[0]
    assert "新闻" in page(member, article.url).split('class="breadcrumbs"')[1]
    news_index = site["news_index"]
    news_index.title = "坪山要闻"
    publish(news_index)
    assert "坪山要闻" in page(member, article.url).split('class="breadcrumbs"')[1].split("</nav>")[0]


def switch(client, url):
    return page(client, url).split('class="language-switch"')[1].split("</nav>")[0]


def test_the_language_switch_links_a_translation_once_it_is_published(client, site):
    article = add_news(site["news_index"], title="园区动态")[0]
    assert 'href="/en/"' in switch(client, article.url)  # no English yet: the English home
    english = translate(article, Locale.objects.get(language_code="en"), title="Park news")
    assert f'href="{english.url}"' in switch(client, article.url)


def test_the_footer_changes_on_the_next_page(member, site):
    page(member, "/")
    footer = SiteFooterSettings.for_site(Site.objects.get(is_default_site=True))
    footer.phone = "0755-87654321"
    footer.save()
    assert "0755-87654321" in page(member, "/news/")


# --- the remembered route --------------------------------------------------------------------------------------------


def test_a_renamed_page_leaves_its_old_address_at_once(client, site):
    article = add_news(site["news_index"], title="园区动态")[0]
    old = article.url
    page(client, old)
    article.slug = "park-news"
    publish(article)
    page(client, old, status=404)
    assert "园区动态" in page(client, "/news/park-news/")


def test_an_unpublished_or_deleted_page_is_not_served_from_a_remembered_route(client, site):
    first, second = add_news(site["news_index"], 2, title="园区动态")
    page(client, first.url)
    page(client, second.url)
    first.unpublish()
    page(client, first.url, status=404)
    url = second.url
    second.delete()
    page(client, url, status=404)


def test_a_moved_page_is_found_at_its_new_address_and_the_old_one_redirects(client, site):
    child = publish(site["standard"].add_child(instance=StandardPage(title="信息公开年报", slug="annual")))
    old = child.url
    page(client, old)
    child.move(site["home"], pos="last-child")
    assert page(client, old, status=301)["Location"] == "/annual/"  # Wagtail's redirect, not the remembered page
    assert "信息公开年报" in page(client, "/annual/")


def test_the_same_path_in_each_language_finds_its_own_page(client, site):
    chinese, english = page(client, "/news/"), page(client, "/en/news/")
    assert 'lang="zh-Hans"' in chinese and 'lang="en"' in english


# --- theme sections --------------------------------------------------------------------------------------------------


@pytest.fixture
def counted_section(settings):
    """A theme section that counts its renders and keeps what ``until`` says (seconds from now, or none)."""
    engine = settings.TEMPLATES[0]
    loaders = [
        ("django.template.loaders.locmem.Loader", {"tests/counted.html": "<p>rendered {{ section.n }}</p>"}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [{**engine, "APP_DIRS": False, "OPTIONS": {**engine["OPTIONS"], "loaders": loaders}}]
    state = {"renders": 0, "until": None}

    def context(theme, page, request):
        state["renders"] += 1
        depends_on(request, "tests:counted", until=state["until"] and time.time() + state["until"])
        return {"n": state["renders"]}

    register_section(ThemeSection(key="tests.counted", order=5, template="tests/counted.html", get_context=context))
    yield state
    unregister_section("tests.counted")


def test_a_section_is_rendered_once_until_its_tag_is_purged(member, site, counted_section):
    from portal.pagecache.store import purge

    url = site["theme_page"].url
    assert "rendered 1" in page(member, url) and "rendered 1" in page(member, url)
    purge("tests:counted")
    assert "rendered 2" in page(member, url)
    assert counted_section["renders"] == 2


def test_a_section_that_ends_with_the_clock_is_not_kept_past_it(client, site, counted_section):
    counted_section["until"] = -1  # already over: shown, never kept
    url = site["theme_page"].url
    page(client, url)
    page(client, url)
    assert counted_section["renders"] == 2


def test_the_page_cache_keeps_a_page_no_longer_than_a_kept_section_allows(client, site, counted_section):
    from portal.pagecache import store

    counted_section["until"] = 60
    with override_settings(PAGE_CACHE_ENABLED=True):
        with override_settings(PAGE_CACHE_ENABLED=False):
            page(client, site["theme_page"].url)  # the section is kept, with its limit
        response = client.get(site["theme_page"].url)  # the page made from the kept section
        entry = store.fetch(store.page_key(response.wsgi_request))
    assert counted_section["renders"] == 1
    assert entry is not None and entry.expires <= time.time() + 60


def test_with_fragments_off_everything_is_rendered_each_time(member, site, counted_section):
    with override_settings(FRAGMENT_CACHE_ENABLED=False):
        page(member, site["theme_page"].url)
        page(member, site["theme_page"].url)
    assert counted_section["renders"] == 2


def test_an_article_links_back_to_its_news_index_in_each_language(client, site):
    article = add_news(site["news_index"], title="园区动态")[0]
    assert 'class="back-link"><a href="/news/">' in page(client, article.url)
    english = translate(article, Locale.objects.get(language_code="en"), title="Park news")
    assert 'class="back-link"><a href="/en/news/">' in page(client, english.url)


def test_a_restriction_added_is_checked_at_once_and_lists_leave_the_page_out(client, site):
    from wagtail.models import PageViewRestriction

    article = add_news(site["news_index"], title="内部通知")[0]
    assert "内部通知" in page(client, "/news/")
    page(client, article.url)  # no restriction anywhere: remembered as such
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert page(client, article.url, status=302)["Location"].startswith("/_util/login/")
    assert "内部通知" not in page(client, "/news/")
