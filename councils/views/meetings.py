"""Workspace section: meetings (agenda, invitations and answers, attendance, opening with the quorum check,
minutes); action items are in action_items.py. Thin views: who may do what is in permissions.py, changes in
services/meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell
from portal.edits import fingerprint

from .. import permissions
from ..forms.meetings import (
    AgendaItemForm,
    ApproveMinutesForm,
    AttendanceForm,
    CancelForm,
    GuestForm,
    MeetingForm,
    MinutesForm,
    RSVPForm,
)
from ..models import (
    AgendaItem,
    Invitation,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
)
from ..services import meetings as services
from ..services import workspace_recipients
from ..workspace import Workspace
from .action_items import mark_action_items
from .common import object_or_404, workspace_context, workspace_or_404, workspace_paths, workspace_url

OPEN_STATES = (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS)


# Finding things (404 when the user may not) ------------------------------------------------------------------


def _meeting(request, slug, pk):
    return object_or_404(Meeting.objects.all(), request.user, slug, pk, can_see=permissions.can_see_meeting)


def _managed_meeting(request, slug, pk):
    meeting = _meeting(request, slug, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise Http404
    return meeting


def _agenda_item(request, slug, pk):
    item = AgendaItem.objects.select_related("meeting__council", "meeting__committee").filter(pk=pk).first()
    if item is None or item.meeting.council.slug != slug:
        raise Http404
    if not permissions.can_manage_meeting(request.user, item.meeting):
        raise Http404
    return item


def _minutes(request, slug, pk):
    minutes = Minutes.objects.select_related("meeting__council", "meeting__committee").filter(pk=pk).first()
    if minutes is None or minutes.meeting.council.slug != slug:
        raise Http404
    if not permissions.can_read_minutes(request.user, minutes):
        raise Http404
    return minutes


def _minutes_of(meeting):
    try:
        return meeting.minutes
    except Minutes.DoesNotExist:
        return None


def _to_meeting(meeting, anchor=""):
    return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# Meetings ---------------------------------------------------------------------------------------------------


@login_required
def meeting_list(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    meetings = list(
        Meeting.objects.filter(**Workspace.of(workspace).filter()).prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.filter(user=request.user), to_attr="mine")
        )
    )
    for meeting in meetings:
        meeting.my_invitation = meeting.mine[0] if meeting.mine else None
    upcoming = sorted((m for m in meetings if m.state in OPEN_STATES), key=lambda m: (m.starts_at, m.pk))
    past = [m for m in meetings if m.state not in OPEN_STATES]  # newest first (the model's order)
    context = workspace_context(
        workspace,
        upcoming=upcoming,
        past=past,
        can_convene=permissions.can_convene_meeting(request.user, workspace),
        page_title=_("Meetings"),
    )
    return render(request, "councils/workspace/meetings/list.html", context)


@login_required
def meeting_new(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_convene_meeting(request.user, workspace):
        raise Http404
    form = MeetingForm(request.POST or None)
    success = _("The meeting is scheduled and the members are invited.")
    meeting = call_with_form(request, form, services.schedule_meeting, success=success, workspace=workspace)
    if meeting is not REFUSED:
        return _to_meeting(meeting)
    context = workspace_context(
        workspace, form=form, back_url=workspace_url(workspace, "meetings"), page_title=_("Schedule a meeting")
    )
    return render(request, "councils/workspace/meetings/form.html", context)


@login_required
def meeting_edit(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    if meeting.state != MeetingState.SCHEDULED:
        messages.error(request, _("Only a scheduled meeting can be changed."))
        return _to_meeting(meeting)
    initial = {field: getattr(meeting, field) for field in MeetingForm.base_fields}
    form = MeetingForm(request.POST or None, initial=initial)
    changed = call_with_form(
        request, form, services.update_meeting, success=_("The meeting is changed."), meeting=meeting
    )
    if changed is not REFUSED:
        return _to_meeting(changed)
    context = workspace_context(
        meeting.workspace,
        meeting=meeting,
        form=form,
        back_url=meeting.get_absolute_url(),
        page_title=_("Change the meeting"),
    )
    return render(request, "councils/workspace/meetings/form.html", context)


def _rsvp_box(request, invitation, form=None, errors=(), confirmation=""):
    can_answer = bool(invitation and permissions.can_rsvp(request.user, invitation))
    if can_answer and form is None:
        form = RSVPForm(initial={"answer": invitation.rsvp, "note": invitation.rsvp_note})
    return {
        "invitation": invitation,
        "can_answer": can_answer,
        "rsvp_form": form if can_answer else None,
        "rsvp_errors": list(errors),
        "rsvp_confirmation": confirmation,
    }


def _invitees(meeting):
    invitations = list(meeting.invitations.select_related("user", "organization", "proxy_holder"))
    return {
        "invitations": invitations,
        "voting_count": sum(1 for invitation in invitations if invitation.has_vote),
    }


@login_required
def meeting_detail(request, slug, pk):
    meeting = _meeting(request, slug, pk)
    user = request.user
    workspace = meeting.workspace
    invitees = _invitees(meeting)
    invitations = invitees["invitations"]
    my_invitation = next((invitation for invitation in invitations if invitation.user_id == user.pk), None)
    if my_invitation is not None:
        my_invitation.meeting = meeting
    can_manage = permissions.can_manage_meeting(user, meeting)
    can_assign = permissions.can_assign_action_items(user, workspace)
    agenda_open = meeting.state in OPEN_STATES
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        minutes.meeting = meeting
    action_items = mark_action_items(list(meeting.action_items.select_related("owner")), user, can_assign)
    context = workspace_context(
        workspace,
        meeting=meeting,
        agenda=list(meeting.agenda.select_related("motion", "minutes__meeting").order_by("position", "pk")),
        **invitees,
        can_manage=can_manage,
        agenda_open=agenda_open,
        minutes=minutes,
        can_read_minutes=bool(minutes and permissions.can_read_minutes(user, minutes)),
        minutes_writable=bool(
            permissions.can_edit_minutes(user, meeting)
            and meeting.state in (MeetingState.IN_PROGRESS, MeetingState.CLOSED)
            and not (minutes and minutes.is_locked)
        ),
        can_approve_minutes=bool(
            minutes and minutes.state == MinutesState.CIRCULATED and permissions.can_convene_meeting(user, workspace)
        ),
        action_items=action_items,
        can_assign=can_assign,
        page_title=meeting.title,
        **_rsvp_box(request, my_invitation),
    )
    if can_manage and agenda_open:
        invited = [invitation.user_id for invitation in invitations]
        context["agenda_form"] = AgendaItemForm(minutes_queryset=_approvable_minutes(meeting))
        context["guest_form"] = GuestForm(users=workspace_recipients(workspace).exclude(pk__in=invited))
    if can_manage and meeting.state == MeetingState.SCHEDULED:
        context["cancel_form"] = CancelForm()
    return render(request, "councils/workspace/meetings/detail.html", context)


def _approvable_minutes(meeting):
    return (
        Minutes.objects.filter(
            state=MinutesState.CIRCULATED,
            meeting__council_id=meeting.council_id,
            meeting__committee_id=meeting.committee_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .exclude(agenda_items__meeting=meeting)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


@login_required
@require_POST
def meeting_rsvp(request, slug, pk):
    meeting = _meeting(request, slug, pk)
    invitation = meeting.invitations.filter(user=request.user).first()
    if invitation is None:
        raise Http404
    invitation.meeting = meeting
    form = RSVPForm(request.POST)
    answered, errors = call_in_place(request, form, services.rsvp, invitation=invitation)
    confirmation = ""
    if answered is not REFUSED:
        invitation, form, confirmation = answered, None, _("Your answer is saved.")
        invitation.meeting = meeting
    if request.htmx:
        box = _rsvp_box(request, invitation, form=form, errors=errors, confirmation=confirmation)
        # The invitee table is swapped in out of band, so it shows the new answer without a reload.
        context = workspace_context(meeting.workspace, meeting=meeting, **box, **_invitees(meeting))
        return render(request, "councils/workspace/meetings/_rsvp_response.html", context)
    tell(request, errors, confirmation)
    return _to_meeting(meeting, "rsvp")


@login_required
@require_POST
def meeting_invite(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    form = GuestForm(request.POST, users=workspace_recipients(meeting.workspace))
    if not form.is_valid():
        messages.error(request, _("Choose someone who can open this workspace."))
        return _to_meeting(meeting, "invitations")
    call_service(
        request,
        services.invite_guest,
        success=_("The guest is invited."),
        meeting=meeting,
        user=form.cleaned_data["user"],
    )
    return _to_meeting(meeting, "invitations")


# Agenda -----------------------------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    form = AgendaItemForm(request.POST, minutes_queryset=_approvable_minutes(meeting))
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return _to_meeting(meeting, "agenda")
    success = _("The item is added to the agenda.")
    if form.cleaned_data.get("minutes"):
        call_service(
            request,
            services.add_minutes_to_agenda,
            success=success,
            meeting=meeting,
            minutes=form.cleaned_data["minutes"],
        )
    else:
        call_service(
            request,
            services.add_agenda_item,
            success=success,
            meeting=meeting,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    return _to_meeting(meeting, "agenda")


@login_required
@require_POST
def agenda_remove(request, slug, pk):
    item = _agenda_item(request, slug, pk)
    call_service(request, services.remove_agenda_item, success=_("The item is removed from the agenda."), item=item)
    return _to_meeting(item.meeting, "agenda")


@login_required
@require_POST
def agenda_move(request, slug, pk):
    item = _agenda_item(request, slug, pk)
    call_service(request, services.move_agenda_item, item=item, up=request.POST.get("direction") != "down")
    return _to_meeting(item.meeting, "agenda")


# Attendance, opening, closing, cancelling ---------------------------------------------------------------------


@login_required
def meeting_attendance(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    invitations = meeting.invitations.select_related("user", "organization")
    form = AttendanceForm(request.POST or None, invitations=invitations)
    recorded = call_with_form(
        request,
        form,
        services.record_attendance,
        values=lambda form: {"records": form.records()},
        success=_("The attendance is recorded."),
        meeting=meeting,
    )
    if recorded is not REFUSED:
        return _to_meeting(meeting, "invitations")
    rules = services.charter_rules(meeting.council)
    context = workspace_context(
        meeting.workspace,
        meeting=meeting,
        form=form,
        proxies_allowed=rules.proxies_allowed,
        max_proxies=rules.max_proxies_per_holder,
        page_title=_("Attendance"),
    )
    return render(request, "councils/workspace/meetings/attendance.html", context)


@login_required
@require_POST
def meeting_open(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    opened = call_service(request, services.open_meeting, meeting=meeting)
    if opened is not REFUSED:
        meeting = opened
        if meeting.quorum_met:
            messages.success(request, _("The meeting is open. The quorum is met."))
        else:
            messages.warning(
                request,
                _("The meeting is open without a quorum: no motion can pass at it and it cannot approve minutes."),
            )
    return _to_meeting(meeting)


@login_required
@require_POST
def meeting_close(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    closed = call_service(request, services.close_meeting, success=_("The meeting is closed."), meeting=meeting)
    return _to_meeting(meeting if closed is REFUSED else closed)


@login_required
@require_POST
def meeting_cancel(request, slug, pk):
    meeting = _managed_meeting(request, slug, pk)
    cancelled = call_service(
        request,
        services.cancel_meeting,
        success=_("The meeting is cancelled and the invitees are told."),
        meeting=meeting,
        reason=request.POST.get("reason", ""),
    )
    return _to_meeting(meeting if cancelled is REFUSED else cancelled)


# Minutes ----------------------------------------------------------------------------------------------------


@login_required
def minutes_edit(request, slug, pk):
    meeting = _meeting(request, slug, pk)
    if not permissions.can_edit_minutes(request.user, meeting):
        raise Http404
    minutes = _minutes_of(meeting)
    locked = bool(minutes and minutes.is_locked)
    initial = {"body": minutes.body if minutes else "", "loaded": fingerprint(minutes, ("revision",))}
    form = MinutesForm(request.POST or None, initial=initial)
    saved = call_with_form(request, form, services.save_minutes, meeting=meeting)
    if saved is not REFUSED:
        messages.success(request, _("Revision %(number)s of the minutes is saved.") % {"number": saved.revision})
        return _to_meeting(meeting, "minutes")
    revisions = list(minutes.revisions.select_related("saved_by")) if minutes else []
    context = workspace_context(
        meeting.workspace,
        meeting=meeting,
        minutes=minutes,
        locked=locked,
        form=form,
        revisions=revisions,
        page_title=_("Minutes"),
    )
    return render(request, "councils/workspace/meetings/minutes_form.html", context)


@login_required
@require_POST
def minutes_circulate(request, slug, pk):
    minutes = _minutes(request, slug, pk)
    if not permissions.can_edit_minutes(request.user, minutes.meeting):
        raise Http404
    call_service(
        request, services.circulate_minutes, success=_("The minutes are circulated to the invitees."), minutes=minutes
    )
    return _to_meeting(minutes.meeting, "minutes")


@login_required
def minutes_approve(request, slug, pk):
    minutes = _minutes(request, slug, pk)
    earlier = minutes.meeting
    if not permissions.can_convene_meeting(request.user, earlier.workspace):
        raise Http404
    candidates = Meeting.objects.filter(
        **Workspace.of(earlier).filter(), state=MeetingState.IN_PROGRESS, starts_at__gt=earlier.starts_at
    )
    form = ApproveMinutesForm(request.POST or None, meetings=candidates)
    success = _("The minutes are approved and now locked.")
    if call_with_form(request, form, services.approve_minutes, success=success, minutes=minutes) is not REFUSED:
        return _to_meeting(earlier, "minutes")
    context = workspace_context(
        earlier.workspace, meeting=earlier, minutes=minutes, form=form, page_title=_("Approve the minutes")
    )
    return render(request, "councils/workspace/meetings/minutes_approve.html", context)


urlpatterns = [
    *workspace_paths("meetings/", meeting_list, "meetings"),
    *workspace_paths("meetings/new/", meeting_new, "meeting_new"),
    path("<slug:slug>/meetings/<int:pk>/", meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("<slug:slug>/meetings/<int:pk>/rsvp/", meeting_rsvp, name="meeting_rsvp"),
    path("<slug:slug>/meetings/<int:pk>/invite/", meeting_invite, name="meeting_invite"),
    path("<slug:slug>/meetings/<int:pk>/agenda/add/", agenda_add, name="meeting_agenda_add"),
    path("<slug:slug>/agenda/<int:pk>/remove/", agenda_remove, name="meeting_agenda_remove"),
    path("<slug:slug>/agenda/<int:pk>/move/", agenda_move, name="meeting_agenda_move"),
    path("<slug:slug>/meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("<slug:slug>/meetings/<int:pk>/open/", meeting_open, name="meeting_open"),
    path("<slug:slug>/meetings/<int:pk>/close/", meeting_close, name="meeting_close"),
    path("<slug:slug>/meetings/<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/meetings/<int:pk>/minutes/", minutes_edit, name="minutes_edit"),
    path("<slug:slug>/minutes/<int:pk>/circulate/", minutes_circulate, name="minutes_circulate"),
    path("<slug:slug>/minutes/<int:pk>/approve/", minutes_approve, name="minutes_approve"),
]
