"""What every application in the portal shares (DESIGN.md, Shared engines: applications).

An ``Application`` of a registered kind (``kinds.py``) belongs to an owner (a fund, a call) and to the applicant;
its answers are a draft kept per step until it is submitted, when a ``Submission`` freezes what was sent with its
``Attachment``s. Officers (who hold MANAGE over the owner in ``portal.authority``) may ask for a supplement
(``SupplementRequest``, 补正) and keep ``InternalNote``s the applicant never sees. The applicant reads ``status``:
a code of the kind's ``statuses``, never an internal stage. State changes happen only in ``services.py``.
"""

import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from portal.files.storage import private_storage
from portal.i18n import Localized
from portal.lifecycle import button, rule

from . import kinds

# Deadlines and reference years are days and years in Shenzhen, whatever zone a server or reader is in.
SHANGHAI = ZoneInfo("Asia/Shanghai")

# --- Checklists (configured by staff in the CMS) ---------------------------------------------------------------


class Checklist(ClusterableModel):
    """The documents an application must carry. A domain points at one (the fund has ``checklist``)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("document checklist")
        verbose_name_plural = _("document checklists")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")


class ChecklistItem(Orderable):
    checklist = ParentalKey(Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklist"))
    code = models.SlugField(_("code"), max_length=50, help_text=_("A short stable name, e.g. business-plan."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    guidance = models.TextField(
        _("guidance for applicants"), blank=True, help_text=_("What the applicant should upload.")
    )
    guidance_en = models.TextField(_("English guidance for applicants"), blank=True)
    required = models.BooleanField(pgettext_lazy("checklist item", "required"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("guidance"), FieldPanel("guidance_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="applications_item_code_unique")]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")
    display_guidance = Localized("guidance", "guidance_en")


# --- Applications --------------------------------------------------------------------------------------------


class ApplicationState(models.TextChoices):
    """The engine's own states (officers read them); applicants read the kind's status labels instead."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", pgettext_lazy("application state", "Expired")
    CLOSED = "closed", pgettext_lazy("application state", "Decided")


class ApplicationVerb(models.TextChoices):
    """Timeline lines that are not a change of status (those use the kind's status labels, kinds.status_verb)."""

    STARTED = "applications.started", _("Application started")
    ANSWERED = "applications.answered", _("Supplement sent")


OF_THE_APPLICANT = rule("portal.applications.permissions.is_applicant")
OF_AN_OFFICER = rule("portal.applications.permissions.is_officer")


class ApplicationQuerySet(models.QuerySet):
    def for_list(self):
        """What a list shows without a query per row: the applicant, organization, owner and open request."""
        open_requests = models.Prefetch(
            "supplement_requests",
            queryset=SupplementRequest.objects.filter(state=SupplementState.OPEN),
            to_attr="open_requests",
        )
        return self.select_related("applicant", "organization").prefetch_related("owner", open_requests)


class Application(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=60)
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner type")
    )
    owner_id = models.CharField(_("owner id"), max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("organization"),
    )
    # Given at the first submission: gap-free per prefix and year (ReferenceCounter).
    reference = models.CharField(_("reference"), max_length=40, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    state = FSMField(_("state"), default=ApplicationState.DRAFT, choices=ApplicationState.choices, protected=True)
    status = models.CharField(_("status"), max_length=40, default=kinds.EngineStatus.DRAFT)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["owner_type", "owner_id", "state"], name="applications_owner_state"),
            models.Index(fields=["applicant", "-updated_at"], name="applications_applicant"),
        ]

    STATE_TONES = {
        ApplicationState.SUPPLEMENT_REQUESTED: "warn",
        ApplicationState.WITHDRAWN: "bad",
        ApplicationState.EXPIRED: "bad",
        ApplicationState.CLOSED: "good",
    }

    def __str__(self):
        return str(self.display_title)

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def kind_entry(self) -> kinds.Kind | None:
        return kinds.get(self.kind)

    @property
    def display_title(self) -> str:
        """The title the kind draws from the answers; until there is one, the kind's own name (lazy)."""
        kind = self.kind_entry
        return self.title or (kind.title if kind else self.reference or "")

    @property
    def status_label(self):
        """What the applicant reads: the kind's label for ``status``."""
        kind = self.kind_entry
        return kind.status_label(self.status) if kind else self.status

    @property
    def is_draft(self) -> bool:
        return self.state == ApplicationState.DRAFT

    @property
    def is_supplement_requested(self) -> bool:
        return self.state == ApplicationState.SUPPLEMENT_REQUESTED

    @property
    def was_submitted(self) -> bool:
        return self.submitted_at is not None

    # The lifecycle, declared once (docs/conventions.md, Lifecycles). Services take it with lifecycle.take().
    @transition(
        field=state, source=ApplicationState.DRAFT, target=ApplicationState.SUBMITTED, permission=OF_THE_APPLICANT
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.SUPPLEMENT_REQUESTED,
        permission=OF_AN_OFFICER,
    )
    def request_supplement(self):
        pass

    @transition(
        field=state,
        source=ApplicationState.SUPPLEMENT_REQUESTED,
        target=ApplicationState.SUBMITTED,
        permission=OF_THE_APPLICANT,
    )
    def answer_supplement(self):
        pass

    @transition(
        field=state,
        source=[ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.SUPPLEMENT_REQUESTED],
        target=ApplicationState.WITHDRAWN,
        permission=OF_THE_APPLICANT,
        custom=button(_("Withdraw the application"), "applications:withdraw", "danger"),
    )
    def withdraw(self):
        pass

    @transition(field=state, source=ApplicationState.SUPPLEMENT_REQUESTED, target=ApplicationState.EXPIRED)
    def expire(self):
        pass

    # The domain decided (approved, rejected …). Also while a supplement is open: the request is then cancelled.
    @transition(
        field=state,
        source=[ApplicationState.SUBMITTED, ApplicationState.SUPPLEMENT_REQUESTED],
        target=ApplicationState.CLOSED,
    )
    def close(self):
        pass


class ReferenceCounter(models.Model):
    """The last reference number given per prefix and year; its row is locked while a number is taken."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="applications_one_counter_per_year")]

    def __str__(self):
        return f"{self.prefix} {self.year}: {self.last_number}"


def attachment_upload_to(instance, filename):
    """An unguessable name without the original one (that is kept in the row, not on disk)."""
    return f"applications/{secrets.token_hex(20)}"


class Attachment(models.Model):
    """A file of an application. Once part of a Submission it can never be removed (SubmittedAttachment
    protects it); one still in a draft can."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("required document"),
        help_text=_("Empty: another document."),
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    supplement = models.ForeignKey(
        "SupplementRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("in answer to"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("applications:download", args=[self.application_id, self.pk])

    def audit_data(self) -> dict:
        return {
            "application": self.application_id,
            "item": self.item_id,
            "original_name": self.original_name,
            "size": self.size,
            "content_type": self.content_type,
            "sha256": self.sha256,
        }


class Submission(models.Model):
    """What was sent, frozen: the answers and the attachments at that moment. Never changed afterwards."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("application")
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("1: the first submission; 2 …: after a supplement."))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    answers = models.JSONField(_("answers"), default=dict)
    attachments = models.ManyToManyField(
        Attachment, through="SubmittedAttachment", related_name="submissions", verbose_name=_("attachments")
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="applications_submission_unique"),
        ]

    def __str__(self):
        return f"{self.application} #{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A submission is frozen: what was sent never changes.")
        super().save(*args, **kwargs)


class SubmittedAttachment(models.Model):
    """An attachment as part of a submission: PROTECT keeps a sent file from ever being deleted."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "attachment"], name="applications_submitted_unique"),
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.attachment_id}"


class SupplementState(models.TextChoices):
    OPEN = "open", _("Waiting for the applicant")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Deadline missed")
    CANCELLED = "cancelled", _("Cancelled")


class SupplementRequest(ConcurrentTransitionMixin, models.Model):
    """A request for supplement (补正): what is wanted, by when; answered by a new submission."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supplement_requests", verbose_name=_("application")
    )
    message = models.TextField(_("what is needed"))
    items = models.ManyToManyField(ChecklistItem, blank=True, related_name="+", verbose_name=_("documents wanted"))
    sections = models.JSONField(_("sections to revise"), default=list, blank=True)
    deadline = models.DateField(_("deadline"), help_text=_("Answers are accepted until the end of this day."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    state = FSMField(_("state"), default=SupplementState.OPEN, choices=SupplementState.choices, protected=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    # The applicant-facing status to return to once answered (the domain may change it while the request is open).
    status_before = models.CharField(_("status before the request"), max_length=40)

    class Meta:
        verbose_name = _("request for supplement")
        verbose_name_plural = _("requests for supplement")
        ordering = ["-requested_at", "-pk"]

    STATE_TONES = {SupplementState.OPEN: "warn", SupplementState.ANSWERED: "good", SupplementState.EXPIRED: "bad"}

    def __str__(self):
        return f"{self.application}: {self.deadline:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state == SupplementState.OPEN

    def is_overdue(self, now=None) -> bool:
        """Past the end of the deadline day, in the site's time zone (Asia/Shanghai)."""
        return timezone.localdate(now or timezone.now(), SHANGHAI) > self.deadline

    @transition(field=state, source=SupplementState.OPEN, target=SupplementState.ANSWERED)
    def mark_answered(self):
        pass

    @transition(field=state, source=SupplementState.OPEN, target=SupplementState.EXPIRED)
    def mark_expired(self):
        pass

    @transition(field=state, source=SupplementState.OPEN, target=SupplementState.CANCELLED)
    def cancel(self):
        pass


class InternalNote(models.Model):
    """Officers' notes on an application. Never shown to the applicant, never a timeline line."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:50]
