"""What a review round may expose of its subject, told by the subject's app (the engine imports no domain).

The app that defines the subject's model registers, in its ``AppConfig.ready()``, how to list what could be
exposed and how to hand one piece over:

    material.register(
        Deal,
        candidates=deal_material,        # candidates(subject) -> [Item, ...]
        serve=serve_deal_file,           # serve(request, subject, item) -> HttpResponse (a file; not audited)
        render=render_deal_section,      # render(request, subject, item) -> safe HTML (a section)
    )

The round's managers choose among the candidates; each choice becomes a ``RoundMaterial`` row under the item's
``key``. When a reviewer opens one, the engine checks the reviewer (``permissions.can_open_material``), asks the
provider for the *present* candidates again, so an item that has left the subject (a deleted or moved document)
is no longer served, and audits the read itself. Keys are the provider's own and stable: ``document:12``,
``section:summary``, ``application:section:team``, ``application:file:5``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from portal.i18n import localized

from .models import MaterialKind


@dataclass(frozen=True)
class Item:
    """One thing of the subject a round could expose."""

    key: str
    label: str  # in Chinese (the default language)
    label_en: str = ""
    kind: str = MaterialKind.FILE
    group: str = ""  # where it sits in the subject (a folder, the application), for the managers' choice
    group_en: str = ""
    detail: str = ""  # a short note for the managers' choice (its type and size, who uploaded it)
    obj: object = None  # the model instance behind it, kept as a generic reference

    @property
    def display_label(self) -> str:
        return localized(self.label, self.label_en)

    @property
    def display_group(self) -> str:
        return localized(self.group, self.group_en)

    @property
    def is_file(self) -> bool:
        return self.kind == MaterialKind.FILE


@dataclass(frozen=True)
class Provider:
    candidates: Callable
    serve: Callable | None = None
    render: Callable | None = None


_PROVIDERS = {}


def register(model, *, candidates, serve=None, render=None):
    _PROVIDERS[model] = Provider(candidates=candidates, serve=serve, render=render)


def unregister(model):
    _PROVIDERS.pop(model, None)


def provider_for(subject) -> Provider | None:
    return None if subject is None else _PROVIDERS.get(type(subject))


def candidates(subject) -> list[Item]:
    """What the round on ``subject`` could expose, in the provider's order; nothing when nobody registered it."""
    provider = provider_for(subject)
    return list(provider.candidates(subject)) if provider else []


def find(subject, key) -> Item | None:
    """The candidate named ``key`` now, or None (it left the subject, or was never there)."""
    return next((item for item in candidates(subject) if item.key == key), None)
