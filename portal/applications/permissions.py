"""Who may see and do what with applications. Plain booleans only; default deny.

- The **applicant** (the user who started it) sees and edits their own application; nobody else of their
  organization does.
- **Officers** hold ``Power.MANAGE`` over the application's owner in ``portal.authority`` (the domain registers
  who they are: the fund's managers, a programme's officers). They see an application once it has been submitted,
  only what was sent (frozen submissions and their attachments), and keep internal notes the applicant never sees.
- Everybody else: 404.
"""

from portal import authority, lifecycle
from portal.accounts.roles import RoleCode, has_role, is_active_user
from portal.authority import Power
from portal.memo import memo

from .models import ApplicationState, SupplementState


def is_applicant(user, application) -> bool:
    return bool(is_active_user(user) and application.applicant_id == user.pk)


def is_officer(user, application) -> bool:
    """The owner's managers, and whoever the kind says handles the application now (``Kind.also_handled_by``)."""
    if authority.holds(user, application.owner, Power.MANAGE):
        return True
    kind = application.kind_entry
    return bool(kind is not None and kind.also_handled_by is not None and kind.also_handled_by(user, application))


def can_view(user, application) -> bool:
    """The application's page: its applicant; its officers once it was submitted (a draft is the applicant's own)."""
    if is_applicant(user, application):
        return True
    return bool(application.was_submitted and is_officer(user, application))


def can_start(user, kind, owner) -> bool:
    """Start (or resume) an application of ``kind`` for ``owner``: an applicant (the service also asks whether the
    owner accepts applications now, and says so)."""
    return bool(is_active_user(user) and has_role(user, RoleCode.APPLICANT))


def open_request(application):
    """The open request for supplement, if any (asked once per instance)."""

    def find():
        if not application.is_supplement_requested:
            return None
        return application.supplement_requests.filter(state=SupplementState.OPEN).first()

    return memo(application, "open_supplement_request", find)


def can_edit(user, application) -> bool:
    """Change answers or attachments: a draft, or while a supplement is asked for."""
    return bool(
        is_applicant(user, application)
        and application.state in (ApplicationState.DRAFT, ApplicationState.SUPPLEMENT_REQUESTED)
    )


def can_edit_step(user, application, step_code) -> bool:
    """A draft's every step; during a supplement only the sections the officer reopened."""
    if not can_edit(user, application):
        return False
    if application.is_draft:
        return True
    request = open_request(application)
    return bool(request is not None and step_code in request.sections)


def can_submit(user, application) -> bool:
    return lifecycle.allowed(application, "submit", user)


def can_withdraw(user, application) -> bool:
    if not lifecycle.allowed(application, "withdraw", user):
        return False
    kind = application.kind_entry
    return bool(kind is None or kind.withdrawable is None or kind.withdrawable(application))


def can_request_supplement(user, application) -> bool:
    return lifecycle.allowed(application, "request_supplement", user)


def can_answer_supplement(user, application) -> bool:
    return lifecycle.allowed(application, "answer_supplement", user)


def can_reveal_private(user, application) -> bool:
    """Read the personal identifiers (``Kind.private_fields``) of a sent application in full: the owner's managers
    only (never a reviewer, nor someone the kind lets handle it for a while); each reading is audited."""
    kind = application.kind_entry
    return bool(
        kind is not None
        and kind.private_fields
        and application.was_submitted
        and authority.holds(user, application.owner, Power.MANAGE)
    )


def can_see_notes(user, application) -> bool:
    return bool(application.was_submitted and is_officer(user, application))


def can_download(user, attachment) -> bool:
    """The applicant any file of their own; officers only files that were sent (part of a submission)."""
    application = attachment.application
    if is_applicant(user, application):
        return True
    return bool(can_view(user, application) and attachment.submissions.exists())


def can_see_applicant_panel(user) -> bool:
    """The dashboard's "My applications": applicants, and anyone who has started one."""
    if not is_active_user(user):
        return False
    return bool(has_role(user, RoleCode.APPLICANT) or user.applications.exists())


def managed_applications(user):
    """Submitted applications of the owners ``user`` holds MANAGE over (a queryset for lists and panels)."""
    from .models import Application

    return Application.objects.filter(authority.owner_q(user, Power.MANAGE), submitted_at__isnull=False)


def can_see_officer_panel(user) -> bool:
    if not is_active_user(user):
        return False
    return managed_applications(user).exists()
