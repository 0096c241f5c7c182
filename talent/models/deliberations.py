"""人才工作会议集体商议 (talent work meeting deliberation): a meeting of the district's talent work meeting with several
special-talent applications on its agenda, its members' attendance and quorum, a vote per application through
``portal.voting`` (members with a conflict recused), and minutes.

The meeting is convened by the programme's officers (they hold MANAGE over the programme, so they run its polls);
its members vote themselves, on the poll's own page. Closing an item's poll decides the application: passed → public
notice; failed → rejected (talent/services/deliberations.py).
"""

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal.i18n import Localized
from portal.lifecycle import button, guard, rule

OF_AN_OFFICER = rule("talent.permissions.runs_deliberation")


class DeliberationState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_SESSION = "in_session", _("In session")
    CLOSED = "closed", _("Closed")


def _has_agenda(meeting) -> bool:
    return meeting.items.exists()


def _quorum_met(meeting) -> bool:
    return meeting.quorum_met


def _votes_closed(meeting) -> bool:
    return not meeting.items.filter(poll__isnull=False, passed__isnull=True).exists()


class Deliberation(ConcurrentTransitionMixin, models.Model):
    programme = models.ForeignKey(
        "talent.Programme", on_delete=models.PROTECT, related_name="deliberations", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="talent_deliberations",
        verbose_name=_("members with a vote"),
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("members present")
    )
    # The share of members who must be present for the meeting to decide (portal.voting's quorum, per poll too).
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    state = FSMField(
        _("state"),
        max_length=20,
        choices=DeliberationState.choices,
        default=DeliberationState.SCHEDULED,
        protected=True,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("convened by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("talent work meeting")
        verbose_name_plural = _("talent work meetings")
        ordering = ["-starts_at", "-pk"]

    STATE_TONES = {DeliberationState.IN_SESSION: "good"}

    def __str__(self):
        return self.title

    display_title = Localized("title", "title_en")

    def get_absolute_url(self):
        return reverse("talent:deliberation", args=[self.pk])

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)

    @property
    def quorum_met(self) -> bool:
        members = self.members.count()
        return bool(members and Fraction(self.present.count(), members) >= self.quorum)

    @transition(
        field=state,
        source=DeliberationState.SCHEDULED,
        target=DeliberationState.IN_SESSION,
        permission=OF_AN_OFFICER,
        conditions=[
            guard(_("Put at least one application on the agenda first."))(_has_agenda),
            guard(_("Not enough members are present for the quorum."))(_quorum_met),
        ],
        custom=button(_("Open the session: start the votes"), "talent:deliberation_open", "primary"),
    )
    def open_session(self):
        pass

    @transition(
        field=state,
        source=DeliberationState.IN_SESSION,
        target=DeliberationState.CLOSED,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("Close every vote on the agenda first."))(_votes_closed)],
        custom=button(_("Close the meeting"), "talent:deliberation_close", "primary"),
    )
    def close(self):
        pass


class DeliberationItem(models.Model):
    """One application on a meeting's agenda, its vote and the result the vote gave."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="items", verbose_name=_("talent work meeting")
    )
    application = models.ForeignKey(
        "talent.SpecialTalentApplication",
        on_delete=models.PROTECT,
        related_name="deliberation_items",
        verbose_name=_("application"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    recused = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("members recused")
    )
    poll = models.OneToOneField(
        "voting.Poll",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_deliberation_item",
        verbose_name=_("vote"),
    )
    # None until the vote closed; then whether it carried (quorum and majority, portal.voting.tally).
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "application"], name="talent_deliberation_item_unique")
        ]

    def __str__(self):
        return f"{self.deliberation} · {self.application}"
