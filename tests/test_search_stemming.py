"""English stemming in search (index and query alike), whole-word marks in snippets, and the examples an
empty search offers: taken from what is published, and each one finds something on that language's site."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from portal.search.segment import query_terms, segment
from portal.search.snippets import make_snippet
from portal.search.suggestions import suggested_terms
from tests.factories import add_news

SUGGESTION_LINK = re.compile(r'<a href="(/(?:en/)?search/\?q=[^"]+)">([^<]+)</a>')


def results_for(client, query, prefix=""):
    response = client.get(f"{prefix}/search/", {"q": query})
    assert response.status_code == 200
    page = response.context["results_page"]
    return {hit.pk for hit in page.object_list} if page else set()


def suggestions_shown(client, prefix=""):
    html = client.get(f"{prefix}/search/").content.decode()
    block = re.search(r'<span class="search-suggestions">(.*?)</span>', html, re.S)
    return SUGGESTION_LINK.findall(block.group(1)) if block else []


def test_english_words_are_stemmed_at_index_and_query_time():
    words = segment("Semiconductor chips and 生物医药").split()
    assert words == ["semiconductor", "chip", "and", "生物", "医药", "生物医药"]
    assert query_terms("chips") == query_terms("chip") == ("chip",)
    assert query_terms("Semiconductors") == query_terms("semiconductor") == ("semiconductor",)
    assert query_terms("studies") == query_terms("study")


def test_a_short_english_word_never_swallows_a_longer_one():
    # "in" is inside "information", but English words are whole words, not a compound's parts.
    assert query_terms("information in") == ("inform", "in")


def test_chinese_segmentation_is_unchanged():
    assert query_terms("生物医药") == ("生物", "医药")
    assert query_terms("集成电路 chips") == (*query_terms("集成电路"), "chip")


@pytest.fixture
def english_news(site_pages):
    index = site_pages["news_index_en"]
    chips = add_news(index, title="Chips Act briefing", text="Firms discussed one chip design centre.")[0]
    fabs = add_news(index, title="Semiconductor plant opens", text="Two semiconductors lines start work.")[0]
    other = add_news(index, title="Offshore base opens", text="The offshore innovation base opened.")[0]
    return {"chips": chips, "fabs": fabs, "other": other, **site_pages}


@pytest.mark.parametrize(
    ("forms", "expected"),
    [(("chip", "chips", "Chips", "CHIP"), "chips"), (("semiconductor", "semiconductors", "Semiconductors"), "fabs")],
)
def test_singular_and_plural_find_the_same_pages(client, english_news, forms, expected):
    found = [results_for(client, form, "/en") for form in forms]
    assert found[0] == {english_news[expected].pk}
    assert all(result == found[0] for result in found)


def test_stemmed_phrase_needs_every_word(client, english_news):
    assert results_for(client, "semiconductors opening", "/en") == {english_news["fabs"].pk}
    assert results_for(client, "chips opening", "/en") == set()


def test_english_stemming_keeps_the_language_apart(client, english_news):
    assert results_for(client, "chips") == set()  # the Chinese site has no English news


def test_snippet_marks_every_form_of_the_word_whole():
    snippet = make_snippet("One chip, two Chips, a chipset; <b>x</b> & semiconductors.", ("chips", "chip"))
    assert "<mark>chip</mark>," in snippet and "<mark>Chips</mark>" in snippet
    assert "<mark>chip</mark>set" not in snippet and "chipset" in snippet
    assert "&lt;b&gt;" not in snippet and "<b>" not in snippet and "&amp;" in snippet  # tags stripped, text escaped


def test_search_page_marks_the_other_form(client, english_news):
    html = client.get("/en/search/", {"q": "semiconductor"}).content.decode()
    assert "Two <mark>semiconductors</mark> lines" in html


# Suggestions on an empty search ------------------------------------------------------------------------------


def test_each_language_suggests_words_that_find_something(client, english_news):
    for prefix in ("", "/en"):
        shown = suggestions_shown(client, prefix)
        assert len(shown) == 3, prefix
        for href, term in shown:
            response = client.get(href)
            assert response.context["query"] == term
            assert response.context["results_page"].paginator.count > 0, (prefix, term)
    english = {term for _, term in suggestions_shown(client, "/en")}
    chinese = {term for _, term in suggestions_shown(client)}
    assert not english & chinese
    assert all(re.fullmatch(r"[A-Za-z]+", term) for term in english)
    assert not any(re.search(r"[A-Za-z]", term) for term in chinese)  # the old hint offered "offshore base"


def test_suggestions_follow_what_is_published(client, english_news):
    english = Locale.objects.get(language_code="en")
    before = suggested_terms(english, count=20)
    assert "opens" in before  # in two titles
    for key in ("fabs", "other"):
        english_news[key].unpublish()
    after = suggested_terms(english, count=20)
    assert "opens" not in after and "Chips" in after
    for term in after:
        assert results_for(client, term, "/en"), term


def test_nothing_found_offers_examples_too(client, english_news):
    html = client.get("/en/search/", {"q": "quantum"}).content.decode()
    assert "Try fewer or other words, for example <span" in html


def test_examples_read_as_one_sentence_in_each_language(client, english_news):
    link = r"<a [^>]+>\w+</a>"
    english = client.get("/en/search/").content.decode()
    assert re.search(rf"Enter a word or phrase, for example <span[^>]*>({link}, ){{2}}{link}</span>\.", english)
    chinese = client.get("/search/").content.decode()
    assert re.search(rf"请输入词语或短语，例如：<span[^>]*>({link}、){{2}}{link}</span>。", chinese)


def test_a_site_without_pages_suggests_nothing(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["examples"] == ""
    assert "请输入词语或短语。" in response.content.decode()


def test_results_page_offers_no_examples(client, english_news):
    response = client.get("/en/search/", {"q": "chips"})
    assert response.context["examples"] == ""


@pytest.mark.django_db
def test_demo_content_suggestions_find_something_in_both_languages(client):
    call_command("seed_demo", without=["funds"], stdout=io.StringIO())
    for prefix in ("", "/en"):
        shown = suggestions_shown(client, prefix)
        assert len(shown) == 3, prefix
        for href, term in shown:
            assert client.get(href).context["results_page"].paginator.count > 0, (prefix, term)
    # The examples the issue named: both forms find the same demo news.
    assert results_for(client, "chip", "/en") == results_for(client, "chips", "/en") != set()
    assert results_for(client, "semiconductor", "/en") == results_for(client, "semiconductors", "/en") != set()
