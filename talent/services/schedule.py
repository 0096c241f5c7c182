"""Calls (入驻申请批次), opened and changed by the programme's officers: permission → validate → lock → write →
record. A call that already has sent applications keeps its opening day and can no longer be unpublished: teams
applied under it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record

from .. import permissions
from ..forms.calls import CallForm
from ..models import Call
from ..verbs import TalentVerb

ACTIONS = {"talent.save_call": (_("Save call"), _("Call opened or changed"))}


@transaction.atomic
def save_call(*, actor, programme, values, call=None):
    """A new call of ``programme`` (``call`` None) or the changed ``call``, from the form's ``values``."""
    if not permissions.is_officer(actor, programme):
        raise PermissionDenied
    if call is not None:
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.programme_id != programme.pk:
            raise PermissionDenied
    # Read before the form runs: validating a model form writes its values onto the instance.
    applied = call is not None and call.base_applications.exists()
    opened_on = call.opens_on if call is not None else None
    form = CallForm(data=values, instance=call)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    if applied:
        data = form.cleaned_data
        if data["opens_on"] != opened_on:
            raise ValidationError({"opens_on": _("Teams have applied to this call: its opening day stays.")})
        if not data["is_published"]:
            raise ValidationError({"is_published": _("Teams have applied to this call: it stays published.")})
    saved = form.save(commit=False)
    saved.programme = programme
    saved.save()
    form.save_m2m()
    record(
        "talent.save_call",
        actor=actor,
        instance=saved,
        data={"new": call is None, "opens_on": saved.opens_on.isoformat(), "closes_on": saved.closes_on.isoformat()},
        line=Line(programme, TalentVerb.SAVED_CALL, saved.title, saved.get_absolute_url()),
    )
    return saved
