"""The minutes of a meeting and each saved revision of their text."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal.lifecycle import button, rule

from .meetings import Meeting

# Who may take the transitions below (councils/permissions.py), named once.
EDITS_THE_MINUTES = rule("councils.permissions.can_circulate_minutes")
APPROVES_THE_MINUTES = rule("councils.permissions.can_approve_minutes")


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comment")
    APPROVED = "approved", _("Approved")


class Minutes(FSMModelMixin, models.Model):
    """The minutes of a meeting: drafted by the secretariat, circulated, approved at a later meeting, then locked."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting"))
    body = models.TextField(_("text"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    state = FSMField(
        _("state"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT, protected=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at meeting"),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return _("Minutes of %(meeting)s") % {"meeting": self.meeting}

    def transition_url_kwargs(self) -> dict:
        """Keyword arguments of the views that take the minutes' transitions (portal.lifecycle.Action)."""
        return {"slug": self.meeting.council.slug, "pk": self.pk}

    # The lifecycle: the secretariat drafts and circulates; a later meeting, convened by who convenes the
    # workspace's meetings, approves them, and approved minutes are locked.
    STATE_TONES = {MinutesState.DRAFT: "warn", MinutesState.APPROVED: "good"}

    @property
    def is_locked(self) -> bool:
        return self.state == MinutesState.APPROVED

    @property
    def is_draft(self) -> bool:
        return self.state == MinutesState.DRAFT

    @property
    def is_circulated(self) -> bool:
        return self.state == MinutesState.CIRCULATED

    @transition(
        field=state,
        source=MinutesState.DRAFT,
        target=MinutesState.CIRCULATED,
        permission=EDITS_THE_MINUTES,
        custom=button(_("Circulate to the invitees"), "councils:minutes_circulate", "primary"),
    )
    def circulate(self):
        self.circulated_at = timezone.now()

    @transition(
        field=state,
        source=MinutesState.CIRCULATED,
        target=MinutesState.APPROVED,
        permission=APPROVES_THE_MINUTES,
    )
    def approve(self, at_meeting):
        self.approved_at = timezone.now()
        self.approved_at_meeting = at_meeting


class MinutesRevision(models.Model):
    """Each saved text of the minutes, so that what was circulated and what was approved can be read later."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("minutes"))
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("text"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["minutes", "-number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="councils_minutes_revision_unique")]

    def __str__(self):
        return f"{self.minutes} r{self.number}"
