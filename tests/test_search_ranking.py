"""What a searcher sees of ranking and counting, on either database (portal/search/results.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.search.models import IndexEntry

from portal.pages.models import NewsPage
from portal.search import results
from tests.factories import add_news

ON_POSTGRES = connection.vendor == "postgresql"


def _titles(response):
    return [hit.title for hit in response.context["results_page"].object_list]


def test_a_title_match_ranks_above_a_body_match(client, site_pages):
    # Same body, so the only difference is the title (newer first would put the body-only match first).
    add_news(site_pages["news_index"], title="细胞治疗产业座谈会召开", text="会上谈到细胞治疗的临床转化。")
    add_news(site_pages["news_index"], title="区领导调研企业", text="会上谈到细胞治疗的临床转化。")
    titles = _titles(client.get("/search/", {"q": "细胞治疗"}))
    assert titles == ["细胞治疗产业座谈会召开", "区领导调研企业"]


def test_every_match_is_counted_and_paged(client, site_pages):
    add_news(site_pages["news_index"], 13, title="氢能产业动态", text="氢能产业链项目签约。")
    first = client.get("/search/", {"q": "氢能"})
    assert first.context["results_page"].paginator.count == 13
    assert "找到 13 条" in first.content.decode()
    assert not first.context["results_capped"]
    second = client.get("/search/", {"q": "氢能", "page": 2})
    assert len(second.context["results_page"].object_list) == 3
    assert set(_titles(first)).isdisjoint(_titles(second))


def test_more_matches_than_ranked_read_more_than_and_show_the_newest(client, site_pages, monkeypatch):
    monkeypatch.setattr(results, "RANKED_MATCHES", 5)
    articles = add_news(site_pages["news_index"], 8, title="储能电站项目", text="储能电站并网。")
    response = client.get("/search/", {"q": "储能"})
    assert response.context["results_capped"]
    assert response.context["results_page"].paginator.count == 5
    shown = {hit.pk for hit in response.context["results_page"].object_list}
    # The newest five: the five most recently indexed (the index entry's id, FTS5's rowid on SQLite).
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(NewsPage), object_id__in=[str(a.pk) for a in articles]
    ).order_by("-pk")
    assert shown == {int(object_id) for object_id in entries.values_list("object_id", flat=True)[:5]}
    assert "超过 5 条" in response.content.decode()


def test_fewer_matches_than_ranked_are_not_capped(client, site_pages, monkeypatch):
    monkeypatch.setattr(results, "RANKED_MATCHES", 5)
    add_news(site_pages["news_index"], 5, title="储能电站项目", text="储能电站并网。")
    response = client.get("/search/", {"q": "储能"})
    assert not response.context["results_capped"]
    assert response.context["results_page"].paginator.count == 5
    assert "超过" not in response.content.decode()


@pytest.mark.skipif(not ON_POSTGRES, reason="a column's storage is PostgreSQL's (search migration 0001)")
def test_the_index_table_keeps_the_vectors_in_the_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'wagtailsearch_indexentry'::regclass "
            "AND attname IN ('title', 'body')"
        )
        assert dict(cursor.fetchall()) == {"title": "m", "body": "m"}
