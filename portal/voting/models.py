"""Polls and ballots. State changes happen only in ``services.py``.

A ``Poll`` is about a subject (any model: a motion, a deal, a talent application) through a content type
and object id. It goes draft → open → closed. Opening snapshots the electorate into ``ElectorateEntry`` rows,
one per member with a vote; later changes of membership do not change who may vote in this poll.

How ballots are stored depends on whether the poll is named or secret:

* **Named** polls store one ``Ballot(entry, choice, cast_at)`` per electorate entry.
* **Secret** polls store *that* someone voted and *what* was voted in two places that cannot be joined:
  ``VoteRecord(poll, entry)`` says who has voted (and stops them voting twice), and
  ``SecretBallotCount(poll, choice, count)`` holds one running counter per choice. See the docstring of
  ``SecretBallotCount`` for why counters and not one row per secret ballot.
"""

import uuid
from fractions import Fraction

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from portal.lifecycle import rule

from . import tally as arithmetic


class PollState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")


class Majority(models.TextChoices):
    SIMPLE = arithmetic.Majority.SIMPLE.value, _("Simple majority (more than half)")
    TWO_THIRDS = arithmetic.Majority.TWO_THIRDS.value, _("Two-thirds majority")
    THREE_QUARTERS = arithmetic.Majority.THREE_QUARTERS.value, _("Three-quarters majority")
    UNANIMOUS = arithmetic.Majority.UNANIMOUS.value, _("Unanimity")


class Base(models.TextChoices):
    YES_NO = arithmetic.Base.YES_NO.value, _("yes and no votes (abstentions not counted)")
    YES_NO_ABSTAIN = arithmetic.Base.YES_NO_ABSTAIN.value, _("all ballots cast, abstentions included")
    PRESENT = arithmetic.Base.PRESENT.value, _("members present")
    ELECTORATE = arithmetic.Base.ELECTORATE.value, _("the whole electorate")


class Choice(models.TextChoices):
    # In context, so that Chinese can say 赞成 / 反对 / 弃权 rather than the generic 是 / 否.
    YES = "yes", pgettext_lazy("ballot choice", "Yes")
    NO = "no", pgettext_lazy("ballot choice", "No")
    ABSTAIN = "abstain", pgettext_lazy("ballot choice", "Abstain")


class Poll(FSMModelMixin, models.Model):
    uuid = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("subject type"))
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")

    majority = models.CharField(_("majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE)
    base = models.CharField(_("base"), max_length=20, choices=Base.choices, default=Base.YES_NO_ABSTAIN)
    # The quorum is a fraction of the electorate kept exactly (2/3 is not a decimal).
    quorum_numerator = models.PositiveIntegerField(_("quorum numerator"), default=1)
    quorum_denominator = models.PositiveIntegerField(_("quorum denominator"), default=2)
    secret = models.BooleanField(_("secret ballot"), default=False)
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        _("proxies one member may hold"), default=1, help_text=_("0 means that proxies are not allowed.")
    )
    opens_at = models.DateTimeField(_("planned opening"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("voting deadline"), null=True, blank=True, help_text=_("No ballot is accepted after this time.")
    )

    state = FSMField(_("state"), max_length=20, choices=PollState.choices, default=PollState.DRAFT, protected=True)
    # The body whose vote this is (a council, a committee, an investment committee …): its MANAGE holders in
    # portal.authority run the poll. Asked live, so a change of secretariat takes effect at once. Required by
    # create_poll; nullable only for polls made before owners existed, which nobody manages.
    owner_type = models.ForeignKey(
        ContentType, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner type")
    )
    owner_id = models.CharField(_("owner id"), max_length=64, null=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # The result, recorded by close_poll from tally().
    electorate_count = models.PositiveIntegerField(_("electorate size"), null=True, blank=True)
    present_count = models.PositiveIntegerField(_("members taking part"), null=True, blank=True)
    yes_count = models.PositiveIntegerField(_("yes votes"), null=True, blank=True)
    no_count = models.PositiveIntegerField(_("no votes"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    base_count = models.PositiveIntegerField(_("base size"), null=True, blank=True)
    required_present = models.PositiveIntegerField(_("presence required"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_denominator__gte=1, quorum_numerator__lte=models.F("quorum_denominator")),
                name="voting_poll_quorum_is_a_fraction",
            ),
        ]

    STATE_TONES = {PollState.OPEN: "good"}

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("voting:detail", args=[self.uuid])

    def transition_url_kwargs(self):
        return {"poll_uuid": self.uuid}

    def link(self):
        """The poll's address in the default language, for notifications and mail."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.get_absolute_url()

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)

    @property
    def is_draft(self) -> bool:
        return self.state == PollState.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == PollState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == PollState.CLOSED

    def deadline_passed(self, now=None) -> bool:
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def result(self) -> arithmetic.TallyResult | None:
        """The recorded result as a TallyResult (recomputed from the stored counts), once closed."""
        if not self.is_closed or self.yes_count is None:
            return None
        return arithmetic.tally(
            self.yes_count,
            self.no_count,
            self.abstain_count,
            electorate=self.electorate_count,
            present=self.present_count,
            majority=self.majority,
            base=self.base,
            quorum=self.quorum,
        )

    # The lifecycle: services take these with portal.lifecycle.take(); who may is asked of permissions.py.
    @transition(
        field=state,
        source=PollState.DRAFT,
        target=PollState.OPEN,
        permission=rule("portal.voting.permissions.can_manage_poll"),
    )
    def start_voting(self):
        self.opened_at = timezone.now()

    @transition(
        field=state,
        source=PollState.OPEN,
        target=PollState.CLOSED,
        permission=rule("portal.voting.permissions.can_manage_poll"),
        custom={"label": _("Close the vote and count"), "view": "voting:close"},
    )
    def finish_voting(self, result: arithmetic.TallyResult):
        self.closed_at = timezone.now()
        self.electorate_count = result.electorate
        self.present_count = result.present
        self.yes_count = result.yes
        self.no_count = result.no
        self.abstain_count = result.abstain
        self.base_count = result.base
        self.required_present = result.required_present
        self.quorum_met = result.quorum_met
        self.passed = result.passed


class ElectorateEntry(models.Model):
    """One member with a vote in one poll, as snapshotted when the poll opened.

    ``present`` says whether the member takes part in person. An absent member may have given a proxy:
    ``proxy_holder`` is then the present member who casts this entry's ballot. An absent member without a
    proxy does not vote. Recused members have no entry at all.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="entries", verbose_name=_("poll"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="poll_entries", verbose_name=_("member")
    )
    present = models.BooleanField(_("present"), default=True)
    proxy_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_proxies",
        verbose_name=_("proxy holder"),
    )

    class Meta:
        verbose_name = _("electorate entry")
        verbose_name_plural = _("electorate entries")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="voting_entry_one_per_member"),
            models.CheckConstraint(
                condition=models.Q(proxy_holder__isnull=True) | models.Q(present=False),
                name="voting_entry_proxy_only_when_absent",
            ),
            models.CheckConstraint(
                condition=~models.Q(proxy_holder=models.F("user")), name="voting_entry_no_proxy_to_self"
            ),
        ]
        indexes = [models.Index(fields=["poll", "proxy_holder"])]

    def __str__(self):
        return f"{self.poll} · {self.user}"

    @property
    def voter_id(self):
        """Whose hand casts this entry's ballot: the proxy holder if there is one, else the member."""
        return self.proxy_holder_id or self.user_id

    @property
    def represented(self) -> bool:
        """Takes part in the vote: present in person or through a proxy holder."""
        return self.present or self.proxy_holder_id is not None


class Ballot(models.Model):
    """A named ballot: whose it is (the entry) and what it says. Not used by secret polls."""

    entry = models.ForeignKey(
        ElectorateEntry, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("electorate entry")
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["entry"], name="voting_one_ballot_per_entry")]

    def __str__(self):
        return f"{self.entry} · {self.get_choice_display()}"


class VoteRecord(models.Model):
    """Secret polls: that this entry has voted, and nothing about how. One per entry."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="vote_records", verbose_name=_("poll"))
    entry = models.ForeignKey(
        ElectorateEntry, on_delete=models.CASCADE, related_name="vote_records", verbose_name=_("electorate entry")
    )

    class Meta:
        verbose_name = _("vote record")
        verbose_name_plural = _("vote records")
        constraints = [models.UniqueConstraint(fields=["entry"], name="voting_one_vote_record_per_entry")]

    def __str__(self):
        return str(self.entry)


class SecretBallotCount(models.Model):
    """Secret polls: how many ballots said ``choice``. Three rows per poll, created when it opens.

    Why counters and not one row per secret ballot (``SecretBallot(poll, choice)`` with a random UUID key):
    a row per ballot is written in the same transaction as the voter's ``VoteRecord`` and can be linked
    back to it without any foreign key — by insertion order (SQLite keeps a hidden increasing ``rowid``
    even when the primary key is a UUID; PostgreSQL's physical ``ctid`` order until the table is vacuumed)
    and, on PostgreSQL, exactly, by the ``xmin`` transaction id that both rows carry. A counter has no
    per-ballot row to link. Each cast updates **all three** counters of the poll in one statement (adding 1
    to the chosen one and 0 to the others), so the rows' versions and transaction ids are the same whatever
    was chosen. There is no voter, entry, timestamp or ordering column here.

    What still has to be kept from observers: running counts while the poll is open (two readings around
    one person's vote reveal it), so results of every poll are shown only after it closes; and the audit log
    records that someone cast a ballot, never the choice of a secret one.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="secret_counts", verbose_name=_("poll"))
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("secret ballot count")
        verbose_name_plural = _("secret ballot counts")
        constraints = [models.UniqueConstraint(fields=["poll", "choice"], name="voting_secret_count_per_choice")]

    def __str__(self):
        return f"{self.poll} · {self.get_choice_display()}"
