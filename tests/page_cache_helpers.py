"""Anonymous GETs for the page-cache tests: what the cache answered (``X-Page-Cache``) asserted with each."""


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def cached_get(client, url):
    """Two anonymous GETs: the second comes from the cache, identical to the first."""
    first, second = get(client, url), get(client, url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit"), url
    assert second.content == first.content
    return second


def fresh(client, url, status=200):
    """The next anonymous GET after a change: rendered again."""
    response = get(client, url, status)
    if status == 200:
        assert response["X-Page-Cache"] == "miss", url
    return response


def kept(client, url):
    """The next anonymous GET comes from the cache (after a change the page does not show)."""
    assert get(client, url)["X-Page-Cache"] == "hit", url


def text(response):
    return response.content.decode()
