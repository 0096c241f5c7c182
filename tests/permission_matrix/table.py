"""Who gets what, per URL pattern, for GET and for POST: the policy of issue 8 written as one table.

Columns (``USERS``) are people looking at objects they do not own (see world.py for the objects):

========================  =================================================================================
anonymous                 not logged in
applicant                 a firm's contact (``applicant`` role, linked to an organization)
evaluator                 an expert with the ``evaluator`` role, not invited to the review round
evaluator_assigned        invited to the council's round, accepted, declared no conflict (cleared)
evaluator_recused         invited to the same round, declared a conflict (recused)
member_a                  a member of committee A only, looking at the plenary and committee B
external                  committee A's external member (organization outside the council)
other_secretariat         ``secretariat`` role, the secretariat of ANOTHER council
secretariat               the council's own secretariat
editor                    ``editor`` role (Wagtail admin for content)
staff_fund                ``is_staff`` and the ``fund_manager`` role: neither is an authority over a council
superuser                 manages everything, never signs
========================  =================================================================================

Outcomes: ``OK`` (2xx, or a redirect that is not to a login page), ``LOGIN`` (redirect to a login page),
``NOT_FOUND`` (404: the default for an object the user may not see — no existence leak), ``DENIED`` (403),
``NOT_ALLOWED`` (405: the view does not take that method), ``LIMITED`` (429), ``BAD`` (400). A refused cell also
asserts that nothing changed; an ``OK`` POST asserts that something did, unless the row says ``writes=False``.

Each row names a default and the exceptions, so the policy reads off the row: ``council(...)`` is "the council's
own secretariat and superusers; anonymous to the login page; everyone else 404".
"""

from dataclasses import dataclass

USERS = (
    "anonymous",
    "applicant",
    "evaluator",
    "evaluator_assigned",
    "evaluator_recused",
    "member_a",
    "external",
    "other_secretariat",
    "secretariat",
    "editor",
    "staff_fund",
    "superuser",
)

OK = "OK"
LOGIN = "LOGIN"
NOT_FOUND = "NOT_FOUND"
DENIED = "DENIED"
NOT_ALLOWED = "NOT_ALLOWED"
LIMITED = "LIMITED"
BAD = "BAD"
OUTCOMES = {OK, LOGIN, NOT_FOUND, DENIED, NOT_ALLOWED, LIMITED, BAD}


def cells(default, **exceptions):
    unknown = set(exceptions) - set(USERS)
    if unknown:
        raise ValueError(f"not a column of the matrix: {sorted(unknown)}")
    return {who: exceptions.get(who, default) for who in USERS}


def public(**exceptions):
    """Everyone, logged in or not."""
    return cells(OK, **exceptions)


def logged_in(**exceptions):
    """Every logged-in user (the page shows only what is theirs); anonymous to the login page."""
    return cells(OK, **{"anonymous": LOGIN, **exceptions})


def council(**exceptions):
    """The council's own secretariat and superusers; anonymous to the login page; everyone else 404."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, "secretariat": OK, "superuser": OK, **exceptions})


def nobody(**exceptions):
    """No column may: 404 (anonymous to the login page)."""
    return cells(NOT_FOUND, **{"anonymous": LOGIN, **exceptions})


def not_allowed(**exceptions):
    """The view does not take this method, whoever asks."""
    return cells(NOT_ALLOWED, **exceptions)


@dataclass(frozen=True)
class Row:
    get: dict
    post: dict
    writes: bool = True  # a permitted POST changes something (False: it only reads, or cannot succeed here)


def wrong_method():
    """The view does not take this method: 405 once logged in (anonymous to the login page first). The answer
    is the same for every object and person, so it reveals nothing."""
    return cells(NOT_ALLOWED, anonymous=LOGIN)


def checked_then_post_only():
    """A POST-only object URL that checks who asks first: 404 to who may not act, 405 to who may."""
    return council(secretariat=NOT_ALLOWED, superuser=NOT_ALLOWED)


def must_use_two_factor(**exceptions):
    """Who must use two-factor sign-in (portal/accounts/twofactor.py: the secretariat, fund managers, Wagtail admin
    users, staff and superusers); anonymous to the login page; everyone else 404."""
    must = dict.fromkeys(("other_secretariat", "secretariat", "editor", "staff_fund", "superuser"), OK)
    return cells(NOT_FOUND, **{"anonymous": LOGIN, **must, **exceptions})


def portal_staff(**exceptions):
    """Portal staff with the model permission (here only the superuser); everyone else 404."""
    return nobody(**{"superuser": OK, **exceptions})


TABLE = {
    # --- portal: public pages, accounts ----------------------------------------------------------------
    "search": Row(get=public(), post=public(), writes=False),
    # The node's health for load balancers: names the checks, never a reason (portal/health.py).
    "health": Row(get=public(), post=not_allowed(), writes=False),
    "accounts:login": Row(get=public(), post=public(), writes=False),
    "accounts:logout": Row(get=not_allowed(), post=public(), writes=False),
    "accounts:profile": Row(get=logged_in(), post=logged_in()),
    # Two-factor sign-in: the pages of who must use it (secretariats, editors, staff, superusers); 404 to the rest.
    # With nothing set up yet, each sends them on to the setup (a redirect, not to the login page).
    "accounts:two_factor": Row(get=must_use_two_factor(), post=wrong_method()),
    "accounts:two_factor_setup": Row(get=must_use_two_factor(), post=must_use_two_factor(), writes=False),
    "accounts:two_factor_verify": Row(get=must_use_two_factor(), post=must_use_two_factor(), writes=False),
    # POST-only; without a recent code they send the person to verify first, changing nothing.
    "accounts:two_factor_recovery_codes": Row(get=wrong_method(), post=must_use_two_factor(), writes=False),
    "accounts:two_factor_replace": Row(get=wrong_method(), post=must_use_two_factor(), writes=False),
    "accounts:password_change": Row(get=logged_in(), post=logged_in()),
    "accounts:password_reset": Row(get=public(), post=public(), writes=False),  # sends mail, writes no row
    "accounts:password_reset_done": Row(get=public(), post=not_allowed(), writes=False),
    # A made-up link: the page says it is invalid, for everyone.
    "accounts:password_reset_confirm": Row(get=public(), post=public(), writes=False),
    "accounts:password_reset_complete": Row(get=public(), post=not_allowed(), writes=False),
    # Registering: anonymous visitors create an account (tests/test_registration.py); a logged-in person is sent
    # on to the workspace and registers nothing.
    "accounts:register": Row(get=public(), post=public(), writes=False),
    "accounts:register_sent": Row(get=public(), post=not_allowed(), writes=False),
    # The link is the key: whoever holds it confirms the account it names (a GET only shows what it is for).
    "accounts:register_confirm": Row(get=public(), post=public()),
    "accounts:register_resend": Row(get=public(), post=public()),  # the same answer for every address
    # Any account attaches itself to an organization (here: registers a new one).
    "accounts:organization": Row(get=logged_in(), post=logged_in()),
    "accounts:organization_claims": Row(get=logged_in(), post=wrong_method(), writes=False),
    # A claim on the applicant's firm: its contact (the applicant) or an officer (the superuser; no role, not
    # is_staff) decides; only the claimant (here the evaluator) withdraws.
    "accounts:claim_approve": Row(get=wrong_method(), post=nobody(applicant=OK, superuser=OK)),
    "accounts:claim_refuse": Row(get=wrong_method(), post=nobody(applicant=OK, superuser=OK)),
    "accounts:claim_withdraw": Row(get=wrong_method(), post=nobody(evaluator=OK)),
    "workspace:dashboard": Row(get=logged_in(), post=logged_in(), writes=False),
    "notifications:list": Row(get=logged_in(), post=logged_in(), writes=False),
    # --- reviews: evaluators see only their live assignments; rounds only their owner's managers ------------
    "reviews:list": Row(get=logged_in(), post=logged_in(), writes=False),
    # The round's managers read every assignment of it; only the assignee acts on one.
    "reviews:assignment": Row(get=council(evaluator_assigned=OK), post=nobody(evaluator_assigned=OK)),
    "reviews:assignment#recused": Row(get=council(), post=nobody()),  # not even the recused evaluator
    "reviews:round": Row(get=council(), post=council()),
    # --- voting: the poll's owner (the council) manages it; the electorate votes ---------------------------
    "voting:detail": Row(get=council(), post=wrong_method()),
    # No column is in the electorate: managers see the poll and are told they have no ballot.
    "voting:cast": Row(get=wrong_method(), post=council(), writes=False),
    "voting:close": Row(get=wrong_method(), post=council()),
    # --- opinions: the issuer's owner manages; the owner's chair and vice-chairs sign (no column does) ------
    "opinions:list": Row(get=logged_in(), post=logged_in(), writes=False),
    "opinions:create": Row(get=council(), post=council()),
    "opinions:detail": Row(get=council(), post=council(), writes=False),
    "opinions:detail#issued": Row(get=council(), post=council(), writes=False),
    "opinions:edit": Row(get=council(), post=council()),
    "opinions:status": Row(get=council(), post=council(), writes=False),
    "opinions:submit": Row(get=wrong_method(), post=council()),
    "opinions:sign": Row(get=wrong_method(), post=nobody()),  # superusers never sign
    "opinions:issue": Row(get=wrong_method(), post=council()),
    "opinions:revoke": Row(get=wrong_method(), post=council()),
    # An issued public opinion is public (its PDF is also at /verify/); a non-public one stays its owner's.
    "opinions:pdf": Row(get=logged_in(), post=logged_in(), writes=False),
    "opinions:pdf#private": Row(get=council(), post=council(), writes=False),
    "opinions:detail#private": Row(get=council(), post=council(), writes=False),
    # --- /verify/: public, rate-limited (see test_verify_is_rate_limited) ---------------------------------
    "verify:start": Row(get=public(), post=public(), writes=False),
    "verify:detail": Row(get=public(), post=public(), writes=False),
    "verify:pdf": Row(get=public(), post=public(), writes=False),
    # A non-public opinion's file: only its owner's managers, through /verify/ too (an audited read).
    "verify:pdf#private": Row(get=council(anonymous=NOT_FOUND), post=council(anonymous=NOT_FOUND), writes=False),
    # --- Wagtail (one entry per include) --------------------------------------------------------------------
    # Wagtail sends whoever lacks admin access to its login page (is_staff alone is not access).
    "wagtail-admin": Row(
        get=cells(LOGIN, editor=OK, superuser=OK), post=cells(LOGIN, editor=NOT_ALLOWED, superuser=NOT_ALLOWED)
    ),
    "wagtail-documents": Row(get=public(), post=public(), writes=False),
    "wagtail-pages": Row(get=public(), post=public(), writes=False),
    # --- councils: workspaces and documents -----------------------------------------------------------------
    "councils:workspaces": Row(get=logged_in(), post=logged_in(), writes=False),
    "councils:council": Row(get=council(), post=council(), writes=False),
    "councils:folder_create": Row(get=wrong_method(), post=council()),
    "councils:committee": Row(get=council(), post=council(), writes=False),  # committee B
    # Committee A, for contrast: its own members open it (the 404s above are not everyone's).
    "councils:committee#a": Row(
        get=council(member_a=OK, external=OK), post=council(member_a=OK, external=OK), writes=False
    ),
    "councils:committee_folder_create": Row(get=wrong_method(), post=council()),
    "councils:folder": Row(get=council(), post=council(), writes=False),
    "councils:document_upload": Row(get=council(), post=council()),
    "councils:document": Row(get=council(), post=council(), writes=False),
    "councils:document#committee_b": Row(get=council(), post=council(), writes=False),
    "councils:version_upload": Row(get=council(), post=council()),
    "councils:download": Row(get=council(), post=council()),  # a download is an audited read
    # --- discussions ----------------------------------------------------------------------------------------
    "councils:threads": Row(get=council(), post=council(), writes=False),
    "councils:committee_threads": Row(get=council(), post=council(), writes=False),
    "councils:thread_new": Row(get=council(), post=council()),
    "councils:committee_thread_new": Row(get=council(), post=council()),
    "councils:thread": Row(get=council(), post=council(), writes=False),
    "councils:thread#committee_b": Row(get=council(), post=council(), writes=False),
    "councils:thread_reply": Row(get=council(), post=council()),  # a GET goes back to the thread
    "councils:attachment_download": Row(get=council(), post=council()),
    # --- meetings: the conveners (chair or secretariat) run them; invitees answer --------------------------
    "councils:meetings": Row(get=council(), post=council(), writes=False),
    "councils:committee_meetings": Row(get=council(), post=council(), writes=False),
    "councils:meeting_new": Row(get=council(), post=council()),
    "councils:committee_meeting_new": Row(get=council(), post=council()),
    "councils:meeting": Row(get=council(), post=council(), writes=False),
    "councils:meeting#committee_b": Row(get=council(), post=council(), writes=False),
    "councils:meeting_edit": Row(get=council(), post=council()),
    "councils:meeting_rsvp": Row(get=wrong_method(), post=nobody()),  # invitees only; no column is invited
    "councils:meeting_invite": Row(get=wrong_method(), post=council()),
    "councils:meeting_agenda_add": Row(get=wrong_method(), post=council()),
    "councils:meeting_agenda_remove": Row(get=wrong_method(), post=council()),
    "councils:meeting_agenda_move": Row(get=wrong_method(), post=council()),
    "councils:meeting_attendance": Row(get=council(), post=council()),
    "councils:meeting_open": Row(get=wrong_method(), post=council()),
    "councils:meeting_close": Row(get=wrong_method(), post=council()),
    "councils:meeting_cancel": Row(get=wrong_method(), post=council()),
    "councils:minutes_edit": Row(get=council(), post=council()),
    "councils:minutes_circulate": Row(get=wrong_method(), post=council()),
    "councils:minutes_approve": Row(get=council(), post=council()),
    "councils:action_items": Row(get=council(), post=council(), writes=False),
    "councils:committee_action_items": Row(get=council(), post=council(), writes=False),
    "councils:action_item_new": Row(get=council(), post=council()),
    "councils:committee_action_item_new": Row(get=council(), post=council()),
    "councils:action_item_status": Row(get=wrong_method(), post=council()),
    # --- motions: members draft; only the proposer edits, submits or withdraws; the owner votes -----------
    "councils:motion": Row(get=council(), post=council(), writes=False),
    "councils:motions": Row(get=council(), post=council(), writes=False),
    "councils:committee_motions": Row(get=council(), post=council(), writes=False),
    "councils:motion_new": Row(get=council(), post=council()),
    "councils:committee_motion_new": Row(get=council(), post=council()),
    "councils:motion_edit": Row(get=nobody(), post=nobody()),  # a draft is its proposer's alone
    "councils:motion_submit": Row(get=nobody(), post=nobody()),
    "councils:motion_withdraw": Row(get=nobody(), post=nobody()),
    "councils:motion_agenda": Row(get=council(), post=council()),
    "councils:motion_agenda_remove": Row(get=checked_then_post_only(), post=council()),
    "councils:motion_vote_meeting": Row(get=council(), post=council()),
    "councils:motion_vote_written": Row(get=council(), post=council()),
    "councils:motion_vote_close": Row(get=checked_then_post_only(), post=council()),
    "councils:motion_record_result": Row(get=checked_then_post_only(), post=council()),
    # --- policy feedback: the secretariat runs campaigns; members answer ----------------------------------
    "councils:feedback": Row(get=council(), post=council(), writes=False),
    "councils:committee_feedback": Row(get=council(), post=council(), writes=False),
    "councils:feedback_new": Row(get=council(), post=council()),
    "councils:committee_feedback_new": Row(get=council(), post=council()),
    "councils:campaign": Row(get=council(), post=council(), writes=False),
    "councils:campaign_edit": Row(get=council(), post=council()),
    "councils:campaign_open": Row(get=wrong_method(), post=council()),
    "councils:campaign_close": Row(get=wrong_method(), post=council()),
    "councils:campaign_answer": Row(get=wrong_method(), post=nobody()),  # member organizations only
    "councils:campaign_export": Row(get=council(), post=council()),
    "councils:campaign_opinion": Row(get=wrong_method(), post=council()),
    # --- opinions and activity in the workspaces ------------------------------------------------------------
    "councils:opinions": Row(get=council(), post=council(), writes=False),
    "councils:committee_opinions": Row(get=council(), post=council(), writes=False),
    # Setting up an issuer is portal staff's (opinions.add_issuer), not the secretariat's. The plenary already
    # issues opinions: the form says so and nothing changes.
    "councils:issuer_set_up": Row(get=wrong_method(), post=portal_staff(), writes=False),
    "councils:committee_issuer_set_up": Row(get=wrong_method(), post=portal_staff()),
    "councils:review_opinion": Row(get=wrong_method(), post=council()),
    # Committee B has no issuer: the view explains, nothing changes (the plenary row proves the write).
    "councils:committee_review_opinion": Row(get=wrong_method(), post=council(), writes=False),
    "councils:activity": Row(get=council(), post=council(), writes=False),
    "councils:committee_activity": Row(get=council(), post=council(), writes=False),
}
