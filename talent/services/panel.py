"""The expert panel of a special-talent application through ``portal.reviews``: a round owned by the programme,
scored with its rubric (social-economic benefit, industry influence, irreplaceability, development potential), the
experts declaring conflicts first, with the application's sections and files the officer chooses exposed (the
candidate's identifiers masked); then the panel's review opinion (专家评审意见), a bilingual opinion of the
programme's issuer signed by its director and issued as a numbered, verifiable PDF (portal.opinions)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record
from portal.opinions import services as opinions
from portal.opinions.models import OpinionKind
from portal.reviews import services as reviews
from portal.reviews.models import RoundState
from portal.reviews.scoring import quantize
from portal.reviews.services.results import counted_scorecards, round_result
from portal.text import clean_text

from .. import permissions
from ..models import SpecialStage, SpecialTalentApplication
from ..review import rounds_of
from ..verbs import TalentVerb
from .letters import draft_bilingual
from .review import open_round
from .special import locked

ACTIONS = {
    "talent.start_panel": (_("Start expert panel on special-talent application"), _("Expert panel started")),
    "talent.draft_panel_opinion": (
        _("Draft expert panel's review opinion"),
        _("Expert panel's review opinion drafted"),
    ),
}


CONCLUSION_MAX = 4000  # characters of the panel's conclusion, in each language (it is not a column of its own)


def suggested_experts(special, count=8):
    """Active experts of the application's sector first; anyone the employer's organization suggests a conflict
    with is left out (portal.reviews)."""
    return reviews.suggest_experts_for(organization=special.employer, theme_ids=[special.theme_id], count=count)


@transaction.atomic
def start_panel(*, actor, special, deadline, experts=(), keys=(), min_scores=3, open_now=True):
    """A panel round on an application in the expert-panel stage. All or nothing."""
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    special = locked(special)
    if special.stage != SpecialStage.PANEL:
        raise ValidationError(_("The application is not waiting for the expert panel."), code="stage")
    programme = special.call.programme
    return open_round(
        actor=actor,
        action="talent.start_panel",
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


def panel_figures(review_round) -> dict:
    """What the opinion says of the scoring: each criterion's mean over the counted scorecards, the aggregate, how
    many scored and the spread. Never a scorecard or an expert's name."""
    cards = counted_scorecards(review_round)
    criteria = list(review_round.rubric.criteria.order_by("sort_order", "pk"))
    values = {criterion.pk: [] for criterion in criteria}
    for card in cards:
        for score in card.scores.all():
            values.setdefault(score.criterion_id, []).append(score.value)
    rows = [
        {
            "criterion": criterion,
            "mean": quantize(sum(values[criterion.pk], Decimal(0)) / len(values[criterion.pk]))
            if values[criterion.pk]
            else None,
        }
        for criterion in criteria
    ]
    return {"criteria": rows, "aggregate": round_result(review_round, cards).aggregate}


def _in(language, special, figures, conclusion, conclusion_en):
    with translation.override(language):
        title = gettext("Expert panel's review opinion: %(name)s") % {"name": special.candidate_name}
        body = render_to_string(
            "talent/special_panel_opinion_body.html",
            {
                "special": special,
                "figures": figures,
                "conclusion": conclusion_en if language == "en" and conclusion_en else conclusion,
                "language": language,
            },
        )
    return title, body


@transaction.atomic
def draft_panel_opinion(*, actor, special, conclusion, conclusion_en=""):
    """The panel's review opinion once its round has closed: the rubric's criteria with their means, the
    aggregate score, how many scored and the spread, and the panel's conclusion in the officer's words — in
    Chinese then English, an opinion of the programme's issuer sent to the director to sign. It names no expert,
    gives no individual score and no identifier of the candidate."""
    special = locked(special)
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    if not special.panel_is_finished:
        raise ValidationError(_("The expert panel has not finished yet."), code="panel")
    if special.panel_opinion_id is not None and not special.panel_opinion.is_revoked:
        raise ValidationError(_("The panel's review opinion has already been drafted."), code="twice")
    programme = special.call.programme
    if programme.director_id is None:
        raise ValidationError(_("The programme has no director to sign its opinions: name one in the admin."))
    texts = clean_text(
        SpecialTalentApplication,
        {"conclusion": conclusion, "conclusion_en": conclusion_en},
        required={"conclusion": _("Write the panel's conclusion.")},
        limits={"conclusion": CONCLUSION_MAX, "conclusion_en": CONCLUSION_MAX},
    )
    conclusion, conclusion_en = texts["conclusion"], texts["conclusion_en"]
    review_round = rounds_of(special).filter(state=RoundState.CLOSED).select_related("rubric").first()
    figures = panel_figures(review_round)
    opinion = draft_bilingual(
        actor=actor,
        programme=programme,
        render=lambda language: _in(language, special, figures, conclusion, conclusion_en),
        kind=OpinionKind.REVIEW,
        addressee=str(special.employer),
        subject=special,
    )
    special.panel_opinion = opinion
    special.save(update_fields=["panel_opinion"])
    record(
        "talent.draft_panel_opinion",
        actor=actor,
        instance=special,
        data={"opinion": opinion.pk, "round": review_round.pk},
        line=Line(programme, TalentVerb.DRAFTED_PANEL_OPINION, opinion.title, opinions.detail_url(opinion)),
    )
    return opinion
