"""Listings must not issue a query per article (no N+1): the home page and the news index cost
the same number of SQL queries with 5 articles as with 200.

Run with -s to see the counts.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from portal.pages.models import NewsPage
from tests.factories import add_news, body, publish
from themes.models import Theme

URLS = ("/", "/news/", "/news/?theme=biomed")
# The mix every batch of articles follows: themes by position, a cover on some, a featured one now and then.
THEME_MIX = (("biomed",), ("nev",), ("biomed", "ic"), ("ngit",), ("biomed", "smart_mfg", "clean_energy"))
START = datetime.date(2024, 1, 1)


def mix(number):
    """Themes, has-cover and featured for the number-th article (0-based)."""
    featured = number % 7 == 0
    # A featured article always has a cover, so the lead story costs the same whichever it is.
    return THEME_MIX[number % len(THEME_MIX)], featured or number % 3 != 1, featured


def add_published_news(news_index, numbers, images):
    """Live published NewsPages the slow, real way (revision + publish), as add_news does."""
    for number in numbers:
        themes, has_cover, featured = mix(number)
        (article,) = add_news(
            news_index,
            title=f"查询预算测试新闻{number + 1}",
            text=f"第{number + 1}篇测试新闻。",
            themes=themes,
            start=START + datetime.timedelta(days=number),
        )
        if has_cover or featured:
            article.cover_image = images[number % len(images)] if has_cover else None
            article.featured = featured
            publish(article)


def add_live_news_fast(news_index, numbers, images):
    """Live published NewsPages without revisions: the same rows a publish leaves, much faster."""
    themes_by_code = {theme.code: theme for theme in Theme.objects.all()}
    now = timezone.now()
    for number in numbers:
        themes, has_cover, featured = mix(number)
        article = NewsPage(
            title=f"查询预算测试新闻{number + 1}",
            slug=f"budget-news-{number + 1}",
            date=START + datetime.timedelta(days=number),
            summary=f"第{number + 1}篇测试新闻。",
            body=body(f"第{number + 1}篇测试新闻。"),
            cover_image=images[number % len(images)] if has_cover else None,
            featured=featured,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        # A ParentalManyToManyField holds the themes in memory; add_child's save() writes them.
        article.themes.set([themes_by_code[code] for code in themes])
        news_index.add_child(instance=article)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def measure(client):
    for url in URLS:  # warm up: site root paths, settings, renditions
        assert client.get(url).status_code == 200, url
    return {url: count_queries(client, url) for url in URLS}


@pytest.mark.django_db
@override_settings(PAGE_CACHE_ENABLED=False)  # renders are counted; the 195 bulk-written articles send no signal
def test_listings_issue_the_same_number_of_queries_with_5_and_200_articles(client, site_pages):
    news_index = site_pages["news_index"]
    images = [Image.objects.create(title=f"封面{n}", file=get_test_image_file()) for n in range(3)]

    add_published_news(news_index, range(5), images)
    small = measure(client)
    # The pages really list the articles, with covers and themes.
    assert "查询预算测试新闻5" in small["/"][1]
    assert "查询预算测试新闻4" in small["/news/"][1]
    assert "/media/images/" in small["/news/"][1]
    assert small["/news/?theme=biomed"][1].count('class="news-card"') == 3

    add_live_news_fast(news_index, range(5, 200), images)
    live_news = NewsPage.objects.live().child_of(news_index)
    assert live_news.count() == 200
    assert live_news.filter(themes__code="biomed").distinct().count() == 120
    assert live_news.filter(cover_image__isnull=False).count() == 200 - len([n for n in range(200) if not mix(n)[1]])
    large = measure(client)
    assert "查询预算测试新闻200" in large["/news/"][1]
    assert large["/news/"][1].count('class="news-card"') == 10
    assert large["/news/?theme=biomed"][1].count('class="news-card"') == 10
    assert "/media/images/" in large["/news/"][1]

    for url in URLS:
        print(f"{url}: {small[url][0]} queries with 5 articles, {large[url][0]} with 200")
    mismatches = {url: (small[url][0], large[url][0]) for url in URLS if small[url][0] != large[url][0]}
    assert not mismatches, f"query count grows with the number of articles (5 vs 200): {mismatches}"


def test_mix_has_covers_themes_and_featured():
    sample = [mix(number) for number in range(5)]
    assert {has_cover for _, has_cover, _ in sample} == {True, False}
    assert any(featured for _, _, featured in sample)
    assert set(itertools.chain.from_iterable(themes for themes, _, _ in sample)) >= {"biomed", "nev"}
