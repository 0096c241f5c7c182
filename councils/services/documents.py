"""Workspace documents: folders, uploads checked by size and sniffed type, versions, audited downloads."""

import hashlib
from pathlib import PurePath

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.notifications.services import notify

from .. import activity, permissions
from ..models import (
    ActivityVerb,
    Committee,
    Council,
    Document,
    DocumentFolder,
    DocumentVersion,
)
from ..people import person_label
from .common import fmt
from .seats import workspace_recipients

# Workspace documents ---------------------------------------------------------------------------------------

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024  # bytes

# sniffed type -> extensions a file of that type may carry
ALLOWED_TYPES = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg"},
}
# plain text, accepted by extension when no binary type is found and the bytes are UTF-8
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}
SNIFF_BYTES = 8192


def _workspace_of(workspace):
    """(council, committee) for a workspace object."""
    if isinstance(workspace, Committee):
        return workspace.council, workspace
    if isinstance(workspace, Council):
        return workspace, None
    raise TypeError("a workspace is a Council or a Committee")


def _can_open(user, workspace) -> bool:
    if isinstance(workspace, Committee):
        return permissions.can_open_committee_workspace(user, workspace)
    return permissions.can_open_council_workspace(user, workspace)


def _file_error(message, code):
    return ValidationError({"file": ValidationError(message, code=code)})


def inspect_upload(upload):
    """Check an uploaded file before anything is written: size, type sniffed from its content, extension.

    Returns (content_type, sha256, size). Raises ValidationError with a message for the person uploading.
    """
    if upload is None:
        raise _file_error(_("Choose a file to upload."), "required")
    size = upload.size
    if not size:
        raise _file_error(_("The file is empty."), "empty")
    if size > MAX_DOCUMENT_SIZE:
        limit = max(1, MAX_DOCUMENT_SIZE // (1024 * 1024))
        raise _file_error(fmt(_("The file is larger than the limit of %(limit)s MB."), limit=limit), "too_large")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    upload.seek(0)
    kind = filetype.guess(upload.read(SNIFF_BYTES))
    if kind is not None:
        if kind.extension not in ALLOWED_TYPES:
            raise _file_error(_not_accepted(), "type")
        if extension not in ALLOWED_TYPES[kind.extension]:
            message = fmt(
                _("The file's name ends in “.%(extension)s” but its content is a %(kind)s file."),
                extension=extension,
                kind=kind.extension.upper(),
            )
            raise _file_error(message, "extension")
        content_type = kind.mime
    elif extension in TEXT_TYPES:
        upload.seek(0)
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise _file_error(_("A text file must be encoded in UTF-8."), "encoding") from None
        content_type = TEXT_TYPES[extension]
    else:
        raise _file_error(_not_accepted(), "type")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest(), size


def _not_accepted():
    return _(
        "This type of file is not accepted. Upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "PNG or JPEG file, or UTF-8 text (.txt, .csv)."
    )


def clean_name(name):
    return PurePath((name or "").replace("\\", "/")).name[:255] or "document"


def _save_version(*, document, number, upload, note, actor, checked, stored):
    content_type, sha256, size = checked
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=clean_name(upload.name),
        size=size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=actor,
        note=(note or "").strip()[:300],
    )
    version.file.save("upload", upload, save=False)
    stored.append((version.file.storage, version.file.name))
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version"])
    return version


def remove_files(stored):
    for storage, name in stored:
        storage.delete(name)


def _version_data(version):
    return {
        "document": version.document_id,
        "number": version.number,
        "original_name": version.original_name,
        "size": version.size,
        "content_type": version.content_type,
        "sha256": version.sha256,
    }


@transaction.atomic
def create_folder(*, actor, workspace, name):
    council, committee = _workspace_of(workspace)
    if not _can_open(actor, workspace):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the folder a name.")}, code="required")
    if len(name) > 100:
        raise ValidationError({"name": _("The name is too long (at most 100 characters).")}, code="max_length")
    siblings = (
        DocumentFolder.objects.filter(committee=committee)
        if committee
        else council.document_folders.filter(committee__isnull=True)
    )
    if siblings.filter(name=name).exists():
        raise ValidationError({"name": _("This workspace already has a folder with this name.")}, code="duplicate")
    folder = DocumentFolder.objects.create(
        council=None if committee else council, committee=committee, name=name, created_by=actor
    )
    log(
        instance=folder,
        action="councils.create_folder",
        user=actor,
        data={"council": council.pk, "committee": committee.pk if committee else None, "name": name},
    )
    return folder


def _validate_title(title):
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")}, code="required")
    if len(title) > 200:
        raise ValidationError({"title": _("The title is too long (at most 200 characters).")}, code="max_length")
    return title


@transaction.atomic
def upload_document(*, actor, folder, title, upload, note=""):
    """A new document in a folder, with the upload as version 1."""
    if not permissions.can_open_workspace_of(actor, folder):
        raise PermissionDenied
    title = _validate_title(title)
    checked = inspect_upload(upload)
    stored = []
    try:
        document = Document.objects.create(folder=folder, title=title, created_by=actor)
        version = _save_version(
            document=document, number=1, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        log(
            instance=document,
            action="councils.upload_document",
            user=actor,
            data={"folder": folder.pk, "title": title, **_version_data(version)},
        )
        workspace = folder.workspace
        url = reverse("councils:document", kwargs={"slug": folder.owning_council.slug, "pk": document.pk})
        activity.record(actor=actor, workspace=workspace, verb=ActivityVerb.UPLOADED_DOCUMENT, summary=title, url=url)
        notify(
            workspace_recipients(workspace, actor),
            title=fmt(_("New document in %(workspace)s: %(title)s"), workspace=str(workspace), title=title),
            body=fmt(
                _("%(name)s uploaded it to the folder %(folder)s."),
                name=person_label(actor, workspace),
                folder=folder.name,
            ),
            url=url,
        )
    except BaseException:
        remove_files(stored)
        raise
    return document


@transaction.atomic
def upload_version(*, actor, document, upload, note=""):
    """The next version of a document; earlier versions are kept."""
    document = Document.objects.select_for_update().select_related("folder").get(pk=document.pk)
    if not permissions.can_add_version(actor, document):
        raise PermissionDenied
    checked = inspect_upload(upload)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    stored = []
    try:
        version = _save_version(
            document=document, number=number, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        log(instance=document, action="councils.upload_version", user=actor, data=_version_data(version))
        activity.record(
            actor=actor,
            workspace=document.folder.workspace,
            verb=ActivityVerb.UPLOADED_VERSION,
            summary=document.title,
            url=reverse("councils:document", kwargs={"slug": document.folder.owning_council.slug, "pk": document.pk}),
        )
    except BaseException:
        remove_files(stored)
        raise
    return version


def record_download(*, actor, version):
    """A sensitive read: who fetched which version of a workspace document, and when."""
    if not permissions.can_open_workspace_of(actor, version.document.folder):
        raise PermissionDenied
    log(instance=version.document, action="councils.download_document", user=actor, data=_version_data(version))
