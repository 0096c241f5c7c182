"""Journey 1: a visitor reads the Chinese news and switches to English."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import CJK, has_cjk, has_latin, html_lang, path_of

pytestmark = pytest.mark.browser


def test_public_news_journey_zh_to_en(page, demo_site, shot):
    base = demo_site

    # Home page in Chinese.
    page.goto(f"{base}/")
    assert html_lang(page) == "zh-Hans"
    expect(page.locator(".lead-story__title")).to_have_text(CJK)
    headings = page.locator("h2, h3").all_inner_texts()
    assert any(has_cjk(text) for text in headings), headings
    expect(page.locator(".headline-list li a").first).to_have_text(CJK)
    nav = page.locator("nav.main-nav")
    expect(nav).to_contain_text("新闻动态")
    shot(page, "01-home-zh")

    # Main navigation → news list, page 1 of 2.
    nav.get_by_role("link", name="新闻动态", exact=True).click()
    page.wait_for_url(re.compile(r"/news/$"))
    assert path_of(page) == "/news/"
    expect(page.locator("h1")).to_have_text("新闻动态")
    cards = page.locator(".news-card")
    assert cards.count() >= 10, cards.count()
    for title in page.locator(".news-card__title a").all_inner_texts():
        assert has_cjk(title), title
    next_link = page.locator("nav.pagination a[rel=next]")
    expect(next_link).to_have_count(1)
    assert "page=2" in next_link.get_attribute("href")
    shot(page, "02-news-list-zh")

    # Theme filter 生物医药: every card carries that tag.
    page.locator(".filter-list a", has_text="生物医药").first.click()
    page.wait_for_url(re.compile(r"/news/\?theme="))
    expect(page.locator('.filter-list a[aria-current="true"]')).to_have_text("生物医药")
    filtered = page.locator(".news-card")
    assert filtered.count() >= 1
    assert filtered.count() < 16
    for index in range(filtered.count()):
        tags = filtered.nth(index).locator(".tag").all_inner_texts()
        assert "生物医药" in [tag.strip() for tag in tags], (index, tags)
    shot(page, "03-news-filter-biomed-zh")

    # First article.
    first_title = page.locator(".news-card__title a").first
    zh_title = first_title.inner_text().strip()
    first_title.click()
    page.wait_for_url(re.compile(r"/news/[^/?]+/$"))
    h1 = page.locator("h1")
    expect(h1).to_have_text(zh_title)
    assert has_cjk(h1.inner_text())
    paragraphs = page.locator(".article__body p")
    assert paragraphs.count() >= 1
    assert has_cjk(paragraphs.first.inner_text())
    expect(page.locator(".article__meta .tag", has_text="生物医药")).to_have_count(1)
    shot(page, "04-article-zh")

    # Language switch → English.
    english = page.locator(".language-switch a", has_text="English")
    expect(english).to_have_count(1)
    english.click()
    page.wait_for_url(re.compile(r"/en/"))
    assert path_of(page).startswith("/en/"), page.url
    assert html_lang(page) == "en"
    if path_of(page).startswith("/en/news/"):
        # The article has an English translation.
        en_h1 = page.locator("h1").inner_text()
        assert has_latin(en_h1) and not has_cjk(en_h1), en_h1
        assert en_h1 != zh_title
        body = page.locator(".article__body p").first.inner_text()
        assert has_latin(body) and not has_cjk(body), body
    else:
        # No translation: the English home page.
        assert path_of(page) == "/en/", page.url
        en_headings = page.locator("h1, h2, h3").all_inner_texts()
        assert any(has_latin(text) and not has_cjk(text) for text in en_headings), en_headings
    assert zh_title not in page.locator("main").inner_text()
    expect(page.locator(".language-switch a", has_text="简体中文")).to_have_count(1)
    shot(page, "05-after-switch-en")

    # English news list.
    page.goto(f"{base}/en/news/")
    assert html_lang(page) == "en"
    en_titles = [text.strip() for text in page.locator(".news-card__title a").all_inner_texts()]
    assert en_titles, "no English articles listed on /en/news/"
    for title in en_titles:
        assert has_latin(title) and not has_cjk(title), title
    expect(page.locator("h1")).to_have_text("News")
    shot(page, "06-news-list-en")

    # An English article switches back to its Chinese original.
    en_link = page.locator(".news-card__title a").first
    en_title = en_link.inner_text().strip()
    en_link.click()
    page.wait_for_url(re.compile(r"/en/news/[^/?]+/$"))
    expect(page.locator("h1")).to_have_text(en_title)
    assert has_latin(page.locator(".article__body p").first.inner_text())
    shot(page, "07-article-en")
    with page.expect_navigation():
        page.locator(".language-switch a", has_text="简体中文").click()
    assert not path_of(page).startswith("/en/"), page.url
    assert html_lang(page) == "zh-Hans"
    back_h1 = page.locator("h1").inner_text()
    assert has_cjk(back_h1) and back_h1 != en_title, back_h1
    assert has_cjk(page.locator(".article__body p").first.inner_text())
    shot(page, "08-article-back-zh")
