"""Introductions (对接): an officer puts two sides of a match in touch; each side accepts or declines; the officer
records the outcome. Used by the libraries' matching and by roadshow follow-ups."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from .. import permissions
from ..models import Answer, Introduction, Outcome
from ..verbs import TalentVerb

ACTIONS = {
    "talent.introduce": (_("Send introduction"), _("Introduction sent")),
    "talent.answer_introduction": (_("Answer introduction"), _("Introduction answered")),
    "talent.close_introduction": (_("Record introduction outcome"), _("Introduction outcome recorded")),
}


def _key(thing):
    return ContentType.objects.get_for_model(thing), thing.pk


@transaction.atomic
def introduce(*, actor, programme, left, left_person, right, right_person, note, source, explanation=None):
    """Put ``left`` and ``right`` in touch; ``left_person`` and ``right_person`` answer for them. One introduction
    per pair (in either order)."""
    if not permissions.is_officer(actor, programme):
        raise PermissionDenied
    note = clean_text(Introduction, {"note": note}, required={"note": _("Say why they should meet.")})["note"]
    if left_person is None or right_person is None:
        raise ValidationError(_("Both sides need a person to answer: this entry has no account behind it."))
    if left_person.pk == right_person.pk:
        raise ValidationError(_("Both sides are the same person: there is nobody to introduce."))
    left_type, left_id = _key(left)
    right_type, right_id = _key(right)
    pair = Introduction.objects.filter(left_type=left_type, left_id=left_id, right_type=right_type, right_id=right_id)
    swapped = Introduction.objects.filter(
        left_type=right_type, left_id=right_id, right_type=left_type, right_id=left_id
    )
    if pair.exists() or swapped.exists():
        raise ValidationError(_("These two have already been introduced."), code="twice")
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                programme=programme,
                source=source,
                left_type=left_type,
                left_id=left_id,
                left_person=left_person,
                right_type=right_type,
                right_id=right_id,
                right_person=right_person,
                note=note,
                explanation=explanation or {},
                made_by=actor,
            )
    except IntegrityError:  # the same pair sent twice at once
        raise ValidationError(_("These two have already been introduced."), code="twice") from None
    url = introduction.get_absolute_url()
    record(
        "talent.introduce",
        actor=actor,
        instance=introduction,
        data={"left": f"{left_type.model}:{left_id}", "right": f"{right_type.model}:{right_id}"},
        line=Line(programme, TalentVerb.INTRODUCED, f"{left} ↔ {right}", url),
        tell=Tell(
            [left_person, right_person],
            title=fmt(_("The base introduces you: %(left)s and %(right)s"), left=str(left), right=str(right)),
            body=note,
            url=url,
        ),
    )
    return introduction


def _locked(introduction):
    return Introduction.objects.select_for_update().get(pk=introduction.pk)


@transaction.atomic
def answer(*, actor, introduction, accept: bool):
    """One side accepts or declines. Both accepted: the introduction is accepted; either declined: declined."""
    introduction = _locked(introduction)
    if not permissions.is_introduced(actor, introduction):
        raise PermissionDenied
    if not permissions.can_answer_introduction(actor, introduction):
        raise ValidationError(_("You have already answered this introduction, or it is closed."), code="answered")
    value = Answer.ACCEPTED if accept else Answer.DECLINED
    if actor.pk == introduction.left_person_id:
        introduction.left_answer = value
    if actor.pk == introduction.right_person_id:
        introduction.right_answer = value
    if Answer.DECLINED in (introduction.left_answer, introduction.right_answer):
        lifecycle.take(introduction, "mark_declined")
    elif introduction.left_answer == introduction.right_answer == Answer.ACCEPTED:
        lifecycle.take(introduction, "mark_accepted")
    introduction.save()
    record(
        "talent.answer_introduction",
        actor=actor,
        instance=introduction,
        data={"accept": accept, "state": introduction.state},
        line=Line(
            introduction.programme, TalentVerb.ANSWERED_INTRODUCTION, str(introduction), introduction.get_absolute_url()
        ),
        tell=Tell(
            [introduction.made_by],
            title=fmt(
                _("%(person)s answered the introduction %(pair)s: %(answer)s"),
                person=str(actor),
                pair=str(introduction),
                answer=Answer(value).label,
            ),
            url=introduction.get_absolute_url(),
        ),
    )
    return introduction


@transaction.atomic
def close(*, actor, introduction, outcome, outcome_note=""):
    """The officer records what came of it."""
    introduction = _locked(introduction)
    if not permissions.runs_introduction(actor, introduction):  # before validating: outsiders learn nothing
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    outcome_note = clean_text(Introduction, {"outcome_note": outcome_note})["outcome_note"]
    lifecycle.take(introduction, "close", actor)
    introduction.outcome = outcome
    introduction.outcome_note = outcome_note
    introduction.save()
    record(
        "talent.close_introduction",
        actor=actor,
        instance=introduction,
        data={"outcome": outcome},
        line=Line(
            introduction.programme, TalentVerb.CLOSED_INTRODUCTION, str(introduction), introduction.get_absolute_url()
        ),
    )
    return introduction


def introductions_for(user):
    """What ``user`` was introduced to, newest first (their workspace's list)."""
    return Introduction.objects.filter(Q(left_person=user) | Q(right_person=user)).select_related("programme")
