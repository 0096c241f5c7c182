"""Roadshows (路演): the public event pages (no investor is named there), a team's pitch registration, an investor's
registration and feedback page, and the office's pages — the projects (confirm, order), the attendee list, the
feedback summed up per project, each investor's answers with the follow-up introductions, and the workbook."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.twofactor import reverify_first
from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell
from portal.files.downloads import disposition
from portal.pagecache import tags
from portal.pagecache.public import cache_public
from portal.spreadsheets import XLSX

from .. import cache_tags, permissions
from ..forms import roadshows as forms
from ..models import Introduction, IntroductionSource, InvestorRegistration, Roadshow, RoadshowProject
from ..services import roadshows as services
from .common import programme_for

PER_PAGE = 20


def _roadshow(request, slug, may=None) -> Roadshow:
    """The roadshow ``slug``: published ones for everyone, unpublished ones for their office; ``may`` narrows it."""
    roadshow = get_object_or_404(Roadshow.objects.select_related("programme"), slug=slug)
    visible = roadshow.is_published or permissions.runs_roadshow(request.user, roadshow)
    if not visible or (may is not None and not may(request.user, roadshow)):
        raise Http404
    return roadshow


def _confirmed(roadshow):
    return roadshow.projects.filter(is_confirmed=True).select_related("base_application").order_by("order", "pk")


# --- public -----------------------------------------------------------------------------------------------------


def roadshow_list(request):
    now = timezone.now()
    roadshows = Roadshow.objects.published().select_related("programme").prefetch_related("themes")
    # The past ones a page at a time (the first page as before: the twenty latest); the coming ones, a few, on the
    # first page above them.
    page = Paginator(roadshows.filter(ends_at__lt=now).order_by("-starts_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    coming = list(roadshows.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    # A coming roadshow turns past when it ends, with no write: the kept page goes then at the latest.
    ends = min((roadshow.ends_at for roadshow in coming), default=None)
    cache_public(request, cache_tags.ROADSHOWS, tags.THEMES, until=ends.timestamp() if ends else None)
    context = {
        "coming": coming if page.number == 1 else [],
        "past": page.object_list,
        "page_obj": page,
        "page_title": _("Roadshows"),
    }
    return render(request, "talent/roadshows/list.html", context)


def roadshow(request, slug):
    roadshow = _roadshow(request, slug)
    cache_public(request, cache_tags.roadshow(roadshow.pk), cache_tags.programme(roadshow.programme_id), tags.THEMES)
    user = request.user
    registration = permissions.registration_of(user, roadshow)
    pitches = (
        list(RoadshowProject.objects.filter(roadshow=roadshow, base_application__application__applicant=user))
        if user.is_authenticated
        else []
    )
    taken = roadshow.investors.count()
    context = {
        "roadshow": roadshow,
        "themes": roadshow.themes.all(),
        "projects": _confirmed(roadshow),
        "places_left": max(roadshow.capacity - taken, 0),
        "registration": registration,
        "my_pitches": pitches,
        "may_register": registration is None and permissions.can_register_as_investor(user, roadshow),
        "may_pitch": not pitches and bool(_pitching_teams(user, roadshow)),
        "may_give_feedback": permissions.can_give_feedback(user, roadshow),
        "runs_it": permissions.runs_roadshow(user, roadshow),
        "page_title": roadshow.display_title,
    }
    return render(request, "talent/roadshows/detail.html", context)


# --- the team's pitch and the investor's registration ------------------------------------------------------------


def _pitching_teams(user, roadshow):
    return [
        base
        for base in services.admitted_bases_of(user, roadshow)
        if permissions.can_register_project(user, roadshow, base)
    ]


@login_required
def roadshow_pitch(request, slug):
    roadshow = _roadshow(request, slug)
    bases = _pitching_teams(request.user, roadshow)
    if not bases:
        raise Http404
    form = forms.PitchForm(request.POST or None, bases=bases)
    done = call_with_form(
        request,
        form,
        services.register_project,
        success=_("Your project is registered; the office will confirm it."),
        roadshow=roadshow,
    )
    if done is not REFUSED:
        return redirect(roadshow.get_absolute_url())
    context = {"roadshow": roadshow, "form": form, "page_title": _("Register a project for the roadshow")}
    return render(request, "talent/roadshows/form.html", context)


@login_required
def roadshow_register(request, slug):
    roadshow = _roadshow(request, slug, permissions.can_register_as_investor)
    form = forms.InvestorForm(request.POST or None)
    done = call_with_form(
        request,
        form,
        services.register_investor,
        success=_("You are registered for the roadshow."),
        roadshow=roadshow,
    )
    if done is not REFUSED:
        return redirect(roadshow.get_absolute_url())
    context = {"roadshow": roadshow, "form": form, "page_title": _("Register as an investor")}
    return render(request, "talent/roadshows/form.html", context)


def _row_form(bound, pk, make):
    """A page with a form per row: the row's form just refused (``bound`` = (pk, form)), else a fresh one."""
    return bound[1] if bound and bound[0] == pk else make()


def _post_row(request, form, service, *, success, done, page, pk, **arguments):
    """The POST of one row's form: on success back to ``done``; refused, the page again with that form bound."""
    result = call_with_form(request, form, service, success=success, **arguments)
    if result is not REFUSED:
        return redirect(done)
    return page(bound=(pk, form))


def _feedback_page(request, roadshow, bound=None):
    """Each confirmed pitch with the investor's answer, or a form to give it."""
    registration = permissions.registration_of(request.user, roadshow)
    given = {answer.project_id: answer for answer in registration.feedback.all()}
    rows = []
    for project in _confirmed(roadshow):
        form = None
        if project.pk not in given:
            form = _row_form(bound, project.pk, lambda pk=project.pk: forms.FeedbackForm(prefix=f"p{pk}"))
        rows.append({"project": project, "answer": given.get(project.pk), "form": form})
    context = {"roadshow": roadshow, "rows": rows, "page_title": _("Your feedback")}
    return render(request, "talent/roadshows/feedback.html", context)


@login_required
@require_GET
def roadshow_feedback(request, slug):
    return _feedback_page(request, _roadshow(request, slug, permissions.can_give_feedback))


@login_required
@require_POST
def roadshow_give_feedback(request, slug, project):
    roadshow = _roadshow(request, slug, permissions.can_give_feedback)
    project = get_object_or_404(_confirmed(roadshow), pk=project)
    return _post_row(
        request,
        forms.FeedbackForm(request.POST, prefix=f"p{project.pk}"),
        services.give_feedback,
        success=_("Thank you: your feedback is saved."),
        done=reverse("talent:roadshow_feedback", kwargs={"slug": roadshow.slug}),
        page=lambda bound: _feedback_page(request, roadshow, bound),
        pk=project.pk,
        project=project,
    )


# --- the office -------------------------------------------------------------------------------------------------


@login_required
def office_roadshows(request, programme):
    programme = programme_for(request, programme, permissions.is_officer)
    page = Paginator(services.office_list(programme), PER_PAGE).get_page(request.GET.get("page"))
    context = {"programme": programme, "roadshows": page.object_list, "page_obj": page, "page_title": _("Roadshows")}
    return render(request, "talent/roadshows/office_list.html", context)


@login_required
@require_GET
def roadshow_office(request, slug):
    roadshow = _roadshow(request, slug, permissions.runs_roadshow)
    projects = services.projects_with_feedback(roadshow)
    context = {
        "roadshow": roadshow,
        "programme": roadshow.programme,
        "projects": projects,
        "order_form": forms.OrderForm(projects=projects),
        "investors": list(roadshow.investors.select_related("investor").order_by("registered_at", "pk")),
        "page_title": roadshow.display_title,
    }
    return render(request, "talent/roadshows/office.html", context)


@login_required
@require_POST
def roadshow_confirm(request, slug, project):
    roadshow = _roadshow(request, slug, permissions.runs_roadshow)
    project = get_object_or_404(roadshow.projects, pk=project)
    call_service(request, services.confirm_project, project=project, success=_("The project is confirmed."))
    return redirect("talent:roadshow_office", slug=roadshow.slug)


@login_required
@require_POST
def roadshow_order(request, slug):
    roadshow = _roadshow(request, slug, permissions.runs_roadshow)
    form = forms.OrderForm(request.POST, projects=roadshow.projects.order_by("order", "pk"))
    _result, errors = call_in_place(request, form, services.set_order, roadshow=roadshow)
    tell(request, errors, "" if errors else _("The order of the pitches is saved."))
    return redirect("talent:roadshow_office", slug=roadshow.slug)


@login_required
@require_POST
def roadshow_attended(request, slug, registration):
    roadshow = _roadshow(request, slug, permissions.runs_roadshow)
    registration = get_object_or_404(InvestorRegistration, roadshow=roadshow, pk=registration)
    form = forms.AttendedForm(request.POST)
    call_with_form(request, form, services.mark_attended, registration=registration)
    return redirect(f"{services.office_url(roadshow)}#investors")


def _introduced_pairs(roadshow):
    """(project pk, registration pk) of the introductions already made from this roadshow's feedback."""
    rows = Introduction.objects.filter(
        source=IntroductionSource.ROADSHOW,
        left_type=ContentType.objects.get_for_model(RoadshowProject),
        left_id__in=roadshow.projects.values("pk"),
        right_type=ContentType.objects.get_for_model(InvestorRegistration),
    ).values_list("left_id", "right_id", "pk")
    return {(left, right): pk for left, right, pk in rows}


def _answers_page(request, roadshow, bound=None):
    answers = call_service(request, services.read_named_feedback, roadshow=roadshow)
    pairs = _introduced_pairs(roadshow)
    rows = []
    for answer in answers:
        introduction = pairs.get((answer.project_id, answer.registration_id))
        form = None
        if introduction is None and answer.interest in services.FOLLOW_UP_INTERESTS:
            form = _row_form(
                bound,
                answer.pk,
                lambda answer=answer: forms.FollowUpForm(
                    prefix=f"f{answer.pk}", initial={"note": services.follow_up_note(answer)}
                ),
            )
        rows.append({"answer": answer, "introduction": introduction, "form": form})
    context = {
        "roadshow": roadshow,
        "programme": roadshow.programme,
        "rows": rows,
        "page_title": _("Feedback by investor"),
    }
    return render(request, "talent/roadshows/answers.html", context)


@login_required
@require_GET
def roadshow_answers(request, slug):
    return _answers_page(request, _roadshow(request, slug, permissions.runs_roadshow))


@login_required
@require_POST
def roadshow_follow_up(request, slug, feedback):
    roadshow = _roadshow(request, slug, permissions.runs_roadshow)
    answer = get_object_or_404(services.named_feedback(roadshow), pk=feedback)
    return _post_row(
        request,
        forms.FollowUpForm(request.POST, prefix=f"f{answer.pk}"),
        services.follow_up,
        success=_("The introduction is sent to the investor and the team."),
        done=reverse("talent:roadshow_answers", kwargs={"slug": roadshow.slug}),
        page=lambda bound: _answers_page(request, roadshow, bound),
        pk=answer.pk,
        feedback=answer,
    )


@login_required
@require_GET
@reverify_first  # personal data leaves the portal: a recent second factor for who uses one
def roadshow_export(request, slug):
    roadshow = _roadshow(request, slug, permissions.runs_roadshow)
    data = call_service(request, services.export_roadshow, roadshow=roadshow)
    response = HttpResponse(data, content_type=XLSX)
    name = f"{pgettext('file name', 'roadshow')}-{roadshow.slug}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("roadshows/", roadshow_list, name="roadshows"),
    path("roadshows/<slug:slug>/", roadshow, name="roadshow"),
    path("roadshows/<slug:slug>/pitch/", roadshow_pitch, name="roadshow_pitch"),
    path("roadshows/<slug:slug>/register/", roadshow_register, name="roadshow_register"),
    path("my/roadshows/<slug:slug>/feedback/", roadshow_feedback, name="roadshow_feedback"),
    path("my/roadshows/<slug:slug>/feedback/<int:project>/", roadshow_give_feedback, name="roadshow_give_feedback"),
    path("office/<slug:programme>/roadshows/", office_roadshows, name="office_roadshows"),
    path("office/roadshows/<slug:slug>/", roadshow_office, name="roadshow_office"),
    path("office/roadshows/<slug:slug>/projects/<int:project>/confirm/", roadshow_confirm, name="roadshow_confirm"),
    path("office/roadshows/<slug:slug>/order/", roadshow_order, name="roadshow_order"),
    path(
        "office/roadshows/<slug:slug>/investors/<int:registration>/attended/",
        roadshow_attended,
        name="roadshow_attended",
    ),
    path("office/roadshows/<slug:slug>/feedback/", roadshow_answers, name="roadshow_answers"),
    path(
        "office/roadshows/<slug:slug>/feedback/<int:feedback>/follow-up/",
        roadshow_follow_up,
        name="roadshow_follow_up",
    ),
    path("office/roadshows/<slug:slug>/export/", roadshow_export, name="roadshow_export"),
]
