"""Small shared pieces that replaced copies: portal.i18n.Localized (a field pair read in the reader's language)
and portal.registry.Registry (dashboard panels and theme sections)."""

from dataclasses import dataclass

from django.utils import translation

from councils.models import Council
from portal.i18n import Localized
from portal.registry import Registry
from themes.models import Theme


class Named:
    name = Localized("name_zh", "name_en")

    def __init__(self, zh, en):
        self.name_zh, self.name_en = zh, en


def test_localized_reads_the_readers_language_and_falls_back_to_chinese():
    both, chinese_only = Named("生物医药", "Biomedicine"), Named("集成电路", "")
    with translation.override("en"):
        assert (both.name, chinese_only.name) == ("Biomedicine", "集成电路")
    with translation.override("zh-hans"):
        assert both.name == "生物医药"


def test_models_keep_their_localized_names():
    theme = Theme(name_zh="生物医药", name_en="Biomedicine", description_zh="说明", description_en="")
    council = Council(name_zh="理事会", name_en="Council")
    with translation.override("en"):
        assert (theme.name, theme.description, council.name, str(theme)) == (
            "Biomedicine",
            "说明",
            "Council",
            "Biomedicine",
        )
    assert isinstance(Theme.name, Localized)  # read on the class, the descriptor itself


@dataclass(frozen=True)
class Entry:
    key: str
    order: int


def test_registry_orders_by_order_then_key_and_replaces_a_key():
    registry = Registry()
    for entry in (Entry("b", 2), Entry("a", 2), Entry("z", 1), Entry("b", 0)):
        registry.register(entry)
    assert [(entry.key, entry.order) for entry in registry.ordered()] == [("b", 0), ("z", 1), ("a", 2)]
    registry.unregister("z")
    registry.unregister("missing")
    assert [entry.key for entry in registry.ordered()] == ["b", "a"]
