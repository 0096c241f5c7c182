"""Workspace section: action items (assigned at or outside a meeting, marked done by their owner). Thin views:
who may do what is in permissions.py, changes in services/meetings."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_in_place, call_with_form, tell

from .. import permissions
from ..forms.meetings import ActionItemForm, ActionItemStatusForm
from ..models import ActionItem, ActionItemStatus, Meeting, MeetingState
from ..services import meetings as services
from ..services import workspace_recipients
from ..workspace import Workspace
from .common import object_or_404, workspace_context, workspace_or_404, workspace_paths, workspace_url

STATUS_ORDER = {ActionItemStatus.OPEN: 0, ActionItemStatus.DONE: 1, ActionItemStatus.CANCELLED: 2}


def mark_action_items(items, user, can_assign):
    """What the user may do with each item, for its row (the meeting page lists them too)."""
    for item in items:
        item.can_update = can_assign or item.owner_id == user.pk
        item.can_assign = can_assign
        item.status_choices = ActionItemStatus.choices
    return items


@login_required
def action_item_list(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    user = request.user
    can_assign = permissions.can_assign_action_items(user, workspace)
    items = list(ActionItem.objects.filter(**Workspace.of(workspace).filter()).select_related("owner", "meeting"))
    items.sort(
        key=lambda item: (
            item.owner_id != user.pk,
            STATUS_ORDER.get(item.status, 9),
            item.due_on is None,
            item.due_on or 0,
            item.pk,
        )
    )
    context = workspace_context(
        workspace, items=mark_action_items(items, user, can_assign), can_assign=can_assign, page_title=_("Action items")
    )
    return render(request, "councils/workspace/meetings/action_items.html", context)


@login_required
def action_item_new(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_assign_action_items(request.user, workspace):
        raise Http404
    meetings = Meeting.objects.filter(**Workspace.of(workspace).filter()).exclude(state=MeetingState.CANCELLED)
    initial = {}
    if (meeting_pk := request.GET.get("meeting", "")).isdigit():
        initial["meeting"] = meetings.filter(pk=meeting_pk).first()
    form = ActionItemForm(
        request.POST or None, initial=initial, owners=workspace_recipients(workspace), meetings=meetings
    )
    success = _("The action item is assigned.")
    if call_with_form(request, form, services.add_action_item, success=success, workspace=workspace) is not REFUSED:
        return redirect(workspace_url(workspace, "action_items"))
    context = workspace_context(
        workspace, form=form, back_url=workspace_url(workspace, "action_items"), page_title=_("Assign an action item")
    )
    return render(request, "councils/workspace/meetings/form.html", context)


@login_required
@require_POST
def action_item_status(request, slug, pk):
    item = object_or_404(
        ActionItem.objects.select_related("owner", "meeting"),
        request.user,
        slug,
        pk,
        can_see=permissions.can_update_action_item,
    )
    form = ActionItemStatusForm(request.POST)
    changed, errors = call_in_place(request, form, services.set_action_item_status, item=item)
    confirmation = ""
    if changed is not REFUSED:
        item, confirmation = changed, _("Status: %(status)s.") % {"status": changed.get_status_display()}
    elif form.errors:
        errors = [_("Choose a status.")]
    if request.htmx:
        item = ActionItem.objects.select_related("owner", "meeting", "council", "committee").get(pk=item.pk)
        mark_action_items([item], request.user, permissions.can_assign_action_items(request.user, item.workspace))
        context = workspace_context(item.workspace, item=item, item_errors=errors, item_confirmation=confirmation)
        return render(request, "councils/workspace/meetings/_action_item.html", context)
    tell(request, errors, confirmation)
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(workspace_url(item.workspace, "action_items"))


urlpatterns = [
    *workspace_paths("action-items/", action_item_list, "action_items"),
    *workspace_paths("action-items/new/", action_item_new, "action_item_new"),
    path("<slug:slug>/action-items/<int:pk>/status/", action_item_status, name="action_item_status"),
]
