"""Workspace section: motions. Thin views: permissions in permissions.py, changes in services/motions.py."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from portal import lifecycle
from portal.calls import REFUSED, call_service, call_with_form
from portal.voting import permissions as voting_permissions

from .. import permissions
from ..forms.motions import AgendaForm, MeetingVoteForm, MotionForm, WithdrawForm, WrittenVoteForm
from ..models import Meeting, MeetingState, Motion, MotionState
from ..services import motions as services
from ..services import workspace_seats
from ..workspace import Workspace
from .common import object_or_404, workspace_context, workspace_or_404, workspace_paths, workspace_url

TEMPLATES = "councils/workspace/motions/"


def _motion(request, slug, pk, can=None):
    """The motion if the user may see it (and, with ``can``, do the action); else 404."""
    queryset = Motion.objects.select_related("proposer", "meeting", "poll")
    motion = object_or_404(queryset, request.user, slug, pk, permissions.can_see_motion)
    if can is not None and not can(request.user, motion):
        raise Http404
    return motion


def _data(request):
    """The POST data of a POST (even an empty one: a vote without recusals posts no field), else None."""
    return request.POST if request.method == "POST" else None


def _back(motion):
    return redirect("councils:motion", slug=motion.council.slug, pk=motion.pk)


def _form_page(request, motion, form, *, title, submit, danger=False, note=""):
    context = workspace_context(
        motion.workspace,
        motion=motion,
        form=form,
        page_title=title,
        submit_label=submit,
        danger=danger,
        note=note,
        cancel_url=motion.get_absolute_url(),
    )
    return render(request, TEMPLATES + "form.html", context)


def _motion_form(request, motion, form, action, success, **page):
    """A form about the motion: a valid POST calls the service and returns to the motion; otherwise the form page
    (``page``: see _form_page), with the service's refusal on the form."""
    if call_with_form(request, form, action, success=success, motion=motion) is not REFUSED:
        return _back(motion)
    return _form_page(request, motion, form, **page)


def _run(request, motion, action, success):
    """A POST-only action: call the service; its refusal is a message on the motion page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    call_service(request, action, success=success, motion=motion)
    return _back(motion)


# List and new -----------------------------------------------------------------------------------------------


@login_required
def motion_list(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    motions = (
        Motion.objects.filter(**Workspace.of(workspace).filter())
        .filter(~Q(state=MotionState.DRAFT) | Q(proposer=request.user))
        .select_related("council", "proposer", "meeting")
    )
    state = request.GET.get("state", "")
    if state in MotionState.values:
        motions = motions.filter(state=state)
    else:
        state = ""
    filters = [("", _("All"))] + list(MotionState.choices)
    context = workspace_context(
        workspace,
        motions=list(motions),
        state=state,
        filters=filters,
        can_draft=permissions.can_draft_motion(request.user, workspace),
        page_title=_("Motions"),
    )
    return render(request, TEMPLATES + "list.html", context)


@login_required
def motion_new(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_draft_motion(request.user, workspace):
        raise Http404
    form = MotionForm(_data(request))
    success = _("The draft is saved. Only you see it until you submit it.")
    motion = call_with_form(request, form, services.draft_motion, success=success, workspace=workspace)
    if motion is not REFUSED:
        return _back(motion)
    context = workspace_context(
        workspace,
        form=form,
        page_title=_("New motion"),
        submit_label=_("Save draft"),
        cancel_url=workspace_url(workspace, "motions"),
    )
    return render(request, TEMPLATES + "form.html", context)


# The motion -------------------------------------------------------------------------------------------------


def _recused_ids(motion):
    """Who was recused when the motion's vote opened (as the audit log recorded it)."""
    entry = (
        ModelLogEntry.objects.for_instance(motion)
        .filter(action="councils.open_motion_vote")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return set((entry.data or {}).get("recused", [])) if entry else set()


@login_required
def motion_detail(request, slug, pk):
    motion = _motion(request, slug, pk)
    user, poll = request.user, motion.poll
    manage = permissions.can_manage_motion(user, motion)
    meeting_running = motion.meeting is not None and motion.meeting.is_under_way
    # What the Motion lifecycle allows this user now (portal.lifecycle), plus the steps that are not transitions:
    # editing a draft, and closing the vote / recording its result, which the poll's own lifecycle governs.
    voting_now = motion.is_being_voted and poll is not None
    actions = {
        "edit": permissions.can_edit_motion(user, motion),
        "submit": lifecycle.allowed(motion, "submit", user),
        "withdraw": lifecycle.allowed(motion, "withdraw", user),
        "agenda": lifecycle.allowed(motion, "schedule", user),
        "agenda_remove": lifecycle.allowed(motion, "unschedule", user),
        "vote_meeting": motion.is_on_agenda and meeting_running and lifecycle.allowed(motion, "start_vote", user),
        "vote_written": lifecycle.allowed(motion, "start_vote", user),
        "vote_close": voting_now and poll.is_open and permissions.can_open_motion_vote(user, motion),
        "record_result": voting_now and poll.is_closed and manage,
    }
    context = workspace_context(
        motion.workspace,
        motion=motion,
        poll=poll,
        can_view_poll=bool(poll and voting_permissions.can_view_poll(user, poll)),
        recused=bool(poll and user.pk in _recused_ids(motion)),
        actions=actions,
        has_actions=any(actions.values()),
        page_title=motion.title,
    )
    return render(request, TEMPLATES + "detail.html", context)


@login_required
def motion_edit(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_edit_motion)
    initial = {"title": motion.title, "text": motion.text, "rationale": motion.rationale}
    form = MotionForm(_data(request), initial=initial)
    success = _("The draft is saved.")
    return _motion_form(
        request, motion, form, services.update_motion, success, title=_("Change the draft"), submit=_("Save draft")
    )


@login_required
def motion_submit(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_edit_motion)
    return _run(request, motion, services.submit_motion, _("The motion is submitted."))


@login_required
def motion_withdraw(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_withdraw_motion)
    form = WithdrawForm(_data(request))
    page = {"title": _("Withdraw the motion"), "submit": _("Withdraw"), "danger": True}
    return _motion_form(request, motion, form, services.withdraw_motion, _("The motion is withdrawn."), **page)


# Agenda -----------------------------------------------------------------------------------------------------


@login_required
def motion_agenda(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_manage_motion)
    meetings = Meeting.objects.filter(
        council_id=motion.council_id,
        committee_id=motion.committee_id,
        state__in=[MeetingState.SCHEDULED, MeetingState.IN_PROGRESS],
    ).order_by("starts_at", "pk")
    form = AgendaForm(_data(request), meetings=meetings)
    note = "" if meetings.exists() else _("This workspace has no scheduled meeting. Schedule one first.")
    page = {"title": _("Put the motion on a meeting agenda"), "submit": _("Add to the agenda"), "note": note}
    return _motion_form(request, motion, form, services.put_on_agenda, _("The motion is on the agenda."), **page)


@login_required
def motion_agenda_remove(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_manage_motion)
    return _run(request, motion, services.remove_from_agenda, _("The motion is off the agenda."))


# Votes ------------------------------------------------------------------------------------------------------


def _users(ids):
    return get_user_model().objects.filter(pk__in=ids).order_by("real_name", "username", "pk")


@login_required
def motion_vote_meeting(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_open_motion_vote)
    ids = motion.meeting.invitations.filter(has_vote=True).values_list("user_id", flat=True) if motion.meeting else []
    form = MeetingVoteForm(_data(request), voters=_users(ids))
    page = {"title": _("Open the vote at the meeting"), "submit": _("Open the vote")}
    return _motion_form(request, motion, form, services.open_meeting_vote, _("The vote is open."), **page)


@login_required
def motion_vote_written(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_open_motion_vote)
    ids = [user.pk for user, _organization, has_vote in workspace_seats(motion.workspace) if has_vote]
    form = WrittenVoteForm(_data(request), voters=_users(ids))
    page = {"title": _("Put the motion to a written vote"), "submit": _("Open the vote")}
    return _motion_form(request, motion, form, services.open_written_vote, _("The written vote is open."), **page)


@login_required
def motion_vote_close(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_open_motion_vote)
    return _run(request, motion, services.close_vote, _("The vote is closed and its result recorded."))


@login_required
def motion_record_result(request, slug, pk):
    motion = _motion(request, slug, pk, permissions.can_manage_motion)
    return _run(request, motion, services.record_result, _("The result is recorded."))


urlpatterns = [
    path("<slug:slug>/motions/<int:pk>/", motion_detail, name="motion"),
    *workspace_paths("motions/", motion_list, "motions"),
    *workspace_paths("motions/new/", motion_new, "motion_new"),
    path("<slug:slug>/motions/<int:pk>/edit/", motion_edit, name="motion_edit"),
    path("<slug:slug>/motions/<int:pk>/submit/", motion_submit, name="motion_submit"),
    path("<slug:slug>/motions/<int:pk>/withdraw/", motion_withdraw, name="motion_withdraw"),
    path("<slug:slug>/motions/<int:pk>/agenda/", motion_agenda, name="motion_agenda"),
    path("<slug:slug>/motions/<int:pk>/agenda/remove/", motion_agenda_remove, name="motion_agenda_remove"),
    path("<slug:slug>/motions/<int:pk>/vote/meeting/", motion_vote_meeting, name="motion_vote_meeting"),
    path("<slug:slug>/motions/<int:pk>/vote/written/", motion_vote_written, name="motion_vote_written"),
    path("<slug:slug>/motions/<int:pk>/vote/close/", motion_vote_close, name="motion_vote_close"),
    path("<slug:slug>/motions/<int:pk>/vote/record/", motion_record_result, name="motion_record_result"),
]
