"""The kinds of application the engine serves. A domain (the fund, a talent programme) registers one per
programme in its ``AppConfig.ready()``; the engine imports no domain and learns everything it needs here.

    kinds.register(Kind(code="funds.financing", slug="financing", title=_("Financing application"),
                        owner_model=Fund, steps=(Step("company", _("Company"), CompanyForm), ...),
                        statuses=FinancingStatus, reference_prefix="RZ", checklist=lambda fund: fund.checklist,
                        is_open=lambda fund: fund.accepts_applications, open_owners=Fund.objects.accepting,
                        on_submit=create_deal_from_application))

``statuses`` is a ``TextChoices`` of what the applicant reads. It holds the engine's codes (ENGINE_STATUSES: the
engine sets them itself) and the domain's own (e.g. ``under_review`` while the deal is in due diligence), which the
domain sets through ``services.set_status`` — so an applicant never reads an internal stage's name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.functional import Promise

from portal.history import verbs


class EngineStatus:
    """The applicant-facing status codes the engine sets; every kind's ``statuses`` must contain them."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


ENGINE_STATUSES = (
    EngineStatus.DRAFT,
    EngineStatus.SUBMITTED,
    EngineStatus.SUPPLEMENT_REQUESTED,
    EngineStatus.WITHDRAWN,
    EngineStatus.EXPIRED,
)


@dataclass(frozen=True)
class Step:
    code: str  # "company": the key of its answers, and the URL's last part
    title: Promise  # gettext_lazy
    form_class: type  # a django Form, or a FormSet class for repeating rows (team members)
    help: Promise | str = ""

    @property
    def is_formset(self) -> bool:
        return hasattr(self.form_class, "management_form")


@dataclass(frozen=True)
class Kind:
    code: str  # "funds.financing"
    slug: str  # "financing": /apply/<slug>/<owner_pk>/
    title: Promise
    owner_model: type  # Fund
    steps: tuple[Step, ...]
    statuses: type  # TextChoices of applicant-facing statuses, holding ENGINE_STATUSES
    reference_prefix: str  # "RZ" -> RZ-2026-0007
    checklist: Callable  # (owner) -> Checklist | None
    is_open: Callable  # (owner) -> bool: accepting applications now
    open_owners: Callable  # () -> QuerySet of owners open for applications (the /apply/ list)
    needs_organization: bool = True  # the applicant applies for an Organization they are linked to
    on_submit: Callable | None = None  # (application, actor), inside the submit transaction
    on_resubmit: Callable | None = None  # (application, actor), after a supplement is answered
    on_withdraw: Callable | None = None  # (application, actor)
    # (application) -> bool: whether the domain's procedure still lets the applicant withdraw (not once decided
    # on, e.g. before a meeting's vote); the withdraw button is offered only then.
    withdrawable: Callable | None = None
    on_expire: Callable | None = None  # (application)
    officer_url: Callable | None = None  # (application) -> where officers handle it, or ""
    officer_label: Promise | str = ""  # the link's words ("Handle it in the pipeline"); a default when empty
    # (application) -> [(label, url), ...]: what the applicant may open beside the application (a decision letter).
    applicant_links: Callable | None = None
    title_from: Callable | None = None  # (answers) -> the application's title
    intro: Promise | str = ""  # what the start page says about this kind
    # {step code: (field, ...)}: personal identifiers (passport and ID numbers, dates of birth), encrypted at rest
    # (portal/crypto.py) and masked for everyone but the applicant; the domain shows them, audited, to who needs them.
    private_fields: dict = field(default_factory=dict)
    # (user, application) -> bool: who handles the application besides the owner's managers, for now (the sector
    # authority pre-reviewing a special-talent application): they see it and may ask for a supplement.
    also_handled_by: Callable | None = None

    def step(self, code: str) -> Step | None:
        return next((step for step in self.steps if step.code == code), None)

    def status_label(self, code: str):
        return dict(self.statuses.choices).get(code, code)

    def status_verb(self, code: str) -> str:
        """The history verb of a line saying "the status became ``code``" (its label: the status's label)."""
        return f"{self.slug}:{code}"


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    missing = [code for code in ENGINE_STATUSES if code not in kind.statuses.values]
    if missing:
        raise ValueError(f"application kind {kind.code}: statuses lack the engine's codes {missing}")
    taken = by_slug(kind.slug)
    if taken is not None and taken.code != kind.code:
        raise ValueError(f"application kind slug {kind.slug!r} is taken by {taken.code}")
    codes = [step.code for step in kind.steps]
    if len(set(codes)) != len(codes):
        raise ValueError(f"application kind {kind.code}: step codes repeat")
    # A timeline line says which status an application reached; its label is the kind's, in the reader's language.
    verbs.register(
        SimpleNamespace(choices=[(kind.status_verb(value), label) for value, label in kind.statuses.choices])
    )
    _kinds[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _kinds.pop(code, None)


def get(code: str) -> Kind | None:
    return _kinds.get(code)


def by_slug(slug: str) -> Kind | None:
    return next((kind for kind in _kinds.values() if kind.slug == slug), None)


def all() -> list[Kind]:  # noqa: A001  (the registry's own name for "every kind")
    return sorted(_kinds.values(), key=lambda kind: kind.code)
