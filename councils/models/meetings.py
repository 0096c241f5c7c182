"""Meetings of a workspace: agenda, invitations and attendance, action items."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from portal.lifecycle import button, rule

from .workspace import WorkspaceScoped

# Who may take the transitions below (councils/permissions.py), named once.
RUNS_THE_MEETING = rule("councils.permissions.can_manage_meeting")
UPDATES_THE_ITEM = rule("councils.permissions.can_update_action_item")
ASSIGNS_THE_ITEM = rule("councils.permissions.can_reassign_action_item")


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", pgettext_lazy("meeting state", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(FSMModelMixin, WorkspaceScoped):
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    notes = models.TextField(_("notes for participants"), blank=True)
    state = FSMField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.SCHEDULED, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("convened by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    # The quorum check at opening, against the charter in force (see services.meetings.open_meeting).
    voting_member_count = models.PositiveIntegerField(_("voting members"), null=True, blank=True)
    present_voting_count = models.PositiveIntegerField(
        _("voting members present or represented"), null=True, blank=True
    )
    required_count = models.PositiveIntegerField(_("presence the quorum needs"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["council", "committee", "starts_at"], name="councils_meeting_workspace")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="councils_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.item_url("meeting")

    # The lifecycle: scheduled → in progress → closed, or scheduled → cancelled; run by who convenes the
    # workspace's meetings (see docs/conventions.md, "Lifecycles"). Cancelling takes a reason, so its form sits
    # on the meeting page rather than among the buttons.
    STATE_TONES = {MeetingState.IN_PROGRESS: "good", MeetingState.CANCELLED: "bad"}

    @transition(
        field=state,
        source=MeetingState.SCHEDULED,
        target=MeetingState.IN_PROGRESS,
        permission=RUNS_THE_MEETING,
        custom=button(_("Open the meeting"), "councils:meeting_open", "primary"),
    )
    def open(self):
        self.opened_at = timezone.now()

    @transition(
        field=state,
        source=MeetingState.IN_PROGRESS,
        target=MeetingState.CLOSED,
        permission=RUNS_THE_MEETING,
        custom=button(_("Close the meeting"), "councils:meeting_close", "primary"),
    )
    def close(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=MeetingState.SCHEDULED, target=MeetingState.CANCELLED, permission=RUNS_THE_MEETING)
    def cancel(self, reason):
        self.cancel_reason = reason

    # What pages ask about the state, named for what it means.
    @property
    def is_scheduled(self) -> bool:
        return self.state == MeetingState.SCHEDULED

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def has_opened(self) -> bool:
        """In progress or closed: it has minutes to write."""
        return self.state in (MeetingState.IN_PROGRESS, MeetingState.CLOSED)

    @property
    def is_under_way(self) -> bool:
        return self.state == MeetingState.IN_PROGRESS

    @property
    def takes_changes(self) -> bool:
        """Agenda, guests and attendance change until the meeting closes (or is cancelled)."""
        return self.state in (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # An item may carry a motion to vote on, or the minutes of an earlier meeting to approve.
    motion = models.ForeignKey(
        "Motion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("motion"),
    )
    minutes = models.ForeignKey(
        "Minutes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("minutes to approve"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.title}"


class RSVP(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ATTENDING = "attending", _("Will attend")
    DECLINED = "declined", _("Will not attend")


class Attendance(models.TextChoices):
    UNRECORDED = "unrecorded", _("Not recorded")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")
    PROXY = "proxy", _("Represented by proxy")


class Invitation(models.Model):
    """An invitation to a meeting, the invitee's answer, and the attendance taken at the meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("invitee"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    has_vote = models.BooleanField(_("voting right"), default=False, help_text=_("As it stood when invited."))
    rsvp = models.CharField(_("answer"), max_length=20, choices=RSVP.choices, default=RSVP.PENDING)
    rsvp_note = models.CharField(_("note"), max_length=300, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNRECORDED
    )
    proxy_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proxy given to"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "-has_vote", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                name="councils_invitation_unique",
                violation_error_message=_("This person is already invited."),
            ),
            models.CheckConstraint(
                condition=(models.Q(attendance="proxy") & models.Q(proxy_holder__isnull=False))
                | (~models.Q(attendance="proxy") & models.Q(proxy_holder__isnull=True)),
                name="councils_invitation_proxy_has_holder",
                violation_error_message=_("A proxy names who holds it, and only a proxy does."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.meeting}"

    @property
    def is_pending(self) -> bool:
        """Not answered yet."""
        return self.rsvp == RSVP.PENDING


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(FSMModelMixin, WorkspaceScoped):
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_action_items", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status"], name="councils_action_owner_status")]

    def __str__(self):
        return self.title

    # The lifecycle: its owner (or whoever assigns action items) marks it done; only who assigns them cancels or
    # reopens one.
    STATE_TONES = {ActionItemStatus.DONE: "good", ActionItemStatus.CANCELLED: "bad"}

    @transition(
        field=status,
        source=ActionItemStatus.OPEN,
        target=ActionItemStatus.DONE,
        permission=UPDATES_THE_ITEM,
        custom=button(_("Mark done")),
    )
    def complete(self):
        self.completed_at = timezone.now()

    @transition(
        field=status,
        source=[ActionItemStatus.OPEN, ActionItemStatus.DONE],
        target=ActionItemStatus.CANCELLED,
        permission=ASSIGNS_THE_ITEM,
    )
    def cancel(self):
        self.completed_at = None

    @transition(
        field=status,
        source=[ActionItemStatus.DONE, ActionItemStatus.CANCELLED],
        target=ActionItemStatus.OPEN,
        permission=ASSIGNS_THE_ITEM,
    )
    def reopen(self):
        self.completed_at = None

    @property
    def is_open(self) -> bool:
        return self.status == ActionItemStatus.OPEN
