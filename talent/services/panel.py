"""The expert panel of a special-talent application through ``portal.reviews``: a round owned by the programme,
scored with its rubric (social-economic benefit, industry influence, irreplaceability, development potential), the
experts declaring conflicts first, with the application's sections and files the officer chooses exposed (the
candidate's identifiers masked)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record

from .. import permissions
from ..models import SpecialStage
from ..verbs import TalentVerb
from .review import open_round
from .special import locked

ACTIONS = {"talent.start_panel": (_("Start expert panel on special-talent application"), _("Expert panel started"))}


@transaction.atomic
def start_panel(*, actor, special, deadline, experts=(), keys=(), min_scores=3, open_now=True):
    """A panel round on an application in the expert-panel stage. All or nothing."""
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    special = locked(special)
    if special.stage != SpecialStage.PANEL:
        raise ValidationError(_("The application is not waiting for the expert panel."), code="stage")
    programme = special.call.programme
    review_round = open_round(
        actor=actor,
        programme=programme,
        subject=special,
        title=f"{special.application.reference} {special.candidate_name}",
        theme=special.theme,
        deadline=deadline,
        experts=experts,
        keys=keys,
        min_scores=min_scores,
        open_now=open_now,
    )
    record(
        "talent.start_panel",
        actor=actor,
        instance=special,
        data={"round": review_round.pk, "experts": [e.pk for e in experts], "material": list(keys)},
        line=Line(programme, TalentVerb.STARTED_REVIEW, review_round.title, special.get_absolute_url()),
    )
    return review_round
