"""The page cache (portal/pagecache): anonymous public pages are kept and served to everyone, hold nothing personal,
and go the moment anything they show changes — in both languages."""

import io
import re
import time

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.test import override_settings
from wagtail.models import Page, Site

from portal.pagecache import store
from portal.pagecache.watch import watch
from portal.pages.models import SiteFooterSettings
from tests.factories import UserFactory, add_news, build_site, publish, translate
from tests.page_cache_helpers import cached_get, get, text
from themes.models import Theme

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"csrfmiddlewaretoken|X-CSRFToken|nonce=|csrftoken")


@pytest.fixture
def site():
    pages = build_site()
    # The footer's row is made by the first page that shows it: a write during that render, which is not kept.
    SiteFooterSettings.for_site(Site.objects.get(is_default_site=True))
    return pages


# --- what a cached page is -------------------------------------------------------------------------------------


def test_every_wagtail_page_type_is_cached_with_no_cookie_token_or_nonce(client, site):
    article = add_news(site["news_index"], title="坪山生物医药产业园开园")[0]
    for url in [
        "/",
        "/en/",
        "/news/",
        "/en/news/",
        article.url,
        "/themes/",
        "/themes/biomed/",
        "/en/themes/biomed/",
        "/open-government/",
        "/news/rss/",
    ]:
        response = cached_get(client, url)
        assert not response.cookies, url
        assert "Set-Cookie" not in response, url
        assert not TOKEN.search(text(response)), url
        assert "'nonce-" not in response.get("Content-Security-Policy", ""), url
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=" in control and "max-age=0" in control, url
    assert not client.cookies


def test_a_logged_in_visitor_is_never_served_the_cached_page_nor_fills_it(client, site):
    get(client, "/")  # the anonymous page is now kept
    user = UserFactory(username="reader", real_name="王读者")
    client.force_login(user)
    response = get(client, "/")
    assert "X-Page-Cache" not in response
    assert "王读者" in text(response)
    assert "private" in response["Cache-Control"]
    assert "X-CSRFToken" in text(response)  # htmx needs the token once someone is logged in
    client.logout()
    response = get(client, "/")
    assert response["X-Page-Cache"] == "hit"
    assert "王读者" not in text(response)


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(client, site):
    get(client, "/")
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in get(client, "/")


def test_pages_behind_a_form_or_login_are_not_kept(client, site):
    for url in ["/accounts/login/", "/accounts/register/", "/search/?q=坪山"]:
        response = client.get(url)
        assert "X-Page-Cache" not in response, url


@override_settings(PAGE_CACHE_ENABLED=False)
def test_the_cache_can_be_switched_off(client, site):
    get(client, "/")
    assert "X-Page-Cache" not in get(client, "/")


def test_a_cached_page_with_another_query_is_another_page(client, site):
    add_news(site["news_index"], count=12, title="分页新闻")
    first = cached_get(client, "/news/")
    second = get(client, "/news/?page=2")
    assert second["X-Page-Cache"] == "miss"
    assert first.content != second.content


# --- exact invalidation of Wagtail pages ----------------------------------------------------------------------


def test_publishing_an_article_shows_on_home_news_index_and_its_theme_page(client, site):
    for url in ["/", "/news/", "/themes/biomed/", "/open-government/"]:
        cached_get(client, url)
    add_news(site["news_index"], title="新药临床试验获批", themes=("biomed",))
    for url in ["/", "/news/", "/themes/biomed/"]:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "新药临床试验获批" in text(response), url
    # A page that does not show news is kept.
    assert get(client, "/open-government/")["X-Page-Cache"] == "hit"


def test_an_article_moved_to_another_theme_leaves_the_old_theme_page(client, site):
    nev = Theme.objects.get(code="nev")
    theme_index = site["theme_index"]
    from themes.models import ThemePage

    publish(theme_index.add_child(instance=ThemePage(title="新能源汽车", slug="nev", theme=nev, intro="新能源")))
    article = add_news(site["news_index"], title="电池材料企业落户坪山", themes=("nev",))[0]
    assert "电池材料企业落户坪山" in text(cached_get(client, "/themes/nev/"))
    cached_get(client, "/themes/biomed/")
    article.themes.set([Theme.objects.get(code="biomed")])
    publish(article)
    assert "电池材料企业落户坪山" not in text(get(client, "/themes/nev/"))
    assert "电池材料企业落户坪山" in text(get(client, "/themes/biomed/"))


def test_editing_an_article_updates_its_page_and_every_list_in_both_languages(client, site):
    article = add_news(site["news_index"], title="旧标题")[0]
    english = translate(article, site["home_en"].locale, title="Old title")
    for url in [article.url, english.url, "/", "/en/"]:
        cached_get(client, url)
    article.title = "新标题"
    publish(article)
    assert "新标题" in text(get(client, article.url))
    assert "新标题" in text(get(client, "/"))
    # The English copy shares the translation key: it was purged as well (its language switch links here).
    assert get(client, english.url)["X-Page-Cache"] == "miss"


def test_unpublishing_and_deleting_an_article_remove_it(client, site):
    kept, dropped = add_news(site["news_index"], count=2, title="要闻")
    cached_get(client, "/news/")
    cached_get(client, dropped.url)
    dropped.unpublish()
    assert client.get(dropped.url).status_code == 404
    assert dropped.title not in text(get(client, "/news/"))
    assert get(client, "/news/")["X-Page-Cache"] == "hit"
    Page.objects.get(pk=kept.pk).delete()
    assert kept.title not in text(get(client, "/news/"))


def test_a_new_menu_page_appears_in_every_page_navigation(client, site):
    from portal.pages.models import StandardPage

    cached_get(client, "/news/")
    cached_get(client, site["standard"].url)
    publish(site["home"].add_child(instance=StandardPage(title="办事指南", slug="guide", show_in_menus=True)))
    assert "办事指南" in text(get(client, "/news/"))
    assert "办事指南" in text(get(client, site["standard"].url))


def test_renaming_a_parent_updates_its_children_breadcrumbs(client, site):
    article = add_news(site["news_index"], title="园区动态")[0]
    cached_get(client, article.url)
    news_index = site["news_index"]
    news_index.title = "坪山要闻"
    publish(news_index)
    assert "坪山要闻" in text(get(client, article.url))


def test_moving_a_page_purges_it_and_the_navigation(client, site):
    from portal.pages.models import StandardPage

    child = publish(site["standard"].add_child(instance=StandardPage(title="信息公开年报", slug="annual")))
    cached_get(client, "/news/")
    cached_get(client, child.url)
    child.move(site["home"], pos="last-child")
    assert get(client, "/news/")["X-Page-Cache"] == "miss"


def test_a_theme_renamed_and_the_footer_changed_show_on_the_next_get(client, site):
    cached_get(client, "/themes/biomed/")
    cached_get(client, "/")
    theme = Theme.objects.get(code="biomed")
    theme.colour = "#123456"
    theme.save()
    assert "#123456" in text(get(client, "/themes/biomed/"))
    cached_get(client, "/")
    footer = SiteFooterSettings.for_site(Site.objects.get(is_default_site=True))
    footer.phone = "0755-12345678"
    footer.save()
    assert "0755-12345678" in text(get(client, "/"))


# --- the store --------------------------------------------------------------------------------------------------


class Response:
    status_code = 200
    content = b"page"

    def items(self):
        return [("Content-Type", "text/html")]


def saved(tags, started):
    render = store.Render(started=started, public=True, tags=set(tags))
    store.save("pagecache:page:test", render, Response(), store.lifetime(render))


def test_a_change_during_a_render_is_never_lost():
    started = time.time()
    store.purge_now("news")  # the change lands while the page renders
    saved({"news"}, started)
    assert store.fetch("pagecache:page:test") is None


def test_a_tag_whose_stamp_was_evicted_reads_as_changed():
    saved({"news"}, time.time())
    assert store.fetch("pagecache:page:test") is not None
    caches[settings.PAGE_CACHE_ALIAS].delete(store.TAG_PREFIX + "news")
    assert store.fetch("pagecache:page:test") is None


def test_purging_all_empties_the_cache_and_nothing_outlives_midnight():
    saved({"news"}, time.time())
    entry = store.fetch("pagecache:page:test")
    assert entry.expires <= store.next_midnight()
    store.purge_now(store.ALL)
    assert store.fetch("pagecache:page:test") is None


def test_the_command_and_a_migration_drop_every_kept_page(client, site):
    cached_get(client, "/")
    call_command("purge_page_cache", stdout=io.StringIO())
    assert get(client, "/")["X-Page-Cache"] == "miss"
    assert get(client, "/")["X-Page-Cache"] == "hit"
    post_migrate.send(sender=apps.get_app_config("pagecache"), app_config=apps.get_app_config("pagecache"))
    assert get(client, "/")["X-Page-Cache"] == "miss"


def test_two_watchers_of_one_model_both_purge():
    unwatch = [
        watch(Theme, lambda theme: ("watch-test-a",), moves=False),
        watch(Theme, lambda theme: ("watch-test-b",), moves=False),
    ]
    try:
        for tag in ("watch-test-a", "watch-test-b"):
            saved({tag}, time.time())
            Theme.objects.get(code="biomed").save()
            assert store.fetch("pagecache:page:test") is None, tag
    finally:
        for stop in unwatch:
            stop()
