"""The permission matrix of portal.applications (issue 10): who gets what on every /apply/ and
/workspace/applications/ URL, with its own small world (test_applications_matrix.py builds it).

========================  =================================================================================
anonymous                 not logged in
applicant_a               the applicant who owns every application probed here
applicant_b               another applicant (another firm)
officer                   holds MANAGE over the applications' owner
other_officer             holds MANAGE over another owner
superuser                 manages every owner (to repair), but is not an applicant
========================  =================================================================================

Outcomes and ``Row`` are the main matrix's (table.py). Object URLs answer 404 to who may not see the object; a
draft is its applicant's alone, so officers too get 404 until it is submitted. ``test_matrix`` counts these rows
as classified.
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = ("anonymous", "applicant_a", "applicant_b", "officer", "other_officer", "superuser")


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the applications matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def everyone(outcome):
    return cells(outcome)


def applicant_only(**exceptions):
    """The applicant's own object: applicant A; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, anonymous=LOGIN, applicant_a=OK, **exceptions)


def applicant_and_officers(**exceptions):
    """A submitted application: its applicant and who manages its owner (the superuser too)."""
    return applicant_only(officer=OK, superuser=OK, **exceptions)


def officers_only(**exceptions):
    return cells(NOT_FOUND, anonymous=LOGIN, officer=OK, superuser=OK, **exceptions)


def post_only():
    """The view takes POST only: 405 once logged in (whatever the object: it reveals nothing)."""
    return cells(NOT_ALLOWED, anonymous=LOGIN)


TABLE = {
    "applications:open": Row(get=everyone(OK), post=everyone(NOT_ALLOWED), writes=False),
    # Anyone reads the start page; an applicant starts (A resumes the draft she has; B starts one).
    "applications:start": Row(
        get=everyone(OK),
        post=cells(NOT_FOUND, anonymous=LOGIN, applicant_a=OK, applicant_b=OK),
        writes=False,
    ),
    "applications:step": Row(get=applicant_only(), post=applicant_only()),
    "applications:attachments": Row(get=applicant_only(), post=applicant_only()),
    "applications:remove_attachment": Row(get=post_only(), post=applicant_only()),
    "applications:review": Row(get=applicant_only(), post=applicant_only()),
    "applications:list": Row(get=cells(OK, anonymous=LOGIN), post=post_only(), writes=False),
    "applications:detail": Row(get=applicant_and_officers(), post=post_only(), writes=False),
    "applications:download": Row(get=applicant_and_officers(), post=post_only()),
    "applications:withdraw": Row(get=post_only(), post=applicant_only()),
    "applications:answer": Row(get=post_only(), post=applicant_only()),
    "applications:request_supplement": Row(get=post_only(), post=officers_only()),
    "applications:note": Row(get=post_only(), post=officers_only()),
    # The test kind marks no private fields: nothing to reveal, to anyone (the base's passports: test_talent_admission
    # _views.py reads them as the officer, audited, and refuses the expert).
    "applications:reveal": Row(get=post_only(), post=cells(NOT_FOUND, anonymous=LOGIN)),
}
