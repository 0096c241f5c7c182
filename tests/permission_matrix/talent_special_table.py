"""The special-talent office's permission matrix (issue 13, part A): the list, the application's page, the officers'
audited reveal, the authority's pre-review, the expert panel and its review opinion, sending on to the talent work
meeting — who gets what, GET and POST, in the world of talent_special_probes.py (test_talent_special_matrix.py).
The columns (who each person is) are talent_special_columns.py's."""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row
from .talent_special_columns import USERS, cells, officers  # noqa: F401 (the matrix reads table.USERS)


def page(get):
    return Row(get=get, post=get, writes=False)


TABLE = {
    # Each sees its own: officers their programmes' applications, an authority its sectors' (the other ones an
    # empty list of their own); people with neither get 404.
    "talent:special_applications": page(officers(reviewer=OK, other_reviewer=OK, other_officer=OK)),
    "talent:special_application": page(officers(reviewer=OK)),
    # The full identifiers: officers only, by POST (an audited read: it writes the audit entry).
    "talent:special_reveal": Row(get=cells(NOT_ALLOWED, anonymous=LOGIN), post=officers()),
    # The sector's reviewer alone; the empty POST comes back with the form's message (nothing written).
    "talent:special_pre_review": Row(
        get=officers(officer=NOT_FOUND, superuser=NOT_FOUND, reviewer=OK),
        post=officers(officer=NOT_FOUND, superuser=NOT_FOUND, reviewer=OK),
        writes=False,
    ),
    # GET goes back to the page; the POST sends the scored application on to the meeting.
    "talent:special_to_deliberation": Row(get=officers(), post=officers()),
    # Forms: the empty POST comes back with its messages.
    "talent:special_start_panel": Row(get=officers(), post=officers(), writes=False),
    "talent:special_panel_opinion_draft": Row(get=officers(), post=officers(), writes=False),
    # The issued review opinion: whoever sees the application's page (an audited read).
    "talent:special_panel_opinion": Row(get=officers(reviewer=OK), post=officers(reviewer=OK), writes=False),
}
