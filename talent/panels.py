"""The service requests' dashboard panels: the officers' (open requests of their programmes, the overdue ones
counted and listed first) and the team's (its requests with their state and due date).

Each panel asks a fixed number of queries, however many programmes or requests there are.
"""

from django.db.models import Count, Q
from django.utils import timezone

from .models import Programme, ProgrammeKind, ServiceRequest
from .models.service_requests import OPEN_STATES

PANEL_LENGTH = 5


def services_office_context(request):
    today = timezone.localdate()
    programmes = list(
        Programme.objects.filter(officers=request.user, kind=ProgrammeKind.OFFSHORE_BASE)
        .annotate(
            open=Count(
                "calls__base_applications__service_requests",
                filter=Q(calls__base_applications__service_requests__state__in=OPEN_STATES),
            ),
            overdue=Count(
                "calls__base_applications__service_requests",
                filter=Q(
                    calls__base_applications__service_requests__state__in=OPEN_STATES,
                    calls__base_applications__service_requests__due_on__lt=today,
                ),
            ),
        )
        .order_by("name")
    )
    overdue = list(
        ServiceRequest.objects.overdue(today)
        .filter(base_application__call__programme__officers=request.user)
        .select_related("base_application", "assigned_to")
        .order_by("due_on", "pk")[:PANEL_LENGTH]
    )
    return {
        "programmes": programmes,
        "overdue": overdue,
        "overdue_count": sum(programme.overdue for programme in programmes),
        "today": today,
    }


def services_team_context(request):
    requests = list(
        ServiceRequest.objects.filter(base_application__application__applicant=request.user)
        .select_related("assigned_to")
        .order_by("-requested_at", "-pk")[:PANEL_LENGTH]
    )
    return {"requests": requests, "today": timezone.localdate()}
