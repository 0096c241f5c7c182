"""Services of the fund: scoring a deal through portal.reviews.

A round on a deal belongs to the fund (its managers hold MANAGE through funds/authority.py), scores with the fund's
rubric (its latest version), looks for conflicts against the company's organization, prefers experts of the fund's
theme, and exposes the deal-room documents and sections the managers choose (funds/material.py).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record
from portal.reviews import services as reviews
from portal.reviews.models import ReviewRound
from portal.reviews.rubrics import latest_version
from portal.reviews.scoring import AggregationMethod

from .. import permissions
from ..models import Deal
from ..verbs import FundVerb

# Audit-log actions of this module: {action: (label, message)}; registered in funds/wagtail_hooks.py.
ACTIONS = {
    "funds.start_review": (_("Start review round on deal"), _("Review round started on a deal")),
}

SUGGESTED = 8  # experts offered on the form


def rubric_for(fund):
    """The rubric the fund's rounds score with: the latest version of the one the fund names, or None."""
    return latest_version(fund.rubric) if fund.rubric_id else None


def suggested_experts(deal, count=SUGGESTED):
    """Active experts with no suggested conflict with the company, those of the fund's theme first."""
    return reviews.suggest_experts_for(
        organization=deal.company.organization, theme_ids=[deal.fund.theme_id], count=count
    )


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A deadline given as a date means the end of that day, Asia/Shanghai."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


@transaction.atomic
def start_review(
    *,
    actor,
    deal,
    title,
    deadline,
    title_en="",
    min_scores=3,
    spread_threshold=None,
    experts=(),
    keys=(),
    open_now=False,
):
    """A review round on ``deal`` with the fund's rubric: created, with the chosen material exposed and the chosen
    experts invited (each must be free of a suggested conflict), and opened when ``open_now``. All or nothing."""
    if not permissions.can_start_review(actor, deal):
        raise PermissionDenied
    deal = Deal.objects.select_for_update().select_related("fund__theme", "company__organization").get(pk=deal.pk)
    if deal.is_ended:
        raise ValidationError(_("This deal has ended: it is no longer scored."), code="ended")
    rubric = rubric_for(deal.fund)
    if rubric is None:
        raise ValidationError(
            _("The fund has no scoring rubric yet: choose one for the fund in the admin first."), code="no_rubric"
        )
    if isinstance(deadline, datetime.date) and not isinstance(deadline, datetime.datetime):
        deadline = end_of_day(deadline)
    review_round = reviews.create_round(
        actor=actor,
        owner=deal.fund,
        subject=deal,
        rubric=rubric,
        title=title,
        title_en=title_en,
        deadline=deadline,
        min_scores=min_scores,
        aggregation=AggregationMethod.MEAN,
        spread_threshold=spread_threshold,
        subject_organization=deal.company.organization,
        themes=[deal.fund.theme],
    )
    if keys:
        reviews.expose_material(actor=actor, review_round=review_round, keys=keys)
    for expert in experts:
        reviews.assign_expert(actor=actor, review_round=review_round, expert=expert)
    if open_now:
        reviews.open_round(actor=actor, review_round=review_round)
    url = deal.get_absolute_url()
    record(
        "funds.start_review",
        actor=actor,
        instance=deal,
        data={
            "round": review_round.pk,
            "rubric": rubric.pk,
            "experts": [e.pk for e in experts],
            "material": list(keys),
        },
        line=Line(deal.fund, FundVerb.STARTED_REVIEW, f"{deal} · {review_round.title}", url, subject=deal),
    )
    return review_round


def deal_rounds(deal):
    """The review rounds on ``deal``, newest first, for its managers."""
    return ReviewRound.objects.filter(
        content_type=ContentType.objects.get_for_model(Deal), object_id=deal.pk
    ).select_related("rubric")
