"""The talent work meeting's permission matrix (issue 13, part B): who gets what, GET and POST, on the officers' list
of meetings, the convening form, the meeting's page and each step, in the world of talent_deliberation_probes.py
(test_talent_deliberation_matrix.py runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant with nothing here
employer                  the employer of every application on the agendas (never sees a vote)
reviewer                  the sector authority's pre-reviewer of those applications
expert                    an expert who scored them on the panel
member                    a member with a vote of every meeting of the world
director                  the programme's director (signs; runs no meeting)
other_officer             an officer of another programme
officer                   an officer of the programme
superuser                 repairs everything
========================  =================================================================================
"""

from .table import LOGIN, NOT_FOUND, OK, Row

USERS = (
    "anonymous",
    "outsider",
    "employer",
    "reviewer",
    "expert",
    "member",
    "director",
    "other_officer",
    "officer",
    "superuser",
)


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the talent work meeting's matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


def page(get):
    return Row(get=get, post=get, writes=False)


def step(who):
    """A POST that takes a step (the probe's is valid, so it writes); its GET goes back to the meeting's page."""
    return Row(get=who, post=who)


TABLE = {
    # The programme's meetings and the form that convenes one (the empty POST comes back with its messages).
    "talent:deliberations": page(officers()),
    "talent:deliberation_new": page(officers()),
    # The meeting's page: its officers, and its members read it (with their links to vote).
    "talent:deliberation": page(officers(member=OK)),
    "talent:deliberation_edit": page(officers()),
    "talent:deliberation_add_item": step(officers()),
    "talent:deliberation_remove_item": step(officers()),
    "talent:deliberation_recusals": step(officers()),
    "talent:deliberation_attendance": step(officers()),
    "talent:deliberation_open": step(officers()),
    "talent:deliberation_close_item": step(officers()),
    # The minutes' form; the probe's meeting has every vote closed, so the POST with minutes closes it.
    "talent:deliberation_close": step(officers()),
}
