"""What the managers keep for their own work on the pipeline: saved filters and deal-list imports."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files.storage import private_storage


class SavedFilter(models.Model):
    """A named filter of the pipeline table, kept per person and fund (the query string of the table)."""

    fund = models.ForeignKey("funds.Fund", on_delete=models.CASCADE, related_name="+", verbose_name=_("fund"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filter"), max_length=1000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "user", "name"], name="funds_savedfilter_unique_name"),
        ]

    def __str__(self):
        return self.name


def import_upload_to(instance, filename):
    return f"funds/imports/{secrets.token_hex(20)}"


class Import(models.Model):
    """A spreadsheet uploaded for import: previewed first (nothing written), then applied all or nothing once. The
    file is kept, with its hash, so what was applied can be read again."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


class DealImport(Import):
    """A deal list uploaded for import."""

    fund = models.ForeignKey("funds.Fund", on_delete=models.CASCADE, related_name="imports", verbose_name=_("fund"))

    class Meta(Import.Meta):
        verbose_name = _("deal import")
        verbose_name_plural = _("deal imports")

    def get_absolute_url(self):
        return reverse("funds:deal_import_preview", kwargs={"fund": self.fund.slug, "pk": self.pk})


class PerformanceImport(Import):
    """A workbook of cash flows, valuations, KPI reports and index levels uploaded for import."""

    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.CASCADE, related_name="performance_imports", verbose_name=_("fund")
    )

    class Meta(Import.Meta):
        verbose_name = _("performance data import")
        verbose_name_plural = _("performance data imports")

    def get_absolute_url(self):
        return reverse("funds:performance_import_preview", kwargs={"fund": self.fund.slug, "pk": self.pk})
