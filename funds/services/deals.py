"""Services: deals. Creating a deal (with its deal-room folders), moving it through its stages, changing its fields.

Every move goes through the lifecycle declared on ``Deal`` (``portal.lifecycle.take``: permission, present stage,
guards), takes a note, writes a ``StageChange`` row and a line in the fund's stream, and tells the deal's lead and
the fund's other managers. Two people moving one deal at once: the row lock makes the second wait, re-read, and be
told who moved it first; nothing is lost or moved twice.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition

from portal import lifecycle
from portal.edits import refuse_stale
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from .. import permissions
from ..filters import filter_query
from ..models import Company, Deal, DealFolder, DealSource, DealStage, Round, SavedFilter, StageChange
from ..verbs import FundVerb

# Audit-log actions of this module: {action: (label, message)}; registered in funds/wagtail_hooks.py.
ACTIONS = {
    "funds.create_deal": (_("Add deal"), _("Deal added")),
    "funds.move_deal": (_("Move deal"), _("Deal moved to another stage")),
    "funds.update_deal": (_("Change deal"), _("Deal changed")),
    "funds.save_filter": (_("Save pipeline filter"), _("Pipeline filter saved")),
    "funds.delete_filter": (_("Delete pipeline filter"), _("Pipeline filter deleted")),
}

# The deal room every deal starts with: (Chinese name, English name), in this order.
STANDARD_FOLDERS = (
    ("申请材料", "Application"),
    ("尽职调查", "Due diligence"),
    ("投决", "Investment committee"),
    ("协议", "Agreements"),
    ("投后", "Portfolio"),
)

# The names a URL may give a move: the transitions declared on Deal, nothing else (never any other method).
TRANSITIONS = frozenset(t.name for t in Deal._meta.get_field("stage").get_all_transitions(Deal))

NOTE_REQUIRED = _("Write a note: why the deal moves now.")


# Validation helpers -----------------------------------------------------------------------------------------------


def clean_amount(value, field, *, required=True):
    """An amount in yuan as a Decimal ≥ 0 with two decimals at most, or a message on ``field`` in the user's language.

    Accepts what a form or an import row gives (Decimal, int, numeric text with thousands commas)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: ValidationError(_("Enter an amount in yuan."), code="required")})
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: ValidationError(_("Enter the amount as a number in yuan."), code="invalid")})
    if amount < 0:
        raise ValidationError({field: ValidationError(_("An amount cannot be negative."), code="min_value")})
    try:
        Deal._meta.get_field(field).run_validators(amount)  # the column's own digits and decimal places
    except ValidationError as error:
        raise ValidationError({field: error}) from None
    return amount


def _choice(value, choices, field, message):
    if value not in choices.values:
        raise ValidationError({field: ValidationError(message, code="invalid_choice")})
    return value


def _lead(fund, owner):
    """The deal lead must be one of the fund's own managers (or nobody yet)."""
    if owner is not None and not fund.managers.filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The deal lead must be one of the fund's managers.")})
    return owner


def _managers_to_tell(deal, actor):
    """The deal's lead and the fund's other managers: everyone who runs the deal, except who acted."""
    people = list(deal.fund.managers.filter(is_active=True).order_by("pk"))
    if deal.owner is not None and deal.owner not in people:
        people.insert(0, deal.owner)
    return [person for person in people if person.pk != actor.pk]


def _lock(deal):
    """Lock the deal's own row and re-read it (PostgreSQL refuses FOR UPDATE on the nullable owner's outer join)."""
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related("fund", "company__organization", "owner")
        .get(pk=deal.pk)
    )


# Creating ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_deal(*, actor, fund, company, round, amount_requested, source, pre_money=None, owner=None, summary=""):
    """A new deal in the fund (sourced), with the standard deal-room folders; the other managers are told."""
    if not permissions.can_create_deal(actor, fund):
        raise PermissionDenied
    errors = {}
    values = {}
    for key, check in (
        ("company", lambda: _company(company)),
        ("round", lambda: _choice(round, Round, "round", _("Choose a round from the list."))),
        ("amount_requested", lambda: clean_amount(amount_requested, "amount_requested")),
        ("pre_money", lambda: clean_amount(pre_money, "pre_money", required=False)),
        ("source", lambda: _choice(source, DealSource, "source", _("Choose a source from the list."))),
        ("owner", lambda: _lead(fund, owner)),
        ("summary", lambda: clean_text(Deal, {"summary": summary})["summary"]),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
    if (
        not errors
        and Deal.objects.filter(fund=fund, company=values["company"], round=values["round"])
        .exclude(stage__in=[DealStage.REJECTED, DealStage.WITHDRAWN, DealStage.EXITED, DealStage.WRITTEN_OFF])
        .exists()
    ):
        errors["company"] = [_("This company already has an open deal for this round in this fund.")]
    if errors:
        raise ValidationError(errors)
    return open_deal(actor=actor, fund=fund, **values)


def open_deal(*, actor, fund, stage=DealStage.SOURCED, application=None, note="", **values):
    """Write a deal whose values are already checked, with the standard deal-room folders, and record it.

    ``create_deal`` (a manager adds a deal) and a firm's financing application (funds/services/financing.py, a deal
    in screening) both end here. A deal that starts past ``sourced`` gets its first stage-history row."""
    now = timezone.now()
    deal = Deal.objects.create(
        fund=fund, created_at=now, stage_entered_at=now, stage=stage, application=application, **values
    )
    DealFolder.objects.bulk_create(
        DealFolder(deal=deal, name=name, name_en=name_en, order=order)
        for order, (name, name_en) in enumerate(STANDARD_FOLDERS)
    )
    if stage != DealStage.SOURCED:
        StageChange.objects.create(deal=deal, from_stage="", to_stage=stage, actor=actor, note=note, at=now)
    url = deal.get_absolute_url()
    record(
        "funds.create_deal",
        actor=actor,
        instance=deal,
        data={"company": str(deal.company), "round": deal.round, "amount_requested": str(deal.amount_requested)},
        line=Line(fund, FundVerb.CREATED_DEAL, str(deal.company), url),
        tell=Tell(
            _managers_to_tell(deal, actor),
            title=fmt(_("New deal in %(fund)s: %(company)s"), fund=str(fund), company=str(deal.company)),
            url=url,
        ),
    )
    return deal


def _company(company):
    if not isinstance(company, Company) or company.pk is None:
        raise ValidationError({"company": _("Choose a company from the list.")})
    return company


# Moving -----------------------------------------------------------------------------------------------------------


def _moved_meanwhile(deal) -> ValidationError:
    """The deal is no longer where the person's page showed it: say who moved it, where, when."""
    last = deal.stage_changes.select_related("actor").order_by("-at", "-pk").first()
    stage = lifecycle.state_label(deal)
    if last is None or last.actor is None:
        message = fmt(_("This deal was moved to %(stage)s meanwhile; nothing was changed."), stage=stage)
    else:
        message = fmt(
            _("This deal was moved to %(stage)s by %(name)s at %(time)s; nothing was changed."),
            stage=stage,
            name=last.actor.display_name,
            time=timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M"),
        )
    return ValidationError(message, code="stale")


@transaction.atomic
def move_deal(*, actor, deal, transition, note, expected_stage=None):
    """Take the stage transition named ``transition`` with a note (required).

    ``expected_stage`` is the stage the person's page showed: when the deal has moved since (another manager, or
    the same button pressed twice), nothing changes and the message says who moved it, where and when.
    """
    # Who may take this very step is the declaration's business (take() below); this only keeps out those who may
    # not know the deal at all: its fund's people, and the firm whose application it came from.
    if not (permissions.can_view_deal(actor, deal) or permissions.is_deal_applicant(actor, deal)):
        raise PermissionDenied
    if transition not in TRANSITIONS:
        raise ValidationError(_("There is no such step for a deal."), code="transition")
    deal = _lock(deal)
    if expected_stage and deal.stage != expected_stage:
        raise _moved_meanwhile(deal)
    note = clean_text(StageChange, {"note": note}, required={"note": NOTE_REQUIRED})["note"]
    from_stage = deal.stage
    lifecycle.take(deal, transition, actor)
    if deal.stage != DealStage.ON_HOLD:  # only a held deal remembers where it was (resume has read it by now)
        deal.stage_before_hold = ""
    now = timezone.now()
    deal.stage_entered_at = now
    try:
        deal.save()
    except ConcurrentTransition:  # a writer that did not lock: the stage in the row is no longer the one read
        raise _moved_meanwhile(Deal.objects.get(pk=deal.pk)) from None
    StageChange.objects.create(deal=deal, from_stage=from_stage, to_stage=deal.stage, actor=actor, note=note, at=now)
    url = deal.get_absolute_url()
    record(
        "funds.move_deal",
        actor=actor,
        instance=deal,
        data={"transition": transition, "from": from_stage, "to": deal.stage, "note": note},
        line=Line(deal.fund, FundVerb.MOVED_DEAL, str(deal.company), url),
        tell=Tell(
            _managers_to_tell(deal, actor),
            title=fmt(
                _("%(company)s: %(from)s → %(to)s"),
                company=str(deal.company),
                **{"from": DealStage(from_stage).label, "to": DealStage(deal.stage).label},
            ),
            body=fmt(_("%(name)s moved the deal: %(note)s"), name=actor.display_name, note=note),
            url=url,
        ),
    )
    _applicant_status_changed(deal)
    return deal


def _applicant_status_changed(deal):
    """A deal that came from a firm's application moved: the applicant's status label follows (评审中, 已通过…)."""
    if deal.application_id is not None:
        from .financing import follow_deal

        follow_deal(deal)


# Changing ---------------------------------------------------------------------------------------------------------


# What the deal's edit form changes; a save of any of them by someone else stales an open form (portal/edits.py).
EDITABLE = ("owner", "amount_requested", "pre_money", "round", "summary")


@transaction.atomic
def update_deal(*, actor, deal, owner, amount_requested, pre_money, round, summary, loaded=""):
    """Change the deal's lead, amounts, round and summary (a deal that has ended stays as it ended). ``loaded``: the
    fingerprint of the values the form showed; a change saved since is refused, not overwritten."""
    if not permissions.can_edit_deal(actor, deal):
        raise PermissionDenied
    deal = _lock(deal)
    refuse_stale(deal, EDITABLE, loaded)
    if deal.is_ended:
        raise ValidationError(
            fmt(_("This deal has ended (%(stage)s); it can no longer be changed."), stage=lifecycle.state_label(deal)),
            code="ended",
        )
    errors, values = {}, {}
    for key, check in (
        ("owner", lambda: _lead(deal.fund, owner)),
        ("amount_requested", lambda: clean_amount(amount_requested, "amount_requested")),
        ("pre_money", lambda: clean_amount(pre_money, "pre_money", required=False)),
        ("round", lambda: _choice(round, Round, "round", _("Choose a round from the list."))),
        ("summary", lambda: clean_text(Deal, {"summary": summary})["summary"]),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
    if errors:
        raise ValidationError(errors)
    changed = [key for key, value in values.items() if getattr(deal, key) != value]
    if not changed:
        return deal
    previous_owner = deal.owner
    for key in changed:
        setattr(deal, key, values[key])
    deal.save(update_fields=changed)
    url = deal.get_absolute_url()
    new_lead = deal.owner if "owner" in changed and deal.owner not in (None, actor) else None
    record(
        "funds.update_deal",
        actor=actor,
        instance=deal,
        data={"changed": changed, "previous_owner": getattr(previous_owner, "pk", None)},
        line=Line(deal.fund, FundVerb.UPDATED_DEAL, str(deal.company), url),
        tell=Tell(
            [new_lead],
            title=fmt(_("You now lead the deal %(company)s"), company=str(deal.company)),
            body=fmt(_("%(name)s made you its lead."), name=actor.display_name),
            url=url,
        )
        if new_lead
        else None,
    )
    return deal


# Saved filters (each manager's own) ------------------------------------------------------------------------------


@transaction.atomic
def save_filter(*, actor, fund, name, query):
    """Keep the pipeline table's present filter under a name; the same name again replaces it."""
    if not permissions.can_view_pipeline(actor, fund):
        raise PermissionDenied
    kept = filter_query(QueryDict(query or ""))
    cleaned = clean_text(SavedFilter, {"name": name, "query": kept}, required={"name": _("Give the filter a name.")})
    if not cleaned["query"]:
        raise ValidationError(_("Choose at least one filter or sort order before saving."), code="empty")
    saved, created = SavedFilter.objects.select_for_update().update_or_create(
        fund=fund, user=actor, name=cleaned["name"], defaults={"query": cleaned["query"]}
    )
    record("funds.save_filter", actor=actor, instance=saved, data={"name": saved.name, "query": saved.query})
    return saved


@transaction.atomic
def delete_filter(*, actor, saved_filter):
    """A person deletes one of their own saved filters."""
    saved = SavedFilter.objects.select_for_update().filter(pk=saved_filter.pk, user=actor).first()
    if saved is None or not permissions.can_view_pipeline(actor, saved.fund):
        raise PermissionDenied
    record("funds.delete_filter", actor=actor, instance=saved, data={"name": saved.name, "query": saved.query})
    saved.delete()
