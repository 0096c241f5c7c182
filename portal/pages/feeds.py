from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed


class NewsFeed(Feed):
    """RSS 2.0 of a news index: the 20 latest articles."""

    feed_type = Rss201rev2Feed

    def __init__(self, news_index):
        super().__init__()
        self.news_index = news_index

    def title(self):
        return self.news_index.title

    def link(self):
        return self.news_index.url

    def description(self):
        return self.news_index.intro or self.news_index.title

    def items(self):
        return self.news_index.news()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]
