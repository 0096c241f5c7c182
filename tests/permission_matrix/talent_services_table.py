"""The service requests' permission matrix (issue 12, "Services"): who gets what on every service-request URL, GET
and POST, in the world of talent_services_probes.py (test_talent_services_matrix.py runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant with nothing in the base
team                      the admitted team that asked for the world's requests
other_team                another team's applicant (in the base too, with a request of its own)
director                  the programme's director (signs letters; runs no service)
other_officer             an officer of another programme
officer                   an officer of the programme
superuser                 repairs everything (holds the programme's MANAGE; is no team)
========================  =================================================================================

POSTs carry an empty body, so a permitted POST is a form that answers with its messages and writes nothing: these
rows assert who is refused, and that a refusal changes nothing. The services' tests cover what a valid POST does.
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = ("anonymous", "outsider", "team", "other_team", "director", "other_officer", "officer", "superuser")


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the services matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


def page(get):
    return Row(get=get, post=get, writes=False)


def form(get):
    """A form: the empty POST comes back with its messages for who may (nothing written), 404 for the others."""
    return Row(get=get, post=get, writes=False)


TABLE = {
    # Anyone logged in has a (possibly empty) list of their own requests.
    "talent:my_services": page(cells(OK, anonymous=LOGIN)),
    # Only the admitted team asks for its services (officers do not ask on its behalf).
    "talent:service_new": form(cells(NOT_FOUND, anonymous=LOGIN, team=OK)),
    "talent:service_request": page(officers(team=OK)),
    "talent:service_download": page(officers(team=OK)),
    # The probe completes a request in progress: a form for the officers; the team only withdraws.
    "talent:service_move": form(officers()),
    "talent:service_queue": page(officers()),
    "talent:service_assign": form(officers()),
    "talent:service_due": form(officers()),
    # POST only; no fund accepts applications in this world, so the hand-off is refused with a message.
    "talent:service_hand_off": Row(
        get=officers(officer=NOT_ALLOWED, superuser=NOT_ALLOWED), post=officers(), writes=False
    ),
}
