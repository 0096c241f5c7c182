"""The fund's permission matrix (issue 10): who gets what on every funds URL and on the reviews engine's material
URLs, GET and POST, with its own world (funds_probes.py; test_funds_matrix.py runs it).

========================  =================================================================================
anonymous                 not logged in
outsider                  an applicant with nothing in this fund
firm                      contact of the due-diligence deal's company and of a portfolio company (KPI report)
evaluator                 an expert not invited to the deal's review round
evaluator_assigned        invited to the deal's round, accepted, declared no conflict; on the 2024 evaluation's panel
evaluator_recused         invited to the same round, declared a conflict
ic_member                 a member of the fund's investment committee (one deal is on its meeting's agenda)
lp                        contact of an LP of the fund (sees the approved evaluation)
role_only                 the fund_manager role and is_staff: neither is power over a fund
other_manager             manages another fund
manager                   manages this fund
superuser                 manages everything (to repair)
========================  =================================================================================

Outcomes and ``Row`` are the main matrix's (table.py). POSTs carry an empty body (see funds_probes.probes), so a
permitted POST is a form that answers with its messages (``OK``) and writes nothing: these rows assert who is
refused, and that a refusal changes nothing.
"""

from .table import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Row

USERS = (
    "anonymous",
    "outsider",
    "firm",
    "evaluator",
    "evaluator_assigned",
    "evaluator_recused",
    "ic_member",
    "lp",
    "role_only",
    "other_manager",
    "manager",
    "superuser",
)


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the funds matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def managers(**exceptions):
    """The fund's managers and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "manager": OK, "superuser": OK, **exceptions})


def fund_people(**exceptions):
    """Managers, superusers and the members of the fund's investment committee."""
    return managers(ic_member=OK, **exceptions)


def wrong_method():
    """The view takes POST only: 405 once logged in, whoever asks (the same answer for every object and person,
    so it reveals nothing); anonymous to the login page first."""
    return cells(NOT_ALLOWED, anonymous=LOGIN)


def page(get):
    """A page that only reads: a POST is answered like a GET (nothing is written)."""
    return Row(get=get, post=get, writes=False)


def form(get, post=None):
    """A page with a form: the empty POST comes back with its messages for who may, 404 for the others."""
    return Row(get=get, post=post or get, writes=False)


def action(post):
    """A POST-only action: the empty POST is refused with a message for who may, 404 for the others."""
    return Row(get=wrong_method(), post=post, writes=False)


TABLE = {
    "funds:index": page(cells(OK, anonymous=LOGIN)),  # lists only the funds the person may open
    "funds:pipeline": page(managers()),
    "funds:deal_list": page(managers()),
    "funds:deal_new": form(managers()),
    "funds:saved_filter_save": action(managers()),
    # A saved filter is its owner's own: not even a superuser deletes another person's.
    "funds:saved_filter_delete": action(managers(superuser=NOT_FOUND)),
    "funds:deal": page(managers()),
    "funds:deal_edit": form(managers()),
    "funds:deal_move": form(managers()),  # GET: the step's note form
    "funds:deal_document": Row(get=managers(), post=wrong_method(), writes=False),  # the download
    "funds:deal_document_upload": form(managers()),
    "funds:deal_folder_create": action(managers()),
    "funds:deal_review_start": form(managers()),
    "funds:deal_export": Row(get=managers(), post=wrong_method(), writes=False),
    "funds:deal_import": form(managers()),
    "funds:deal_import_template": Row(get=managers(), post=wrong_method(), writes=False),
    "funds:deal_import_preview": Row(get=managers(), post=wrong_method(), writes=False),
    "funds:deal_import_apply": action(managers()),
    "funds:committee": page(fund_people()),
    "funds:committee_meeting_new": form(managers()),
    "funds:committee_meeting": page(fund_people()),
    "funds:committee_meeting_open": action(managers()),
    "funds:committee_meeting_close": action(managers()),
    "funds:committee_meeting_cancel": action(managers()),
    "funds:committee_minutes": action(managers()),
    "funds:committee_agenda_add": action(managers()),
    "funds:committee_agenda_remove": action(managers()),
    "funds:committee_declare_conflict": action(fund_people()),
    "funds:committee_record_recusal": action(managers()),
    "funds:committee_open_vote": action(managers()),
    "funds:committee_decide": action(managers()),
    "funds:committee_opinion": form(managers()),
    "funds:deal_terms": form(managers()),
    "funds:disbursement_plan": form(managers()),
    "funds:disbursement_paid": form(managers()),
    "funds:valuation_add": form(managers()),
    "funds:milestone_add": form(managers()),
    "funds:deal_exit": form(managers()),
    "funds:kpi_request": form(managers()),
    # The firm fills in its own KPI report; the fund's managers read it; nobody else knows it exists.
    "funds:kpi_report": Row(
        get=managers(firm=OK), post=managers(firm=OK, manager=NOT_FOUND, superuser=NOT_FOUND), writes=False
    ),
    # Performance: the fund's people see the figures; the approved 2024 evaluation is open to its panel and the
    # fund's LPs too; its rows only to the fund's people and the panel; the steps are the managers' (approved: each
    # is refused with a message, nothing changes). Approving is the IC chair's, and only while in draft: 404 here.
    "funds:performance": page(fund_people()),
    "funds:evaluation": page(fund_people(evaluator_assigned=OK, lp=OK)),
    "funds:evaluation_start": action(managers()),
    "funds:evaluation_compute": action(managers()),
    "funds:evaluation_recommendations": action(managers()),
    "funds:evaluation_approve": action(managers(manager=NOT_FOUND, superuser=NOT_FOUND)),
    "funds:evaluation_panel": form(managers()),
    "funds:evaluation_figure": page(fund_people(evaluator_assigned=OK)),
    "funds:evaluation_workbook": Row(get=fund_people(), post=fund_people(), writes=False),
    # The report's PDF: whoever sees the evaluation (the LPs: it is approved). Drafting the approved report as an
    # opinion: the managers (a superuser repairs); the empty POST drafts it.
    "funds:evaluation_report": Row(get=fund_people(evaluator_assigned=OK, lp=OK), post=wrong_method(), writes=False),
    "funds:evaluation_opinion": Row(get=wrong_method(), post=managers()),
    # A year's indicator set: the managers' (a superuser repairs). The probes post a valid set: a new year is created,
    # the draft 2025 set replaced; a refusal changes nothing.
    "funds:indicator_set_new": Row(get=managers(), post=managers()),
    "funds:indicator_set_edit": Row(get=managers(), post=managers()),
    # The recorded performance data as a workbook, and its import: the managers (the probe's import was applied
    # already, so the empty POST is refused with a message).
    "funds:performance_import": form(managers()),
    "funds:performance_data_export": Row(get=managers(), post=wrong_method(), writes=False),
    "funds:performance_import_template": Row(get=managers(), post=wrong_method(), writes=False),
    "funds:performance_import_preview": Row(get=managers(), post=wrong_method(), writes=False),
    "funds:performance_import_apply": action(managers()),
    # The reviews engine's material of a round on a deal: the managers choose it; a cleared evaluator opens it.
    "reviews:round_material": form(managers()),
    "reviews:material": Row(get=managers(evaluator_assigned=OK), post=cells(NOT_ALLOWED), writes=False),
}
