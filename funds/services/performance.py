"""Services of the performance evaluation: a year's indicator set, starting, computing and approving its evaluation.

Shaped permission → validate → lock → write → record. Computing reads the recorded data once and keeps every input
and figure in the evaluation's snapshot, so a past year reads as it was computed until a manager recomputes it on
purpose; an approved evaluation is never recomputed.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import edits
from portal.history.record import Line, Tell, record
from portal.i18n import in_every_language
from portal.opinions import services as opinion_services
from portal.opinions.models import OpinionKind
from portal.reviews import services as reviews
from portal.reviews.models import ReviewRound
from portal.reviews.rubrics import latest_version
from portal.reviews.scoring import AggregationMethod
from portal.text import clean_text, fmt

from .. import permissions
from ..models import (
    EvaluationState,
    Indicator,
    IndicatorGroup,
    IndicatorKind,
    IndicatorSet,
    InvestmentCommittee,
    PerformanceEvaluation,
    ScoringRule,
)
from ..performance import pdf, scoring
from ..performance.evaluation import build_snapshot
from ..verbs import FundVerb
from .committee import draft_committee_opinion
from .scoring import end_of_day

ACTIONS = {
    "funds.set_indicators": (_("Set the indicators of a year"), _("Indicator set saved")),
    "funds.start_evaluation": (_("Start a performance evaluation"), _("Performance evaluation started")),
    "funds.compute_evaluation": (_("Compute a performance evaluation"), _("Performance evaluation computed")),
    "funds.write_recommendations": (_("Write the recommendations for next year"), _("Recommendations saved")),
    "funds.approve_evaluation": (_("Approve a performance evaluation"), _("Performance evaluation approved")),
    "funds.start_panel": (_("Invite an evaluation's expert panel"), _("Expert panel invited")),
    "funds.draft_report_opinion": (_("Draft the evaluation report as an opinion"), _("Evaluation report drafted")),
}

INDICATOR_FIELDS = ("group", "kind", "key", "label", "label_en", "weight", "target", "floor", "rule", "bands")


def _decimal(value, field, errors):
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(field, _("Enter a number."))
        return None
    return number


def _indicator(position, values, errors) -> Indicator:
    """One line of a set from plain values, its mistakes collected under ``indicators``."""
    line = {name: values.get(name, "") for name in INDICATOR_FIELDS}
    line["bands"] = values.get("bands") or []
    mistakes = {}
    for field in ("weight", "target", "floor"):
        line[field] = _decimal(line[field], field, mistakes)
    if line["weight"] is None and "weight" not in mistakes:
        mistakes["weight"] = _("Enter a weight.")
    for field, choices in (("group", IndicatorGroup), ("kind", IndicatorKind), ("rule", ScoringRule)):
        if line[field] not in choices.values:
            line[field] = line[field] or (ScoringRule.LINEAR if field == "rule" else "")
            if line[field] not in choices.values:
                mistakes[field] = _("Choose one of the offered values.")
    for field, message in mistakes.items():
        errors.append(
            fmt(
                _("Line %(number)s (%(label)s), %(field)s: %(problem)s"),
                number=position + 1,
                label=line["label"] or "—",
                field=Indicator._meta.get_field(field).verbose_name,
                problem=message,
            )
        )
    indicator = Indicator(position=position, criterion=values.get("criterion", ""), **line)
    return indicator


def indicator_set_fingerprint(indicator_set, indicators=None) -> str:
    """What an indicator set's form was loaded with (portal/edits.py): its header and its lines (``indicators``, when
    the caller has them already), which every save writes anew."""
    if indicator_set is None:
        return edits.NEW
    header = [field.value_to_string(indicator_set) for field in indicator_set._meta.concrete_fields]
    lines = indicator_set.indicators.all() if indicators is None else indicators
    return edits.digest(header, sorted(line.pk for line in lines))


@transaction.atomic
def set_indicators(
    *, actor, fund, year, name, name_en="", indicators=(), new=False, loaded="", **bases
) -> IndicatorSet:
    """Create or replace the indicator set of ``fund`` for ``year`` (its lines and the bases its formulas use);
    ``new``: create only, refused when the year has a set (two managers creating the same year at once);
    ``loaded``: the fingerprint of the set the form showed, so a colleague's save since is refused, not overwritten.

    A year whose evaluation is approved keeps its set. Weights of the scored lines must add up to 100.
    """
    if not permissions.can_manage_evaluation(actor, fund):
        raise PermissionDenied
    texts = clean_text(IndicatorSet, {"name": name, "name_en": name_en}, required=("name",))
    errors = []
    lines = [_indicator(position, values, errors) for position, values in enumerate(indicators)]
    if errors:
        raise ValidationError(errors)
    scoring.validate(lines)
    existing = IndicatorSet.objects.select_for_update().filter(fund=fund, year=year).first()
    if new and existing is not None:
        raise ValidationError(
            {"year": fmt(_("The fund already has an indicator set for %(year)s: change that one."), year=year)}
        )
    if existing is not None:
        edits.refuse_changed(indicator_set_fingerprint(existing), loaded)
    evaluation = PerformanceEvaluation.objects.filter(indicator_set=existing).first() if existing else None
    if evaluation is not None and evaluation.state == EvaluationState.APPROVED:
        raise ValidationError(_("The evaluation of this year is approved: its indicators can no longer change."))
    indicator_set = existing or IndicatorSet(fund=fund, year=year)
    indicator_set.name, indicator_set.name_en = texts["name"], texts["name_en"]
    for field, value in bases.items():
        setattr(indicator_set, field, value)
    indicator_set.full_clean(validate_unique=False)
    try:
        with transaction.atomic():  # another manager may create the same year between the read and this insert
            indicator_set.save()
    except IntegrityError:
        raise ValidationError(
            {"year": fmt(_("The fund already has an indicator set for %(year)s: change that one."), year=year)}
        ) from None
    indicator_set.indicators.all().delete()
    for line in lines:
        line.indicator_set = indicator_set
        line.full_clean(exclude=["indicator_set"])
    Indicator.objects.bulk_create(lines)
    record(
        "funds.set_indicators",
        actor=actor,
        instance=indicator_set,
        data={"year": year, "indicators": len(lines)},
        line=Line(fund, FundVerb.SET_INDICATORS, str(indicator_set), fund.get_absolute_url()),
    )
    return indicator_set


@transaction.atomic
def start_evaluation(*, actor, indicator_set, as_of=None) -> PerformanceEvaluation:
    """The evaluation of a year, with its figures as of ``as_of`` (default: the year's last day, or today)."""
    fund = indicator_set.fund
    if not permissions.can_manage_evaluation(actor, fund):
        raise PermissionDenied
    indicator_set = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    if PerformanceEvaluation.objects.filter(indicator_set=indicator_set).exists():
        raise ValidationError(_("This year's evaluation has already been started."))
    today = timezone.localdate()
    as_of = as_of or min(datetime.date(indicator_set.year, 12, 31), today)
    if as_of > today:
        raise ValidationError({"as_of": _("The figures cannot be as of a day that has not come yet.")})
    if as_of.year != indicator_set.year:
        raise ValidationError({"as_of": _("The figures must be as of a day in the evaluated year.")})
    evaluation = PerformanceEvaluation.objects.create(indicator_set=indicator_set, as_of=as_of)
    record(
        "funds.start_evaluation",
        actor=actor,
        instance=evaluation,
        data={"year": indicator_set.year, "as_of": as_of.isoformat()},
        line=Line(fund, FundVerb.STARTED_EVALUATION, str(indicator_set), evaluation.get_absolute_url()),
    )
    return evaluation


def _locked(evaluation) -> PerformanceEvaluation:
    return (
        # Only the evaluation's row: PostgreSQL cannot lock the nullable side of the outer join to its round.
        PerformanceEvaluation.objects.select_for_update(of=("self",))
        .select_related("indicator_set__fund", "review_round")
        .get(pk=evaluation.pk)
    )


@transaction.atomic
def compute_evaluation(*, actor, evaluation) -> PerformanceEvaluation:
    """Read the recorded data, compute every indicator and score, and keep them as the evaluation's snapshot."""
    if not permissions.can_manage_evaluation(actor, evaluation.indicator_set.fund):
        raise PermissionDenied
    evaluation = _locked(evaluation)
    if evaluation.state != EvaluationState.DRAFT:
        raise ValidationError(_("An approved evaluation stays as it was approved; it is not recomputed."))
    snapshot = build_snapshot(evaluation)
    evaluation.snapshot = snapshot
    evaluation.total = Decimal(snapshot["total"])
    evaluation.grade = snapshot["grade"]
    evaluation.computed_at = timezone.now()
    evaluation.computed_by = actor
    evaluation.save(update_fields=["snapshot", "total", "grade", "computed_at", "computed_by"])
    fund = evaluation.indicator_set.fund
    record(
        "funds.compute_evaluation",
        actor=actor,
        instance=evaluation,
        data={"total": snapshot["total"], "grade": snapshot["grade"], "as_of": evaluation.as_of.isoformat()},
        line=Line(fund, FundVerb.COMPUTED_EVALUATION, str(evaluation), evaluation.get_absolute_url()),
    )
    return evaluation


@transaction.atomic
def write_recommendations(*, actor, evaluation, recommendations) -> PerformanceEvaluation:
    """Recommendations for next year's budget size and direction."""
    if not permissions.can_manage_evaluation(actor, evaluation.indicator_set.fund):
        raise PermissionDenied
    texts = clean_text(PerformanceEvaluation, {"recommendations": recommendations}, required=("recommendations",))
    evaluation = _locked(evaluation)
    if evaluation.state != EvaluationState.DRAFT:
        raise ValidationError(_("An approved evaluation stays as it was approved."))
    evaluation.recommendations = texts["recommendations"]
    evaluation.save(update_fields=["recommendations"])
    fund = evaluation.indicator_set.fund
    record(
        "funds.write_recommendations",
        actor=actor,
        instance=evaluation,
        line=Line(fund, FundVerb.WROTE_RECOMMENDATIONS, str(evaluation), evaluation.get_absolute_url()),
    )
    return evaluation


@transaction.atomic
def approve_evaluation(*, actor, evaluation) -> PerformanceEvaluation:
    """The IC chair approves a computed evaluation with its recommendations; it is then final for the year."""
    evaluation = _locked(evaluation)
    if not permissions.can_approve_evaluation(actor, evaluation):
        raise PermissionDenied
    missing = []
    if not evaluation.is_computed:
        missing.append(_("Compute the evaluation first."))
    if not evaluation.recommendations.strip():
        missing.append(_("Write the recommendations for next year first."))
    if evaluation.snapshot.get("panel_pending"):
        missing.append(_("The expert panel has not finished scoring: close its round, then recompute."))
    if missing:
        raise ValidationError(missing)
    evaluation.state = EvaluationState.APPROVED
    evaluation.approved_at = timezone.now()
    evaluation.approved_by = actor
    evaluation.save(update_fields=["state", "approved_at", "approved_by"])
    fund = evaluation.indicator_set.fund
    url = evaluation.get_absolute_url()
    record(
        "funds.approve_evaluation",
        actor=actor,
        instance=evaluation,
        data={"total": str(evaluation.total), "grade": evaluation.grade},
        line=Line(fund, FundVerb.APPROVED_EVALUATION, str(evaluation), url),
        tell=Tell(
            fund.managers.exclude(pk=actor.pk),
            title=fmt(_("The performance evaluation %(name)s is approved"), name=str(evaluation)),
            body=fmt(
                _("Total %(total)s, grade %(grade)s."),
                total=str(evaluation.total),
                grade=evaluation.get_grade_display(),
            ),
            url=url,
        ),
    )
    return evaluation


@transaction.atomic
def start_panel(*, actor, evaluation, deadline, experts, min_scores=3) -> ReviewRound:
    """The expert panel of an evaluation: a review round on it with the indicator set's scoring form, the chosen
    experts invited, open for scoring. One panel per evaluation."""
    fund = evaluation.indicator_set.fund
    if not permissions.can_manage_evaluation(actor, fund):
        raise PermissionDenied
    evaluation = _locked(evaluation)
    if evaluation.state != EvaluationState.DRAFT:
        raise ValidationError(_("An approved evaluation stays as it was approved."))
    if evaluation.review_round_id is not None:
        raise ValidationError(_("This evaluation already has its expert panel."))
    indicator_set = evaluation.indicator_set
    if indicator_set.qualitative_rubric_id is None:
        raise ValidationError(_("The indicator set names no scoring form for the panel."))
    if not experts:
        raise ValidationError({"experts": _("Invite at least one expert.")})
    if isinstance(deadline, datetime.date) and not isinstance(deadline, datetime.datetime):
        deadline = end_of_day(deadline)
    # The round's title in each language, with the set's name in that language.
    titles = in_every_language(lambda: _("Expert panel: %(name)s"))
    names = {"zh-hans": indicator_set.name, "en": indicator_set.name_en or indicator_set.name}
    review_round = reviews.create_round(
        actor=actor,
        owner=fund,
        subject=evaluation,
        rubric=latest_version(indicator_set.qualitative_rubric),
        title=titles["zh-hans"] % {"name": names["zh-hans"]},
        title_en=titles["en"] % {"name": names["en"]},
        deadline=deadline,
        min_scores=min_scores,
        aggregation=AggregationMethod.MEAN,
        subject_organization=fund.manager,
        themes=[fund.theme],
    )
    for expert in experts:
        reviews.assign_expert(actor=actor, review_round=review_round, expert=expert)
    reviews.open_round(actor=actor, review_round=review_round)
    evaluation.review_round = review_round
    evaluation.save(update_fields=["review_round"])
    record(
        "funds.start_panel",
        actor=actor,
        instance=evaluation,
        data={"round": review_round.pk, "experts": [expert.pk for expert in experts]},
        line=Line(fund, FundVerb.STARTED_REVIEW, str(review_round.title), evaluation.get_absolute_url()),
    )
    return review_round


@transaction.atomic
def draft_report_opinion(*, actor, evaluation):
    """The approved evaluation's report drafted as an opinion (kind: evaluation) of the fund's investment committee,
    with its chair as signatory; the engine's pages take it on (sent for sign-off, the chair signs, a manager issues).
    """
    if not permissions.can_manage_evaluation(actor, evaluation.indicator_set.fund):
        raise PermissionDenied
    evaluation = _locked(evaluation)
    if evaluation.state != EvaluationState.APPROVED:
        raise ValidationError(_("The report is issued once the evaluation is approved."), code="not_approved")
    if evaluation.opinion_id is not None:
        raise ValidationError(_("This evaluation's report has already been drafted as an opinion."), code="twice")
    fund = evaluation.indicator_set.fund
    committee = InvestmentCommittee.objects.filter(fund=fund).select_related("chair").first()
    if committee is None or committee.chair_id is None:
        raise ValidationError(_("The fund's investment committee has no chair to sign the report."), code="no_chair")

    def text():
        title = gettext("%(fund)s %(year)s performance evaluation report") % {
            "fund": fund.display_name,
            "year": evaluation.year,
        }
        return title, pdf.opinion_body(evaluation, pdf.earlier_evaluation(evaluation.indicator_set))

    opinion = draft_committee_opinion(
        actor=actor, committee=committee, kind=OpinionKind.EVALUATION, subject=evaluation, text=text
    )
    evaluation.opinion = opinion
    evaluation.save(update_fields=["opinion"])
    record(
        "funds.draft_report_opinion",
        actor=actor,
        instance=evaluation,
        data={"opinion": opinion.pk, "year": evaluation.year},
        line=Line(fund, FundVerb.DRAFTED_REPORT, opinion.title, opinion_services.detail_url(opinion)),
    )
    return opinion
