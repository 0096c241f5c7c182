"""The special-talent dashboard panels: the officers' (how many applications sit in each stage of their programmes,
and what waits for them — panels finished to send on, notices ended, objections open) and the sector authority's
pre-reviewers' (applications waiting for their pre-review, and those waiting for the employer's supplement).

Each panel asks a fixed number of queries, however many applications there are.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone

from portal.applications.models import ApplicationState, SupplementRequest, SupplementState
from portal.reviews.models import ReviewRound, RoundState

from .models import Objection, ObjectionState, ProgrammeKind, SpecialStage, SpecialTalentApplication

PANEL_LENGTH = 5


def _rounds(**conditions):
    return ReviewRound.objects.filter(
        content_type=ContentType.objects.get_for_model(SpecialTalentApplication), object_id=OuterRef("pk"), **conditions
    )


def special_office_context(request):
    scope = SpecialTalentApplication.objects.filter(
        call__programme__officers=request.user, call__programme__kind=ProgrammeKind.SPECIAL_TALENT
    )
    counts = dict(scope.order_by().values_list("stage").annotate(n=Count("pk")))
    listed = scope.select_related("employer", "application")
    panels_done = list(
        listed.filter(stage=SpecialStage.PANEL)
        .filter(Exists(_rounds(state=RoundState.CLOSED)))
        .exclude(Exists(_rounds().exclude(state=RoundState.CLOSED)))
        .order_by("stage_changed_at", "pk")[:PANEL_LENGTH]
    )
    notices_ended = list(
        listed.filter(stage=SpecialStage.NOTICE, notice_ends_on__lt=timezone.localdate()).order_by(
            "notice_ends_on", "pk"
        )[:PANEL_LENGTH]
    )
    objections = list(
        Objection.objects.filter(application__in=scope)
        .exclude(state=ObjectionState.RESOLVED)
        .select_related("application")
        .order_by("lodged_at", "pk")[:PANEL_LENGTH]
    )
    return {
        "stages": [(value, label, counts.get(value, 0)) for value, label in SpecialStage.choices],
        "panels_done": panels_done,
        "notices_ended": notices_ended,
        "objections": objections,
    }


def pre_review_context(request):
    open_requests = Prefetch(
        "application__supplement_requests",
        queryset=SupplementRequest.objects.filter(state=SupplementState.OPEN),
        to_attr="open_requests",
    )
    scope = (
        SpecialTalentApplication.objects.filter(authority__reviewers=request.user, stage=SpecialStage.PRE_REVIEW)
        .select_related("employer", "application", "theme")
        .order_by("stage_changed_at", "pk")
    )
    waiting = scope.filter(application__state=ApplicationState.SUBMITTED)
    supplements = scope.filter(application__state=ApplicationState.SUPPLEMENT_REQUESTED).prefetch_related(open_requests)
    return {
        "waiting": list(waiting[:PANEL_LENGTH]),
        "waiting_count": waiting.count(),
        "supplements": list(supplements[:PANEL_LENGTH]),
        "supplements_count": supplements.count(),
    }
