"""The talent programmes' public pages, in both languages: the offshore base (its open calls, libraries and
roadshows), each call with its sectors, dates and required documents, and the way to apply."""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.pagecache import tags
from portal.pagecache.public import cache_public

from .. import cache_tags
from ..base_kind import BASE_APPLICATION
from ..models import Call, Programme, ProgrammeKind
from ..special_kind import SPECIAL_APPLICATION


def index(request):
    """The talent programmes: the offshore base first."""
    cache_public(request, cache_tags.PROGRAMMES)
    programmes = Programme.objects.order_by("kind", "name")
    if len(programmes) == 1:
        return programme(request, programmes[0].slug)
    return render(request, "talent/public/index.html", {"programmes": programmes, "page_title": _("Talent")})


def programme(request, programme):
    programme = get_object_or_404(Programme, slug=programme)
    cache_public(
        request,
        cache_tags.programme(programme.pk),
        cache_tags.programme_calls(programme.pk),
        cache_tags.ROADSHOWS,
        tags.THEMES,
    )
    today = timezone.localdate()
    calls = Call.objects.published().filter(programme=programme).prefetch_related("themes")
    # Each kind asked apart: a programme's past calls grow every year, and the page shows the latest five.
    context = {
        "programme": programme,
        "is_offshore_base": programme.kind == ProgrammeKind.OFFSHORE_BASE,
        "open_calls": calls.filter(opens_on__lte=today, closes_on__gte=today),
        "coming_calls": calls.filter(opens_on__gt=today),
        "past_calls": calls.filter(closes_on__lt=today)[:5],
        "roadshows": programme.roadshows.published().order_by("-starts_at")[:3],
        "page_title": programme.display_name,
    }
    return render(request, "talent/public/programme.html", context)


def call(request, slug):
    call = get_object_or_404(Call.objects.published().select_related("programme", "checklist"), slug=slug)
    cache_public(
        request,
        cache_tags.call(call.pk),
        cache_tags.programme(call.programme_id),
        tags.THEMES,
        *([tags.checklist(call.checklist_id)] if call.checklist_id else []),
    )
    context = {
        "call": call,
        "programme": call.programme,
        "themes": call.themes.all(),
        "items": call.checklist.items.all() if call.checklist_id else [],
        # Employers apply to a special-talent call through its own kind; overseas teams to the base's.
        "kind": SPECIAL_APPLICATION if call.programme.kind == ProgrammeKind.SPECIAL_TALENT else BASE_APPLICATION,
        "is_special": call.programme.kind == ProgrammeKind.SPECIAL_TALENT,
        "page_title": call.display_title,
    }
    return render(request, "talent/public/call.html", context)


urlpatterns = [
    path("", index, name="index"),
    path("calls/<slug:slug>/", call, name="call"),
    path("programmes/<slug:programme>/", programme, name="programme"),
]
