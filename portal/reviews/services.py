"""Panel reviews: the only place that changes state.

Each action: permission (plain bool from permissions.py), validation with a message in the user's language,
one transaction, an audit-log entry (``reviews.*``) and a notification.

Definitions:

- **weighted total** of a scorecard = Σ weight·score / Σ weight over the rubric's criteria (a weighted mean on
  the criteria's scale), rounded to 2 places ROUND_HALF_UP. Weights of 0 are allowed, all zero is not.
- **outlier**: when the round has an ``outlier_threshold``, a total whose distance from the median of the
  *other* submitted (counted) totals of the round is greater than the threshold. The first scorecard submitted
  has no reference and is never an outlier. The check runs only *after* the scorecard is locked: nothing an
  expert can try before submitting depends on the others' totals, so the check cannot be probed. A flagged
  expert then gives a written reason (``explain_outlier``) without being told the others' median; the managers
  see the flag.
- **counted** scorecards: submitted by an assignee who is not recused.
- **hidden applicant**: in a round with ``hide_applicant_identity``, assignees read ``assignee_label`` instead
  of the title, in pages, notifications and mail; text written for them may not name the organization
  (``identity.names_organization``).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from portal import authority
from portal.authority import Power
from portal.experts.models import Expert
from portal.notifications.services import notify

from . import permissions
from .conflicts import suggest_conflicts
from .identity import names_organization
from .models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    ConflictKind,
    Criterion,
    ReviewRound,
    RoundState,
    Rubric,
    Score,
    Scorecard,
    weighted_total,
)
from .scoring import Aggregate, AggregationMethod, aggregate, median, quantize

SCORE_FIELD = "score_{}"
REASON_FIELD = "reason_{}"


def _url(name, pk):
    with translation.override(None):  # the default language: no /en/ prefix in stored links
        return reverse(f"reviews:{name}", args=[pk])


def _managers(review_round):
    return list(authority.holders(review_round.owner, Power.MANAGE))


def _assignee_users(assignments):
    return [a.expert.user for a in assignments if a.expert.user_id]


# --- Rubrics ---------------------------------------------------------------------------------------------


@transaction.atomic
def revise_rubric(*, actor, rubric: Rubric) -> Rubric:
    """A new, editable version of a rubric, with copies of its criteria. The old version stays as it was."""
    if not permissions.can_edit_rubrics(actor):
        raise PermissionDenied
    if not rubric.is_latest:
        raise ValidationError(_("A newer version of this rubric exists; revise that one."), code="not_latest")
    new = Rubric.objects.create(
        name=rubric.name, description=rubric.description, version=rubric.version + 1, previous=rubric
    )
    Criterion.objects.bulk_create(
        Criterion(
            rubric=new,
            sort_order=criterion.sort_order,
            name_zh=criterion.name_zh,
            name_en=criterion.name_en,
            guidance=criterion.guidance,
            weight=criterion.weight,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
            reason_required_below=criterion.reason_required_below,
            reason_required_above=criterion.reason_required_above,
        )
        for criterion in rubric.criteria.all()
    )
    log(instance=new, action="reviews.revise_rubric", user=actor, data={"previous": rubric.pk})
    return new


@transaction.atomic
def update_criterion(*, actor, criterion: Criterion, **fields) -> Criterion:
    """Change a criterion of a rubric that no round uses yet."""
    if not permissions.can_edit_rubrics(actor):
        raise PermissionDenied
    allowed = {
        "name_zh",
        "name_en",
        "guidance",
        "weight",
        "scale_min",
        "scale_max",
        "reason_required_below",
        "reason_required_above",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.full_clean()  # refuses frozen rubrics
    others = list(criterion.rubric.criteria.exclude(pk=criterion.pk)) + [criterion]
    error = criterion.rubric.weight_error(others)
    if error:
        raise ValidationError(error, code="weights")
    criterion.save()
    log(
        instance=criterion.rubric,
        action="reviews.update_criterion",
        user=actor,
        data={"criterion": criterion.pk, "fields": {k: str(v) for k, v in fields.items()}},
    )
    return criterion


# --- Rounds ----------------------------------------------------------------------------------------------


_HIDDEN_NAME_ERROR = gettext_lazy(
    "This round hides the applicant from the reviewers: leave out the organization's name and its unified "
    "social credit code."
)


@transaction.atomic
def create_round(
    *,
    actor,
    owner,
    subject,
    rubric: Rubric,
    title: str,
    deadline,
    min_scores: int = 3,
    aggregation: str = AggregationMethod.MEAN,
    outlier_threshold=None,
    spread_threshold=None,
    std_threshold=None,
    reviewers_see_scores_after_submit: bool = False,
    hide_applicant_identity: bool = False,
    assignee_title: str = "",
    subject_organization=None,
    themes=(),
) -> ReviewRound:
    """A review round in draft on any subject, owned by ``owner``: who holds MANAGE over the owner runs it."""
    if not permissions.can_create_round(actor, owner):
        raise PermissionDenied
    errors = {}
    title, assignee_title = (title or "").strip(), (assignee_title or "").strip()
    if not title:
        errors["title"] = _("Give the round a title.")
    if hide_applicant_identity:
        for field, text in (("title", title), ("assignee_title", assignee_title)):
            if field not in errors and names_organization(text, subject_organization):
                errors[field] = _HIDDEN_NAME_ERROR
    if deadline is None or deadline <= timezone.now():
        errors["deadline"] = _("The deadline must be in the future.")
    weight_error = rubric.weight_error()
    if weight_error:
        errors["rubric"] = weight_error
    elif not rubric.is_latest:
        errors["rubric"] = _("A newer version of this rubric exists; use the latest version.")
    if aggregation not in AggregationMethod.values:
        errors["aggregation"] = _("Choose an aggregation method.")
    if min_scores < 1:
        errors["min_scores"] = _("At least one score is needed.")
    for name, value in (
        ("outlier_threshold", outlier_threshold),
        ("spread_threshold", spread_threshold),
        ("std_threshold", std_threshold),
    ):
        if value is not None and Decimal(value) < 0:
            errors[name] = _("A threshold cannot be negative.")
    if errors:
        raise ValidationError(errors)
    review_round = ReviewRound(
        owner=owner,
        subject=subject,
        title=title,
        assignee_title=assignee_title if hide_applicant_identity else "",
        rubric=rubric,
        deadline=deadline,
        min_scores=min_scores,
        aggregation=aggregation,
        outlier_threshold=outlier_threshold,
        spread_threshold=spread_threshold,
        std_threshold=std_threshold,
        reviewers_see_scores_after_submit=reviewers_see_scores_after_submit,
        hide_applicant_identity=hide_applicant_identity,
        subject_organization=subject_organization,
        created_by=actor,
    )
    review_round.save()
    review_round.themes.set(themes)
    log(
        instance=review_round,
        action="reviews.create_round",
        user=actor,
        data={
            "rubric": rubric.pk,
            "subject": f"{review_round.content_type_id}:{review_round.object_id}",
            "owner": f"{review_round.owner_type_id}:{review_round.owner_id}",
        },
    )
    notify(
        [user for user in _managers(review_round) if user.pk != actor.pk],
        title=format_lazy(gettext_lazy("You manage the review round {title}"), title=review_round.title),
        url=_url("round", review_round.pk),
    )
    return review_round


@transaction.atomic
def open_round(*, actor, review_round: ReviewRound) -> ReviewRound:
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    if review_round.state != RoundState.DRAFT:
        raise ValidationError(_("Only a round being prepared can be opened."), code="state")
    review_round.open(timezone.now())
    review_round.save()
    log(instance=review_round, action="reviews.open_round", user=actor)
    invited = list(review_round.assignments.filter(state=AssignmentState.INVITED).select_related("expert__user"))
    for assignment in invited:
        notify(
            _assignee_users([assignment]),
            title=format_lazy(gettext_lazy("The review round {title} is open"), title=review_round.assignee_label),
            url=_url("assignment", assignment.pk),
        )
    return review_round


@transaction.atomic
def assign_expert(*, actor, review_round: ReviewRound, expert: Expert, override_reason: str = "") -> Assignment:
    """Invite an expert. Refused when the system suggests a conflict, unless staff give a reason to override."""
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    if review_round.state == RoundState.CLOSED:
        raise ValidationError(_("This review round has closed."), code="closed")
    if not expert.is_active:
        raise ValidationError(_("This expert is not active in the pool."), code="inactive")
    if review_round.assignments.filter(expert=expert).exists():
        raise ValidationError(_("This expert is already assigned to the round."), code="duplicate")
    conflicts = suggest_conflicts(expert, review_round.subject_organization)
    override_reason = (override_reason or "").strip()
    if conflicts and not override_reason:
        raise ValidationError(
            [_("Possible conflict of interest: %(reason)s") % {"reason": c.message} for c in conflicts]
            + [_("Give a reason to assign this expert anyway.")],
            code="conflict",
        )
    assignment = Assignment(
        round=review_round,
        expert=expert,
        assigned_by=actor,
        conflict_override_reason=override_reason if conflicts else "",
    )
    assignment.save()
    log(
        instance=review_round,
        action="reviews.assign",
        user=actor,
        data={
            "assignment": assignment.pk,
            "expert": expert.pk,
            "suggested_conflicts": [c.code for c in conflicts],
            "override_reason": assignment.conflict_override_reason,
        },
    )
    if expert.user_id:
        notify(
            [expert.user],
            title=format_lazy(gettext_lazy("You are invited to review: {title}"), title=review_round.assignee_label),
            body=gettext_lazy("Please accept or decline, then declare any conflict of interest before scoring."),
            url=_url("assignment", assignment.pk),
        )
    return assignment


def _assignee_or_deny(actor, assignment, check):
    if not check(actor, assignment):
        if permissions.is_assignee(actor, assignment):
            raise ValidationError(
                _("This cannot be done now: the assignment is %(state)s.") % {"state": assignment.get_state_display()},
                code="state",
            )
        raise PermissionDenied


@transaction.atomic
def accept_assignment(*, actor, assignment: Assignment) -> Assignment:
    _assignee_or_deny(actor, assignment, permissions.can_respond)
    assignment.accept(timezone.now())
    assignment.save()
    log(instance=assignment, action="reviews.accept", user=actor, data={"round": assignment.round_id})
    notify(
        _managers(assignment.round),
        title=format_lazy(
            gettext_lazy("{expert} accepted to review {title}"), expert=assignment.expert, title=assignment.round
        ),
        url=_url("round", assignment.round_id),
        email=False,
    )
    return assignment


@transaction.atomic
def decline_assignment(*, actor, assignment: Assignment, reason: str = "") -> Assignment:
    _assignee_or_deny(actor, assignment, permissions.can_respond)
    assignment.decline(timezone.now())
    assignment.save()
    log(
        instance=assignment,
        action="reviews.decline",
        user=actor,
        data={"round": assignment.round_id, "reason": (reason or "").strip()},
    )
    notify(
        _managers(assignment.round),
        title=format_lazy(
            gettext_lazy("{expert} declined to review {title}"), expert=assignment.expert, title=assignment.round
        ),
        body=(reason or "").strip(),
        url=_url("round", assignment.round_id),
    )
    return assignment


@transaction.atomic
def declare_conflict(
    *, actor, assignment: Assignment, has_conflict: bool, kind: str = "", text: str = ""
) -> ConflictDeclaration:
    """No conflict: the assignee may see the material and score. A conflict: recused, no access, not counted."""
    _assignee_or_deny(actor, assignment, permissions.can_declare_conflict)
    text = (text or "").strip()
    if has_conflict:
        errors = {}
        if kind not in ConflictKind.values:
            errors["kind"] = _("Choose the kind of conflict.")
        elif kind == ConflictKind.OTHER and not text:
            errors["text"] = _("Describe the conflict.")
        if errors:
            raise ValidationError(errors)
    elif assignment.state != AssignmentState.ACCEPTED:
        raise ValidationError(_("You have already declared that you have no conflict."), code="already")
    declaration = ConflictDeclaration.objects.create(
        assignment=assignment,
        has_conflict=bool(has_conflict),
        kind=kind if has_conflict else "",
        text=text,
        declared_by=actor,
    )
    if has_conflict:
        assignment.recuse(timezone.now())
    else:
        assignment.clear()
    assignment.save()
    log(
        instance=assignment,
        action="reviews.declare_conflict",
        user=actor,
        data={"round": assignment.round_id, "has_conflict": bool(has_conflict), "kind": declaration.kind},
    )
    if has_conflict:
        notify(
            _managers(assignment.round),
            title=format_lazy(
                gettext_lazy("{expert} declared a conflict of interest and is recused from {title}"),
                expert=assignment.expert,
                title=assignment.round,
            ),
            body=f"{declaration.get_kind_display()}: {text}" if text else declaration.get_kind_display(),
            url=_url("round", assignment.round_id),
        )
    else:
        notify(
            [actor],
            title=format_lazy(gettext_lazy("You may now score {title}"), title=assignment.round.assignee_label),
            url=_url("assignment", assignment.pk),
            email=False,
        )
    return declaration


@transaction.atomic
def recuse_assignment(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """Staff recuse an assignee (a conflict found later): access ends and any scorecard stops counting."""
    if not permissions.can_manage_round(actor, assignment.round):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the recusal.")})
    review_round = assignment.round
    if review_round.hide_applicant_identity and names_organization(reason, review_round.subject_organization):
        raise ValidationError({"reason": _HIDDEN_NAME_ERROR})  # the reason is sent to the expert
    if assignment.state in {AssignmentState.DECLINED, AssignmentState.RECUSED}:
        raise ValidationError(_("This assignee is no longer on the panel."), code="state")
    if assignment.round.state == RoundState.CLOSED:
        raise ValidationError(_("This review round has closed."), code="closed")
    assignment.recuse(timezone.now())
    assignment.save()
    log(instance=assignment, action="reviews.recuse", user=actor, data={"round": assignment.round_id, "reason": reason})
    if assignment.expert.user_id:
        notify(
            [assignment.expert.user],
            title=format_lazy(gettext_lazy("You are recused from {title}"), title=assignment.round.assignee_label),
            body=reason,
        )
    return assignment


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
        if assignment.round.state != RoundState.OPEN:
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
    log(instance=assignment, action="reviews.save_scores", user=actor, data={"scored": len(cleaned)})
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
    assignment.submit(now)
    assignment.save()
    log(
        instance=assignment,
        action="reviews.submit",
        user=actor,
        data={"round": assignment.round_id, "total": str(total), "outlier": scorecard.is_outlier},
    )
    if scorecard.is_outlier:
        title = gettext_lazy("{expert} submitted a scorecard for {title}; its total is an outlier")
    else:
        title = gettext_lazy("{expert} submitted a scorecard for {title}")
    notify(
        _managers(assignment.round),
        title=format_lazy(title, expert=assignment.expert, title=assignment.round.title),
        url=_url("round", assignment.round_id),
        email=False,
    )
    return scorecard


@transaction.atomic
def explain_outlier(*, actor, assignment, reason: str) -> Scorecard:
    """The written reason for a locked total that was flagged as an outlier. Given once; the scores stay."""
    if not permissions.can_explain_outlier(actor, assignment):
        if permissions.is_assignee(actor, assignment):
            raise ValidationError(_("No reason is asked for on this scorecard."), code="state")
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"outlier_reason": _("Give the reason for your total.")})
    scorecard = Scorecard.objects.select_for_update().get(assignment=assignment)
    if not scorecard.awaits_outlier_reason:  # explained meanwhile, in another tab
        raise ValidationError(_("No reason is asked for on this scorecard."), code="state")
    scorecard.outlier_reason = reason
    scorecard.outlier_explained_at = timezone.now()
    scorecard.save(update_fields=["outlier_reason", "outlier_explained_at", "updated_at"])
    log(instance=assignment, action="reviews.explain_outlier", user=actor, data={"round": assignment.round_id})
    notify(
        _managers(assignment.round),
        title=format_lazy(
            gettext_lazy("{expert} explained an outlying total in {title}"),
            expert=assignment.expert,
            title=assignment.round.title,
        ),
        body=reason,
        url=_url("round", assignment.round_id),
        email=False,
    )
    return scorecard


# --- Results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRow:
    assignment: Assignment
    scorecard: Scorecard
    total: Decimal
    deviation: Decimal | None  # from the median of the other counted totals
    outlier: bool


@dataclass(frozen=True)
class RoundResult:
    aggregate: Aggregate
    rows: list[ScorecardRow]
    min_scores: int

    @property
    def sufficient(self) -> bool:
        return self.aggregate.count >= self.min_scores


def counted_scorecards(review_round) -> list[Scorecard]:
    return list(
        Scorecard.objects.filter(
            assignment__round=review_round, assignment__state=AssignmentState.SUBMITTED, total__isnull=False
        )
        .select_related("assignment__expert")
        .prefetch_related("scores")
        .order_by("assignment__pk")
    )


def record_scores_viewed(*, actor, review_round, scorecards: int, assignment=None) -> None:
    """A sensitive read: someone who manages the round saw named scorecards. Audited, changes nothing else."""
    data = {"scorecards": scorecards}
    if assignment is not None:
        data["assignment"] = assignment.pk
    log(instance=review_round, action="reviews.view_scores", user=actor, data=data)


def round_result(review_round, scorecards=None) -> RoundResult:
    """The aggregate over counted scorecards (submitted, not recused), with each total's distance from the
    median of the others. For staff: views check permissions.can_see_round first."""
    scorecards = counted_scorecards(review_round) if scorecards is None else scorecards
    totals = [card.total for card in scorecards]
    result = aggregate(
        totals,
        review_round.aggregation,
        spread_threshold=review_round.spread_threshold,
        std_threshold=review_round.std_threshold,
    )
    rows = []
    for index, card in enumerate(scorecards):
        others = totals[:index] + totals[index + 1 :]
        reference = median(others)
        deviation = None if reference is None else quantize(card.total - reference)
        outlier = bool(
            deviation is not None
            and review_round.outlier_threshold is not None
            and abs(deviation) > review_round.outlier_threshold
        )
        rows.append(ScorecardRow(card.assignment, card, card.total, deviation, outlier))
    return RoundResult(aggregate=result, rows=rows, min_scores=review_round.min_scores)


@transaction.atomic
def close_round(*, actor, review_round: ReviewRound, reason: str = "") -> RoundResult:
    """Close scoring and record the aggregate. With fewer scorecards than the minimum, a reason is required."""
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    if review_round.state != RoundState.OPEN:
        raise ValidationError(_("Only an open round can be closed."), code="state")
    result = round_result(review_round)
    reason = (reason or "").strip()
    if not result.sufficient and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Only %(count)s of the %(minimum)s required scorecards are in; give a reason to close anyway."
                )
                % {"count": result.aggregate.count, "minimum": review_round.min_scores}
            }
        )
    review_round.close(timezone.now(), result.aggregate)
    review_round.save()
    agg = result.aggregate
    log(
        instance=review_round,
        action="reviews.close_round",
        user=actor,
        data={
            "method": agg.method,
            "value": None if agg.value is None else str(agg.value),
            "count": agg.count,
            "spread": None if agg.spread is None else str(agg.spread),
            "std": None if agg.std is None else str(agg.std),
            "dispersed": agg.dispersed,
            "reason": reason,
        },
    )
    submitted = [row.assignment for row in result.rows]
    closed = gettext_lazy("The review round {title} has closed")
    managers = _managers(review_round)
    notify(managers, title=format_lazy(closed, title=review_round.title), url="", email=False)
    manager_ids = {user.pk for user in managers}
    notify(
        [user for user in _assignee_users(submitted) if user.pk not in manager_ids],
        title=format_lazy(closed, title=review_round.assignee_label),
        url="",
        email=False,
    )
    return result


# --- Suggestions and reminders ---------------------------------------------------------------------------


def suggest_experts(review_round, count: int) -> list[Expert]:
    """Up to ``count`` active experts not yet on the round and with no suggested conflict: experts sharing a
    theme with the round first, then the fewest open assignments (invited, accepted, cleared in rounds that are
    not closed), then name."""
    theme_ids = set(review_round.themes.values_list("pk", flat=True))
    open_load = Count(
        "assignments",
        filter=Q(assignments__state__in=OPEN_ASSIGNMENT_STATES) & ~Q(assignments__round__state=RoundState.CLOSED),
        distinct=True,
    )
    candidates = (
        Expert.objects.active()
        .exclude(assignments__round=review_round)
        .annotate(open_load=open_load)
        .select_related("affiliation", "user")
        .prefetch_related(
            "declared_relationships",
            Prefetch("themes"),
            "user__organization_links",
        )
    )
    organization = review_round.subject_organization
    ranked = []
    for expert in candidates:
        if suggest_conflicts(expert, organization):
            continue
        matches = len(theme_ids & {theme.pk for theme in expert.themes.all()})
        ranked.append((0 if matches else 1, -matches, expert.open_load, expert.name, expert.pk, expert))
    ranked.sort(key=lambda row: row[:5])
    return [row[-1] for row in ranked[:count]]


@transaction.atomic
def send_overdue_reminders(now=None) -> list[Assignment]:
    """Remind assignees of open rounds whose deadline has passed and who have not submitted. At most one
    reminder per assignment per calendar day (Asia/Shanghai), recorded in ``reminded_at``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = (
        Assignment.objects.filter(
            state__in=OPEN_ASSIGNMENT_STATES, round__state=RoundState.OPEN, round__deadline__lt=now
        )
        .select_related("round", "expert__user")
        .order_by("pk")
    )
    reminded = []
    for assignment in overdue:
        if assignment.reminded_at is not None and timezone.localdate(assignment.reminded_at) >= today:
            continue
        assignment.reminded_at = now
        assignment.save(update_fields=["reminded_at"])
        log(instance=assignment, action="reviews.remind", user=None, data={"round": assignment.round_id})
        if assignment.expert.user_id:
            notify(
                [assignment.expert.user],
                title=format_lazy(
                    gettext_lazy("Reminder: the review {title} is past its deadline"),
                    title=assignment.round.assignee_label,
                ),
                body=gettext_lazy("Please finish your conflict declaration and scorecard."),
                url=_url("assignment", assignment.pk),
            )
        reminded.append(assignment)
    return reminded
