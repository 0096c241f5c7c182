"""The special-talent application kind of the applications engine (特殊人才): the steps an employer fills in, the
hooks that start and end the district's procedure (talent/services/special.py)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.applications.kinds import Kind, Step

from . import permissions
from .forms import special as steps
from .models import Call, ProgrammeKind
from .services import special
from .statuses import SpecialStatus


def _title(answers) -> str:
    """Stored once for every reader: in the portal's first language, whoever saves the step."""
    candidate = answers.get("candidate") or {}
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Special talent: %(name)s") % {"name": candidate.get("name", "")})


def _applicant_links(application) -> list:
    """The filing form once issued (talent:special_filing_form checks the reader again)."""
    special_application = getattr(application, "special_application", None)
    if special_application is None or not permissions.can_download_filing_form(
        application.applicant, special_application
    ):
        return []
    return [(_("Filing form (PDF)"), reverse("talent:special_filing_form", args=[special_application.pk]))]


def _officer_url(application) -> str:
    special_application = getattr(application, "special_application", None)
    return special_application.get_absolute_url() if special_application is not None else ""


def _calls():
    return Call.objects.filter(programme__kind=ProgrammeKind.SPECIAL_TALENT)


SPECIAL_APPLICATION = Kind(
    code="talent.special",
    slug="special-talent",
    title=_("Special-talent application"),
    owner_model=Call,
    steps=(
        Step("candidate", _("Candidate"), steps.CandidateStep),
        Step("case", _("Why the employer needs them"), steps.CaseStep),
        Step(
            "contribution",
            _("Contribution and recommendations"),
            steps.ContributionStep,
            help=_("Evidence of the candidate's contribution; attach the recommendation letters below."),
        ),
    ),
    statuses=SpecialStatus,
    reference_prefix="TS",
    checklist=lambda call: call.checklist,
    is_open=lambda call: call.programme.kind == ProgrammeKind.SPECIAL_TALENT and call.is_open,
    open_owners=lambda: _calls().open_on(timezone.localdate()),
    needs_organization=True,
    on_submit=special.special_from_application,
    on_withdraw=special.withdraw_special,
    withdrawable=special.withdrawable,
    on_expire=special.expire_special,
    officer_url=_officer_url,
    officer_label=_("Handle it in the talent office"),
    applicant_links=_applicant_links,
    title_from=_title,
    private_fields={"candidate": ("id_number", "birth_date")},
    also_handled_by=permissions.handles_in_pre_review,
    intro=_(
        "Employers registered in Pingshan apply here for someone they urgently need who misses the standard talent "
        "criteria (age, degree or professional title) and is judged instead on social-economic benefit and "
        "industry influence. The sector's authority pre-reviews the application, an expert panel scores it, the "
        "district talent work meeting decides, the candidate is put on public notice and then filed with the city. "
        "You follow each step here and answer requests for more material."
    ),
)
