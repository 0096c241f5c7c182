"""Services: motions (议案). Draft → submitted → on a meeting agenda or a written vote → voting → adopted or
rejected; withdrawn by the proposer until the vote opens.

The vote itself is a poll of the voting engine (``portal.voting.services``) whose subject is the motion: at a
meeting the electorate is the meeting's voting invitees (present, represented by proxy or absent as recorded);
in writing it is the workspace's voting seats, every one of them taking part, and the majority is of them all.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt
from portal.voting import services as voting
from portal.voting.models import Base, Majority, PollState

from .. import permissions
from ..models import (
    ActivityVerb,
    AgendaItem,
    Attendance,
    Meeting,
    Motion,
    MotionState,
)
from ..people import person_label
from ..workspace import Workspace
from .common import clean_one, lock_scoped

# Audit-log actions of this module: {action: (label, message)}; registered in wagtail_hooks.
ACTIONS = {
    "councils.draft_motion": (_("Draft motion"), _("Motion drafted")),
    "councils.update_motion": (_("Change motion"), _("Motion changed")),
    "councils.submit_motion": (_("Submit motion"), _("Motion submitted")),
    "councils.withdraw_motion": (_("Withdraw motion"), _("Motion withdrawn")),
    "councils.schedule_motion": (_("Put motion on an agenda"), _("Motion put on an agenda")),
    "councils.unschedule_motion": (_("Take motion off an agenda"), _("Motion taken off an agenda")),
    "councils.open_motion_vote": (_("Open vote on motion"), _("Vote on motion opened")),
    "councils.adopt_motion": (_("Record adopted motion"), _("Motion adopted")),
    "councils.reject_motion": (_("Record rejected motion"), _("Motion rejected")),
}

NO_QUORUM = _(
    "The meeting opened without a quorum: it may discuss the motion, but no motion can pass. "
    "Put it to a written vote or to the next meeting."
)


def _text_fields(title, text, rationale):
    cleaned = clean_text(
        Motion,
        {"title": title, "text": text, "rationale": rationale},
        required={"title": _("Give the motion a title."), "text": _("Write the resolution you propose.")},
    )
    return cleaned["title"], cleaned["text"], cleaned["rationale"]


def _secretariat_and_chairs(motion, actor):
    people = [*motion.council.secretariat_users.filter(is_active=True).order_by("pk")]
    people += list(Workspace.of(motion).chairs())
    return [user for user in people if user.pk != actor.pk]


# Drafting ---------------------------------------------------------------------------------------------------


@transaction.atomic
def draft_motion(*, actor, workspace, title, text, rationale=""):
    """A new draft, seen only by its proposer until submitted."""
    if not permissions.can_draft_motion(actor, workspace):
        raise PermissionDenied
    title, text, rationale = _text_fields(title, text, rationale)
    motion = Motion(title=title, text=text, rationale=rationale, proposer=actor)
    motion.set_workspace(workspace)
    motion.save()
    record("councils.draft_motion", actor=actor, instance=motion, data={"title": title})
    return motion


@transaction.atomic
def update_motion(*, actor, motion, title, text, rationale=""):
    """Change a draft: its proposer only."""
    motion = lock_scoped(motion)
    if not permissions.can_edit_motion(actor, motion):
        raise PermissionDenied
    title, text, rationale = _text_fields(title, text, rationale)
    motion.title, motion.text, motion.rationale = title, text, rationale
    motion.save(update_fields=["title", "text", "rationale"])
    record("councils.update_motion", actor=actor, instance=motion, data={"title": title})
    return motion


@transaction.atomic
def submit_motion(*, actor, motion):
    """The proposer submits the draft: the workspace sees it; the secretariat and the chair are told."""
    motion = lock_scoped(motion)
    if not permissions.can_see_motion(actor, motion):
        raise PermissionDenied
    lifecycle.take(motion, "submit", actor)
    motion.save()
    url = motion.get_absolute_url()
    record(
        "councils.submit_motion",
        actor=actor,
        instance=motion,
        data={"title": motion.title},
        line=Line(motion.workspace, ActivityVerb.SUBMITTED_MOTION, motion.title, url),
        tell=Tell(
            _secretariat_and_chairs(motion, actor),
            title=fmt(_("New motion in %(workspace)s: %(title)s"), workspace=str(motion.workspace), title=motion.title),
            body=fmt(
                _("%(name)s submitted it. Put it on a meeting agenda or to a written vote."),
                name=person_label(actor, motion.workspace),
            ),
            url=url,
        ),
    )
    return motion


def _remove_agenda_items(motion):
    """Take the motion off the agenda of its meeting; returns the meeting (or None)."""
    meeting = motion.meeting
    if meeting is not None:
        AgendaItem.objects.filter(meeting=meeting, motion=motion).delete()
    return meeting


@transaction.atomic
def withdraw_motion(*, actor, motion, reason):
    """The proposer withdraws the motion until its vote opens (with a reason); it leaves its meeting's agenda."""
    motion = lock_scoped(motion)
    if not permissions.can_withdraw_motion(actor, motion):
        raise PermissionDenied
    reason = clean_one(Motion, "withdrawn_reason", reason, key="reason", required=_("Say why the motion is withdrawn."))
    was_draft = motion.state == MotionState.DRAFT
    meeting = _remove_agenda_items(motion)
    previous = motion.state
    lifecycle.take(motion, "withdraw", actor, reason)
    motion.save()
    url = motion.get_absolute_url()
    public = not was_draft  # a draft was nobody's business but its proposer's
    record(
        "councils.withdraw_motion",
        actor=actor,
        instance=motion,
        data={"from": previous, "reason": reason, "meeting": meeting.pk if meeting else None},
        line=Line(motion.workspace, ActivityVerb.WITHDREW_MOTION, motion.title, url) if public else None,
        tell=Tell(
            _secretariat_and_chairs(motion, actor),
            title=fmt(_("Motion withdrawn: %(title)s"), title=motion.title),
            body=fmt(_("%(name)s withdrew it: %(reason)s"), name=person_label(actor, motion.workspace), reason=reason),
            url=url,
        )
        if public
        else None,
    )
    return motion


# The agenda -------------------------------------------------------------------------------------------------


@transaction.atomic
def put_on_agenda(*, actor, motion, meeting):
    """Put a submitted motion on the agenda of a scheduled or running meeting of the same workspace."""
    motion = lock_scoped(motion)
    if not permissions.can_manage_motion(actor, motion):
        raise PermissionDenied
    if not lifecycle.allowed(motion, "schedule", actor):
        raise lifecycle.refused(motion)
    if meeting is None:
        raise ValidationError({"meeting": ValidationError(_("Choose a meeting."), code="required")})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.council_id != motion.council_id or meeting.committee_id != motion.committee_id:
        raise ValidationError(
            {"meeting": ValidationError(_("The meeting belongs to another workspace."), code="workspace")}
        )
    if not meeting.takes_changes:
        raise ValidationError(
            {"meeting": ValidationError(_("The meeting has closed or was cancelled."), code="meeting_state")}
        )
    position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position, title=motion.title, motion=motion)
    lifecycle.take(motion, "schedule", actor, meeting)
    motion.save()
    url = motion.get_absolute_url()
    record(
        "councils.schedule_motion",
        actor=actor,
        instance=motion,
        data={"meeting": meeting.pk, "agenda_item": item.pk, "position": position},
        line=Line(motion.workspace, ActivityVerb.SCHEDULED_MOTION, motion.title, url),
        tell=Tell(
            [motion.proposer] if motion.proposer_id != actor.pk else [],
            title=fmt(_("Your motion is on the agenda: %(title)s"), title=motion.title),
            body=fmt(
                _("It is item %(position)s of the meeting %(meeting)s."), position=position, meeting=meeting.title
            ),
            url=url,
        ),
    )
    return motion


@transaction.atomic
def remove_from_agenda(*, actor, motion):
    """Take the motion off its meeting's agenda: it is submitted again, waiting for a meeting or a written vote."""
    motion = lock_scoped(motion)
    if not permissions.can_manage_motion(actor, motion):
        raise PermissionDenied
    if not lifecycle.allowed(motion, "unschedule", actor):
        raise lifecycle.refused(motion)
    meeting = _remove_agenda_items(motion)
    lifecycle.take(motion, "unschedule", actor)
    motion.save()
    record(
        "councils.unschedule_motion",
        actor=actor,
        instance=motion,
        data={"meeting": meeting.pk if meeting else None},
        tell=Tell(
            [motion.proposer] if motion.proposer_id != actor.pk else [],
            title=fmt(_("Your motion was taken off the agenda: %(title)s"), title=motion.title),
            url=motion.get_absolute_url(),
        ),
    )
    return motion


# The vote ---------------------------------------------------------------------------------------------------


def _charter(motion):
    charter = motion.council.charter_version_in_force()
    if charter is None:
        raise ValidationError(
            _("The council has no charter in force, so the rules for the vote are unknown."), code="no_charter"
        )
    return charter


def _put_to_vote(actor, motion, charter, *, electorate, written, **rules):
    """Open the motion's vote: a named poll the workspace owns about the motion, with the charter's majority and
    quorum (``rules``: this kind of vote's base, proxies and deadline) and ``electorate`` (voting.open_poll's)."""
    poll = voting.create_poll(
        actor=actor,
        owner=motion.workspace,
        subject=motion,
        title=motion.title,
        description=motion.text,
        majority=charter.default_majority,
        quorum=charter.quorum,
        secret=False,
        **rules,
    )
    voting.open_poll(actor=actor, poll=poll, **electorate)
    return _start(actor=actor, motion=motion, poll=poll, written=written, recused=electorate["recused"])


def _start(*, actor, motion, poll, written, recused):
    lifecycle.take(motion, "start_vote", actor, poll, written=written)
    motion.save()
    url = motion.get_absolute_url()
    record(
        "councils.open_motion_vote",
        actor=actor,
        instance=motion,
        data={
            "poll": str(poll.uuid),
            "written": written,
            "meeting": motion.meeting_id,
            "majority": poll.majority,
            "base": poll.base,
            "quorum": f"{poll.quorum_numerator}/{poll.quorum_denominator}",
            "recused": sorted({user.pk for user in recused}),
        },
        line=Line(motion.workspace, ActivityVerb.OPENED_MOTION_VOTE, motion.title, url),
    )
    return motion


@transaction.atomic
def open_meeting_vote(*, actor, motion, recused=()):
    """Put a motion on the agenda of a meeting in progress to the vote of its voting invitees.

    Refused when the meeting opened without a quorum. The poll follows the charter in force (majority, base,
    quorum, proxies); those present vote in person, an absent member's proxy holder for them; ``recused``
    members declared a conflict and have no vote. Errors of the voting engine propagate: nothing is saved.
    """
    motion = lock_scoped(motion)
    if not permissions.can_open_motion_vote(actor, motion):
        raise PermissionDenied
    if not motion.is_on_agenda or motion.meeting_id is None:
        raise ValidationError(_("Only a motion on a meeting agenda can be voted on at the meeting."), code="state")
    meeting = Meeting.objects.select_for_update().get(pk=motion.meeting_id)
    if not meeting.is_under_way:
        raise ValidationError(_("The vote can be held only while the meeting is in progress."), code="meeting_state")
    if meeting.quorum_met is not True:
        raise ValidationError(NO_QUORUM, code="no_quorum")
    charter = _charter(motion)
    invitations = list(meeting.invitations.filter(has_vote=True).select_related("user", "proxy_holder"))
    voters = [invitation.user for invitation in invitations]
    present = [invitation.user for invitation in invitations if invitation.attendance == Attendance.PRESENT]
    proxies = {
        invitation.user: invitation.proxy_holder
        for invitation in invitations
        if invitation.attendance == Attendance.PROXY and invitation.proxy_holder_id
    }
    return _put_to_vote(
        actor,
        motion,
        charter,
        electorate={"voters": voters, "present": present, "proxies": proxies, "recused": list(recused or ())},
        written=False,
        base=charter.default_base,
        max_proxies_per_holder=charter.max_proxies_per_holder if charter.proxies_allowed else 0,
    )


@transaction.atomic
def open_written_vote(*, actor, motion, closes_at, recused=()):
    """Put a submitted motion (or one on an agenda, which it leaves) to a written vote of the workspace's voting
    members until ``closes_at``. Everyone takes part, so the majority is of all voting members."""
    motion = lock_scoped(motion)
    if not permissions.can_open_motion_vote(actor, motion):
        raise PermissionDenied
    if not lifecycle.allowed(motion, "start_vote", actor):
        raise ValidationError(_("Only a submitted motion can be put to a written vote."), code="state")
    if not isinstance(closes_at, datetime.datetime):
        raise ValidationError({"closes_at": ValidationError(_("Give the voting deadline."), code="required")})
    if timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    if closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": ValidationError(_("The voting deadline must be in the future."), code="past")}
        )
    charter = _charter(motion)
    voters = [user for user, _organization, has_vote in Workspace.of(motion).seats() if has_vote]
    if motion.state == MotionState.ON_AGENDA:
        _remove_agenda_items(motion)
        motion.unschedule()
    return _put_to_vote(
        actor,
        motion,
        charter,
        electorate={"voters": voters, "present": voters, "recused": list(recused or ())},
        written=True,
        base=Base.ELECTORATE,
        max_proxies_per_holder=0,
        closes_at=closes_at,
    )


def resolution_text(motion, poll, on):
    """The recorded result as a sentence (lazy): outcome, date, counts, who took part, quorum and majority rule."""
    values = {
        "date": on.isoformat(),
        "yes": poll.yes_count,
        "no": poll.no_count,
        "abstain": poll.abstain_count,
        "present": poll.present_count,
        "electorate": poll.electorate_count,
        "required": poll.required_present,
        "cast": poll.yes_count + poll.no_count + poll.abstain_count,
        "base": poll.base_count,
    }
    if poll.passed:
        outcome = _("Adopted on %(date)s with %(yes)s yes, %(no)s no and %(abstain)s abstentions.")
    else:
        outcome = _("Rejected on %(date)s with %(yes)s yes, %(no)s no and %(abstain)s abstentions.")
    if motion.is_written_vote:
        turnout = _("%(cast)s of %(electorate)s voting members voted in writing; a written vote needs no quorum.")
    elif poll.quorum_met:
        turnout = _("%(present)s of %(electorate)s voting members took part; the quorum of %(required)s was met.")
    else:
        turnout = _(
            "%(present)s of %(electorate)s voting members took part; the quorum of %(required)s was not met, "
            "so the motion could not pass."
        )
    rule = _("Majority required: %(majority)s; base: %(base_label)s (%(base)s).")

    def render():
        # One sentence a line: Chinese sentences take no space between them, English ones need one.
        return "\n".join(
            [
                str(outcome) % values,
                str(turnout) % values,
                str(rule)
                % {
                    **values,
                    "majority": str(Majority(poll.majority).label),
                    "base_label": str(Base(poll.base).label),
                },
            ]
        )

    return render


def _record(*, actor, motion):
    poll = motion.poll
    passed = bool(poll.passed)
    render = resolution_text(motion, poll, permissions.today())
    with translation.override(settings.LANGUAGE_CODE):  # the record is kept in the portal's language
        resolution = render()
    if passed:
        motion.adopt(resolution)
    else:
        motion.reject(resolution)
    motion.save()
    url = motion.get_absolute_url()
    title = (
        fmt(_("Motion adopted: %(title)s"), title=motion.title)
        if passed
        else fmt(_("Motion rejected: %(title)s"), title=motion.title)
    )
    recipients = [motion.proposer, *Workspace.of(motion).recipients(actor)]
    record(
        "councils.adopt_motion" if passed else "councils.reject_motion",
        actor=actor,
        instance=motion,
        data={
            "poll": str(poll.uuid),
            "yes": poll.yes_count,
            "no": poll.no_count,
            "abstain": poll.abstain_count,
            "electorate": poll.electorate_count,
            "present": poll.present_count,
            "base": poll.base_count,
            "quorum_met": poll.quorum_met,
            "passed": passed,
        },
        line=Line(
            motion.workspace,
            ActivityVerb.ADOPTED_MOTION if passed else ActivityVerb.REJECTED_MOTION,
            motion.title,
            url,
        ),
        tell=Tell([user for user in recipients if user.pk != actor.pk], title=title, body=lazy(render, str)(), url=url),
    )
    return motion


def _voting_motion(motion):
    if motion.state != MotionState.VOTING or motion.poll_id is None:
        raise ValidationError(_("The motion is not being voted on."), code="state")
    return motion.poll


@transaction.atomic
def close_vote(*, actor, motion):
    """Close the motion's poll and record the result, in one transaction."""
    motion = lock_scoped(motion)
    if not permissions.can_open_motion_vote(actor, motion):
        raise PermissionDenied
    poll = _voting_motion(motion)
    if poll.state == PollState.OPEN:
        voting.close_poll(actor=actor, poll=poll)  # reloads the poll with its result
    elif poll.state != PollState.CLOSED:
        raise ValidationError(_("The vote has not opened yet."), code="poll_state")
    return _record(actor=actor, motion=motion)


@transaction.atomic
def record_result(*, actor, motion):
    """Record the result of a poll that was closed on the voting page."""
    motion = lock_scoped(motion)
    if not permissions.can_manage_motion(actor, motion):
        raise PermissionDenied
    poll = _voting_motion(motion)
    poll.refresh_from_db()
    if poll.state != PollState.CLOSED:
        raise ValidationError(_("The vote is still open: close it first."), code="poll_open")
    return _record(actor=actor, motion=motion)
