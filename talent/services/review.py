"""A base application's expert review through ``portal.reviews``: a round owned by the programme (its officers hold
MANAGE, talent/authority.py), scored with the programme's rubric (team, technology, IP, market, fit with Pingshan's
industries, landing plan), with the application's sections and files the officer chooses exposed to the experts.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record
from portal.reviews import services as reviews
from portal.reviews.models import RoundState
from portal.reviews.rubrics import latest_version
from portal.reviews.scoring import AggregationMethod

from .. import permissions
from ..models import BaseApplication, BaseStage
from ..review import rounds_of
from ..verbs import TalentVerb

ACTIONS = {"talent.start_review": (_("Start review round on base application"), _("Review round started"))}


def rubric_for(programme):
    return latest_version(programme.rubric) if programme.rubric_id else None


def suggested_experts(base, count=8):
    """Active experts of the application's sector first (no organization: overseas teams have none yet)."""
    theme_ids = [base.theme_id] if base.theme_id else []
    return reviews.suggest_experts_for(organization=None, theme_ids=theme_ids, count=count)


def open_round(
    *, actor, action, programme, subject, title, theme, deadline, experts=(), keys=(), min_scores=3, open_now=True
):
    """A round on ``subject`` (a base or special-talent application, locked by the caller and checked to be in its
    review stage) owned by the programme, scored with its rubric, the chosen material exposed, the chosen experts
    invited, opened when ``open_now``; recorded as ``action``. Refused while another round on it is under way."""
    if rounds_of(subject).exclude(state=RoundState.CLOSED).exists():
        raise ValidationError(_("This application already has a review round under way."), code="twice")
    rubric = rubric_for(programme)
    if rubric is None:
        raise ValidationError(_("The programme has no scoring rubric yet: choose one in the admin first."))
    if isinstance(deadline, datetime.date) and not isinstance(deadline, datetime.datetime):
        deadline = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(23, 59)))
    if deadline is None or deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    review_round = reviews.create_round(
        actor=actor,
        owner=programme,
        subject=subject,
        rubric=rubric,
        title=title,
        deadline=deadline,
        min_scores=min_scores,
        aggregation=AggregationMethod.MEAN,
        themes=[theme] if theme is not None else [],
    )
    if keys:
        reviews.expose_material(actor=actor, review_round=review_round, keys=keys)
    for expert in experts:
        reviews.assign_expert(actor=actor, review_round=review_round, expert=expert)
    if open_now:
        reviews.open_round(actor=actor, review_round=review_round)
    record(
        action,
        actor=actor,
        instance=subject,
        data={"round": review_round.pk, "experts": [e.pk for e in experts], "material": list(keys)},
        line=Line(programme, TalentVerb.STARTED_REVIEW, review_round.title, subject.get_absolute_url()),
    )
    return review_round


@transaction.atomic
def start_review(*, actor, base, deadline, experts=(), keys=(), min_scores=3, open_now=True):
    """A round on ``base`` while it is in expert review (``open_round``). All or nothing."""
    if not permissions.runs_base_application(actor, base):
        raise PermissionDenied
    base = BaseApplication.objects.select_for_update(of=("self",)).select_related("call__programme").get(pk=base.pk)
    if base.stage != BaseStage.REVIEW:
        raise ValidationError(_("Send the application to expert review first."), code="stage")
    programme = base.call.programme
    return open_round(
        actor=actor,
        action="talent.start_review",
        programme=programme,
        subject=base,
        title=f"{base.application.reference} {base.team_name}",
        theme=base.theme if base.theme_id else None,
        deadline=deadline,
        experts=experts,
        keys=keys,
        min_scores=min_scores,
        open_now=open_now,
    )
