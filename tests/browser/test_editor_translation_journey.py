"""Journey 60: the demo editor translates a Chinese news article in the CMS, publishes it and reads it in English."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from .helpers import has_cjk, log_in, path_of

pytestmark = pytest.mark.browser

# A demo article seeded in Chinese only: the editor's translation work.
SLUG = "councils-evaluate-incubator-projects"
TITLE_EN = "Co-governance councils give their first expert opinions on incubator projects"
SUMMARY_EN = "Three councils' experts evaluated 14 incubators and gave opinions on six major incubator projects."
PARAGRAPH_EN = "Industry experts joined the evaluation of Pingshan's incubators for the first time this year."
HEADING_EN = "Experts look at how projects fit local industry"
QUOTE_EN = "People who know the industry spot good projects earlier."


def replace_rich_text(page, editor, text):
    """Replace everything in one Draftail editor (a block may hold several paragraphs) by ``text``."""
    editor.click()
    editor.press("Control+a")
    editor.press("Delete")
    page.keyboard.insert_text(text)
    expect(editor).to_have_text(text)


def test_editor_translates_and_publishes_a_news_article(page, demo_site, shot):
    from wagtail.models import Locale

    from portal.pages.models import NewsPage

    base = demo_site
    english = Locale.objects.get(language_code="en")
    article = NewsPage.objects.get(slug=SLUG, locale__language_code="zh-hans")
    assert not article.has_translation(english), "the demo should leave this article for the editor"
    translate_path = reverse("simple_translation:submit_page_translation", args=[article.pk])

    page.goto(f"{base}/accounts/login/?next=/admin/")
    log_in(page, "editor", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/admin/$"))
    # Content, not administration: no users, groups or settings in the editor's menu.
    sidebar = page.locator("#wagtail-sidebar")
    expect(sidebar.locator('a[href="/admin/users/"]')).to_have_count(0)
    expect(sidebar.locator('a[href="/admin/groups/"]')).to_have_count(0)

    # The article's admin page offers "Translate" in its actions menu.
    page.goto(f"{base}{reverse('wagtailadmin_pages:edit', args=[article.pk])}")
    page.locator("#w-slim-header-buttons .w-dropdown__toggle").click()
    translate = page.locator(f'#w-slim-header-buttons a[href="{translate_path}"]')
    expect(translate).to_be_visible()
    shot(page, "60-editor-article-actions-translate")
    translate.click()
    page.wait_for_url(re.compile(re.escape(translate_path) + "$"))

    page.locator(f'input[name="locales"][value="{english.pk}"]').check()
    shot(page, "61-editor-translate-form")
    with page.expect_navigation():
        page.locator('form[data-controller="w-bulk"] input[type="submit"]').click()
    translation = NewsPage.objects.get(locale=english, translation_key=article.translation_key)
    assert path_of(page) == reverse("wagtailadmin_pages:edit", args=[translation.pk]), page.url

    # The copy starts in Chinese; the editor writes the English text.
    page.locator("#id_title").fill(TITLE_EN)
    page.locator("#id_summary").fill(SUMMARY_EN)
    body = page.locator('[data-contentpath="body"]')
    editors = body.locator('[contenteditable="true"]')
    # The rich-text editors start one by one: wait for all of them before counting.
    expect(editors).to_have_count(sum(1 for block in translation.body if block.block_type == "paragraph"))
    for index in range(editors.count()):
        replace_rich_text(page, editors.nth(index), f"{PARAGRAPH_EN} ({index + 1})")
    headings = body.locator('input[type="text"][name$="-value"]')
    for index in range(headings.count()):
        headings.nth(index).fill(HEADING_EN)
    for quote in body.locator('textarea[name$="-value-text"]').all():
        quote.fill(QUOTE_EN)
    # Draftail writes an editor's content to its hidden form field when the editor loses focus: leave the last
    # one, and wait until every paragraph's field holds the English text.
    page.locator("#id_title").focus()
    page.wait_for_function(
        """([text, count]) => [...document.querySelectorAll('[data-contentpath="body"] input[type="hidden"]')]
            .filter((field) => field.value.includes(text)).length >= count""",
        arg=[PARAGRAPH_EN, editors.count()],
    )
    shot(page, "62-editor-english-draft")

    publish = page.locator('footer button[name="action-publish"]')
    if not publish.is_visible():
        page.locator("footer .w-dropdown__toggle").first.click()
    with page.expect_navigation():
        publish.click()
    expect(page.locator(".messages")).to_contain_text(TITLE_EN)
    shot(page, "63-editor-published")
    translation.refresh_from_db()
    assert translation.live
    assert translation.title == TITLE_EN

    # The public English site serves it, in English, and links back to the Chinese original.
    page.goto(f"{base}/en/news/{translation.slug}/")
    expect(page.locator("h1")).to_have_text(TITLE_EN)
    article_text = page.locator(".article__body").inner_text()
    assert PARAGRAPH_EN in article_text and HEADING_EN in article_text
    assert not has_cjk(article_text), article_text
    shot(page, "64-article-en-published")
    with page.expect_navigation():
        page.locator(".language-switch a", has_text="简体中文").click()
    expect(page.locator("h1")).to_have_text(article.title)
