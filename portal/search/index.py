from modelsearch import index

from .segment import segment


def readable_text(value) -> str:
    """The text people read in a field value: a StreamField's searchable content, or the value itself."""
    if value is None:
        return ""
    if hasattr(value, "stream_block"):
        return " ".join(str(part) for part in value.stream_block.get_searchable_content(value))
    if isinstance(value, list | tuple):
        return " ".join(str(part) for part in value)
    return str(value)


class SegmentedSearchField(index.SearchField):
    """A search field whose value is indexed as jieba-segmented words.

    The field keeps its name, so a segmented ``title`` still lands in the backend's title
    column and keeps its boost; works with the SQLite and the PostgreSQL backends alike.
    """

    def get_value(self, obj):
        return segment(readable_text(super().get_value(obj)))


def page_search_fields(*extra_fields):
    """Wagtail's Page search fields plus a segmented title and the page type's own fields.

    The raw title stays (Wagtail expects the core fields); it is one long token and harmless.
    """
    from wagtail.models import Page

    return [*Page.search_fields, SegmentedSearchField("title", boost=2), *extra_fields]
