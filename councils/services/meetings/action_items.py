"""Services: action items — tasks given to someone who can open the workspace, done by them, cancelled or
reopened by whoever assigns them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.text import fmt

from ... import permissions
from ...models import ActionItem, ActionItemStatus, ActivityVerb
from ...people import person_label
from ...workspace import Workspace
from ..common import checked_text
from .common import same_workspace


@transaction.atomic
def add_action_item(*, actor, workspace, title, owner, due_on=None, meeting=None):
    """A task for someone who can open the workspace; they are told."""
    if not permissions.can_assign_action_items(actor, workspace):
        raise PermissionDenied
    errors = {}
    required = {"title": _("Say what is to be done.")}
    title = checked_text(ActionItem, {"title": title}, errors, required=required)["title"]
    if owner is None:
        errors["owner"] = _("Choose who will do it.")
    elif not permissions.can_open_workspace(owner, workspace):
        errors["owner"] = _("The owner must be someone who can open this workspace.")
    if due_on is not None and due_on < permissions.today():
        errors["due_on"] = _("The due date cannot be in the past.")
    place = Workspace.of(workspace)
    item = ActionItem(title=title, owner=owner, due_on=due_on, meeting=meeting, created_by=actor)
    place.place(item)
    if meeting is not None and not same_workspace(meeting, item):
        errors["meeting"] = _("The meeting belongs to another workspace.")
    if errors:
        raise ValidationError(errors)
    item.save()
    url = place.url("action_items")
    record(
        "councils.add_action_item",
        actor=actor,
        instance=item,
        data={
            "title": title,
            "owner": owner.pk,
            "due_on": due_on.isoformat() if due_on else None,
            "meeting": meeting.pk if meeting else None,
        },
        line=Line(place.body, ActivityVerb.ADDED_ACTION_ITEM, title, url),
        tell=Tell(
            [owner] if owner.pk != actor.pk else [],
            title=fmt(_("Action item for you: %(title)s"), title=title),
            body=fmt(_("Due: %(date)s"), date=due_on.isoformat()) if due_on else "",
            url=url,
        ),
    )
    return item


# The status a person picks → the ActionItem transition that reaches it.
TRANSITION_TO = {
    ActionItemStatus.DONE: "complete",
    ActionItemStatus.CANCELLED: "cancel",
    ActionItemStatus.OPEN: "reopen",
}


@transaction.atomic
def set_action_item_status(*, actor, item, status):
    """Its owner marks it done; whoever assigns action items may also cancel or reopen it."""
    if not permissions.can_update_action_item(actor, item):
        raise PermissionDenied
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    transition = TRANSITION_TO.get(status)
    if transition is None:
        raise ValidationError({"status": _("Choose a status.")}, code="invalid")
    if status == item.status:
        raise ValidationError(_("The action item already has this status."), code="unchanged")
    workspace = item.workspace
    if not lifecycle.allowed(item, transition, actor):  # the owner may only mark it done
        raise ValidationError(_("Only whoever assigns action items can cancel or reopen one."), code="assigner")
    before = item.status
    lifecycle.take(item, transition, actor)
    item.save(update_fields=["status", "completed_at"])
    url = Workspace.of(workspace).url("action_items")
    done = status == ActionItemStatus.DONE
    record(
        "councils.set_action_item_status",
        actor=actor,
        instance=item,
        data={"title": item.title, "before": before, "after": status},
        line=Line(workspace, ActivityVerb.COMPLETED_ACTION_ITEM, item.title, url) if done else None,
        tell=Tell(
            [item.created_by] if item.created_by_id != actor.pk else [],
            title=fmt(_("Action item done: %(title)s"), title=item.title),
            body=fmt(_("%(name)s marked it done."), name=person_label(actor, workspace)),
            url=url,
        )
        if done
        else None,
    )
    return item
