from tests.factories import add_news


def test_site_tree_serves_home_and_news(client, site_pages):
    add_news(site_pages["news_index"], title="生物医药产业集聚发展座谈会召开")
    response = client.get("/")
    assert response.status_code == 200
    assert "生物医药产业集聚发展座谈会召开" in response.content.decode()
