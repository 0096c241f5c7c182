"""The offshore base's applications on the officers' dashboard: per programme, how many wait for each step (to check,
waiting for a supplement, in expert review, to decide, onboarding). A fixed number of queries."""

from django.db.models import Count, Q

from portal.applications.models import ApplicationState

from .models import BaseStage, Programme, ProgrammeKind

_base = "calls__base_applications__"


def _count(**conditions):
    return Count(f"{_base}pk", filter=Q(**{f"{_base}{name}": value for name, value in conditions.items()}))


def base_office_context(request):
    programmes = list(
        Programme.objects.filter(officers=request.user, kind=ProgrammeKind.OFFSHORE_BASE)
        .annotate(
            to_check=_count(stage=BaseStage.CHECK, application__state=ApplicationState.SUBMITTED),
            waiting=_count(stage=BaseStage.CHECK, application__state=ApplicationState.SUPPLEMENT_REQUESTED),
            in_review=_count(stage=BaseStage.REVIEW),
            onboarding=_count(stage=BaseStage.ONBOARDING),
            active=_count(stage=BaseStage.ACTIVE),
        )
        .order_by("name")
    )
    return {"programmes": programmes, "stages": BaseStage}
