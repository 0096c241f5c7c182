"""Uploads checked before anything is written, and stored files removed again when the action fails.

Every domain that takes files (workspace documents, discussion attachments, the fund's deal room, every
application's checklist) checks them here, so one rule decides what a file is:

    checked = inspect_upload(upload, allowed=DOCUMENTS)      # ValidationError for the person uploading
    with StoredFiles() as stored:                            # files written inside are removed on failure
        version = DocumentVersion(**checked.fields(), ...)
        stored.save(version.file, upload)
        version.save()

The type is sniffed from the content (``filetype``), never taken from the name or the browser's word; the
name's extension must agree with what the content is; text is accepted only as UTF-8.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.text import fmt

SNIFF_BYTES = 8192  # enough for every signature filetype knows
MEGABYTE = 1024 * 1024
NAME_MAX = 255  # the original_name columns that keep what the uploader called the file


@dataclass
class Accepted:
    """What one kind of upload may be.

    ``types``: sniffed type (filetype's extension) → the extensions a file of that type may carry.
    ``text``: extensions accepted as UTF-8 text when no binary type is sniffed → their content type.
    ``max_size`` in bytes; ``described``: the sentence telling people what to upload instead.
    Not frozen, so a test may lower ``max_size`` with monkeypatch.
    """

    types: dict
    text: dict = field(default_factory=dict)
    max_size: int = 20 * MEGABYTE
    described: object = ""


DOCUMENTS = Accepted(
    types={
        "pdf": {"pdf"},
        "docx": {"docx"},
        "xlsx": {"xlsx"},
        "pptx": {"pptx"},
        "png": {"png"},
        "jpg": {"jpg", "jpeg"},
    },
    text={"txt": "text/plain", "csv": "text/csv"},
    max_size=20 * MEGABYTE,
    described=_(
        "This type of file is not accepted. Upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "PNG or JPEG file, or UTF-8 text (.txt, .csv)."
    ),
)


@dataclass(frozen=True)
class Checked:
    """What inspection found: the sniffed content type, the SHA-256 of the bytes, the size, a clean name."""

    content_type: str
    sha256: str
    size: int
    name: str

    def fields(self) -> dict:
        """The columns a private-file model keeps about its file."""
        return {
            "original_name": self.name,
            "size": self.size,
            "content_type": self.content_type,
            "sha256": self.sha256,
        }


def clean_name(name, default="document") -> str:
    """The file's own name without any folder a browser sent along (Windows ones too), at most NAME_MAX."""
    return PurePath((name or "").replace("\\", "/")).name[:NAME_MAX] or default


def refusal(message, code, field_name="file") -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def inspect_upload(upload, allowed=DOCUMENTS, *, field_name="file") -> Checked:
    """Check an uploaded file before anything is written: present, not empty, within the size limit, a type
    ``allowed`` accepts sniffed from its content, an extension that agrees, UTF-8 when it is text.

    Returns a ``Checked``; raises a ValidationError on ``field_name`` with a message for the person uploading.
    Leaves the upload rewound, ready to be stored.
    """
    if upload is None:
        raise refusal(_("Choose a file to upload."), "required", field_name)
    size = upload.size
    if not size:
        raise refusal(_("The file is empty."), "empty", field_name)
    if size > allowed.max_size:
        limit = max(1, allowed.max_size // MEGABYTE)
        message = fmt(_("The file is larger than the limit of %(limit)s MB."), limit=limit)
        raise refusal(message, "too_large", field_name)
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    upload.seek(0)
    kind = filetype.guess(upload.read(SNIFF_BYTES))
    if kind is not None:
        if kind.extension not in allowed.types:
            raise refusal(allowed.described, "type", field_name)
        if extension not in allowed.types[kind.extension]:
            message = fmt(
                _("The file's name ends in “.%(extension)s” but its content is a %(kind)s file."),
                extension=extension,
                kind=kind.extension.upper(),
            )
            raise refusal(message, "extension", field_name)
        content_type = kind.mime
    elif extension in allowed.text:
        if not _is_utf8(upload):
            raise refusal(_("A text file must be encoded in UTF-8."), "encoding", field_name)
        content_type = allowed.text[extension]
    else:
        raise refusal(allowed.described, "type", field_name)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(content_type=content_type, sha256=digest.hexdigest(), size=size, name=clean_name(upload.name))


def _is_utf8(upload) -> bool:
    upload.seek(0)
    try:
        upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class StoredFiles:
    """The files an action wrote, removed again if the action fails (a rolled-back row leaves no file behind).

    Use as a context manager around everything after the first file is stored, up to the end of the service:
    an exception inside removes every file saved through it and propagates.
    """

    def __init__(self):
        self.files = []

    def save(self, field_file, upload, name="upload"):
        """Store ``upload`` in ``field_file`` (without saving the row) and remember it for removal."""
        field_file.save(name, upload, save=False)
        self.files.append((field_file.storage, field_file.name))
        return field_file

    def remove(self):
        for storage, name in self.files:
            storage.delete(name)
        self.files = []

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is not None:
            self.remove()
        return False
