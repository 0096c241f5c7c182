"""What every workspace item shares: the workspace it belongs to, and the verbs of its activity stream (lines
in portal.history, scoped to the workspace)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .core import Committee, Council


class WorkspaceScoped(models.Model):
    """Belongs to one workspace: the council's plenary workspace (``committee`` empty) or one committee's.

    ``council`` is always set, also for a committee's items, so that every object URL can be checked against
    the council slug in its path and lists filter on one column.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+", verbose_name=_("council"))
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
        help_text=_("Empty for the council's plenary workspace."),
    )

    class Meta:
        abstract = True

    @property
    def workspace(self):
        """The committee, or the council for the plenary workspace."""
        return self.committee if self.committee_id else self.council

    def transition_url_kwargs(self) -> dict:
        """Keyword arguments of the item's own URLs (``<slug>/<route>/<pk>/``), the views that take its
        transitions among them (portal.lifecycle.Action)."""
        return {"slug": self.council.slug, "pk": self.pk}

    def item_url(self, name) -> str:
        """Reverse one of the item's own URLs, e.g. ``item_url("meeting_edit")``."""
        return reverse(f"councils:{name}", kwargs=self.transition_url_kwargs())

    def set_workspace(self, workspace):
        """Put the item in ``workspace`` (a Council, a Committee or a Workspace)."""
        from ..workspace import Workspace  # the workspace module reads these models

        Workspace.of(workspace).place(self)

    def clean(self):
        super().clean()
        if self.committee_id and self.council_id and self.committee.council_id != self.council_id:
            raise ValidationError(_("The committee belongs to another council."))


class ActivityVerb(models.TextChoices):
    UPLOADED_DOCUMENT = "uploaded_document", _("uploaded a document")
    UPLOADED_VERSION = "uploaded_version", _("uploaded a new version")
    STARTED_THREAD = "started_thread", _("started a discussion")
    REPLIED = "replied", _("replied in a discussion")
    SCHEDULED_MEETING = "scheduled_meeting", _("scheduled a meeting")
    OPENED_MEETING = "opened_meeting", _("opened a meeting")
    CLOSED_MEETING = "closed_meeting", _("closed a meeting")
    CANCELLED_MEETING = "cancelled_meeting", _("cancelled a meeting")
    CIRCULATED_MINUTES = "circulated_minutes", _("circulated minutes")
    APPROVED_MINUTES = "approved_minutes", _("approved minutes")
    ADDED_ACTION_ITEM = "added_action_item", _("assigned an action item")
    COMPLETED_ACTION_ITEM = "completed_action_item", _("completed an action item")
    SUBMITTED_MOTION = "submitted_motion", _("submitted a motion")
    SCHEDULED_MOTION = "scheduled_motion", _("put a motion on the agenda")
    OPENED_MOTION_VOTE = "opened_motion_vote", _("opened a vote on a motion")
    ADOPTED_MOTION = "adopted_motion", _("recorded an adopted motion")
    REJECTED_MOTION = "rejected_motion", _("recorded a rejected motion")
    WITHDREW_MOTION = "withdrew_motion", _("withdrew a motion")
    OPENED_FEEDBACK = "opened_feedback", _("opened a policy feedback campaign")
    CLOSED_FEEDBACK = "closed_feedback", _("closed a policy feedback campaign")
    DRAFTED_OPINION = "drafted_opinion", _("drafted an opinion")
    ISSUED_OPINION = "issued_opinion", _("issued an opinion")
