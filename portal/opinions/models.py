"""Formal opinions (专业评价意见 / 评审意见 / 投资决策意见): numbering, approval, PDF, verification."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from portal.files.storage import private_storage
from portal.i18n import Localized
from portal.lifecycle import rule

# Crockford-style alphabet: no 0/O, 1/I/L, U, so a code read aloud or typed from paper survives.
VERIFICATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_LENGTH = 8


def new_verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))


def normalize_verification_code(code: str) -> str:
    """Upper-case, without the spaces and hyphens people type; formatted codes read XXXX-XXXX."""
    return "".join(char for char in (code or "").upper() if char.isalnum())


class Issuer(models.Model):
    """A body that issues opinions: a council, a committee, the investment committee, the talent panel."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    number_prefix = models.CharField(
        _("document number prefix"),
        max_length=20,
        unique=True,
        help_text=_("The part before 〔year〕, e.g. 坪生医共治 gives 坪生医共治〔2026〕3号."),
    )
    addressee_default = models.CharField(_("usual addressee"), max_length=120, blank=True)
    signatory_lines = models.TextField(_("signature block"), blank=True, help_text=_("One line per line."))
    # The body behind the issuer (a council, a committee …). Its MANAGE holders in portal.authority edit, issue
    # and revoke the opinions; its SIGN holders are the only people who may sign them off.
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner_id = models.CharField(max_length=64, null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")

    def format_number(self, year: int, sequence: int) -> str:
        return f"{self.number_prefix}〔{year}〕{sequence}号"


class DocumentCounter(models.Model):
    """The last number issued per issuer and year; its row is locked while a number is taken."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="opinions_one_counter_per_year")]

    def __str__(self):
        return f"{self.issuer.number_prefix} {self.year}: {self.last_number}"


class OpinionKind(models.TextChoices):
    EVALUATION = "evaluation", _("Professional evaluation opinion")
    REVIEW = "review", _("Review opinion")
    INVESTMENT_DECISION = "investment_decision", _("Investment decision opinion")
    POLICY_FEEDBACK = "policy_feedback", _("Policy feedback opinion")
    DECISION_LETTER = "decision_letter", _("Decision letter")
    FILING_FORM = "filing_form", _("Filing form")


class OpinionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class ApprovalMode(models.TextChoices):
    SIGN_OFF = "sign_off", _("Ordered sign-off")
    POLL = "poll", _("Vote")


def opinion_pdf_path(opinion, filename):
    return f"opinions/{opinion.issued_at:%Y}/{opinion.verification_code}.pdf"


class Opinion(FSMModelMixin, models.Model):
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("issuer"))
    kind = models.CharField(_("kind"), max_length=30, choices=OpinionKind.choices, default=OpinionKind.EVALUATION)
    title = models.CharField(_("title"), max_length=120)
    addressee = models.CharField(_("addressee"), max_length=120, blank=True)
    body = models.TextField(_("body"), help_text=_("Sanitized HTML."))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Issued public opinions are listed on public pages.")
    )
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_id = models.CharField(max_length=64, null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    state = FSMField(_("state"), default=OpinionState.DRAFT, choices=OpinionState.choices, protected=True)
    approval_mode = models.CharField(
        _("approval"), max_length=20, choices=ApprovalMode.choices, default=ApprovalMode.SIGN_OFF
    )
    # Set when approval_mode is a vote: the closed, passed poll about this opinion.
    approval_poll = models.ForeignKey(
        "voting.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("vote")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Set once, when issued; never changed afterwards.
    number = models.CharField(_("document number"), max_length=60, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True, null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=opinion_pdf_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    rendering_requested_at = models.DateTimeField(null=True, blank=True)
    render_error = models.TextField(_("rendering error"), blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "sequence"], name="opinions_unique_sequence"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("opinions:detail", kwargs={"pk": self.pk})

    @property
    def formatted_code(self):
        code = self.verification_code or ""
        return f"{code[:4]}-{code[4:]}" if len(code) == VERIFICATION_LENGTH else code

    STATE_TONES = {
        OpinionState.IN_REVIEW: "warn",
        OpinionState.APPROVED: "good",
        OpinionState.ISSUED: "good",
        OpinionState.REVOKED: "bad",
    }

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def is_draft(self):
        return self.state == OpinionState.DRAFT

    @property
    def is_revoked(self):
        return self.state == OpinionState.REVOKED

    @property
    def has_been_issued(self):
        """Issued, and maybe revoked since: it has a number, a file and a public verification page."""
        return self.state in (OpinionState.ISSUED, OpinionState.REVOKED)

    @property
    def is_rendering(self):
        return self.state == OpinionState.APPROVED and self.rendering_requested_at is not None and not self.render_error

    @property
    def issue_failed(self):
        """The last attempt to number and render it failed; it stays approved and may be tried again."""
        return self.state == OpinionState.APPROVED and bool(self.render_error)

    def approval_complete(self):
        """Everyone in the sign-off list has signed, or the vote that approves it has closed and passed."""
        if self.approval_mode == ApprovalMode.POLL:
            poll = self.approval_poll
            return bool(poll is not None and poll.is_closed and poll.passed)
        decisions = set(self.sign_offs.values_list("decision", flat=True))
        return bool(decisions) and decisions == {SignOffDecision.APPROVED}

    # The lifecycle: services take these with portal.lifecycle.take(); who may is asked of permissions.py.
    @transition(
        field=state,
        source=OpinionState.DRAFT,
        target=OpinionState.IN_REVIEW,
        permission=rule("portal.opinions.permissions.can_manage"),
        custom={"label": _("Send for sign-off"), "view": "opinions:submit", "style": "primary"},
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=OpinionState.IN_REVIEW,
        target=OpinionState.DRAFT,
        permission=rule("portal.opinions.permissions.is_next_signatory"),
    )
    def return_to_draft(self):
        pass

    # Taken as the consequence of the last sign-off or of a passed vote, whoever's act that was.
    @transition(
        field=state, source=OpinionState.IN_REVIEW, target=OpinionState.APPROVED, conditions=[approval_complete]
    )
    def approve(self):
        pass

    # Requested by an editor; taken by the background task that numbers, renders and stores it.
    @transition(
        field=state,
        source=OpinionState.APPROVED,
        target=OpinionState.ISSUED,
        permission=rule("portal.opinions.permissions.can_manage"),
    )
    def issue(self):
        pass

    @transition(
        field=state,
        source=OpinionState.ISSUED,
        target=OpinionState.REVOKED,
        permission=rule("portal.opinions.permissions.can_manage"),
    )
    def revoke(self):
        pass


class SignOffDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class SignOff(models.Model):
    """One signatory in the ordered approval list of an opinion."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="sign_offs")
    position = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=SignOffDecision.choices, default=SignOffDecision.PENDING)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opinion", "position"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "position"], name="opinions_signoff_position_unique"),
            models.UniqueConstraint(fields=["opinion", "user"], name="opinions_signoff_user_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.user} ({self.get_decision_display()})"
