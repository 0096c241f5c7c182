"""Who may do what in the talent programmes. Plain booleans only; default deny.

Power comes from the programme (portal.authority, talent/authority.py): its officers run its calls, applications,
service requests, libraries, introductions and roadshows; its director signs decision letters. The
``talent_officer`` role is only a coarse gate for menus; it grants nothing. Applicants see their own
applications and service requests; library submitters their own unpublished entries; experts only what their
accepted, non-recused review assignments expose (through portal.reviews); the public what is published.
"""

from portal import authority
from portal.accounts.roles import RoleCode, has_role, is_active_user
from portal.applications import permissions as applications
from portal.authority import Power


def is_officer(user, programme) -> bool:
    """The programme's own officers (and superusers, who may repair)."""
    return programme is not None and authority.holds(user, programme, Power.MANAGE)


def programmes_for(user):
    from .models import Programme

    if not is_active_user(user):
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(officers=user)


# --- base applications ------------------------------------------------------------------------------------------


def runs_base_application(user, base) -> bool:
    return base is not None and is_officer(user, base.call.programme)


def is_team(user, base) -> bool:
    """The applicant of the base application (the team's account)."""
    return bool(base is not None and applications.is_applicant(user, base.application))


def can_view_base_application(user, base) -> bool:
    return runs_base_application(user, base)


def can_record_onboarding(user, base) -> bool:
    return runs_base_application(user, base) and base.is_in_base


def can_download_letter(user, base) -> bool:
    """The issued decision letter: the team and the officers."""
    if base is None or base.letter_id is None or not base.letter.has_been_issued:
        return False
    return is_team(user, base) or runs_base_application(user, base)


# --- service requests -------------------------------------------------------------------------------------------


def can_request_service(user, base) -> bool:
    """An admitted team, while onboarding or in incubation."""
    return is_team(user, base) and base.is_in_base


def is_service_requester(user, service_request) -> bool:
    return service_request is not None and is_team(user, service_request.base_application)


def handles_service_request(user, service_request) -> bool:
    return service_request is not None and runs_base_application(user, service_request.base_application)


def can_view_service_request(user, service_request) -> bool:
    return is_service_requester(user, service_request) or handles_service_request(user, service_request)


def can_assign_service_request(user, service_request) -> bool:
    return handles_service_request(user, service_request) and service_request.is_open


def can_hand_to_fund(user, service_request) -> bool:
    """A financing introduction not yet handed to the fund's pipeline, while open or once done."""
    from .models import ServiceKind, ServiceState

    return bool(
        handles_service_request(user, service_request)
        and service_request.kind == ServiceKind.FINANCING
        and service_request.state in (ServiceState.REQUESTED, ServiceState.IN_PROGRESS, ServiceState.DONE)
        and not service_request.handoff_reference
    )


def shows_service_team_panel(user) -> bool:
    """Teams in the base (they may ask for services) or with requests to follow."""
    from .models import BaseApplication, BaseStage, ServiceRequest

    if not is_active_user(user):
        return False
    in_base = (BaseStage.ONBOARDING, BaseStage.ACTIVE)
    return (
        BaseApplication.objects.filter(application__applicant=user, stage__in=in_base).exists()
        or ServiceRequest.objects.filter(base_application__application__applicant=user).exists()
    )


# --- resource libraries -----------------------------------------------------------------------------------------


def can_submit_listing(user) -> bool:
    """Firms and teams (applicants) submit entries; officers may enter them for others."""
    if not is_active_user(user):
        return False
    return has_role(user, RoleCode.APPLICANT) or programmes_for(user).exists()


def curates_listing(user, listing) -> bool:
    return listing is not None and is_officer(user, listing.programme)


def submitted_listing(user, listing) -> bool:
    return bool(is_active_user(user) and listing is not None and listing.submitted_by_id == user.pk)


def can_view_listing(user, listing) -> bool:
    """Published entries are public; unpublished ones their submitter's and the curators'."""
    if listing is None:
        return False
    return listing.is_published or submitted_listing(user, listing) or curates_listing(user, listing)


def can_edit_listing(user, listing) -> bool:
    from .models import ListingState

    return submitted_listing(user, listing) and listing.state in (ListingState.PENDING, ListingState.RETURNED)


def can_match(user, listing) -> bool:
    """Matching suggestions (with their explanations) are the curators' tool for introductions."""
    return curates_listing(user, listing) and listing.is_published


# --- introductions ----------------------------------------------------------------------------------------------


def runs_introduction(user, introduction) -> bool:
    return introduction is not None and is_officer(user, introduction.programme)


def is_introduced(user, introduction) -> bool:
    return bool(
        is_active_user(user)
        and introduction is not None
        and user.pk in (introduction.left_person_id, introduction.right_person_id)
    )


def can_view_introduction(user, introduction) -> bool:
    return is_introduced(user, introduction) or runs_introduction(user, introduction)


def can_answer_introduction(user, introduction) -> bool:
    from .models import Answer, IntroductionState

    return bool(
        is_introduced(user, introduction)
        and introduction.state == IntroductionState.SENT
        and introduction.answer_of(user) == Answer.PENDING
    )


def shows_listings_panel(user) -> bool:
    """Curators with library entries waiting for their approval."""
    from .models import LIBRARIES, ListingState

    programmes = programmes_for(user)
    return bool(
        is_active_user(user)
        and not user.is_superuser
        and any(
            model.objects.filter(programme__in=programmes, state=ListingState.PENDING).exists()
            for model in LIBRARIES.values()
        )
    )


def shows_introductions_panel(user) -> bool:
    """Either side of an introduction that is not over yet."""
    from django.db.models import Q

    from .models import Introduction, IntroductionState

    if not is_active_user(user):
        return False
    still_open = Introduction.objects.filter(state__in=(IntroductionState.SENT, IntroductionState.ACCEPTED))
    return still_open.filter(Q(left_person=user) | Q(right_person=user)).exists()


# --- roadshows --------------------------------------------------------------------------------------------------


def runs_roadshow(user, roadshow) -> bool:
    return roadshow is not None and is_officer(user, roadshow.programme)


def can_register_project(user, roadshow, base) -> bool:
    return bool(roadshow is not None and roadshow.registration_is_open and is_team(user, base) and base.is_admitted)


def can_register_as_investor(user, roadshow) -> bool:
    return bool(is_active_user(user) and roadshow is not None and roadshow.registration_is_open)


def registration_of(user, roadshow):
    if not is_active_user(user) or roadshow is None:
        return None
    return roadshow.investors.filter(investor=user).first()


def can_give_feedback(user, roadshow) -> bool:
    """Registered investors, once the roadshow has started."""
    return bool(roadshow is not None and roadshow.has_started and registration_of(user, roadshow) is not None)


def shows_roadshow_panel(user) -> bool:
    """Registered investors, teams with a pitch, and officers of a programme that holds roadshows."""
    from .models import Roadshow, RoadshowProject

    if not is_active_user(user):
        return False
    return bool(
        user.roadshow_registrations.exists()
        or RoadshowProject.objects.filter(base_application__application__applicant=user).exists()
        or Roadshow.objects.filter(programme__officers=user).exists()
    )


# --- dashboard --------------------------------------------------------------------------------------------------


def shows_officer_panel(user) -> bool:
    """Officers of an offshore base programme (superusers repair through the admin; no panel of everything). A
    special-talent programme's officers have their own panel (shows_special_officer_panel)."""
    from .models import ProgrammeKind

    return bool(is_active_user(user) and user.talent_programmes.filter(kind=ProgrammeKind.OFFSHORE_BASE).exists())


# --- special-talent applications --------------------------------------------------------------------------------


def runs_special_application(user, special) -> bool:
    """The programme's officers run every stage after the pre-review."""
    return special is not None and is_officer(user, special.call.programme)


def is_sector_reviewer(user, special) -> bool:
    """A pre-reviewer of the bureau responsible for the application's sector (named by the programme)."""
    return bool(
        is_active_user(user)
        and special is not None
        and special.authority_id is not None
        and special.authority.reviewers.filter(pk=user.pk).exists()
    )


def pre_reviews(user, special) -> bool:
    """The sector's authority takes the pre-review's transitions while the application is in pre-review."""
    from .models import SpecialStage

    return bool(special is not None and special.stage == SpecialStage.PRE_REVIEW and is_sector_reviewer(user, special))


def handles_in_pre_review(user, application) -> bool:
    """``Kind.also_handled_by``: the authority sees the engine's application and may ask for a supplement while it
    pre-reviews."""
    special = getattr(application, "special_application", None)
    return pre_reviews(user, special)


def is_employer(user, special) -> bool:
    return bool(special is not None and applications.is_applicant(user, special.application))


def can_view_special_application(user, special) -> bool:
    """The office's page of an application: its officers, and the authority of its sector (every stage, to follow
    what became of its pre-review). The employer follows it on the engine's page."""
    return runs_special_application(user, special) or is_sector_reviewer(user, special)


def can_reveal_identity(user, special) -> bool:
    """The full ID or passport number and date of birth: the programme's officers (they file with the city); every
    reading is audited (talent/services/special.py)."""
    return runs_special_application(user, special)


def can_download_panel_opinion(user, special) -> bool:
    if special is None or special.panel_opinion_id is None or not special.panel_opinion.has_been_issued:
        return False
    return can_view_special_application(user, special)


def can_download_filing_form(user, special) -> bool:
    if special is None or special.filing_form_id is None or not special.filing_form.has_been_issued:
        return False
    return runs_special_application(user, special) or is_employer(user, special)


def special_applications_for(user):
    """What the office's list shows: the programmes' applications to their officers, the sector's to its authority."""
    from django.db.models import Q

    from .models import SectorAuthority, SpecialTalentApplication

    if not is_active_user(user):
        return SpecialTalentApplication.objects.none()
    # Both sides as subqueries: no join through the reviewers (which needs DISTINCT over every row of the list).
    return SpecialTalentApplication.objects.filter(
        Q(call__programme__in=programmes_for(user)) | Q(authority__in=SectorAuthority.objects.filter(reviewers=user))
    )


def shows_special_office_panel(user) -> bool:
    """Officers of a special-talent programme and sector authorities with applications."""
    from .models import ProgrammeKind

    if not is_active_user(user):
        return False
    return bool(
        user.talent_programmes.filter(kind=ProgrammeKind.SPECIAL_TALENT).exists()
        or user.talent_sector_authorities.exists()
    )


def sees_special_applications(user) -> bool:
    """The office's list of special-talent applications: officers of a special-talent programme, the sector
    authorities' pre-reviewers, and superusers (who repair)."""
    from .models import ProgrammeKind

    if not is_active_user(user):
        return False
    return bool(
        user.is_superuser
        or user.talent_programmes.filter(kind=ProgrammeKind.SPECIAL_TALENT).exists()
        or user.talent_sector_authorities.exists()
    )


def can_start_panel(user, special) -> bool:
    """An officer starts the expert panel once, while the application waits for it (a round already made — open,
    being prepared or closed — is the panel)."""
    from .models import SpecialStage
    from .review import rounds_of

    return bool(
        runs_special_application(user, special)
        and special.stage == SpecialStage.PANEL
        and not rounds_of(special).exists()
    )


def can_draft_panel_opinion(user, special) -> bool:
    """The panel's review opinion is drafted by an officer once the round has closed; again only if the one
    drafted before was revoked."""
    from .models import SpecialStage

    # It informs the talent work meeting: drafted between the panel's end and the meeting's vote, not after.
    if special is None or special.stage not in (SpecialStage.PANEL, SpecialStage.DELIBERATION):
        return False
    if not runs_special_application(user, special) or not special.panel_is_finished:
        return False
    return special.panel_opinion_id is None or special.panel_opinion.is_revoked


def shows_special_officer_panel(user) -> bool:
    """The dashboard's special-talent panel: officers of a special-talent programme."""
    from .models import ProgrammeKind

    return bool(is_active_user(user) and user.talent_programmes.filter(kind=ProgrammeKind.SPECIAL_TALENT).exists())


def shows_pre_review_panel(user) -> bool:
    """The dashboard's pre-review panel: the pre-reviewers a sector authority names."""
    return bool(is_active_user(user) and user.talent_sector_authorities.exists())


# --- talent work meetings and public notice ---------------------------------------------------------------------


def runs_deliberation(user, deliberation) -> bool:
    return deliberation is not None and is_officer(user, deliberation.programme)


def can_view_deliberation(user, deliberation) -> bool:
    """Its officers and its members (who vote on each item on the poll's own page)."""
    if deliberation is None or not is_active_user(user):
        return False
    return runs_deliberation(user, deliberation) or deliberation.members.filter(pk=user.pk).exists()


def can_convene_deliberation(user, programme) -> bool:
    """The officers of a special-talent programme convene its talent work meetings."""
    from .models import ProgrammeKind

    return bool(
        programme is not None and programme.kind == ProgrammeKind.SPECIAL_TALENT and is_officer(user, programme)
    )


def shows_deliberation_panel(user) -> bool:
    """Members of a talent work meeting in session with a vote of theirs open, and officers running one."""
    from .deliberation_panels import polls_to_cast
    from .models import Deliberation, DeliberationState

    if not is_active_user(user):
        return False
    in_session = Deliberation.objects.filter(state=DeliberationState.IN_SESSION)
    return bool(
        in_session.filter(programme__officers=user).exists()
        or in_session.filter(items__poll__in=polls_to_cast(user)).exists()
    )


def can_lodge_objection(special) -> bool:
    """Anyone, while the candidate is on public notice (the view also rate-limits)."""
    return bool(special is not None and special.is_on_public_notice)


def handles_objection(user, objection) -> bool:
    return objection is not None and runs_special_application(user, objection.application)


def can_investigate_objection(user, objection) -> bool:
    """While the candidate is on notice, an officer records how a received objection is being investigated."""
    from .models import ObjectionState, SpecialStage

    return bool(
        handles_objection(user, objection)
        and objection.application.stage == SpecialStage.NOTICE
        and objection.state == ObjectionState.RECEIVED
    )


def can_resolve_objection(user, objection) -> bool:
    """Then resolves it, once (talent/services/notices.py says why not, when asked anyway)."""
    from .models import ObjectionState, SpecialStage

    return bool(
        handles_objection(user, objection)
        and objection.application.stage == SpecialStage.NOTICE
        and objection.state == ObjectionState.INVESTIGATING
    )


def can_record_filing(user, special) -> bool:
    """The city's filing number and date, once, while the application is in filing."""
    from .models import SpecialStage

    return bool(
        runs_special_application(user, special) and special.stage == SpecialStage.FILING and not special.filing_number
    )


def can_view_special_reports(user, programme) -> bool:
    """The reports on a special-talent programme's applications (and their workbook): its officers."""
    from .models import ProgrammeKind

    return bool(
        programme is not None and programme.kind == ProgrammeKind.SPECIAL_TALENT and is_officer(user, programme)
    )
