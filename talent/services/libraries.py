"""The resource libraries' curation (信息服务平台): firms and teams submit entries, the programme's officers publish,
return or archive them, the submitter edits a pending or returned entry or withdraws it.

Every entry is validated through its library's form (talent/forms/libraries.py), so the service and the page refuse
the same things with the same messages.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from .. import permissions
from ..forms.libraries import FORMS
from ..models import LIBRARIES
from ..verbs import TalentVerb

ACTIONS = {
    "talent.submit_listing": (_("Submit library entry"), _("Library entry submitted")),
    "talent.edit_listing": (_("Edit library entry"), _("Library entry edited")),
    "talent.curate_listing": (_("Curate library entry"), _("Library entry published, returned or archived")),
    "talent.withdraw_listing": (_("Withdraw library entry"), _("Library entry withdrawn")),
}
CURATIONS = ("publish", "archive")
TEXT_FIELDS = ("title", "title_en", "summary", "summary_en", "keywords", "holder_name", "contact_name")


def _as_data(values) -> dict:
    """Values as a form reads them from a request: objects by their key, numbers and dates as text."""
    data = {}
    for name, value in (values or {}).items():
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, QuerySet | list | tuple | set | frozenset):
            value = [item.pk if isinstance(item, Model) else item for item in value]
        elif isinstance(value, Decimal | datetime.date):
            value = str(value)
        data[name] = "" if value is None else value
    return data


def _validated(form):
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    clean_text(type(form.instance), {name: form.cleaned_data.get(name) for name in TEXT_FIELDS}, required={})
    for name in TEXT_FIELDS:
        setattr(form.instance, name, (form.cleaned_data.get(name) or "").strip())
    return form


def _library_of(library):
    if library not in LIBRARIES:
        raise ValidationError(_("There is no such library."))
    return LIBRARIES[library]


def _locked(listing):
    return type(listing).objects.select_for_update().select_related("programme").get(pk=listing.pk)


def _summary(listing) -> str:
    return f"{listing._meta.verbose_name}: {listing.title}"


@transaction.atomic
def submit_listing(*, actor, library, values):
    """A new entry of ``library`` ("projects", "demands", "patents"), waiting for a curator."""
    if not permissions.can_submit_listing(actor):
        raise PermissionDenied
    model = _library_of(library)
    form = _validated(FORMS[library](data=_as_data(values), instance=model(submitted_by=actor)))
    form.instance.programme = form.cleaned_data["programme"]
    listing = form.save()
    url = listing.get_absolute_url()
    record(
        "talent.submit_listing",
        actor=actor,
        instance=listing,
        data={"library": library, "title": listing.title},
        line=Line(listing.programme, TalentVerb.SUBMITTED_LISTING, _summary(listing), url),
        tell=Tell(
            listing.programme.officers.all(),
            title=fmt(_("A library entry waits for approval: %(title)s"), title=listing.title),
            url=url,
        ),
    )
    return listing


@transaction.atomic
def edit_listing(*, actor, listing, values):
    """The submitter changes a pending or returned entry; a returned one goes back to the curators."""
    listing = _locked(listing)
    if not permissions.submitted_listing(actor, listing):
        raise PermissionDenied
    if not permissions.can_edit_listing(actor, listing):
        raise lifecycle.refused(listing)
    form = _validated(FORMS[listing.LIBRARY](data=_as_data(values), instance=listing, new=False))
    if lifecycle.allowed(listing, "resubmit", actor):
        lifecycle.take(listing, "resubmit", actor)
    listing = form.save()
    record(
        "talent.edit_listing",
        actor=actor,
        instance=listing,
        data={"library": listing.LIBRARY, "state": listing.state},
        line=Line(listing.programme, TalentVerb.SUBMITTED_LISTING, _summary(listing), listing.get_absolute_url()),
    )
    return listing


def _curated(actor, listing, transition, tell=None):
    record(
        "talent.curate_listing",
        actor=actor,
        instance=listing,
        data={"library": listing.LIBRARY, "transition": transition, "state": listing.state},
        line=Line(listing.programme, TalentVerb.CURATED_LISTING, _summary(listing), listing.get_absolute_url()),
        tell=tell,
    )
    return listing


@transaction.atomic
def curate(*, actor, listing, transition):
    """A curator publishes a pending entry or archives a published one."""
    if transition not in CURATIONS:
        raise ValidationError(_("This cannot be done to a library entry."))
    listing = _locked(listing)
    if not permissions.curates_listing(actor, listing):
        raise PermissionDenied
    lifecycle.take(listing, transition, actor)
    listing.reviewed_by = actor
    listing.save()
    tell = None
    if transition == "publish":
        tell = Tell(
            [listing.submitted_by],
            title=fmt(_("Your library entry is published: %(title)s"), title=listing.title),
            url=listing.get_absolute_url(),
        )
    return _curated(actor, listing, transition, tell)


@transaction.atomic
def send_back(*, actor, listing, reason):
    """A curator returns a pending entry to its submitter, saying what to change."""
    listing = _locked(listing)
    if not permissions.curates_listing(actor, listing):
        raise PermissionDenied
    reason = clean_text(type(listing), {"return_reason": reason}, required={"return_reason": _("Say what to change.")})[
        "return_reason"
    ]
    lifecycle.take(listing, "send_back", actor)
    listing.return_reason = reason
    listing.reviewed_by = actor
    listing.save()
    tell = Tell(
        [listing.submitted_by],
        title=fmt(_("Your library entry was returned for changes: %(title)s"), title=listing.title),
        body=reason,
        url=listing.get_absolute_url(),
    )
    return _curated(actor, listing, "send_back", tell)


@transaction.atomic
def withdraw(*, actor, listing):
    """The submitter takes the entry out of the library (pending, returned or published)."""
    listing = _locked(listing)
    if not permissions.submitted_listing(actor, listing):
        raise PermissionDenied
    lifecycle.take(listing, "withdraw", actor)
    listing.save()
    record(
        "talent.withdraw_listing",
        actor=actor,
        instance=listing,
        data={"library": listing.LIBRARY},
        line=Line(listing.programme, TalentVerb.CURATED_LISTING, _summary(listing), listing.get_absolute_url()),
    )
    return listing
