"""The special-talent office's permission matrix (issue 13, part A): the list, the application's page, the officers'
audited reveal, the authority's pre-review, the expert panel and its review opinion, sending on to the talent work
meeting — who gets what, GET and POST, in the world of talent_special_probes.py (test_talent_special_matrix.py).

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant with nothing here
employer                  the employer of every application of the world (follows them on the engine's pages)
other_employer            another employer
expert                    an evaluator of the panels (scored the finished ones; runs nothing)
reviewer                  the pre-reviewer of the biomedicine sector's authority (every probe's sector)
other_reviewer            the pre-reviewer of another sector's authority
director                  the programme's director (signs its opinions; runs nothing)
other_officer             an officer of another special-talent programme
officer                   an officer of the programme
superuser                 repairs everything (holds MANAGE, never the authority's pre-review)
========================  =================================================================================
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = (
    "anonymous",
    "outsider",
    "employer",
    "other_employer",
    "expert",
    "reviewer",
    "other_reviewer",
    "director",
    "other_officer",
    "officer",
    "superuser",
)


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the special-talent matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


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
