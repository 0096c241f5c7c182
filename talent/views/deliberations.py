"""The district talent work meeting's pages: the officers' list of a programme's meetings and the form that convenes
one; the meeting's page (agenda with the panel's score, recusals, attendance and quorum, the session, each item's
vote and result, the minutes), read-only with links to vote for its members; and the steps, each a POST through
talent/services/deliberations.py. Members cast their ballots on portal.voting's own poll page."""

from dataclasses import dataclass
from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from portal import lifecycle
from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell
from portal.reviews.models import ReviewRound, RoundState
from portal.voting.models import Ballot, ElectorateEntry
from portal.voting.tally import required_present

from .. import permissions
from ..forms import deliberations as forms
from ..models import (
    Deliberation,
    DeliberationItem,
    DeliberationState,
    SpecialStage,
    SpecialTalentApplication,
)
from ..services import deliberations as services
from .common import programme_for

PER_PAGE = 25


def _meeting_for(request, pk, may) -> Deliberation:
    deliberation = get_object_or_404(Deliberation.objects.select_related("programme", "created_by"), pk=pk)
    if not may(request.user, deliberation):
        raise Http404
    return deliberation


def _item_for(request, pk) -> DeliberationItem:
    item = get_object_or_404(DeliberationItem.objects.select_related("deliberation__programme"), pk=pk)
    if not permissions.runs_deliberation(request.user, item.deliberation):
        raise Http404
    return item


def waiting_for_a_meeting(programme):
    """The programme's applications waiting for the talent work meeting and on no open meeting's agenda."""
    on_an_agenda = DeliberationItem.objects.filter(passed__isnull=True).exclude(
        deliberation__state=DeliberationState.CLOSED
    )
    return (
        SpecialTalentApplication.objects.filter(call__programme=programme, stage=SpecialStage.DELIBERATION)
        .exclude(pk__in=on_an_agenda.values("application"))
        .select_related("application", "employer", "theme")
        .order_by("stage_changed_at", "pk")
    )


# --- the programme's meetings -------------------------------------------------------------------------------


@login_required
def deliberations(request, programme):
    programme = programme_for(request, programme, permissions.can_convene_deliberation)
    meetings = (
        Deliberation.objects.filter(programme=programme)
        .annotate(
            item_count=Count("items", distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "meetings": page.object_list,
        "page_obj": page,
        "waiting": waiting_for_a_meeting(programme).count(),
        "page_title": _("Talent work meetings"),
    }
    return render(request, "talent/deliberations/list.html", context)


def _previous_members(programme):
    latest = Deliberation.objects.filter(programme=programme).order_by("-starts_at", "-pk").first()
    return list(latest.members.values_list("pk", flat=True)) if latest else []


@login_required
def deliberation_new(request, programme):
    programme = programme_for(request, programme, permissions.can_convene_deliberation)
    form = forms.DeliberationForm(request.POST or None, initial={"members": _previous_members(programme)})
    convened = call_with_form(
        request,
        form,
        services.convene,
        success=_("The meeting is convened: put applications on its agenda."),
        programme=programme,
    )
    if convened is not REFUSED:
        return redirect(convened.get_absolute_url())
    context = {
        "programme": programme,
        "form": form,
        "page_title": _("Convene a talent work meeting"),
        "submit_label": _("Convene"),
        "cancel_url": "",
    }
    return render(request, "talent/deliberations/form.html", context)


@login_required
def deliberation_edit(request, pk):
    deliberation = _meeting_for(request, pk, permissions.runs_deliberation)
    if deliberation.state != DeliberationState.SCHEDULED:
        raise Http404
    initial = {
        "title": deliberation.title,
        "title_en": deliberation.title_en,
        "starts_at": deliberation.starts_at,
        "location": deliberation.location,
        "members": list(deliberation.members.values_list("pk", flat=True)),
    }
    form = forms.DeliberationForm(request.POST or None, initial=initial)
    changed = call_with_form(
        request, form, services.change, success=_("The meeting is changed."), deliberation=deliberation
    )
    if changed is not REFUSED:
        return redirect(deliberation.get_absolute_url())
    context = {
        "programme": deliberation.programme,
        "deliberation": deliberation,
        "form": form,
        "page_title": _("Change the meeting"),
        "cancel_url": deliberation.get_absolute_url(),
    }
    return render(request, "talent/deliberations/form.html", context)


# --- the meeting's page -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One agenda item as the page shows it."""

    item: DeliberationItem
    score: object = None  # the panel's aggregate (latest closed round), or None
    score_count: int = 0
    recused_ids: frozenset = frozenset()
    electorate: int = 0
    voted: int = 0
    mine: str = ""  # "vote", "voted", "recused", "absent" or ""

    @property
    def special(self):
        return self.item.application

    @property
    def poll(self):
        return self.item.poll

    @property
    def recused_names(self):
        return [user.display_name for user in self.item.recused.all()]


def _panel_scores(specials) -> dict:
    """{application pk: (aggregate, scorecards)} from each one's latest closed panel round, in one query."""
    content_type = ContentType.objects.get_for_model(SpecialTalentApplication)
    found = {}
    rounds = (
        ReviewRound.objects.filter(
            content_type=content_type, object_id__in=[special.pk for special in specials], state=RoundState.CLOSED
        )
        .order_by("object_id", "-pk")
        .values_list("object_id", "result_value", "result_count")
    )
    for object_id, value, count in rounds:
        found.setdefault(object_id, (value, count or 0))
    return found


def _turnout(polls) -> tuple[dict, dict]:
    """({poll pk: electorate}, {poll pk: ballots cast}) for named polls, in two queries."""
    if not polls:
        return {}, {}
    electorate = dict(
        ElectorateEntry.objects.filter(poll__in=polls)
        .values("poll")
        .annotate(n=Count("pk"))
        .values_list("poll", "n")
        .order_by()
    )
    cast = dict(
        Ballot.objects.filter(entry__poll__in=polls)
        .values("entry__poll")
        .annotate(n=Count("pk"))
        .values_list("entry__poll", "n")
        .order_by()
    )
    return electorate, cast


def _my_votes(user, polls) -> dict:
    """{poll pk: "vote" | "voted" | "absent"} for the polls the user has an entry in."""
    if not polls:
        return {}
    entries = ElectorateEntry.objects.filter(poll__in=polls, user=user).annotate(cast=Count("ballots"))
    mine = {}
    for entry in entries:
        if entry.cast:
            mine[entry.poll_id] = "voted"
        elif entry.present:
            mine[entry.poll_id] = "vote"
        else:
            mine[entry.poll_id] = "absent"
    return mine


def _rows(deliberation, user):
    items = list(
        deliberation.items.select_related("application__application", "application__employer", "application__theme")
        .select_related("poll")
        .prefetch_related("recused")
    )
    specials = [item.application for item in items]
    scores = _panel_scores(specials)
    polls = [item.poll for item in items if item.poll_id]
    electorate, cast = _turnout(polls)
    mine = _my_votes(user, polls)
    rows = []
    for item in items:
        value, count = scores.get(item.application_id, (None, 0))
        recused = frozenset(user_.pk for user_ in item.recused.all())
        row = Row(item=item, score=value, score_count=count, recused_ids=recused)
        if item.poll_id:
            row.electorate = electorate.get(item.poll_id, 0)
            row.voted = cast.get(item.poll_id, 0)
            row.mine = mine.get(item.poll_id, "recused" if user.pk in recused else "")
        rows.append(row)
    return rows


def _quorum(deliberation, members, present_ids):
    count = len(members)
    present = sum(1 for member in members if member.pk in present_ids)
    needed = required_present(deliberation.quorum, count) if count else 0
    return {
        "members": count,
        "present": present,
        "needed": needed,
        "fraction": f"{deliberation.quorum_numerator}/{deliberation.quorum_denominator}",
        "met": bool(count and Fraction(present, count) >= deliberation.quorum),
    }


def _meeting_context(request, deliberation):
    user = request.user
    runs = permissions.runs_deliberation(user, deliberation)
    members = list(deliberation.members.order_by("real_name", "username"))
    present_ids = set(deliberation.present.values_list("pk", flat=True))
    scheduled = deliberation.state == DeliberationState.SCHEDULED
    in_session = deliberation.state == DeliberationState.IN_SESSION
    rows = _rows(deliberation, user)
    context = {
        "deliberation": deliberation,
        "programme": deliberation.programme,
        "runs": runs,
        "members": members,
        "present_ids": present_ids,
        "quorum": _quorum(deliberation, members, present_ids),
        "rows": rows,
        "scheduled": scheduled,
        "in_session": in_session,
        "is_member": any(member.pk == user.pk for member in members),
        "page_title": deliberation.display_title,
    }
    if runs and scheduled:
        waiting = waiting_for_a_meeting(deliberation.programme)
        context["agenda_form"] = forms.AgendaItemForm(deliberation=deliberation, waiting=waiting)
        context["open_blockers"] = lifecycle.blockers(deliberation, "open_session")
        context["may_open"] = lifecycle.allowed(deliberation, "open_session", user)
    if runs and in_session:
        context["minutes_form"] = forms.MinutesForm(initial={"minutes": deliberation.minutes})
        context["close_blockers"] = lifecycle.blockers(deliberation, "close")
    return context


@login_required
def deliberation(request, pk):
    deliberation = _meeting_for(request, pk, permissions.can_view_deliberation)
    return render(request, "talent/deliberations/detail.html", _meeting_context(request, deliberation))


# --- the steps ----------------------------------------------------------------------------------------------


def _back(deliberation):
    return redirect(deliberation.get_absolute_url())


@login_required
def deliberation_add_item(request, pk):
    deliberation = _meeting_for(request, pk, permissions.runs_deliberation)
    if request.method == "POST":
        form = forms.AgendaItemForm(
            request.POST, deliberation=deliberation, waiting=waiting_for_a_meeting(deliberation.programme)
        )
        added, errors = call_in_place(request, form, services.add_item, deliberation=deliberation)
        tell(request, errors, _("The application is on the agenda.") if added is not REFUSED else "")
    return _back(deliberation)


@login_required
def deliberation_remove_item(request, pk):
    item = _item_for(request, pk)
    if request.method == "POST":
        call_service(request, services.remove_item, item=item, success=_("The application is off the agenda."))
    return _back(item.deliberation)


@login_required
def deliberation_recusals(request, pk):
    item = _item_for(request, pk)
    if request.method == "POST":
        form = forms.RecusalForm(request.POST, deliberation=item.deliberation)
        saved, errors = call_in_place(request, form, services.set_recusals, item=item)
        tell(request, errors, _("The recusals are recorded.") if saved is not REFUSED else "")
    return _back(item.deliberation)


@login_required
def deliberation_attendance(request, pk):
    deliberation = _meeting_for(request, pk, permissions.runs_deliberation)
    if request.method == "POST":
        form = forms.AttendanceForm(request.POST, deliberation=deliberation)
        saved, errors = call_in_place(request, form, services.record_attendance, deliberation=deliberation)
        tell(request, errors, _("The attendance is recorded.") if saved is not REFUSED else "")
    return _back(deliberation)


@login_required
def deliberation_open(request, pk):
    deliberation = _meeting_for(request, pk, permissions.runs_deliberation)
    if request.method == "POST":
        call_service(
            request,
            services.open_session,
            deliberation=deliberation,
            success=_("The session is open: the members present can vote."),
        )
    return _back(deliberation)


@login_required
def deliberation_close_item(request, pk):
    item = _item_for(request, pk)
    if request.method == "POST":
        closed = call_service(request, services.close_item, item=item)
        if closed is not REFUSED:
            tell(
                request,
                [],
                _("The vote passed: the candidate is on public notice.")
                if closed.passed
                else _("The vote did not pass: the application is rejected."),
            )
    return _back(item.deliberation)


@login_required
def deliberation_close(request, pk):
    deliberation = _meeting_for(request, pk, permissions.runs_deliberation)
    form = forms.MinutesForm(request.POST or None, initial={"minutes": deliberation.minutes})
    closed = call_with_form(
        request,
        form,
        services.close_meeting,
        success=_("The meeting is closed and its minutes kept."),
        deliberation=deliberation,
    )
    if closed is not REFUSED:
        return _back(deliberation)
    context = {
        "programme": deliberation.programme,
        "deliberation": deliberation,
        "form": form,
        "missing": lifecycle.blockers(deliberation, "close"),
        "page_title": _("Close the meeting"),
        "submit_label": _("Close the meeting"),
        "cancel_url": deliberation.get_absolute_url(),
    }
    return render(request, "talent/deliberations/form.html", context)


# --- the application's office page (part of talent/office/special_application.html) --------------------------


def section_context(request, special) -> dict:
    """The meetings an application was on the agenda of, for its office page: each vote's link and count for the
    officers; the meeting's name and day for the sector's authority, who follows the application but not the vote."""
    runs = permissions.runs_special_application(request.user, special)
    items = list(special.deliberation_items.select_related("deliberation", "poll").order_by("-pk"))
    waiting = special.stage == SpecialStage.DELIBERATION and not any(item.passed is None for item in items)
    return {
        "items": items,
        "runs": runs,
        "meetings_url": reverse("talent:deliberations", args=[special.call.programme.slug]) if runs and waiting else "",
    }


urlpatterns = [
    path("office/<slug:programme>/meetings/", deliberations, name="deliberations"),
    path("office/<slug:programme>/meetings/new/", deliberation_new, name="deliberation_new"),
    path("office/meetings/<int:pk>/", deliberation, name="deliberation"),
    path("office/meetings/<int:pk>/edit/", deliberation_edit, name="deliberation_edit"),
    path("office/meetings/<int:pk>/agenda/", deliberation_add_item, name="deliberation_add_item"),
    path("office/meetings/<int:pk>/attendance/", deliberation_attendance, name="deliberation_attendance"),
    path("office/meetings/<int:pk>/open/", deliberation_open, name="deliberation_open"),
    path("office/meetings/<int:pk>/close/", deliberation_close, name="deliberation_close"),
    path("office/meetings/items/<int:pk>/remove/", deliberation_remove_item, name="deliberation_remove_item"),
    path("office/meetings/items/<int:pk>/recusals/", deliberation_recusals, name="deliberation_recusals"),
    path("office/meetings/items/<int:pk>/close/", deliberation_close_item, name="deliberation_close_item"),
]
