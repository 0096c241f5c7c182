"""Journey 2: site search from the header, with highlighted snippets and an empty state."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .helpers import path_of

pytestmark = pytest.mark.browser


def test_search_journey(page, demo_site, shot):
    page.goto(f"{demo_site}/")
    box = page.locator("form.site-search #site-search-q")
    expect(box).to_be_visible()
    box.fill("生物医药")
    shot(page, "10-search-typed-zh")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))
    assert path_of(page) == "/search/"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["生物医药"]

    results = page.locator(".search-result")
    assert results.count() >= 1
    for index in range(results.count()):
        snippet = results.nth(index).locator(".search-result__snippet")
        assert snippet.locator("mark").count() >= 1, (index, snippet.inner_html())
    titles = page.locator(".search-result__title").all_inner_texts()
    assert any("生物医药" in title for title in titles), titles
    expect(page.locator(".empty-state")).to_have_count(0)
    shot(page, "11-search-results-biomed")

    # Punctuation only: no words to look for, an empty state and no results.
    box = page.locator("#site-search-q")
    box.fill("！！！")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=%EF%BC%81"))
    expect(page.locator(".empty-state")).to_be_visible()
    expect(page.locator(".search-result")).to_have_count(0)
    shot(page, "12-search-empty")
