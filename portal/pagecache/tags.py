"""The page cache's shared tags: what several apps' pages show. A domain names its own (``council:3``)."""

SITE = "site"  # what every page shows around its content: the navigation, the footer
NEWS = "news"  # the lists of news: home, the news index and its feed
THEMES = "themes"  # the taxonomy as listed: home's tiles, the theme index, the news filter
ORGANIZATIONS = "organizations"  # counts of a theme's industry organizations


def theme(pk) -> str:
    """One theme's own facts (name, colour, description) and its page."""
    return f"theme:{pk}"


def theme_news(pk) -> str:
    """The news of one theme, as its theme page lists them."""
    return f"news:theme:{pk}"


def checklist(pk) -> str:
    """A checklist of required documents, as the pages of the calls using it list them."""
    return f"checklist:{pk}"
