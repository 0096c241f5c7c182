"""Introductions (对接): the page both sides and the programme's officers read, each side's accept or decline, the
officer's outcome, and each person's own list in the workspace."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_service, call_with_form
from portal.lifecycle import offered

from .. import permissions
from ..forms.libraries import OutcomeForm
from ..models import Introduction
from ..services import introductions as services

PER_PAGE = 20
ANSWERS = {"accept": True, "decline": False}


def introduction_for(request, pk, may) -> Introduction:
    introduction = get_object_or_404(
        Introduction.objects.select_related("programme", "left_person", "right_person", "made_by"), pk=pk
    )
    if not may(request.user, introduction):
        raise Http404
    return introduction


@login_required
def my_introductions(request):
    rows = services.introductions_for(request.user).select_related("left_person", "right_person")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "talent/introductions/mine.html", {"page_obj": page, "page_title": _("My introductions")})


@login_required
def introduction(request, pk):
    introduction = introduction_for(request, pk, permissions.can_view_introduction)
    explanation = introduction.explanation or {}
    context = {
        "introduction": introduction,
        "left": introduction.left,
        "right": introduction.right,
        "may_answer": permissions.can_answer_introduction(request.user, introduction),
        "may_close": bool([a for a in offered(introduction, request.user) if a.name == "close"]),
        "is_officer": permissions.runs_introduction(request.user, introduction),
        "shared_terms": explanation.get("shared_terms", []),
        "score": explanation.get("score"),
        "page_title": _("Introduction"),
    }
    return render(request, "talent/introductions/detail.html", context)


@login_required
@require_POST
def introduction_answer(request, pk, answer):
    if answer not in ANSWERS:
        raise Http404
    introduction = introduction_for(request, pk, permissions.is_introduced)
    call_service(
        request,
        services.answer,
        introduction=introduction,
        accept=ANSWERS[answer],
        success=_("Your answer is recorded."),
    )
    return redirect(introduction.get_absolute_url())


@login_required
def introduction_close(request, pk):
    introduction = introduction_for(request, pk, permissions.runs_introduction)
    form = OutcomeForm(request.POST or None)
    closed = call_with_form(
        request, form, services.close, success=_("The outcome is recorded."), introduction=introduction
    )
    if closed is not REFUSED:
        return redirect(introduction.get_absolute_url())
    context = {"form": form, "introduction": introduction, "page_title": _("Record the outcome")}
    return render(request, "talent/introductions/close.html", context)


urlpatterns = [
    path("my/introductions/", my_introductions, name="my_introductions"),
    path("my/introductions/<int:pk>/", introduction, name="introduction"),
    path("my/introductions/<int:pk>/<slug:answer>/", introduction_answer, name="introduction_answer"),
    path("office/introductions/<int:pk>/close/", introduction_close, name="introduction_close"),
]
