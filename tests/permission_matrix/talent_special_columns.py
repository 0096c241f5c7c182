"""The columns every special-talent matrix shares (issue 13: the office, the meeting, the notice and filing, the
reports), built from tests/special_world.py: who they are, the cells of a row, and each column's user.

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant with nothing here
employer                  the employer of every application of the world
other_employer            another employer
expert                    an evaluator of the panels (runs nothing)
reviewer                  the pre-reviewer of the biomedicine sector's authority (every probe's sector)
other_reviewer            the pre-reviewer of another sector's authority
director                  the programme's director (signs its opinions; runs nothing)
other_officer             an officer of another special-talent programme
officer                   an officer of the programme
superuser                 repairs everything (holds MANAGE, never a sector authority's pre-review)
========================  =================================================================================
"""

from tests.factories import UserFactory

from .table import LOGIN, NOT_FOUND, OK

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
        raise ValueError(f"not a column of the special-talent matrices: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def officers(**exceptions):
    """The programme's officers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "officer": OK, "superuser": OK, **exceptions})


def people(w, superuser_name):
    """Each column's user in the world ``w`` of tests/special_world.py (a superuser made for the matrix)."""
    return {
        "anonymous": None,
        "outsider": w.outsider,
        "employer": w.employer,
        "other_employer": w.other_employer,
        "expert": w.experts[0].user,
        "reviewer": w.reviewer,
        "other_reviewer": w.other_reviewer,
        "director": w.director,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": UserFactory(username=superuser_name, is_superuser=True, is_staff=True),
    }
