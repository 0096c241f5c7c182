"""Workspace documents: folders, uploads checked by size and sniffed type, versions, audited downloads."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.files.uploads import DOCUMENTS, StoredFiles, inspect_upload
from portal.history.record import Line, Tell, record
from portal.text import fmt

from .. import permissions
from ..models import ActivityVerb, Document, DocumentFolder, DocumentVersion
from ..people import person_label
from ..workspace import Workspace
from .common import clean_one

# Workspace documents ---------------------------------------------------------------------------------------


def _save_version(*, document, number, upload, note, actor, checked, stored):
    version = DocumentVersion(
        document=document,
        number=number,
        **checked.fields(),
        uploaded_by=actor,
        note=note,
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
    place = Workspace.of(workspace)
    if not place.can_open(actor):
        raise PermissionDenied
    name = clean_one(DocumentFolder, "name", name, required=_("Give the folder a name."))
    if DocumentFolder.objects.filter(**place.filter(), name=name).exists():
        raise ValidationError({"name": _("This workspace already has a folder with this name.")}, code="duplicate")
    folder = DocumentFolder(name=name, created_by=actor)
    place.place(folder)
    folder.save()
    record(
        "councils.create_folder",
        actor=actor,
        instance=folder,
        data={"council": place.council.pk, "committee": folder.committee_id, "name": name},
    )
    return folder


@transaction.atomic
def upload_document(*, actor, folder, title, upload, note=""):
    """A new document in a folder, with the upload as version 1."""
    if not permissions.can_open_workspace_of(actor, folder):
        raise PermissionDenied
    title = clean_one(Document, "title", title, required=_("Give the document a title."))
    note = clean_one(DocumentVersion, "note", note)
    checked = inspect_upload(upload, DOCUMENTS)
    with StoredFiles() as stored:
        document = Document.objects.create(folder=folder, title=title, created_by=actor)
        version = _save_version(
            document=document, number=1, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        place = Workspace.of(folder)
        url = document.get_absolute_url()
        record(
            "councils.upload_document",
            actor=actor,
            instance=document,
            data={"folder": folder.pk, "title": title, **version_data(version)},
            line=Line(place.body, ActivityVerb.UPLOADED_DOCUMENT, title, url),
            tell=Tell(
                place.recipients(actor),
                title=fmt(_("New document in %(workspace)s: %(title)s"), workspace=str(place), title=title),
                body=fmt(
                    _("%(name)s uploaded it to the folder %(folder)s."),
                    name=person_label(actor, place.body),
                    folder=folder.name,
                ),
                url=url,
            ),
        )
    return document


@transaction.atomic
def upload_version(*, actor, document, upload, note=""):
    """The next version of a document; earlier versions are kept."""
    document = Document.objects.select_for_update().select_related("folder").get(pk=document.pk)
    if not permissions.can_add_version(actor, document):
        raise PermissionDenied
    note = clean_one(DocumentVersion, "note", note)
    checked = inspect_upload(upload, DOCUMENTS)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    with StoredFiles() as stored:
        version = _save_version(
            document=document, number=number, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        record(
            "councils.upload_version",
            actor=actor,
            instance=document,
            data=version_data(version),
            line=Line(
                Workspace.of(document.folder).body,
                ActivityVerb.UPLOADED_VERSION,
                document.title,
                document.get_absolute_url(),
            ),
        )
    return version
