"""Services of the fund: the deal room. Folders, and documents uploaded into them (checked by portal.files).

Downloads are not state changes: the view checks ``permissions.can_download_document`` and hands the file over
through ``portal.files.downloads.serve_private``, which audits the read (``funds.download_document``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from portal.authority import Power, holders
from portal.files.uploads import DOCUMENTS, StoredFiles, inspect_upload
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from .. import permissions
from ..models import Deal, DealDocument, DealFolder, DocumentKind
from ..verbs import FundVerb

# Audit-log actions of this module: {action: (label, message)}; registered in funds/wagtail_hooks.py.
ACTIONS = {
    "funds.create_folder": (_("Add deal room folder"), _("Deal room folder added")),
    "funds.upload_document": (_("Upload deal room document"), _("Deal room document uploaded")),
    "funds.download_document": (_("Download deal room document"), _("Deal room document downloaded")),
}


def document_data(document) -> dict:
    """What the audit log keeps about a deal-room document (its upload, each download)."""
    return {
        "deal": document.deal_id,
        "folder": document.folder_id,
        "kind": document.kind,
        "title": document.title,
        "original_name": document.original_name,
        "size": document.size,
        "content_type": document.content_type,
        "sha256": document.sha256,
    }


def _lock(deal) -> Deal:
    """The deal's row, locked and read again: one change to its room at a time."""
    return Deal.objects.select_for_update().select_related("fund", "company__organization").get(pk=deal.pk)


@transaction.atomic
def create_folder(*, actor, deal, name, name_en="") -> DealFolder:
    """A folder of the deal room beside the standard ones (the fund's managers)."""
    if not permissions.can_upload_document(actor, deal):
        raise PermissionDenied
    texts = clean_text(DealFolder, {"name": name, "name_en": name_en}, required={"name": _("Give the folder a name.")})
    deal = _lock(deal)
    if deal.folders.filter(name=texts["name"]).exists():
        message = _("This deal room already has a folder with this name.")
        raise ValidationError({"name": ValidationError(message, code="duplicate")})
    order = (deal.folders.aggregate(last=Max("order"))["last"] or 0) + 1
    folder = DealFolder.objects.create(deal=deal, order=order, **texts)
    record("funds.create_folder", actor=actor, instance=deal, data={"folder": folder.pk, **texts})
    return folder


@transaction.atomic
def upload_document(*, actor, deal, folder, kind, upload, title="") -> DealDocument:
    """A file into a folder of the deal room, with its kind (a due diligence report is what the step to the
    investment committee looks for). The file is checked first (size, type sniffed from its content); nothing is
    stored when anything is refused."""
    if not permissions.can_upload_document(actor, deal):
        raise PermissionDenied
    errors = {}
    if folder is None or folder.deal_id != deal.pk:
        errors["folder"] = _("Choose a folder of this deal room.")
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if errors:
        raise ValidationError(errors)
    checked = inspect_upload(upload, DOCUMENTS)
    # Without a title the document is called by its file name (without the extension).
    texts = clean_text(DealDocument, {"title": title or checked.name.rsplit(".", 1)[0]})
    deal = _lock(deal)
    with StoredFiles() as stored:
        document = DealDocument(
            deal=deal, folder=folder, kind=kind, title=texts["title"], uploaded_by=actor, **checked.fields()
        )
        stored.save(document.file, upload)
        document.save()
        url = deal.get_absolute_url()
        others = [user for user in holders(deal.fund, Power.MANAGE) if user.pk != actor.pk]
        record(
            "funds.upload_document",
            actor=actor,
            instance=deal,
            data={"document": document.pk, **document_data(document)},
            line=Line(deal.fund, FundVerb.UPLOADED_DOCUMENT, f"{deal} · {document.title}", url, subject=deal),
            tell=Tell(
                others,
                title=fmt(
                    _("New document in the deal room of %(deal)s: %(title)s"), deal=str(deal), title=document.title
                ),
                body=fmt(_("Kind: %(kind)s. Folder: %(folder)s."), kind=DocumentKind(kind).label, folder=folder.name),
                url=url,
                email=False,
            ),
        )
    return document
