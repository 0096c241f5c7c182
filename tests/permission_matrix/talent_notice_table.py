"""The public notice's and the filing's permission matrix (issue 13, part C): the public page of candidates on notice
and anyone's objection, the officers' handling of objections and their evidence, sending for filing, recording the
filing, the decision and the filing form's PDF — who gets what, GET and POST, in the world of talent_notice_probes.py
(test_talent_notice_matrix.py).

The columns are the special-talent matrices' own (talent_special_columns.py). Objections name their authors, so the
sector's authority gets 404 like everyone but the officers.
"""

from .table import OK, Row
from .talent_special_columns import USERS, cells, officers  # noqa: F401 (the matrix reads table.USERS)


def everyone():
    return cells(OK)


def page(get):
    return Row(get=get, post=get, writes=False)


TABLE = {
    # The public page and the thank-you: anyone, in any way (a POST reads the page again).
    "talent:notices": page(everyone()),
    "talent:notice_received": page(everyone()),
    # Anyone objects to a candidate on notice (the probe's objection is complete; the rate limit has its own test).
    "talent:notice_objection": Row(get=everyone(), post=everyone()),
    # The officers' forms: the empty POST comes back with its messages (nothing written).
    "talent:objection_investigate": page(officers()),
    "talent:objection_resolve": page(officers()),
    # The objector's evidence: the officers only (an audited read).
    "talent:objection_evidence": page(officers()),
    # GET goes back to the application's page; the POST sends the probe's application (notice over) to filing.
    "talent:special_to_filing": Row(get=officers(), post=officers()),
    "talent:special_filing_record": page(officers()),
    "talent:special_decide": page(officers()),
    # The issued filing form: the officers and the employer (an audited read).
    "talent:special_filing_form": page(officers(employer=OK)),
}
