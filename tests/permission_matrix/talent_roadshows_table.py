"""The roadshows' permission matrix (issue 12, "Roadshows"): who gets what on every roadshow URL, GET and POST, in
the world of talent_roadshows_probes.py (test_talent_roadshows_matrix.py runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  a signed-in applicant with nothing at the roadshow (may still register as an investor)
team                      the admitted team whose confirmed pitch is on the roadshow
other_team                a team still in expert review (not admitted: may not pitch)
investor                  registered for the roadshow; scored the team's pitch (would like to follow up)
other_officer             an officer of another programme
officer                   an officer of the roadshow's programme
superuser                 repairs everything (holds the programme's MANAGE; is no team and no investor)
========================  =================================================================================

The roadshow has started and its registration is still open. POSTs carry an empty body: a permitted POST is a form
that answers with its messages (nothing written) or an action refused with a message; only the attendance toggle
writes on an empty body (it records "did not attend"). Named feedback and the workbook are audited reads.
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = ("anonymous", "outsider", "team", "other_team", "investor", "other_officer", "officer", "superuser")


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the roadshows matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


def wrong_method():
    """GET-only or POST-only: 405 once logged in, whoever asks; anonymous to the login page first."""
    return cells(NOT_ALLOWED, anonymous=LOGIN)


def page(get):
    return Row(get=get, post=get, writes=False)


def read_only(get):
    """A page that takes GET only."""
    return Row(get=get, post=wrong_method(), writes=False)


def action(post, writes=False):
    """POST only: the empty POST is refused with a message (or re-shows the page) for who may, 404 for the others."""
    return Row(get=wrong_method(), post=post, writes=writes)


TABLE = {
    # Public: the list and the event page (confirmed pitches only, no investor named).
    "talent:roadshows": page(cells(OK)),
    "talent:roadshow": page(cells(OK)),
    # An admitted team of the programme pitches; nobody else is offered the form.
    "talent:roadshow_pitch": page(cells(NOT_FOUND, anonymous=LOGIN, team=OK)),
    # Anyone signed in may take an investor's place while registration is open.
    "talent:roadshow_register": page(cells(OK, anonymous=LOGIN)),
    # The registered investor's own feedback page and its per-pitch POST.
    "talent:roadshow_feedback": read_only(cells(NOT_FOUND, anonymous=LOGIN, investor=OK)),
    "talent:roadshow_give_feedback": action(cells(NOT_FOUND, anonymous=LOGIN, investor=OK)),
    # The office's pages: another programme's officers get 404 like everyone else.
    "talent:office_roadshows": page(officers()),
    "talent:roadshow_office": read_only(officers()),
    "talent:roadshow_confirm": action(officers()),  # the probe's pitch is confirmed already: refused, a message
    "talent:roadshow_order": action(officers()),  # no places given: refused, a message
    "talent:roadshow_attended": action(officers(), writes=True),
    "talent:roadshow_answers": read_only(officers()),
    "talent:roadshow_follow_up": action(officers()),  # no note: the page again with the form's message
    "talent:roadshow_export": read_only(officers()),
}
