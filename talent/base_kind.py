"""The base application kind of the applications engine (入驻申请): the steps a team fills in, the base's hooks."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.applications.kinds import Kind, Step

from .forms import application as steps
from .models import Call, ProgrammeKind
from .services import admissions
from .statuses import BaseStatus


def _title(answers) -> str:
    return (answers.get("project") or {}).get("title", "")


def _applicant_links(application) -> list:
    """The team's decision letter once issued (talent:base_letter checks the reader again)."""
    base = getattr(application, "base_application", None)
    if base is None or base.letter_id is None or not base.letter.has_been_issued:
        return []
    return [(_("Decision letter (PDF)"), reverse("talent:base_letter", args=[base.pk]))]


def _officer_url(application) -> str:
    base = getattr(application, "base_application", None)
    return base.get_absolute_url() if base is not None else ""


BASE_APPLICATION = Kind(
    code="talent.base",
    slug="offshore-base",
    title=_("Offshore talent base application"),
    owner_model=Call,
    steps=(
        Step("team", _("Team"), steps.TeamStep, help=_("Everyone in the team, one row each.")),
        Step("project", _("Project"), steps.ProjectStep),
        Step("services", _("Services and landing plan"), steps.ServicesStep),
    ),
    statuses=BaseStatus,
    reference_prefix="HC",
    checklist=lambda call: call.checklist,
    is_open=lambda call: call.programme.kind == ProgrammeKind.OFFSHORE_BASE and call.is_open,
    open_owners=lambda: Call.objects.open_on(timezone.localdate()).filter(programme__kind=ProgrammeKind.OFFSHORE_BASE),
    needs_organization=False,
    on_submit=admissions.base_from_application,
    on_withdraw=admissions.withdraw_base,
    withdrawable=admissions.withdrawable,
    on_expire=admissions.expire_base,
    officer_url=_officer_url,
    officer_label=_("Handle it in the talent office"),
    applicant_links=_applicant_links,
    title_from=_title,
    private_fields={"team": ("passport_number",)},
    intro=_(
        "Overseas teams apply here to join the Pingshan offshore innovation and entrepreneurship base: your team, "
        "your project, the services you will need and your plan to land in Pingshan, with the documents the call "
        "asks for. Your draft is saved at every step; you follow the application and answer requests for more "
        "material in your workspace. You may write in English or in Chinese."
    ),
)
