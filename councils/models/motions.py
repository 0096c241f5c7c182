"""Motions (议案): proposals put to the members' vote, and their resolution."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal.lifecycle import rule

from .meetings import Meeting
from .workspace import WorkspaceScoped

# Who may take the transitions below (councils/permissions.py), named once.
PROPOSER = rule("councils.permissions.is_motion_proposer")
CONVENER = rule("councils.permissions.can_manage_motion")
VOTE_HOLDER = rule("councils.permissions.can_open_motion_vote")


class MotionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ON_AGENDA = "on_agenda", _("On a meeting agenda")
    VOTING = "voting", _("Being voted on")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Motion(FSMModelMixin, WorkspaceScoped):
    """A proposal put to the members' vote (议案). Its result is recorded as a resolution."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposed resolution"))
    rationale = models.TextField(_("reasons"), blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_motions", verbose_name=_("proposer")
    )
    state = FSMField(_("state"), max_length=20, choices=MotionState.choices, default=MotionState.DRAFT, protected=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motions",
        verbose_name=_("meeting"),
    )
    is_written_vote = models.BooleanField(_("written vote"), default=False)
    poll = models.OneToOneField(
        "voting.Poll", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vote")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True, help_text=_("The result as recorded."))
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["council", "committee", "state"], name="councils_motion_workspace")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.item_url("motion")

    # The lifecycle (see docs/conventions.md, "Lifecycles"): the proposer submits a draft or withdraws it until
    # the vote opens; the convener puts it on an agenda and opens the vote; the closed poll's tally adopts or
    # rejects it (no person takes those two: the voting service does, when the vote closes).
    STATE_TONES = {
        MotionState.VOTING: "warn",
        MotionState.ADOPTED: "good",
        MotionState.REJECTED: "bad",
    }

    @transition(field=state, source=MotionState.DRAFT, target=MotionState.SUBMITTED, permission=PROPOSER)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=MotionState.SUBMITTED, target=MotionState.ON_AGENDA, permission=CONVENER)
    def schedule(self, meeting):
        self.meeting = meeting

    @transition(field=state, source=MotionState.ON_AGENDA, target=MotionState.SUBMITTED, permission=CONVENER)
    def unschedule(self):
        self.meeting = None

    @transition(
        field=state,
        source=[MotionState.SUBMITTED, MotionState.ON_AGENDA],
        target=MotionState.VOTING,
        permission=VOTE_HOLDER,
    )
    def start_vote(self, poll, written):
        self.poll = poll
        self.is_written_vote = written

    @transition(field=state, source=MotionState.VOTING, target=MotionState.ADOPTED)
    def adopt(self, resolution):
        self.decided_at = timezone.now()
        self.resolution = resolution

    @transition(field=state, source=MotionState.VOTING, target=MotionState.REJECTED)
    def reject(self, resolution):
        self.decided_at = timezone.now()
        self.resolution = resolution

    @transition(
        field=state,
        source=[MotionState.DRAFT, MotionState.SUBMITTED, MotionState.ON_AGENDA],
        target=MotionState.WITHDRAWN,
        permission=PROPOSER,
    )
    def withdraw(self, reason):
        self.withdrawn_reason = reason
        self.meeting = None

    @property
    def is_draft(self) -> bool:
        return self.state == MotionState.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.state == MotionState.WITHDRAWN

    @property
    def is_being_voted(self) -> bool:
        return self.state == MotionState.VOTING

    @property
    def is_on_agenda(self) -> bool:
        return self.state == MotionState.ON_AGENDA
