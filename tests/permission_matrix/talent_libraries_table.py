"""The resource libraries' permission matrix (issue 12): the public lists and entry pages, the submitters' pages,
the curators' queue, matching and introductions, GET and POST, in the world of talent_libraries_probes.py
(test_talent_libraries_matrix.py runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant who submitted nothing and was introduced to nobody
team                      submitted the pending, returned and published projects; one side of the introduction
firm                      submitted the published demand; the other side of the introduction
other_team                another applicant (may submit entries of its own; sees nothing of these)
other_officer             an officer of another programme
officer                   an officer of the programme (curates its libraries, runs its introductions)
superuser                 repairs everything (curates; answers no introduction)
========================  =================================================================================

POSTs carry an empty body: a permitted form answers with its messages and writes nothing; the steps that need no
body (publish, accept) write.
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = ("anonymous", "outsider", "team", "firm", "other_team", "other_officer", "officer", "superuser")


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the libraries matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


def logged_in(**exceptions):
    return cells(OK, **{"anonymous": LOGIN, **exceptions})


def wrong_method():
    """POST only: 405 once logged in, whoever asks; anonymous to the login page first."""
    return cells(NOT_ALLOWED, anonymous=LOGIN)


def page(get):
    """A page that only reads: a POST is answered like a GET."""
    return Row(get=get, post=get, writes=False)


TABLE = {
    "talent:library": page(cells(OK)),
    "talent:experts": page(cells(OK)),
    # A pending entry: its submitter and the curators; nobody else learns it exists (not even anonymous).
    "talent:listing": page(cells(NOT_FOUND, team=OK, officer=OK, superuser=OK)),
    # Publishing the pending entry: the curators (the submitter may see it, but not publish it).
    "talent:listing_move": Row(get=wrong_method(), post=officers()),
    "talent:my_listings": page(logged_in()),
    "talent:listing_new": page(logged_in()),
    # The returned entry: only its submitter edits it (not even a curator or a superuser).
    "talent:listing_edit": page(cells(NOT_FOUND, anonymous=LOGIN, team=OK)),
    # Each officer sees their own programme's queue.
    "talent:listing_queue": page(officers(other_officer=OK)),
    "talent:listing_return": page(officers()),
    "talent:listing_matches": page(officers()),
    # The empty note is refused with a message (a redirect back to the suggestions).
    "talent:listing_introduce": Row(get=wrong_method(), post=officers(), writes=False),
    "talent:my_introductions": page(logged_in()),
    "talent:introduction": page(officers(team=OK, firm=OK)),
    # Accepting: the two sides only.
    "talent:introduction_answer": Row(get=wrong_method(), post=cells(NOT_FOUND, anonymous=LOGIN, team=OK, firm=OK)),
    "talent:introduction_close": page(officers()),
}
