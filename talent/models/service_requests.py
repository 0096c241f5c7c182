"""服务申请 (service request): what an admitted team asks the base for, with a due date from the kind's SLA."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal.files.storage import private_storage
from portal.lifecycle import button, rule


class ServiceKind(models.TextChoices):
    COMPANY_REGISTRATION = "company_registration", _("Company registration")
    INCUBATION_SEAT = "incubation_seat", _("Incubation seat")
    FINANCING = "financing", _("Financing introduction")
    IP = "ip", _("Intellectual property")
    LEGAL = "legal", _("Legal consultation")
    VISA = "visa", _("Visa support (R visa, foreign high-end talent confirmation)")
    HOUSING = "housing", _("Talent housing")
    SCHOOLING = "schooling", _("Schooling for children")


class ServiceState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("service request", "Requested")
    IN_PROGRESS = "in_progress", pgettext_lazy("service request", "In progress")
    DONE = "done", pgettext_lazy("service request", "Done")
    DECLINED = "declined", pgettext_lazy("service request", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("service request", "Withdrawn")


OF_AN_OFFICER = rule("talent.permissions.handles_service_request")
OF_THE_TEAM = rule("talent.permissions.is_service_requester")

OPEN_STATES = (ServiceState.REQUESTED, ServiceState.IN_PROGRESS)


class ServiceRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, day=None):
        return self.open().filter(due_on__lt=day or timezone.localdate())


class ServiceRequest(ConcurrentTransitionMixin, models.Model):
    base_application = models.ForeignKey(
        "talent.BaseApplication",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("team"),
    )
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    details = models.TextField(_("details"))
    state = FSMField(
        _("state"), max_length=20, choices=ServiceState.choices, default=ServiceState.REQUESTED, protected=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_on = models.DateField(_("due"), help_text=_("From the service's SLA, in working days."))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_service_requests",
        verbose_name=_("officer"),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    # A financing introduction handed to the fund's pipeline (portal.handoffs): the receiver's reference.
    handoff_reference = models.CharField(_("hand-off reference"), max_length=80, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="talent_service_state_due")]

    STATE_TONES = {ServiceState.IN_PROGRESS: "warn", ServiceState.DONE: "good", ServiceState.DECLINED: "bad"}

    def __str__(self):
        return f"{self.get_kind_display()} · {self.base_application.team_name}"

    def get_absolute_url(self):
        return reverse("talent:service_request", args=[self.pk])

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, day=None) -> bool:
        return self.is_open and (day or timezone.localdate()) > self.due_on

    @transition(
        field=state,
        source=ServiceState.REQUESTED,
        target=ServiceState.IN_PROGRESS,
        permission=OF_AN_OFFICER,
        custom=button(_("Start work"), "talent:service_move", "primary", named=True),
    )
    def start(self):
        self.started_at = timezone.now()

    @transition(
        field=state,
        source=ServiceState.IN_PROGRESS,
        target=ServiceState.DONE,
        permission=OF_AN_OFFICER,
        custom=button(_("Mark as done"), "talent:service_move", "primary", named=True),
    )
    def complete(self):
        self.completed_at = timezone.now()

    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=ServiceState.DECLINED,
        permission=OF_AN_OFFICER,
        custom=button(_("Decline"), "talent:service_move", "danger", named=True),
    )
    def decline(self):
        self.completed_at = timezone.now()

    @transition(
        field=state,
        source=ServiceState.REQUESTED,
        target=ServiceState.WITHDRAWN,
        permission=OF_THE_TEAM,
        custom=button(_("Withdraw the request"), "talent:service_move", "danger", named=True),
    )
    def withdraw(self):
        self.completed_at = timezone.now()


def service_file_upload_to(instance, filename):
    return f"talent/services/{secrets.token_hex(20)}"


class ServiceAttachment(models.Model):
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("service request")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=service_file_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("service request attachment")
        verbose_name_plural = _("service request attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("talent:service_download", args=[self.service_request_id, self.pk])
