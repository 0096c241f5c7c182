"""Roadshows (路演): admitted teams register their projects, investors register for a place, the office confirms and
orders the pitches and notes who came, investors score each pitch once it has started, and the office turns an
investor's interest into an introduction between the investor and the team.

Feedback is given once per project and cannot be changed afterwards: a score is what the investor thought on the day,
and follow-up introductions are made from it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal import authority
from portal.accounts.roles import is_active_user
from portal.authority import Power
from portal.history.record import Line, Tell, record
from portal.pagecache.store import purge
from portal.text import clean_text, fmt

from .. import cache_tags, permissions
from ..models import (
    BaseApplication,
    Interest,
    IntroductionSource,
    InvestorRegistration,
    Roadshow,
    RoadshowFeedback,
    RoadshowProject,
)
from ..roadshow_scores import mean_score
from ..roadshow_workbook import build_workbook
from ..verbs import TalentVerb
from . import introductions

ACTIONS = {
    "talent.register_pitch": (_("Register a roadshow project"), _("Roadshow project registered")),
    "talent.confirm_pitch": (_("Confirm a roadshow project"), _("Roadshow project confirmed")),
    "talent.order_pitches": (_("Order roadshow projects"), _("Roadshow projects ordered")),
    "talent.register_investor": (_("Register as a roadshow investor"), _("Roadshow investor registered")),
    "talent.mark_attended": (_("Record roadshow attendance"), _("Roadshow attendance recorded")),
    "talent.give_feedback": (_("Give roadshow feedback"), _("Roadshow feedback given")),
    "talent.read_roadshow_feedback": (_("Read named roadshow feedback"), _("Named roadshow feedback read")),
    "talent.export_roadshow": (
        _("Export roadshow attendees and feedback"),
        _("Roadshow attendees and feedback exported"),
    ),
}

FOLLOW_UP_INTERESTS = (Interest.FOLLOW, Interest.INVEST)
ALREADY_PITCHED = _("Your team has already registered a project for this roadshow.")
SCORE_MESSAGE = _("Give a whole-number score from 1 to 10.")


def _in_reader_language(instance, attribute):
    """A bilingual attribute (``display_title``) read when each recipient's message is written, in their language."""
    return lazy(lambda: getattr(instance, attribute), str)()


def office_url(roadshow) -> str:
    return reverse("talent:roadshow_office", kwargs={"slug": roadshow.slug})


def _locked_roadshow(roadshow) -> Roadshow:
    return Roadshow.objects.select_for_update().select_related("programme").get(pk=roadshow.pk)


def _require_registration_open(roadshow):
    if not roadshow.registration_is_open:
        raise ValidationError(
            fmt(
                _("Registration for this roadshow closed on %(date)s."),
                date=roadshow.registration_closes_on.isoformat(),
            ),
            code="closed",
        )


# --- the teams' pitches -----------------------------------------------------------------------------------------


@transaction.atomic
def register_project(*, actor, roadshow, base, pitch_title, pitch_title_en=""):
    """An admitted team of the roadshow's programme puts its project on the programme, once per roadshow."""
    if not permissions.is_team(actor, base):
        raise PermissionDenied
    if not base.is_admitted:
        raise ValidationError(_("Only teams admitted to the base may pitch at a roadshow."), code="not_admitted")
    if base.call.programme_id != roadshow.programme_id:
        raise ValidationError(_("This roadshow belongs to another programme than your team."), code="programme")
    texts = clean_text(
        RoadshowProject,
        {"pitch_title": pitch_title, "pitch_title_en": pitch_title_en},
        required={
            "pitch_title": _("Give your pitch a title in Chinese."),
            "pitch_title_en": _("Give your pitch a title in English."),
        },
    )
    roadshow = _locked_roadshow(roadshow)
    _require_registration_open(roadshow)
    if roadshow.projects.filter(base_application=base).exists():
        raise ValidationError(ALREADY_PITCHED, code="twice")
    try:
        with transaction.atomic():
            project = RoadshowProject.objects.create(
                roadshow=roadshow,
                base_application=base,
                registered_by=actor,
                order=roadshow.projects.count() + 1,
                **texts,
            )
    except IntegrityError:  # the same team registering twice at once
        raise ValidationError(
            _("Your team has already registered a project for this roadshow."), code="twice"
        ) from None
    url = office_url(roadshow)
    record(
        "talent.register_pitch",
        actor=actor,
        instance=project,
        data={"roadshow": roadshow.slug, "base_application": base.pk},
        line=Line(roadshow.programme, TalentVerb.REGISTERED_PITCH, f"{roadshow} · {project}", url),
        tell=Tell(
            authority.holders(roadshow.programme, Power.MANAGE),
            title=fmt(
                _("%(team)s registered a project for %(roadshow)s: %(title)s"),
                team=base.team_name,
                roadshow=_in_reader_language(roadshow, "display_title"),
                title=_in_reader_language(project, "display_pitch_title"),
            ),
            url=url,
        ),
    )
    return project


def _locked_project(project) -> RoadshowProject:
    return (
        RoadshowProject.objects.select_for_update(of=("self",))
        .select_related("roadshow__programme", "base_application__application__applicant")
        .get(pk=project.pk)
    )


@transaction.atomic
def confirm_project(*, actor, project):
    """The office puts a registered project on the public programme."""
    if not permissions.runs_roadshow(actor, project.roadshow):
        raise PermissionDenied
    project = _locked_project(project)
    if project.is_confirmed:
        raise ValidationError(_("This project is already confirmed."), code="twice")
    project.is_confirmed = True
    project.save(update_fields=["is_confirmed"])
    roadshow = project.roadshow
    team = project.base_application.application.applicant
    record(
        "talent.confirm_pitch",
        actor=actor,
        instance=project,
        data={"roadshow": roadshow.slug},
        line=Line(roadshow.programme, TalentVerb.CONFIRMED_PITCH, f"{roadshow} · {project}", office_url(roadshow)),
        tell=Tell(
            [team],
            title=fmt(
                _("Your pitch %(title)s is confirmed for %(roadshow)s"),
                title=_in_reader_language(project, "display_pitch_title"),
                roadshow=_in_reader_language(roadshow, "display_title"),
            ),
            url=roadshow.get_absolute_url(),
        ),
    )
    return project


@transaction.atomic
def set_order(*, actor, roadshow, projects):
    """The order of the pitches: ``projects`` lists every project of the roadshow (their pks), first pitch first."""
    if not permissions.runs_roadshow(actor, roadshow):
        raise PermissionDenied
    roadshow = _locked_roadshow(roadshow)
    rows = {project.pk: project for project in roadshow.projects.select_for_update()}
    try:
        wanted = [int(pk) for pk in projects]
    except (TypeError, ValueError):
        wanted = []
    if sorted(wanted) != sorted(rows):
        raise ValidationError(_("Give a place to every project of this roadshow, each once."), code="order")
    for position, pk in enumerate(wanted, start=1):
        rows[pk].order = position
    RoadshowProject.objects.bulk_update(rows.values(), ["order"])
    purge(cache_tags.roadshow(roadshow.pk))  # a bulk write sends no signal: the public page lists the pitches in order
    record("talent.order_pitches", actor=actor, instance=roadshow, data={"order": wanted})
    return [rows[pk] for pk in wanted]


# --- the investors ----------------------------------------------------------------------------------------------


@transaction.atomic
def register_investor(*, actor, roadshow, organization_name, interests=""):
    """A signed-in user takes one of the roadshow's places for investors, once, while registration is open."""
    if not is_active_user(actor):
        raise PermissionDenied
    texts = clean_text(
        InvestorRegistration,
        {"organization_name": organization_name, "interests": interests},
        required={"organization_name": _("Name the institution you invest for.")},
    )
    roadshow = _locked_roadshow(roadshow)  # one registration at a time: places are counted under the lock
    _require_registration_open(roadshow)
    if roadshow.investors.filter(investor=actor).exists():
        raise ValidationError(_("You are already registered for this roadshow."), code="twice")
    if roadshow.investors.count() >= roadshow.capacity:
        raise ValidationError(_("All places for investors are taken."), code="full")
    registration = InvestorRegistration.objects.create(roadshow=roadshow, investor=actor, **texts)
    record(
        "talent.register_investor",
        actor=actor,
        instance=registration,
        data={"roadshow": roadshow.slug},
        line=Line(roadshow.programme, TalentVerb.REGISTERED_INVESTOR, f"{roadshow} · {texts['organization_name']}"),
        tell=Tell(
            [actor],
            title=fmt(
                _("You are registered for %(roadshow)s"), roadshow=_in_reader_language(roadshow, "display_title")
            ),
            url=roadshow.get_absolute_url(),
        ),
    )
    return registration


@transaction.atomic
def mark_attended(*, actor, registration, attended=True):
    """The office notes whether a registered investor came."""
    if not permissions.runs_roadshow(actor, registration.roadshow):
        raise PermissionDenied
    registration = InvestorRegistration.objects.select_for_update().get(pk=registration.pk)
    registration.attended = bool(attended)
    registration.save(update_fields=["attended"])
    record("talent.mark_attended", actor=actor, instance=registration, data={"attended": registration.attended})
    return registration


def _score(value) -> int:
    """The score as typed (a number or text): a whole number from 1 to 10, else a message on the field."""
    field = RoadshowFeedback._meta.get_field("score")
    try:
        return field.clean(value, None)
    except ValidationError:
        raise ValidationError({"score": SCORE_MESSAGE}) from None


@transaction.atomic
def give_feedback(*, actor, project, score, interest, comment=""):
    """A registered investor scores one confirmed pitch once the roadshow has started, once (see the module)."""
    roadshow = project.roadshow
    registration = permissions.registration_of(actor, roadshow)
    if registration is None or not project.is_confirmed:
        raise PermissionDenied
    if not roadshow.has_started:
        raise ValidationError(_("Feedback opens when the roadshow starts."), code="early")
    score = _score(score)
    if interest not in Interest.values:
        raise ValidationError({"interest": _("Say whether you would like to follow up.")})
    comment = clean_text(RoadshowFeedback, {"comment": comment})["comment"]
    registration = InvestorRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.feedback.filter(project=project).exists():
        raise ValidationError(_("You have already given feedback on this project."), code="twice")
    try:
        with transaction.atomic():
            feedback = RoadshowFeedback.objects.create(
                registration=registration, project=project, score=score, interest=interest, comment=comment
            )
    except IntegrityError:  # a double-clicked submit
        raise ValidationError(_("You have already given feedback on this project."), code="twice") from None
    record(
        "talent.give_feedback",
        actor=actor,
        instance=feedback,
        data={"project": project.pk, "score": score, "interest": interest},
        line=Line(roadshow.programme, TalentVerb.GAVE_FEEDBACK, f"{roadshow} · {project}", office_url(roadshow)),
    )
    return feedback


# --- the office's follow-up -------------------------------------------------------------------------------------


@transaction.atomic
def follow_up(*, actor, feedback, note):
    """Introduce an investor who would like to follow up (or invest) to the team whose pitch they scored."""
    feedback = RoadshowFeedback.objects.select_related(
        "registration__investor",
        "registration__roadshow__programme",
        "project__base_application__application__applicant",
    ).get(pk=feedback.pk)
    roadshow = feedback.registration.roadshow
    if not permissions.runs_roadshow(actor, roadshow):
        raise PermissionDenied
    if feedback.interest not in FOLLOW_UP_INTERESTS:
        raise ValidationError(_("This investor did not ask to follow up on this project."), code="no_interest")
    return introductions.introduce(
        actor=actor,
        programme=roadshow.programme,
        left=feedback.project,
        left_person=feedback.project.base_application.application.applicant,
        right=feedback.registration,
        right_person=feedback.registration.investor,
        note=note,
        source=IntroductionSource.ROADSHOW,
        explanation={"roadshow": roadshow.slug, "score": feedback.score, "interest": feedback.interest},
    )


# --- what the pages read ----------------------------------------------------------------------------------------


def projects_with_feedback(roadshow):
    """The roadshow's projects in order, each with its feedback count, score total, mean and interests counted."""
    projects = list(
        roadshow.projects.select_related("base_application")
        .annotate(
            answers=Count("feedback"),
            score_total=Sum("feedback__score"),
            follow=Count("feedback", filter=Q(feedback__interest=Interest.FOLLOW)),
            invest=Count("feedback", filter=Q(feedback__interest=Interest.INVEST)),
            not_for_us=Count("feedback", filter=Q(feedback__interest=Interest.NONE)),
        )
        .order_by("order", "pk")
    )
    for project in projects:
        project.mean = mean_score(project.score_total, project.answers)
    return projects


def named_feedback(roadshow):
    return (
        RoadshowFeedback.objects.filter(project__roadshow=roadshow)
        .select_related("registration__investor", "project__base_application", "project__roadshow")
        .order_by("project__order", "project__pk", "-score", "pk")
    )


@transaction.atomic
def read_named_feedback(*, actor, roadshow):
    """Each investor's own scores, for the office only; the read is audited (named feedback is sensitive)."""
    if not permissions.runs_roadshow(actor, roadshow):
        raise PermissionDenied
    rows = list(named_feedback(roadshow))
    record("talent.read_roadshow_feedback", actor=actor, instance=roadshow, data={"answers": len(rows)})
    return rows


@transaction.atomic
def export_roadshow(*, actor, roadshow):
    """The attendee list, the projects' aggregate and the named feedback as a workbook (the reader's language)."""
    if not permissions.runs_roadshow(actor, roadshow):
        raise PermissionDenied
    investors = list(roadshow.investors.select_related("investor").order_by("registered_at", "pk"))
    feedback = list(named_feedback(roadshow))
    data = build_workbook(projects_with_feedback(roadshow), investors, feedback)
    record(
        "talent.export_roadshow",
        actor=actor,
        instance=roadshow,
        data={"investors": len(investors), "answers": len(feedback)},
    )
    return data


def admitted_bases_of(user, roadshow):
    """The user's admitted teams in the roadshow's programme (usually one), for the pitch form."""
    if not is_active_user(user):
        return []
    return [
        base
        for base in BaseApplication.objects.filter(
            application__applicant=user, call__programme=roadshow.programme
        ).select_related("application", "call")
        if base.is_admitted
    ]


def office_list(programme):
    """The programme's roadshows, newest first, with their projects, unconfirmed projects and investors counted."""
    return (
        Roadshow.objects.filter(programme=programme)
        .annotate(
            project_count=Count("projects", distinct=True),
            unconfirmed=Count("projects", filter=Q(projects__is_confirmed=False), distinct=True),
            investor_count=Count("investors", distinct=True),
        )
        .order_by("-starts_at", "pk")
    )


def follow_up_note(feedback):
    """The note an introduction from ``feedback`` starts with (the officer may change it)."""
    return str(
        fmt(
            _("At %(roadshow)s, %(investor)s (%(institution)s) scored %(title)s %(score)s out of 10: %(interest)s."),
            roadshow=feedback.project.roadshow.display_title,
            investor=str(feedback.registration.investor),
            institution=feedback.registration.organization_name,
            title=feedback.project.display_pitch_title,
            score=feedback.score,
            interest=Interest(feedback.interest).label,
        )
    )
