"""Scorecards: draft, submit (locked first, then checked for outliers), explain an outlier."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import lifecycle
from portal.history.record import Tell, record
from portal.text import clean_text

from .. import permissions
from ..models import (
    AssignmentState,
    ReviewRound,
    Score,
    Scorecard,
    weighted_total,
)
from ..scoring import median
from .common import round_managers, stored_link

SCORE_FIELD = "score_{}"
REASON_FIELD = "reason_{}"


# --- Scorecards ------------------------------------------------------------------------------------------


def _decimal(value):
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("scores are Decimal, never float")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        return "invalid"
    return result if result.is_finite() else "invalid"


def scorecard_errors(assignment, values, reasons, *, final: bool):
    """Check scores against the rubric. Returns (errors, cleaned values, total).

    ``errors`` maps form field names (score_<criterion pk>, reason_<criterion pk>, __all__) to messages in the
    active language; empty when all is well. ``final`` is True for submission: every criterion scored, reasons
    where required. Nothing here depends on the other experts' scorecards.
    """
    criteria = list(assignment.round.rubric.criteria.all())
    known = {c.pk for c in criteria}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Decimal] = {}
    unknown = set(values) - known
    if unknown:
        errors.setdefault("__all__", []).append(_("Some scores are for criteria that are not in this rubric."))
    for criterion in criteria:
        field = SCORE_FIELD.format(criterion.pk)
        value = _decimal(values.get(criterion.pk))
        if value is None:
            if final:
                errors.setdefault(field, []).append(
                    _("Give a score for “%(criterion)s”.") % {"criterion": criterion.name}
                )
            continue
        if value == "invalid" or value.as_tuple().exponent < -2:
            errors.setdefault(field, []).append(
                _("Enter a number with at most two decimal places for “%(criterion)s”.") % {"criterion": criterion.name}
            )
            continue
        if not criterion.scale_min <= value <= criterion.scale_max:
            errors.setdefault(field, []).append(
                _("The score for “%(criterion)s” must be between %(min)s and %(max)s; you entered %(value)s.")
                % {
                    "criterion": criterion.name,
                    "min": criterion.scale_min_display,
                    "max": criterion.scale_max_display,
                    "value": value,
                }
            )
            continue
        cleaned[criterion.pk] = value
        if final and criterion.needs_reason(value) and not (reasons.get(criterion.pk) or "").strip():
            errors.setdefault(REASON_FIELD.format(criterion.pk), []).append(
                _("A score of %(value)s for “%(criterion)s” needs a written reason.")
                % {"value": value, "criterion": criterion.name}
            )
    total = None
    if final and not errors:
        weight_error = assignment.round.rubric.weight_error(criteria)
        if weight_error:
            errors.setdefault("__all__", []).append(str(weight_error))
        else:
            total = weighted_total((c.weight, cleaned[c.pk]) for c in criteria)
    return errors, cleaned, total


def other_submitted_totals(assignment) -> list[Decimal]:
    return list(
        Scorecard.objects.filter(
            assignment__round_id=assignment.round_id,
            assignment__state=AssignmentState.SUBMITTED,
            total__isnull=False,
        )
        .exclude(assignment_id=assignment.pk)
        .values_list("total", flat=True)
    )


def is_outlying(assignment, total: Decimal) -> bool:
    threshold = assignment.round.outlier_threshold
    if threshold is None:
        return False
    others = other_submitted_totals(assignment)
    if not others:
        return False
    return abs(total - median(others)) > threshold


def _check_can_score(actor, assignment):
    if permissions.can_score(actor, assignment):
        return
    if permissions.is_assignee(actor, assignment):
        if assignment.state == AssignmentState.SUBMITTED:
            raise ValidationError(_("Your scorecard has been submitted and can no longer be changed."), code="locked")
        if not assignment.round.is_open:
            raise ValidationError(_("This review round is not open for scoring."), code="closed")
        if assignment.state in {AssignmentState.INVITED, AssignmentState.ACCEPTED}:
            raise ValidationError(_("Declare any conflict of interest before scoring."), code="declaration")
    raise PermissionDenied


def _write_scores(assignment, cleaned, reasons, comment):
    scorecard, _created = Scorecard.objects.get_or_create(assignment=assignment)
    existing = {score.criterion_id: score for score in scorecard.scores.all()}
    for criterion_pk, value in cleaned.items():
        reason = (reasons.get(criterion_pk) or "").strip()
        score = existing.pop(criterion_pk, None)
        if score is None:
            Score.objects.create(scorecard=scorecard, criterion_id=criterion_pk, value=value, reason=reason)
        elif score.value != value or score.reason != reason:
            score.value, score.reason = value, reason
            score.save(update_fields=["value", "reason"])
    if existing:  # cleared in the form: no longer scored
        Score.objects.filter(pk__in=[score.pk for score in existing.values()]).delete()
    scorecard.comment = (comment or "").strip()
    return scorecard


@transaction.atomic
def save_scores(*, actor, assignment, values, reasons=None, comment="") -> Scorecard:
    """Save a draft scorecard: any scores given must be numbers within the scale; nothing is saved otherwise."""
    _check_can_score(actor, assignment)
    reasons = reasons or {}
    errors, cleaned, _total = scorecard_errors(assignment, values, reasons, final=False)
    if errors:
        raise ValidationError(errors)
    scorecard = _write_scores(assignment, cleaned, reasons, comment)
    scorecard.save()
    record("reviews.save_scores", actor=actor, instance=assignment, data={"scored": len(cleaned)})
    return scorecard


def draft_values(assignment):
    """The saved draft as (values, reasons, comment)."""
    scorecard = Scorecard.objects.filter(assignment=assignment).prefetch_related("scores").first()
    if scorecard is None:
        return {}, {}, ""
    scores = list(scorecard.scores.all())
    return (
        {s.criterion_id: s.value for s in scores},
        {s.criterion_id: s.reason for s in scores},
        scorecard.comment,
    )


@transaction.atomic
def submit_scorecard(*, actor, assignment, values=None, reasons=None, comment=None) -> Scorecard:
    """Submit and lock the scorecard: every criterion scored within its scale, reasons where required. Without
    ``values`` the saved draft is submitted.

    Only once it is locked is the total compared with the others' (the outlier check): an expert learns
    nothing about the other totals from any attempt before submitting. A flagged expert is asked for a written
    reason afterwards (``explain_outlier``) and the managers see the flag."""
    _check_can_score(actor, assignment)
    if values is None:
        saved_values, saved_reasons, saved_comment = draft_values(assignment)
        values = saved_values
        reasons = saved_reasons if reasons is None else reasons
        comment = saved_comment if comment is None else comment
    reasons = reasons or {}
    errors, cleaned, total = scorecard_errors(assignment, values, reasons, final=True)
    if errors:
        raise ValidationError(errors)
    # One submission at a time per round, so each outlier check sees every scorecard locked before it.
    ReviewRound.objects.select_for_update().get(pk=assignment.round_id)
    now = timezone.now()
    scorecard = _write_scores(assignment, cleaned, reasons, comment)
    scorecard.total = total
    scorecard.submitted_at = now
    scorecard.is_outlier = is_outlying(assignment, total)
    scorecard.save()
    lifecycle.take(assignment, "submit", actor, now)
    assignment.save()
    if scorecard.is_outlier:
        title = gettext_lazy("{expert} submitted a scorecard for {title}; its total is an outlier")
    else:
        title = gettext_lazy("{expert} submitted a scorecard for {title}")
    record(
        "reviews.submit",
        actor=actor,
        instance=assignment,
        data={"round": assignment.round_id, "total": str(total), "outlier": scorecard.is_outlier},
        tell=Tell(
            round_managers(assignment.round),
            title=format_lazy(title, expert=assignment.expert, title=assignment.round.title),
            url=stored_link("round", assignment.round_id),
            email=False,
        ),
    )
    return scorecard


@transaction.atomic
def explain_outlier(*, actor, assignment, reason: str) -> Scorecard:
    """The written reason for a locked total that was flagged as an outlier. Given once; the scores stay."""
    if not permissions.can_explain_outlier(actor, assignment):
        if permissions.is_assignee(actor, assignment):
            raise ValidationError(_("No reason is asked for on this scorecard."), code="state")
        raise PermissionDenied
    reason = clean_text(
        Scorecard, {"outlier_reason": reason}, required={"outlier_reason": _("Give the reason for your total.")}
    )["outlier_reason"]
    scorecard = Scorecard.objects.select_for_update().get(assignment=assignment)
    if not scorecard.awaits_outlier_reason:  # explained meanwhile, in another tab
        raise ValidationError(_("No reason is asked for on this scorecard."), code="state")
    scorecard.outlier_reason = reason
    scorecard.outlier_explained_at = timezone.now()
    scorecard.save(update_fields=["outlier_reason", "outlier_explained_at", "updated_at"])
    record(
        "reviews.explain_outlier",
        actor=actor,
        instance=assignment,
        data={"round": assignment.round_id},
        tell=Tell(
            round_managers(assignment.round),
            title=format_lazy(
                gettext_lazy("{expert} explained an outlying total in {title}"),
                expert=assignment.expert,
                title=assignment.round.title,
            ),
            body=reason,
            url=stored_link("round", assignment.round_id),
            email=False,
        ),
    )
    return scorecard
