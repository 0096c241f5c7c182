"""Workspace documents: folders, uploads checked by size and sniffed type, versions, audited downloads."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.files.uploads import DOCUMENTS, StoredFiles, inspect_upload
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
from ..workspace import Workspace
from .common import fmt
from .seats import workspace_recipients

# Workspace documents ---------------------------------------------------------------------------------------


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


def _save_version(*, document, number, upload, note, actor, checked, stored):
    version = DocumentVersion(
        document=document,
        number=number,
        **checked.fields(),
        uploaded_by=actor,
        note=(note or "").strip()[:300],
    )
    stored.save(version.file, upload)
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version"])
    return version


def version_data(version):
    """What the audit log keeps about a version (its upload, its download)."""
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
    if DocumentFolder.objects.filter(**Workspace.of(workspace).filter(), name=name).exists():
        raise ValidationError({"name": _("This workspace already has a folder with this name.")}, code="duplicate")
    folder = DocumentFolder.objects.create(council=council, committee=committee, name=name, created_by=actor)
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
    checked = inspect_upload(upload, DOCUMENTS)
    with StoredFiles() as stored:
        document = Document.objects.create(folder=folder, title=title, created_by=actor)
        version = _save_version(
            document=document, number=1, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        log(
            instance=document,
            action="councils.upload_document",
            user=actor,
            data={"folder": folder.pk, "title": title, **version_data(version)},
        )
        workspace = folder.workspace
        url = document.get_absolute_url()
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
    return document


@transaction.atomic
def upload_version(*, actor, document, upload, note=""):
    """The next version of a document; earlier versions are kept."""
    document = Document.objects.select_for_update().select_related("folder").get(pk=document.pk)
    if not permissions.can_add_version(actor, document):
        raise PermissionDenied
    checked = inspect_upload(upload, DOCUMENTS)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    with StoredFiles() as stored:
        version = _save_version(
            document=document, number=number, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        log(instance=document, action="councils.upload_version", user=actor, data=version_data(version))
        activity.record(
            actor=actor,
            workspace=document.folder.workspace,
            verb=ActivityVerb.UPLOADED_VERSION,
            summary=document.title,
            url=document.get_absolute_url(),
        )
    return version
