"""The special-talent reports' permission matrix (issue 13, "Documents": the officers' reports): who gets what on the
report page and its workbook, GET and POST, in the world of talent_reports_probes.py (test_talent_reports_matrix.py
runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  a signed-in applicant with nothing in the programme
employer                  the employer whose application is in the programme
reviewer                  the sector authority's pre-reviewer of that application
director                  the programme's director (signs its documents; runs nothing)
other_officer             an officer of another special-talent programme
officer                   an officer of the programme
superuser                 repairs everything (holds the programme's MANAGE)
========================  =================================================================================

Both pages take GET only. The workbook names candidates: taking it is an audited read (an audit row, nothing else).
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = ("anonymous", "outsider", "employer", "reviewer", "director", "other_officer", "officer", "superuser")


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the reports matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers():
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, anonymous=LOGIN, officer=OK, superuser=OK)


def read_only(get):
    """GET only: a POST is 405 once logged in, whoever asks; anonymous to the login page first."""
    return Row(get=get, post=cells(NOT_ALLOWED, anonymous=LOGIN), writes=False)


TABLE = {
    "talent:special_reports": read_only(officers()),
    "talent:special_reports_export": read_only(officers()),
}
