"""Companies the fund looks at: an Organization plus its biomedicine profile and dated milestones."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.i18n import Localized


class Subsector(models.TextChoices):
    INNOVATIVE_DRUGS = "innovative_drugs", _("Innovative drugs")
    BIOLOGICS = "biologics", _("Biologics")
    CELL_GENE = "cell_gene", _("Cell and gene therapy")
    MEDICAL_DEVICES = "medical_devices", _("Medical devices")
    IVD = "ivd", _("In-vitro diagnostics")
    CXO = "cxo", _("CXO (contract research and manufacturing)")
    DIGITAL_HEALTH = "digital_health", _("Digital health")
    SYNTHETIC_BIOLOGY = "synthetic_biology", _("Synthetic biology")


class DevelopmentStage(models.TextChoices):
    DISCOVERY = "discovery", _("Discovery")
    PRECLINICAL = "preclinical", _("Preclinical")
    IND_FILED = "ind_filed", _("IND filed")
    IND_CLEARED = "ind_cleared", _("IND cleared")
    PHASE_1 = "phase_1", _("Phase I")
    PHASE_2 = "phase_2", _("Phase II")
    PHASE_3 = "phase_3", _("Phase III")
    NDA_FILED = "nda_filed", _("NDA/BLA filed")
    APPROVED = "approved", pgettext_lazy("development stage", "Approved")
    MARKETED = "marketed", _("Marketed")


class DeviceClass(models.TextChoices):
    CLASS_I = "I", _("NMPA class I")
    CLASS_II = "II", _("NMPA class II")
    CLASS_III = "III", _("NMPA class III")


class Company(models.Model):
    """An Organization the fund looks at or holds, with what a biomedicine investor needs to know about it."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="biomedicine_profile",
        verbose_name=_("organization"),
    )
    subsector = models.CharField(_("subsector"), max_length=30, choices=Subsector.choices)
    lead_asset = models.CharField(_("lead asset"), max_length=200, blank=True)
    lead_asset_en = models.CharField(_("lead asset in English"), max_length=200, blank=True)
    indication = models.CharField(_("indication"), max_length=200, blank=True)
    development_stage = models.CharField(_("development stage"), max_length=20, choices=DevelopmentStage.choices)
    device_class = models.CharField(
        _("device class"),
        max_length=4,
        choices=DeviceClass.choices,
        blank=True,
        help_text=_("For medical devices and IVD only."),
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    # Pingshan landing (落地): the dates each step happened, empty while it has not.
    registered_in_pingshan_on = models.DateField(_("registered in Pingshan on"), null=True, blank=True)
    hq_in_pingshan_on = models.DateField(_("headquarters in Pingshan since"), null=True, blank=True)
    production_in_pingshan_on = models.DateField(_("production in Pingshan since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(device_class="") | models.Q(subsector__in=["medical_devices", "ivd"]),
                name="funds_company_device_class_for_devices",
                violation_error_message=_("Only medical devices and IVD have an NMPA device class."),
            )
        ]

    def __str__(self):
        return str(self.organization)

    display_lead_asset = Localized("lead_asset", "lead_asset_en")
    display_description = Localized("description", "description_en")

    @property
    def in_pingshan(self) -> bool:
        return bool(self.registered_in_pingshan_on or self.hq_in_pingshan_on or self.production_in_pingshan_on)


class MilestoneKind(models.TextChoices):
    IND_ACCEPTED = "ind_accepted", _("IND accepted")
    IND_CLEARED = "ind_cleared", _("IND cleared")
    FIRST_PATIENT_IN = "first_patient_in", _("First patient in")
    PHASE_ADVANCE = "phase_advance", _("Advanced to the next clinical phase")
    READOUT = "readout", _("Data readout")
    NDA_ACCEPTED = "nda_accepted", _("NDA/BLA accepted")
    APPROVAL = "approval", _("Marketing approval")
    DEVICE_REGISTRATION = "device_registration", _("Device registration certificate")
    OTHER = "other", _("Other")


class Milestone(models.Model):
    """A dated step of a company's lead asset: IND acceptance number, first patient in, readouts, approvals."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("company"))
    kind = models.CharField(_("milestone"), max_length=30, choices=MilestoneKind.choices)
    happened_on = models.DateField(_("date"))
    reference = models.CharField(
        _("reference"), max_length=60, blank=True, help_text=_("e.g. the IND acceptance number CXHL2600123.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["company", "-happened_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.happened_on:%Y-%m-%d}"
