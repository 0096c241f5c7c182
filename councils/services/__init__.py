"""State changes of councils. Each function: permission → validation → lock → write → record (one
``portal.history.record.record()``: the audit log entry, the workspace's history line, the notification).

The package's modules are split by subject; this file only re-exports what callers use as
``councils.services.<name>``. Workspace sections have modules of their own (``meetings``, ``motions`` …)."""

from .documents import (
    create_folder,
    upload_document,
    upload_version,
)
from .membership import (
    add_charter_version,
    add_committee,
    add_committee_member,
    add_membership,
    change_membership,
    end_committee_membership,
    end_membership,
)
from .seats import (
    committee_workspace_user_ids,
    council_workspace_user_ids,
    default_signatories,
    workspace_chairs,
    workspace_recipients,
    workspace_seats,
)

__all__ = [
    "add_membership",
    "end_membership",
    "change_membership",
    "add_charter_version",
    "add_committee",
    "add_committee_member",
    "end_committee_membership",
    "council_workspace_user_ids",
    "committee_workspace_user_ids",
    "workspace_seats",
    "workspace_chairs",
    "default_signatories",
    "workspace_recipients",
    "create_folder",
    "upload_document",
    "upload_version",
]
