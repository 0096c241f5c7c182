"""What the fund's two imports (a deal list, the performance data) do alike: read an upload once it has passed the
file checks, and keep it with its preview as the import's row, audited. The previews and the applying differ."""

import io

from django.db import transaction

from portal.files.uploads import StoredFiles, inspect_upload
from portal.history.record import record


def read_upload(upload, *, allowed, field_name):
    """(the upload's checks, "csv" or "xlsx", its bytes as a stream); a ValidationError on ``field_name`` when the
    file is refused (not a spreadsheet, too large …). The upload is left rewound, ready to be stored."""
    checked = inspect_upload(upload, allowed=allowed, field_name=field_name)
    file_format = "csv" if checked.content_type == "text/csv" else "xlsx"
    upload.seek(0)
    source = io.BytesIO(upload.read())
    upload.seek(0)
    return checked, file_format, source


def keep_import(model, *, action, actor, fund, upload, checked, preview):
    """The import's row of ``model`` with the stored file and its preview, and the audit entry ``action``: in one
    transaction, so a file is never kept without its row (StoredFiles removes it when the row fails)."""
    with transaction.atomic(), StoredFiles() as stored:
        kept = model(fund=fund, uploaded_by=actor, original_name=checked.name, sha256=checked.sha256, preview=preview)
        stored.save(kept.file, upload)
        kept.save()
        record(
            action,
            actor=actor,
            instance=kept,
            data={"file": checked.name, "sha256": checked.sha256, **preview["counts"]},
        )
    return kept
