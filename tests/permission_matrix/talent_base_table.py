"""The offshore base's permission matrix for its public pages and the office's base-application pages (issue 12):
who gets what, GET and POST, in the world of talent_base_probes.py (test_talent_base_matrix.py runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant with nothing in the base
team                      the applicant of every base application of the world (decision letter issued)
other_team                another team's applicant
expert                    an evaluator invited to nothing here
director                  the programme's director (signs letters; runs nothing)
other_officer             an officer of another programme
officer                   an officer of the programme
superuser                 repairs everything
========================  =================================================================================
"""

from .table import LOGIN, NOT_FOUND, OK, Row

USERS = ("anonymous", "outsider", "team", "other_team", "expert", "director", "other_officer", "officer", "superuser")


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the talent matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


def everyone():
    return cells(OK)


def page(get):
    return Row(get=get, post=get, writes=False)


def form(get):
    """A form: the empty POST comes back with its messages for who may (nothing written), 404 for the others."""
    return Row(get=get, post=get, writes=False)


TABLE = {
    "talent:index": page(everyone()),
    "talent:programme": page(everyone()),
    "talent:call": page(everyone()),
    # The office: straight to the only programme an officer runs; superusers choose among all.
    "talent:office": page(officers(other_officer=OK)),
    "talent:base_applications": page(officers()),
    "talent:base_application": page(officers()),
    # GET goes back to the application's page; the POST takes the step (the probe's application is complete).
    "talent:base_to_review": Row(get=officers(), post=officers()),
    "talent:base_start_review": form(officers()),
    "talent:base_decide": form(officers()),
    "talent:base_onboarding": form(officers()),
    # Without a company and seat the step is refused with a message: nothing changes.
    "talent:base_activate": Row(get=officers(), post=officers(), writes=False),
    "talent:base_end": form(officers()),
    # The programme's calls: its officers open and change them (the empty POST comes back with the form's messages).
    "talent:office_calls": page(officers()),
    "talent:call_new": form(officers()),
    "talent:call_edit": form(officers()),
    "talent:roadshow_new": form(officers()),
    "talent:roadshow_edit": form(officers()),
    # The issued letter: its team and the officers.
    "talent:base_letter": page(officers(team=OK)),
}
