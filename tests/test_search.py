import pytest

from portal.search.segment import query_terms, segment
from portal.search.snippets import make_snippet
from tests.factories import add_news, body, publish

BODY = "坪山区召开座谈会，研究推动生物医药产业集聚发展的新举措。"


def test_segment_keeps_compounds_and_their_parts():
    words = segment("坪山区推动生物医药产业集聚发展").split()
    for word in ["坪山", "坪山区", "生物", "医药", "生物医药", "产业", "集聚", "发展"]:
        assert word in words


def test_query_terms_use_the_smallest_dictionary_words():
    assert query_terms("生物医药") == ("生物", "医药")
    assert query_terms("政务公开") == ("政务", "公开")
    assert query_terms("产业") == ("产业",)


def test_query_terms_drop_punctuation_and_limit_length():
    assert query_terms("！！？？。，") == ()
    assert query_terms("   ") == ()
    assert len(query_terms("生物医药产业集聚发展" * 100)) <= 16


def test_snippet_marks_terms_and_escapes_html():
    snippet = make_snippet("<script>alert(1)</script>坪山生物医药产业", ("生物医药", "生物", "医药"))
    assert "<script>" not in snippet
    assert "<mark>生物医药</mark>" in snippet


@pytest.fixture
def searchable(site_pages):
    news = add_news(site_pages["news_index"], title="坪山举行产业座谈会", text=BODY)[0]
    title_only = add_news(site_pages["news_index"], title="区政府深化政务公开工作", text="全文公开。")[0]
    english = add_news(
        site_pages["news_index_en"], title="Offshore base opens", text="The offshore innovation base opened."
    )[0]
    return {"news": news, "title_only": title_only, "english": english, **site_pages}


@pytest.mark.parametrize("query", ["生物医药", "产业", "集聚", "生物医药产业", "集聚发展", "医药"])
def test_words_inside_a_long_body_are_found(client, searchable, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "坪山举行产业座谈会" in html, query


def test_four_character_word_inside_a_title_is_found(client, searchable):
    html = client.get("/search/", {"q": "政务公开"}).content.decode()
    assert "区政府深化政务公开工作" in html
    # The standard page "政务公开指南" (body: 依法推进政务公开工作) is found too.
    assert "政务公开指南" in html


def test_theme_and_standard_pages_are_searchable(client, searchable):
    assert 'href="/themes/biomed/"' in client.get("/search/", {"q": "专题"}).content.decode()
    assert "政务公开指南" in client.get("/search/", {"q": "依法"}).content.decode()


def test_results_show_title_date_and_marked_snippet(client, searchable):
    response = client.get("/search/", {"q": "生物医药"})
    results = response.context["results_page"].object_list
    assert searchable["news"].pk in [result.pk for result in results]
    html = response.content.decode()
    assert "2026-01-01" in html
    assert "<mark>生物医药</mark>" in html


def test_search_stays_in_the_active_language(client, searchable):
    chinese = client.get("/search/", {"q": "offshore"}).content.decode()
    english = client.get("/en/search/", {"q": "offshore"}).content.decode()
    assert "Offshore base opens" not in chinese
    assert "Offshore base opens" in english
    assert "坪山举行产业座谈会" not in client.get("/en/search/", {"q": "生物医药"}).content.decode()


def test_drafts_are_not_found(client, searchable):
    draft = searchable["news"]
    draft.unpublish()
    html = client.get("/search/", {"q": "集聚"}).content.decode()
    assert "坪山举行产业座谈会" not in html


def test_empty_query_shows_the_prompt(client, searchable):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["results_page"] is None
    assert not response.context["query_had_no_words"]


def test_punctuation_only_query_answers_cleanly(client, searchable):
    response = client.get("/search/", {"q": "！@#￥%……&*（）"})
    assert response.status_code == 200
    assert response.context["query_had_no_words"] is True
    assert response.context["results_page"] is None


def test_a_1000_character_query_answers_cleanly(client, searchable):
    response = client.get("/search/", {"q": "生物医药" * 250})
    assert response.status_code == 200
    assert response.context["query_was_truncated"] is True


def test_no_results_state(client, searchable):
    response = client.get("/search/", {"q": "量子计算机"})
    assert response.status_code == 200
    assert response.context["results_page"].paginator.count == 0


def test_updating_a_page_updates_the_index(client, searchable):
    page = searchable["title_only"]
    page.body = body("新增集成电路内容。")
    publish(page)
    assert "区政府深化政务公开工作" in client.get("/search/", {"q": "集成电路"}).content.decode()
