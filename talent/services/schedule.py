"""What a programme opens, written by its officers: calls (入驻申请批次) and roadshows (路演). Permission → validate →
lock → write → record. A call teams applied to keeps its opening day and stays published; a roadshow with pitches
or investors stays published: people registered under it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record

from .. import permissions
from ..forms.schedule import CallForm, RoadshowForm
from ..models import Call, Roadshow
from ..verbs import TalentVerb

ACTIONS = {
    "talent.save_call": (_("Save call"), _("Call opened or changed")),
    "talent.save_roadshow": (_("Save roadshow"), _("Roadshow announced or changed")),
}


def _save(*, actor, programme, instance, form_class, values, refuse, action, verb):
    """The shared shape: the officer of ``programme``; the locked ``instance`` (None: a new one) of that programme;
    the form's checks, then ``refuse(instance as stored, cleaned data)`` (a dict of field errors, or None)."""
    if not permissions.is_officer(actor, programme):
        raise PermissionDenied
    model = form_class._meta.model
    stored = None
    if instance is not None:
        instance = model.objects.select_for_update().get(pk=instance.pk)
        if instance.programme_id != programme.pk:
            raise PermissionDenied
        stored = model.objects.get(pk=instance.pk)  # validating a model form writes onto its instance
    form = form_class(data=values, instance=instance)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    problems = refuse(stored, form.cleaned_data) if stored is not None else None
    if problems:
        raise ValidationError(problems)
    saved = form.save(commit=False)
    saved.programme = programme
    saved.save()
    form.save_m2m()
    record(
        action,
        actor=actor,
        instance=saved,
        data={"new": stored is None, "title": saved.title},
        line=Line(programme, verb, saved.title, saved.get_absolute_url()),
    )
    return saved


def _call_refusals(call, data):
    if not call.base_applications.exists():
        return None
    if data["opens_on"] != call.opens_on:
        return {"opens_on": _("Teams have applied to this call: its opening day stays.")}
    if not data["is_published"]:
        return {"is_published": _("Teams have applied to this call: it stays published.")}
    return None


def _roadshow_refusals(roadshow, data):
    if not data["is_published"] and (roadshow.projects.exists() or roadshow.investors.exists()):
        return {"is_published": _("Teams or investors have registered for this roadshow: it stays published.")}
    return None


@transaction.atomic
def save_call(*, actor, programme, values, call=None) -> Call:
    """A new call of ``programme`` (``call`` None) or the changed ``call``, from the form's ``values``."""
    return _save(
        actor=actor,
        programme=programme,
        instance=call,
        form_class=CallForm,
        values=values,
        refuse=_call_refusals,
        action="talent.save_call",
        verb=TalentVerb.SAVED_CALL,
    )


@transaction.atomic
def save_roadshow(*, actor, programme, values, roadshow=None) -> Roadshow:
    """A new roadshow of ``programme`` (``roadshow`` None) or the changed one, from the form's ``values``."""
    return _save(
        actor=actor,
        programme=programme,
        instance=roadshow,
        form_class=RoadshowForm,
        values=values,
        refuse=_roadshow_refusals,
        action="talent.save_roadshow",
        verb=TalentVerb.SAVED_ROADSHOW,
    )
