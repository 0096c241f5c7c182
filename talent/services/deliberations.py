"""The district talent work meeting (人才工作会议集体商议): convened by the programme's officers with at least three
members who vote, an agenda of applications waiting for it, attendance taken before the session opens (the quorum
is the open_session transition's guard), one named vote per application through ``portal.voting``, and minutes.

The votes' rule: a simple majority of the members present (``Base.PRESENT``: abstaining or not voting counts against),
with the meeting's quorum, named ballots and no proxies — the meeting decides with the people in the room. A member
recused from an item has no entry in its poll. Closing an item's vote decides the application in the same
transaction: passed → public notice from today for the programme's ``notice_days`` days; not passed, the quorum
missed included → rejected.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.accounts.roles import is_active_user
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt
from portal.voting import services as voting
from portal.voting.models import Base, Majority, PollState

from .. import permissions
from ..models import Deliberation, DeliberationItem, DeliberationState, SpecialStage
from ..verbs import TalentVerb
from .special import locked as locked_special
from .special import move

ACTIONS = {
    "talent.convene_deliberation": (_("Convene a talent work meeting"), _("Talent work meeting convened")),
    "talent.change_deliberation": (_("Change a talent work meeting"), _("Talent work meeting changed")),
    "talent.add_deliberation_item": (_("Put an application on a meeting's agenda"), _("Agenda item added")),
    "talent.remove_deliberation_item": (_("Take an application off a meeting's agenda"), _("Agenda item removed")),
    "talent.recuse_deliberation_members": (_("Record recusals on an agenda item"), _("Recusals recorded")),
    "talent.record_deliberation_attendance": (_("Record a meeting's attendance"), _("Attendance recorded")),
    "talent.open_deliberation": (_("Open a talent work meeting's session"), _("Meeting session opened")),
    "talent.close_deliberation_item": (_("Close the vote on an agenda item"), _("Agenda item's vote closed")),
    "talent.close_deliberation": (_("Close a talent work meeting"), _("Talent work meeting closed")),
}

MIN_MEMBERS = 3


def _locked(deliberation) -> Deliberation:
    return Deliberation.objects.select_for_update(of=("self",)).select_related("programme").get(pk=deliberation.pk)


def _locked_item(item) -> DeliberationItem:
    return DeliberationItem.objects.select_for_update(of=("self",)).get(pk=item.pk)


def _link(url_name, pk) -> str:
    """An address in the portal's default language, for notifications and mail."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(url_name, args=[pk])


def _unique_users(users) -> dict:
    found = {}
    for user in users or ():
        if user is not None:
            found.setdefault(user.pk, user)
    return found


def _run_before_session(actor, deliberation) -> Deliberation:
    """The meeting's row, locked, for one of its officers while it is scheduled: the agenda, the members, recusals
    and attendance change only before the session opens."""
    deliberation = _locked(deliberation)
    if not permissions.runs_deliberation(actor, deliberation):
        raise PermissionDenied
    if deliberation.state != DeliberationState.SCHEDULED:
        raise lifecycle.refused(deliberation)
    return deliberation


def _members_among(deliberation, users, field) -> dict:
    """``users`` by pk, each a member of the meeting; else a message on ``field`` naming who is not."""
    chosen = _unique_users(users)
    members = set(deliberation.members.values_list("pk", flat=True))
    outsiders = [user for pk, user in chosen.items() if pk not in members]
    if outsiders:
        raise ValidationError(
            {
                field: fmt(
                    _("Not a member of this meeting: %(names)s."),
                    names="、".join(user.display_name for user in outsiders),
                )
            },
            code="not_member",
        )
    return chosen


def _details(*, title, title_en, location, starts_at, members):
    """The meeting's texts, start and members, validated together (one message per field)."""
    errors = {}
    try:
        texts = clean_text(
            Deliberation,
            {"title": title, "title_en": title_en, "location": location},
            required={"title": _("Give the meeting a title.")},
        )
    except ValidationError as error:
        errors.update(error.error_dict)
        texts = {}
    if not isinstance(starts_at, datetime.datetime):
        errors["starts_at"] = [ValidationError(_("Give the day and time the meeting starts."), code="starts_at")]
    elif timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    chosen = _unique_users(members)
    inactive = [user for user in chosen.values() if not is_active_user(user)]
    if inactive:
        errors["members"] = [
            ValidationError(
                fmt(
                    _("These people cannot take part: %(names)s."),
                    names="、".join(user.display_name for user in inactive),
                ),
                code="inactive",
            )
        ]
    elif len(chosen) < MIN_MEMBERS:
        errors["members"] = [
            ValidationError(
                fmt(_("A talent work meeting needs at least %(count)s members with a vote."), count=MIN_MEMBERS),
                code="too_few",
            )
        ]
    if errors:
        raise ValidationError(errors)
    return texts, starts_at, chosen


# --- convene and change -------------------------------------------------------------------------------------


@transaction.atomic
def convene(*, actor, programme, title, starts_at, members, location="", title_en="") -> Deliberation:
    """A talent work meeting of ``programme`` with its members (at least three, each with a vote)."""
    if not permissions.can_convene_deliberation(actor, programme):
        raise PermissionDenied
    texts, starts_at, chosen = _details(
        title=title, title_en=title_en, location=location, starts_at=starts_at, members=members
    )
    if Deliberation.objects.filter(programme=programme, title=texts["title"], starts_at=starts_at).exists():
        raise ValidationError(_("This meeting has already been convened."), code="duplicate")
    deliberation = Deliberation.objects.create(programme=programme, starts_at=starts_at, created_by=actor, **texts)
    deliberation.members.set(chosen.values())
    url = deliberation.get_absolute_url()
    record(
        "talent.convene_deliberation",
        actor=actor,
        instance=deliberation,
        data={"starts_at": starts_at.isoformat(), "members": sorted(chosen)},
        line=Line(programme, TalentVerb.CONVENED_DELIBERATION, deliberation.title, url),
        tell=Tell(
            [user for user in chosen.values() if user.pk != actor.pk],
            title=fmt(_("You are a member of the talent work meeting: %(title)s"), title=deliberation.title),
            body=fmt(
                _("It starts at %(when)s. You will vote on each application on its agenda."),
                when=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
            ),
            url=_link("talent:deliberation", deliberation.pk),
        ),
    )
    return deliberation


@transaction.atomic
def change(*, actor, deliberation, title, starts_at, members, location="", title_en="") -> Deliberation:
    """Change a meeting before its session opens. A member taken off loses their attendance and recusals."""
    deliberation = _run_before_session(actor, deliberation)
    texts, starts_at, chosen = _details(
        title=title, title_en=title_en, location=location, starts_at=starts_at, members=members
    )
    for field, value in texts.items():
        setattr(deliberation, field, value)
    deliberation.starts_at = starts_at
    deliberation.save()
    deliberation.members.set(chosen.values())
    gone = [pk for pk in deliberation.present.values_list("pk", flat=True) if pk not in chosen]
    deliberation.present.remove(*gone)
    for item in deliberation.items.all():
        item.recused.remove(*[pk for pk in item.recused.values_list("pk", flat=True) if pk not in chosen])
    record(
        "talent.change_deliberation",
        actor=actor,
        instance=deliberation,
        data={"starts_at": starts_at.isoformat(), "members": sorted(chosen)},
    )
    return deliberation


# --- the agenda ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_item(*, actor, deliberation, special, recused=()) -> DeliberationItem:
    """Put an application waiting for the meeting on its agenda (once; never on two open meetings at once)."""
    deliberation = _run_before_session(actor, deliberation)
    special = locked_special(special)
    if special.call.programme_id != deliberation.programme_id:
        raise ValidationError({"special": _("This application belongs to another programme.")}, code="other_programme")
    if special.stage != SpecialStage.DELIBERATION:
        raise ValidationError(
            {"special": _("This application is not waiting for the talent work meeting.")}, code="stage"
        )
    if deliberation.items.filter(application=special).exists():
        raise ValidationError({"special": _("This application is already on the agenda.")}, code="duplicate")
    elsewhere = (
        DeliberationItem.objects.filter(application=special, passed__isnull=True)
        .exclude(deliberation__state=DeliberationState.CLOSED)
        .select_related("deliberation")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "special": fmt(
                    _("This application is already on the agenda of %(title)s."), title=elsewhere.deliberation.title
                )
            },
            code="elsewhere",
        )
    chosen = _members_among(deliberation, recused, "recused")
    position = (deliberation.items.aggregate(last=Max("position"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            item = DeliberationItem.objects.create(deliberation=deliberation, application=special, position=position)
    except IntegrityError:  # a concurrent request put it there first
        raise ValidationError({"special": _("This application is already on the agenda.")}, code="duplicate") from None
    item.recused.set(chosen.values())
    record(
        "talent.add_deliberation_item",
        actor=actor,
        instance=deliberation,
        data={"item": item.pk, "application": special.pk, "recused": sorted(chosen)},
    )
    return item


@transaction.atomic
def remove_item(*, actor, item):
    deliberation = _run_before_session(actor, item.deliberation)
    item = DeliberationItem.objects.filter(pk=item.pk, deliberation=deliberation).first()
    if item is None:
        raise ValidationError(_("This item is no longer on the agenda."), code="gone")
    application = item.application_id
    item.delete()
    record(
        "talent.remove_deliberation_item",
        actor=actor,
        instance=deliberation,
        data={"application": application},
    )
    return deliberation


@transaction.atomic
def set_recusals(*, actor, item, recused) -> DeliberationItem:
    """Who declared a conflict on this application: they get no vote on it."""
    deliberation = _run_before_session(actor, item.deliberation)
    item = _locked_item(item)
    chosen = _members_among(deliberation, recused, "recused")
    item.recused.set(chosen.values())
    record(
        "talent.recuse_deliberation_members",
        actor=actor,
        instance=deliberation,
        data={"item": item.pk, "recused": sorted(chosen)},
    )
    return item


@transaction.atomic
def record_attendance(*, actor, deliberation, present) -> Deliberation:
    """Who is present, taken before the session opens (its quorum is asked when it opens)."""
    deliberation = _run_before_session(actor, deliberation)
    chosen = _members_among(deliberation, present, "present")
    deliberation.present.set(chosen.values())
    record(
        "talent.record_deliberation_attendance",
        actor=actor,
        instance=deliberation,
        data={"present": sorted(chosen)},
    )
    return deliberation


# --- the session and its votes ------------------------------------------------------------------------------


@transaction.atomic
def open_session(*, actor, deliberation) -> Deliberation:
    """Open the session (the declaration checks the agenda and the quorum) and one vote per item; the members
    present are told their vote is needed. All or nothing."""
    deliberation = _locked(deliberation)
    if not permissions.runs_deliberation(actor, deliberation):
        raise PermissionDenied
    lifecycle.take(deliberation, "open_session", actor)
    programme = deliberation.programme
    members = list(deliberation.members.all())
    present = list(deliberation.present.all())
    items = list(
        deliberation.items.select_related("application__application", "application__employer").prefetch_related(
            "recused"
        )
    )
    for item in items:
        special = item.application
        poll = voting.create_poll(
            actor=actor,
            owner=programme,
            subject=special,
            title=f"{special.application.reference} {special.candidate_name}",
            description=f"{deliberation.title} · {special.employer}",
            majority=Majority.SIMPLE,
            base=Base.PRESENT,
            quorum=deliberation.quorum,
            secret=False,
            max_proxies_per_holder=0,
        )
        voting.open_poll(actor=actor, poll=poll, voters=members, present=present, recused=list(item.recused.all()))
        item.poll = poll
        item.save(update_fields=["poll"])
    deliberation.save()
    # One poll: its page; several: the meeting's page, which links each vote.
    url = items[0].poll.link() if len(items) == 1 else _link("talent:deliberation", deliberation.pk)
    record(
        "talent.open_deliberation",
        actor=actor,
        instance=deliberation,
        data={"items": [item.pk for item in items], "present": sorted(user.pk for user in present)},
        tell=Tell(
            present,
            title=fmt(_("Your vote is needed: %(title)s"), title=deliberation.title),
            body=_("The session is open. Vote on each application on the agenda."),
            url=url,
        ),
    )
    return deliberation


@transaction.atomic
def close_item(*, actor, item) -> DeliberationItem:
    """Close an item's vote (or take the result of a vote already closed on its page) and decide the application:
    passed → on public notice from today; not passed → rejected."""
    deliberation = _locked(item.deliberation)
    if not permissions.runs_deliberation(actor, deliberation):
        raise PermissionDenied
    if deliberation.state != DeliberationState.IN_SESSION:
        raise lifecycle.refused(deliberation)
    item = _locked_item(item)
    if item.deliberation_id != deliberation.pk or item.poll_id is None:
        raise ValidationError(_("This item has no vote."), code="no_vote")
    if item.passed is not None:
        raise ValidationError(_("This vote has already been closed."), code="closed")
    poll = item.poll
    if poll.state == PollState.OPEN:
        voting.close_poll(actor=actor, poll=poll)
        poll.refresh_from_db()
    elif poll.state != PollState.CLOSED:
        raise ValidationError(_("This vote has not opened yet."), code="poll_state")
    item.passed = bool(poll.passed)
    item.save(update_fields=["passed"])
    special = locked_special(item.application)
    counts = {
        "yes": poll.yes_count,
        "no": poll.no_count,
        "abstain": poll.abstain_count,
        "present": poll.present_count,
        "electorate": poll.electorate_count,
        "quorum_met": poll.quorum_met,
        "passed": item.passed,
    }
    if item.passed:
        today = timezone.localdate()
        special.notice_starts_on = today
        special.notice_ends_on = today + datetime.timedelta(days=special.call.programme.notice_days - 1)
        move(
            special,
            "put_on_notice",
            actor,
            data={"deliberation": deliberation.pk, "notice_ends_on": special.notice_ends_on.isoformat()},
        )
    else:
        with translation.override(settings.LANGUAGE_CODE):  # kept in the portal's language, like a record
            special.decision_reason = str(_("Not passed by the talent work meeting."))
        move(special, "reject", actor, data={"deliberation": deliberation.pk})
    record(
        "talent.close_deliberation_item",
        actor=actor,
        instance=deliberation,
        data={"item": item.pk, "application": special.pk, "poll": str(poll.uuid), **counts},
    )
    return item


@transaction.atomic
def close_meeting(*, actor, deliberation, minutes) -> Deliberation:
    """Keep the minutes and close the meeting (the declaration: every vote on its agenda closed)."""
    deliberation = _locked(deliberation)
    if not permissions.runs_deliberation(actor, deliberation):
        raise PermissionDenied
    minutes = clean_text(
        Deliberation, {"minutes": minutes}, required={"minutes": _("Write the minutes of the meeting.")}
    )["minutes"]
    lifecycle.take(deliberation, "close", actor)
    deliberation.minutes = minutes
    deliberation.closed_at = timezone.now()
    deliberation.save()
    record(
        "talent.close_deliberation",
        actor=actor,
        instance=deliberation,
        data={"items": list(deliberation.items.values_list("pk", flat=True))},
        tell=Tell(
            [user for user in deliberation.members.all() if user.pk != actor.pk],
            title=fmt(_("The talent work meeting has closed: %(title)s"), title=deliberation.title),
            body=_("Its minutes are on the meeting's page."),
            url=_link("talent:deliberation", deliberation.pk),
            email=False,
        ),
    )
    return deliberation
