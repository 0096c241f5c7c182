"""Investment committee meetings: deals on the agenda, a poll per deal, the decision and its opinion."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from portal.lifecycle import button, rule

RUNS_THE_COMMITTEE = rule("funds.permissions.can_run_committee_meeting")


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", pgettext_lazy("meeting state", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


class CommitteeMeeting(FSMModelMixin, models.Model):
    """A meeting of a fund's investment committee (投决会)."""

    committee = models.ForeignKey(
        "funds.InvestmentCommittee",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("investment committee"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    state = FSMField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.SCHEDULED, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("convened by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("investment committee meeting")
        verbose_name_plural = _("investment committee meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funds:committee_meeting", kwargs=self.transition_url_kwargs())

    def transition_url_kwargs(self):
        return {"fund": self.committee.fund.slug, "pk": self.pk}

    STATE_TONES = {MeetingState.IN_PROGRESS: "good", MeetingState.CANCELLED: "bad"}

    @transition(
        field=state,
        source=MeetingState.SCHEDULED,
        target=MeetingState.IN_PROGRESS,
        permission=RUNS_THE_COMMITTEE,
        custom=button(_("Open the meeting"), "funds:committee_meeting_open", "primary"),
    )
    def open(self):
        pass

    @transition(
        field=state,
        source=MeetingState.IN_PROGRESS,
        target=MeetingState.CLOSED,
        permission=RUNS_THE_COMMITTEE,
        custom=button(_("Close the meeting"), "funds:committee_meeting_close", ""),
    )
    def close(self):
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=MeetingState.SCHEDULED,
        target=MeetingState.CANCELLED,
        permission=RUNS_THE_COMMITTEE,
    )
    def cancel(self):
        pass


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Investment approved")
    DECLINED = "declined", _("Investment declined")


class AgendaItem(models.Model):
    """A deal before an IC meeting: its review summary, the poll, and the decision that came out of it."""

    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    deal = models.ForeignKey(
        "funds.Deal", on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("deal")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    poll = models.OneToOneField(
        "voting.Poll", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vote")
    )
    recused = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("members who recused themselves"),
        help_text=_("Members with a conflict of interest in this deal; they do not vote on it."),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    opinion = models.OneToOneField(
        "opinions.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investment decision opinion"),
    )

    class Meta:
        verbose_name = _("IC agenda item")
        verbose_name_plural = _("IC agenda items")
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "deal"], name="funds_agendaitem_once_per_meeting")]

    def __str__(self):
        return f"{self.meeting} · {self.deal}"
