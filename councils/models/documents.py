"""Workspace documents: folders, documents and their versions (files kept in private storage)."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files.storage import private_storage

from .workspace import WorkspaceScoped


class DocumentFolder(WorkspaceScoped):
    """A folder of documents in one workspace: a council's plenary workspace or a committee's."""

    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("document folder")
        verbose_name_plural = _("document folders")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"],
                condition=models.Q(committee__isnull=True),
                name="councils_folder_name_unique_plenary",
                violation_error_message=_("This workspace already has a folder with this name."),
            ),
            models.UniqueConstraint(
                fields=["committee", "name"],
                condition=models.Q(committee__isnull=False),
                name="councils_folder_name_unique_committee",
                violation_error_message=_("This workspace already has a folder with this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.item_url("folder")


class Document(models.Model):
    folder = models.ForeignKey(
        DocumentFolder, on_delete=models.CASCADE, related_name="documents", verbose_name=_("folder")
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    current_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest version"),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        # A folder's page: its documents, newest first.
        indexes = [models.Index(fields=["folder", "-created_at"], name="councils_document_folder")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("councils:document", kwargs=self.folder.transition_url_kwargs() | {"pk": self.pk})


def document_upload_to(instance, filename):
    """An unguessable name without the original one (that is kept in the row, not on disk)."""
    return f"councils/documents/{secrets.token_hex(20)}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="councils_document_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="councils_document_version_positive"),
        ]

    def __str__(self):
        return _("%(document)s, version %(number)s") % {"document": self.document, "number": self.number}
