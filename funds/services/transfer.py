"""Services of the fund: the pipeline table as an Excel workbook, and a deal list imported after a dry run.

Export: the deals the table shows (its filter applied by the view), headers, labels and the sheet name in the
reader's language, money as numbers in yuan, dates as dates. Audited.

Import: an .xlsx or UTF-8 .csv whose headers are the template's, in Chinese or English. ``preview_import`` reads it
with pandas, checks every row and stores what would happen in ``DealImport.preview`` (create / update / refuse with
reasons, each written in both languages so every reader reads their own); nothing else is written. Confirming
(``request_apply``) hands the list to a background task (thousands of rows take minutes), whose ``apply_import``
applies it once, all or nothing, only when no row is refused, after checking every row again against the data as it
is now: deals are created through ``deals.create_deal`` (and moved to screening through ``deals.move_deal``),
matched deals changed through ``deals.update_deal``. pandas and our own row checks rather than
django-import-export: its dry run is the real import rolled back, which would bypass those services (their
permission, validation, history and notifications) and could not keep a preview for later confirmation.
"""

import datetime
import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from modelsearch.backends import get_search_backends

from portal import lifecycle
from portal.files.uploads import MEGABYTE, Accepted
from portal.history.record import Entry, Line, Tell, record, record_many
from portal.i18n import in_every_language
from portal.organizations.models import Organization, OrganizationKind
from portal.organizations.validators import normalize_uscc, validate_uscc
from portal.spreadsheets import choice_spellings, spelling
from portal.text import clean_text, fmt

from .. import permissions
from ..deal_lists import (
    BY_KEY,
    COLUMNS,
    IMPORT_STAGES,
    NEEDED_FOR_NEW_COMPANY,
    UPLOAD,
    build_export,
    read_table,
)
from ..models import ENDED, Company, Deal, DealFolder, DealImport, DealStage, StageChange
from ..verbs import FundVerb
from . import deals as deal_services
from .imports import keep_import, read_upload

logger = logging.getLogger(__name__)

ACTIONS = {
    "funds.export_deals": (_("Export deals"), _("Exported the deal list to Excel")),
    "funds.preview_import": (_("Preview deal import"), _("Uploaded a deal list and previewed its import")),
    "funds.request_import": (_("Confirm deal import"), _("Confirmed a previewed deal list for import")),
    "funds.apply_import": (_("Apply deal import"), _("Applied an imported deal list")),
}

DEAL_LISTS = Accepted(
    types={"xlsx": {"xlsx"}},
    text={"csv": "text/csv"},
    max_size=10 * MEGABYTE,
    described=_("Upload the deal list as an Excel workbook (.xlsx) or a UTF-8 CSV file (.csv)."),
)
STALE_QUEUE = datetime.timedelta(hours=1)  # a confirm waiting longer than this was lost: it may be confirmed again
CREATE, UPDATE, REFUSE = "create", "update", "refuse"
BATCH = 500  # rows per bulk statement: well under SQLite's limit on query parameters


def export_deals(*, actor, fund, deals, query=""):
    """The XLSX bytes of ``deals`` (the pipeline table's filtered queryset) for one of the fund's managers."""
    if not permissions.can_export_deals(actor, fund):
        raise PermissionDenied
    deals = deals.filter(fund=fund).select_related("company__organization", "owner")
    rows = list(deals)
    data = build_export(rows)
    record("funds.export_deals", actor=actor, instance=fund, data={"deals": len(rows), "filter": query[:500]})
    return data


# --- checking the rows -------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row's outcome: what it would do and why not."""

    line: int
    values: dict
    outcome: str = CREATE
    reasons: list = field(default_factory=list)  # [{language: text}]
    notes: list = field(default_factory=list)
    deal: Deal | None = None
    company: Company | None = None
    organization: Organization | None = None  # an existing organization without a biomedicine profile yet
    owner: object = None

    def refuse(self, column, message):
        """Refuse the row, saying why (``message``: a lazy text, or a ValidationError), in every language."""

        def text():
            said = " ".join(_messages(message)) if isinstance(message, ValidationError) else str(message)
            return str(fmt(_("%(column)s: %(reason)s"), column=BY_KEY[column].header, reason=said)) if column else said

        self.reasons.append(in_every_language(text))

    def as_json(self) -> dict:
        before = {}
        if self.deal is not None:
            before = {
                "amount_requested": str(self.deal.amount_requested),
                "pre_money": "" if self.deal.pre_money is None else str(self.deal.pre_money),
                "owner": self.deal.owner.get_username() if self.deal.owner else "",
                "stage": self.deal.stage,
            }
        return {
            "line": self.line,
            "outcome": REFUSE if self.reasons else self.outcome,
            "values": self.values,
            "company_name": self._company_name(),
            "new_company": self.company is None,
            "deal": self.deal.pk if self.deal else None,
            "before": before,
            "reasons": self.reasons,
            "notes": self.notes,
        }

    def _company_name(self):
        if self.company is not None:
            return self.company.organization.name
        return self.organization.name if self.organization else self.values.get("company", "")

    def signature(self):
        return (self.line, REFUSE if self.reasons else self.outcome, self.deal.pk if self.deal else None)


def _messages(error: ValidationError) -> list:
    """A ValidationError's messages, read now (so in the active language), whether it names fields or not."""
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


class Planner:
    """Checks every row of a deal list against the fund as it is now, with a fixed number of queries."""

    def __init__(self, fund, rows):
        self.fund = fund
        self.rows = rows
        self.choices = {column.key: choice_spellings(column.choices) for column in COLUMNS if column.choices}
        codes = {normalize_uscc(row.get("uscc", "")) for row in rows}
        self.organizations = {}
        for chunk in _chunks(sorted(codes)):
            for organization in Organization.objects.filter(uscc__in=chunk).select_related("biomedicine_profile"):
                self.organizations[organization.uscc] = organization
        names = {row.get("company", "") for row in rows} - {""}
        self.names = {}
        for chunk in _chunks(sorted(names)):
            self.names.update(Organization.objects.filter(name__in=chunk).values_list("name", "uscc"))
        self.open_deals = {}
        company_ids = [org.biomedicine_profile.pk for org in self.organizations.values() if _profile(org)]
        for chunk in _chunks(company_ids):
            deals = Deal.objects.filter(fund=fund, company_id__in=chunk).exclude(stage__in=ENDED)
            for deal in deals.select_related("owner"):
                self.open_deals.setdefault((deal.company_id, deal.round), []).append(deal)
        User = get_user_model()
        self.managers = {user.get_username().casefold(): user for user in User.objects.filter(managed_funds=fund)}
        self.first_line = {}  # (uscc, round) → the line that named them first
        self.new_names = {}  # uscc of a company the file creates → its name; and name → uscc
        self.new_codes = {}

    def plan(self) -> list[Row]:
        return [self.check(row) for row in self.rows]

    def check(self, raw) -> Row:
        row = Row(line=raw["line"], values={key: value for key, value in raw.items() if key != "line"})
        values = row.values
        chosen = {}
        for key, spellings in self.choices.items():
            text = values.get(key, "")
            chosen[key] = spellings.get(spelling(text)) if text else ""
            if text and chosen[key] is None:
                row.refuse(key, fmt(_("“%(value)s” is not one of the values this column takes."), value=text))
        code = self._company(row, chosen)
        if chosen["round"] == "":
            row.refuse("round", _("Enter the round."))
        if chosen["source"] == "":
            row.refuse("source", _("Enter the source."))
        for key, required in (("amount_requested", True), ("pre_money", False)):
            try:
                amount = deal_services.clean_amount(values.get(key, ""), key, required=required)
                values[key] = "" if amount is None else str(amount)
            except ValidationError as error:
                row.refuse(key, error)
        username = values.get("owner", "")
        if username:
            row.owner = self.managers.get(username.casefold())
            if row.owner is None:
                row.refuse("owner", fmt(_("“%(username)s” is not one of the fund's managers."), username=username))
        try:
            values["summary"] = clean_text(Deal, {"summary": values.get("summary", "")})["summary"]
        except ValidationError as error:
            row.refuse("summary", error)
        for key in self.choices:
            values[key] = chosen[key] or values.get(key, "")  # the code; what the row said when it is no value
        if code and chosen["round"]:
            self._match(row, code, chosen)
        return row

    def _company(self, row, chosen):
        """The company the row names by its code: an existing one, or one the row creates (name and profile)."""
        values = row.values
        raw = values.get("uscc", "")
        if not raw:
            row.refuse("uscc", _("Enter the unified social credit code."))
            return ""
        try:
            validate_uscc(raw)
        except ValidationError as error:
            row.refuse("uscc", error)
            return ""
        code = values["uscc"] = normalize_uscc(raw)
        organization = self.organizations.get(code)
        if organization is not None and _profile(organization):
            row.company = organization.biomedicine_profile
            given = values.get("company", "")
            if given and given != organization.name:
                row.notes.append(
                    in_every_language(lambda: fmt(_("The code belongs to %(name)s."), name=organization.name))
                )
            return code
        row.organization = organization
        for key in NEEDED_FOR_NEW_COMPANY[1:]:
            if chosen[key] == "":
                row.refuse(key, _("Needed for a company new to the fund."))
        if organization is None:
            self._new_name(row, code)
        return code

    def _new_name(self, row, code):
        try:
            name = clean_text(Organization, {"name": row.values.get("company", "")})["name"]
        except ValidationError as error:
            row.refuse("company", error)
            return
        if not name:
            row.refuse("company", _("No organization has this code yet: enter the company's name."))
            return
        owner_code = self.names.get(name)
        if owner_code is not None and owner_code != code:
            message = _("An organization of this name is registered with another code (%(code)s).")
            row.refuse("company", fmt(message, code=owner_code))
        earlier_name = self.new_names.setdefault(code, name)
        if earlier_name != name:
            row.refuse("company", fmt(_("An earlier row gives this code the name “%(name)s”."), name=earlier_name))
        earlier_code = self.new_codes.setdefault(name, code)
        if earlier_code != code:
            row.refuse("uscc", fmt(_("An earlier row gives this company the code %(code)s."), code=earlier_code))

    def _match(self, row, code, chosen):
        first = self.first_line.setdefault((code, chosen["round"]), row.line)
        if first != row.line:
            row.refuse(None, fmt(_("Row %(line)s already names this company and round."), line=first))
            return
        if row.company is None:
            row.outcome = CREATE
        else:
            matches = self.open_deals.get((row.company.pk, chosen["round"]), [])
            if len(matches) > 1:
                row.refuse(None, _("The fund has more than one open deal for this company and round."))
                return
            if matches:
                row.deal, row.outcome = matches[0], UPDATE
                lead = row.deal.owner
                if row.owner is None and lead and lead.get_username().casefold() not in self.managers:
                    row.refuse("owner", _("The deal's lead is no longer one of the fund's managers: name a new lead."))
                if chosen["stage"] and chosen["stage"] != row.deal.stage:
                    row.notes.append(in_every_language(lambda: _("An existing deal keeps its stage.")))
                return
        if chosen["stage"] and chosen["stage"] not in IMPORT_STAGES:
            row.refuse("stage", _("A new deal is imported as Sourced or Screening only."))


def _profile(organization):
    return getattr(organization, "biomedicine_profile", None)


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _preview(file_format, planned) -> dict:
    counts = Counter(row["outcome"] for row in planned)
    return {
        "format": file_format,
        "rows": planned,
        "counts": {outcome: counts.get(outcome, 0) for outcome in (CREATE, UPDATE, REFUSE)},
    }


# --- the two steps -------------------------------------------------------------------------------------------------


def preview_import(*, actor, fund, upload) -> DealImport:
    """Read and check the deal list, store it and its preview; create, change or refuse nothing else (dry run)."""
    if not permissions.can_import_deals(actor, fund):
        raise PermissionDenied
    checked, file_format, source = read_upload(upload, allowed=DEAL_LISTS, field_name=UPLOAD)
    rows = read_table(source, file_format)
    preview = _preview(file_format, [row.as_json() for row in Planner(fund, rows).plan()])
    deal_import = keep_import(
        DealImport,
        action="funds.preview_import",
        actor=actor,
        fund=fund,
        upload=upload,
        checked=checked,
        preview=preview,
    )
    return deal_import


def _stored_rows(deal_import):
    with deal_import.file.open("rb") as stored:
        return read_table(io.BytesIO(stored.read()), deal_import.preview.get("format", "xlsx"))


def _locked_open(deal_import) -> DealImport:
    """The import's row, locked and re-read; a ValidationError when it was applied already or has refused rows."""
    deal_import = DealImport.objects.select_for_update().select_related("fund").get(pk=deal_import.pk)
    if deal_import.applied_at is not None:
        when = timezone.localtime(deal_import.applied_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(fmt(_("This deal list was already applied at %(time)s."), time=when), code="applied")
    if deal_import.preview.get("counts", {}).get(REFUSE):
        message = _("Rows of this deal list are refused: correct the file and upload it again.")
        raise ValidationError(message, code="refused")
    return deal_import


def queued_since(deal_import):
    """When the confirmed import was handed to the background task, while it has not finished (else None)."""
    queued = deal_import.preview.get("queued")
    return datetime.datetime.fromisoformat(queued) if queued and deal_import.applied_at is None else None


@transaction.atomic
def request_apply(*, actor, deal_import) -> DealImport:
    """Confirm a previewed deal list: the background task applies it (a list of thousands of rows takes minutes, more
    than a web request may). Refused when applied already, when a row is refused, or while the task is at work."""
    if not permissions.can_import_deals(actor, deal_import.fund):
        raise PermissionDenied
    deal_import = _locked_open(deal_import)
    since = queued_since(deal_import)
    if since is not None and timezone.now() - since < STALE_QUEUE:
        when = timezone.localtime(since).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(fmt(_("This deal list is being applied since %(time)s."), time=when), code="queued")
    deal_import.preview.pop("failure", None)
    deal_import.preview["queued"] = timezone.now().isoformat()
    deal_import.save(update_fields=["preview"])
    record("funds.request_import", actor=actor, instance=deal_import, data={"file": deal_import.original_name})
    transaction.on_commit(lambda: apply_deal_import.enqueue(deal_import.pk, actor.pk))
    return deal_import


@task()
def apply_deal_import(import_id: int, actor_id: int) -> bool:
    """The background half of the confirm: apply the list; when it is refused, keep why (in both languages) on the
    import for its page to say, and nothing else changes."""
    deal_import = DealImport.objects.select_related("fund").get(pk=import_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        apply_import(actor=actor, deal_import=deal_import)
    except ValidationError as error:
        failure = in_every_language(lambda error=error: " ".join(_messages(error)))
    except PermissionDenied:
        failure = in_every_language(lambda: _("You may no longer import deals here."))
    except (OperationalError, InterfaceError):
        raise  # the database went away: nothing was applied, and the worker tries again (portal/worker/retry.py)
    except Exception:
        logger.exception("Applying deal import %s failed; nothing was applied", import_id)
        failure = in_every_language(lambda: _("Applying the deal list failed; nothing was applied. Try again."))
    else:
        return True
    deal_import.refresh_from_db()
    deal_import.preview.pop("queued", None)
    deal_import.preview["failure"] = failure
    deal_import.save(update_fields=["preview"])
    return False


def apply_import(*, actor, deal_import) -> DealImport:
    """Apply a previewed deal list, all or nothing, once. Every row is checked again first: when the outcome of any
    row is no longer what the preview said, nothing is applied and the preview is replaced by the new one."""
    if not permissions.can_import_deals(actor, deal_import.fund):
        raise PermissionDenied
    with transaction.atomic():
        deal_import = _locked_open(deal_import)
        rows = _stored_rows(deal_import)
        plan = Planner(deal_import.fund, rows).plan()
        before = [(row["line"], row["outcome"], row["deal"]) for row in deal_import.preview.get("rows", [])]
        changed = [row.signature() for row in plan] != before
        if not changed:
            return _apply(actor, deal_import, plan)
        deal_import.preview = _preview(deal_import.preview.get("format", "xlsx"), [row.as_json() for row in plan])
        deal_import.save(update_fields=["preview"])
    raise ValidationError(
        _("The fund's data changed since the preview, so nothing was applied. Check the new preview, then confirm."),
        code="changed",
    )


def _apply(actor, deal_import, plan):
    """Write the checked plan in a few statements: lock the deals it changes and check them again, then the new
    organizations, companies, deals (with their deal rooms and stage rows), the changed deals, and per deal the
    audit entry and history line the deal services write, each kind in one bulk statement. The fund's other managers
    are told once for the whole list rather than once per deal (thousands of notifications and mails otherwise)."""
    fund = deal_import.fund
    creates = [row for row in plan if row.outcome == CREATE]
    updates = [row for row in plan if row.outcome == UPDATE]
    if creates and not permissions.can_create_deal(actor, fund):
        raise PermissionDenied
    now = timezone.now()
    try:
        changed = _locked_changes(actor, updates)
        created = _created_deals(actor, fund, creates, now, deal_import)
        if changed:
            fields = sorted({key for _deal, keys, _owner in changed for key in keys})
            Deal.objects.bulk_update([deal for deal, _keys, _owner in changed], fields, batch_size=BATCH)
        _audit_and_lines(actor, fund, created, changed, now, _note(deal_import))
    except IntegrityError:
        raise ValidationError(
            _("Someone changed the same companies or deals at the same time; nothing was applied. Try again."),
            code="conflict",
        ) from None
    deal_import.applied_at = now
    deal_import.preview.pop("queued", None)
    deal_import.save(update_fields=["applied_at", "preview"])
    counts = {"created": len(created), "updated": len(updates)}
    summary = fmt(_("%(file)s: %(created)s deals added, %(updated)s changed"), file=deal_import.original_name, **counts)
    new_companies = len({row.values["uscc"] for row in creates if row.company is None})
    record(
        "funds.apply_import",
        actor=actor,
        instance=deal_import,
        data={**counts, "companies": new_companies},
        line=Line(fund, FundVerb.IMPORTED_DEALS, str(summary), preview_url(deal_import)),
        tell=Tell(
            [person for person in fund.managers.filter(is_active=True).order_by("pk") if person.pk != actor.pk],
            title=fmt(_("Deals imported into %(fund)s"), fund=str(fund)),
            body=summary,
            url=preview_url(deal_import),
        )
        if created or updates
        else None,
    )
    return deal_import


def _row_failed(row, error):
    reason = lazy(lambda: " ".join(_messages(error)), str)()  # read in each language
    message = fmt(_("Row %(line)s: %(reason)s Nothing was applied."), line=row.line, reason=reason)
    return ValidationError(message, code="row")


def _locked_changes(actor, updates):
    """The matched deals locked and re-read, with what each row changes: [(deal, [field, …], previous lead)], only
    deals that change. What ``deals.update_deal`` checks is checked for every row: a deal may have ended since."""
    if not updates:
        return []
    ids = [row.deal.pk for row in updates]
    locked = {}
    for chunk in _chunks(ids):
        query = Deal.objects.select_for_update(of=("self",)).select_related("fund", "company__organization", "owner")
        locked.update((deal.pk, deal) for deal in query.filter(pk__in=chunk))
    # Every matched deal is the import's fund's (the planner looks no further), so one answer holds for them all.
    if locked and not permissions.can_edit_deal(actor, next(iter(locked.values()))):
        raise PermissionDenied
    changes = []
    for row in updates:
        deal = locked.get(row.deal.pk)
        if deal is None:  # deleted meanwhile
            raise IntegrityError
        if deal.is_ended:
            message = _("This deal has ended (%(stage)s); it can no longer be changed.")
            raise _row_failed(row, ValidationError(fmt(message, stage=lifecycle.state_label(deal)), code="ended"))
        values = row.values
        wanted = {
            "owner": row.owner or deal.owner,
            "amount_requested": Decimal(values["amount_requested"]),
            "pre_money": Decimal(values["pre_money"]) if values["pre_money"] else deal.pre_money,
            "summary": values["summary"] or deal.summary,
        }
        fields = [key for key, value in wanted.items() if getattr(deal, key) != value]
        if fields:
            previous_owner = deal.owner
            for key in fields:
                setattr(deal, key, wanted[key])
            changes.append((deal, fields, previous_owner))
    return changes


def _created_deals(actor, fund, creates, now, deal_import):
    """The rows' new organizations and companies, then their deals (sourced, or screened with the import's note as
    their first stage row) and the standard deal-room folders, as ``deals.open_deal`` makes them."""
    if not creates:
        return []
    companies = _new_companies(creates)
    deals = [
        Deal(
            fund=fund,
            company=row.company or companies[row.values["uscc"]],
            round=row.values["round"],
            amount_requested=Decimal(row.values["amount_requested"]),
            pre_money=Decimal(row.values["pre_money"]) if row.values["pre_money"] else None,
            source=row.values["source"],
            owner=row.owner,
            summary=row.values["summary"],
            stage=DealStage.SCREENING if row.values["stage"] == DealStage.SCREENING else DealStage.SOURCED,
            created_at=now,
            stage_entered_at=now,
        )
        for row in creates
    ]
    Deal.objects.bulk_create(deals, batch_size=BATCH)
    DealFolder.objects.bulk_create(
        (
            DealFolder(deal=deal, name=name, name_en=name_en, order=order)
            for deal in deals
            for order, (name, name_en) in enumerate(deal_services.STANDARD_FOLDERS)
        ),
        batch_size=BATCH,
    )
    screened = [deal for deal in deals if deal.stage == DealStage.SCREENING]
    # The step is the same for every new deal of one fund (same stage, same rule): asked once, of the first.
    if screened and not lifecycle.allowed(Deal(pk=screened[0].pk, fund=fund), "screen", actor):
        raise PermissionDenied
    note = _note(deal_import)
    StageChange.objects.bulk_create(
        (
            StageChange(deal=deal, from_stage=DealStage.SOURCED, to_stage=deal.stage, actor=actor, note=note, at=now)
            for deal in screened
        ),
        batch_size=BATCH,
    )
    return deals


def _note(deal_import) -> str:
    """The note of a new deal's move to screening (in the site's language, as a note typed on the page would be)."""
    return str(fmt(_("Imported from the deal list %(file)s."), file=deal_import.original_name))


def _new_companies(creates) -> dict:
    """uscc → Company for the rows whose company is new to the fund (an organization made first where none has the
    code), two bulk statements; the unique name and code make a concurrent registration fail, not double."""
    rows = {}
    for row in creates:
        if row.company is None:
            rows.setdefault(row.values["uscc"], row)
    organizations = [
        Organization(name=row.values["company"], uscc=code, kind=OrganizationKind.ENTERPRISE)
        for code, row in rows.items()
        if row.organization is None
    ]
    Organization.objects.bulk_create(organizations, batch_size=BATCH)
    _index(organizations)
    made = {organization.uscc: organization for organization in organizations}
    companies = {
        code: Company(
            organization=row.organization or made[code],
            subsector=row.values["subsector"],
            development_stage=row.values["development_stage"],
        )
        for code, row in rows.items()
    }
    Company.objects.bulk_create(companies.values(), batch_size=BATCH)
    return companies


def _index(organizations):
    """Organizations are searchable: a bulk insert sends no post_save, so they are added to the search index here,
    in one batch per backend, the way the save signal would one by one."""
    if not organizations:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Organization, organizations)


def _audit_and_lines(actor, fund, created, changed, now, note):
    """Per deal, the audit entry and the history line (the deal's timeline reads them) the deal services write: for
    each deal added (and moved to screening) and each deal changed. Same rows as ``record`` writes, in bulk."""
    entries = []

    def add(deal, action, data, verb):
        line = Line(fund, verb, str(deal.company), deal.get_absolute_url(), subject=deal)
        entries.append(Entry(action, deal, data, line))

    for deal in created:
        data = {"company": str(deal.company), "round": deal.round, "amount_requested": str(deal.amount_requested)}
        add(deal, "funds.create_deal", data, FundVerb.CREATED_DEAL)
        if deal.stage == DealStage.SCREENING:
            data = {"transition": "screen", "from": DealStage.SOURCED, "to": deal.stage, "note": note}
            add(deal, "funds.move_deal", data, FundVerb.MOVED_DEAL)
    for deal, fields, previous_owner in changed:
        data = {"changed": fields, "previous_owner": getattr(previous_owner, "pk", None)}
        add(deal, "funds.update_deal", data, FundVerb.UPDATED_DEAL)
    record_many(entries, actor=actor, at=now, batch_size=BATCH)


def preview_url(deal_import) -> str:
    return deal_import.get_absolute_url()
