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

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from portal.files.uploads import MEGABYTE, Accepted, StoredFiles, inspect_upload
from portal.history.record import Line, record
from portal.organizations.models import Organization, OrganizationKind
from portal.organizations.validators import normalize_uscc, validate_uscc
from portal.text import clean_text, fmt

from .. import permissions
from ..deal_lists import (
    BY_KEY,
    COLUMNS,
    IMPORT_STAGES,
    NEEDED_FOR_NEW_COMPANY,
    UPLOAD,
    build_export,
    choice_spellings,
    in_every_language,
    read_table,
    spelling,
)
from ..models import ENDED, Company, Deal, DealImport, DealStage
from ..verbs import FundVerb
from . import deals as deal_services

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


def _format_of(checked) -> str:
    return "csv" if checked.content_type == "text/csv" else "xlsx"


# --- the two steps -------------------------------------------------------------------------------------------------


def preview_import(*, actor, fund, upload) -> DealImport:
    """Read and check the deal list, store it and its preview; create, change or refuse nothing else (dry run)."""
    if not permissions.can_import_deals(actor, fund):
        raise PermissionDenied
    checked = inspect_upload(upload, allowed=DEAL_LISTS, field_name=UPLOAD)
    file_format = _format_of(checked)
    upload.seek(0)
    rows = read_table(io.BytesIO(upload.read()), file_format)
    planned = [row.as_json() for row in Planner(fund, rows).plan()]
    preview = _preview(file_format, planned)
    upload.seek(0)
    with transaction.atomic(), StoredFiles() as stored:
        deal_import = DealImport(
            fund=fund, uploaded_by=actor, original_name=checked.name, sha256=checked.sha256, preview=preview
        )
        stored.save(deal_import.file, upload)
        deal_import.save()
        record(
            "funds.preview_import",
            actor=actor,
            instance=deal_import,
            data={"file": checked.name, "sha256": checked.sha256, **preview["counts"]},
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
    fund = deal_import.fund
    note = fmt(_("Imported from the deal list %(file)s."), file=deal_import.original_name)
    created_companies = {}
    counts = Counter()
    try:
        for row in plan:
            try:
                if row.outcome == UPDATE:
                    _update(actor, row)
                else:
                    company = row.company or created_companies.get(row.values["uscc"])
                    if company is None:
                        company = created_companies[row.values["uscc"]] = _new_company(row)
                        counts["companies"] += 1
                    _create(actor, fund, company, row, note)
            except ValidationError as error:
                reason = lazy(lambda error=error: " ".join(_messages(error)), str)()  # read in each language
                raise ValidationError(
                    fmt(_("Row %(line)s: %(reason)s Nothing was applied."), line=row.line, reason=reason),
                    code="row",
                ) from None
            counts[row.outcome] += 1
    except IntegrityError:
        raise ValidationError(
            _("Someone changed the same companies or deals at the same time; nothing was applied. Try again."),
            code="conflict",
        ) from None
    deal_import.applied_at = timezone.now()
    deal_import.preview.pop("queued", None)
    deal_import.save(update_fields=["applied_at", "preview"])
    summary = fmt(
        _("%(file)s: %(created)s deals added, %(updated)s changed"),
        file=deal_import.original_name,
        created=counts[CREATE],
        updated=counts[UPDATE],
    )
    record(
        "funds.apply_import",
        actor=actor,
        instance=deal_import,
        data={"created": counts[CREATE], "updated": counts[UPDATE], "companies": counts["companies"]},
        line=Line(fund, FundVerb.IMPORTED_DEALS, str(summary), preview_url(deal_import)),
    )
    return deal_import


def preview_url(deal_import) -> str:
    return reverse("funds:deal_import_preview", kwargs={"fund": deal_import.fund.slug, "pk": deal_import.pk})


def _new_company(row):
    organization = row.organization
    if organization is None:
        organization = Organization.objects.create(
            name=row.values["company"], uscc=row.values["uscc"], kind=OrganizationKind.ENTERPRISE
        )
    return Company.objects.create(
        organization=organization,
        subsector=row.values["subsector"],
        development_stage=row.values["development_stage"],
    )


def _create(actor, fund, company, row, note):
    values = row.values
    deal = deal_services.create_deal(
        actor=actor,
        fund=fund,
        company=company,
        round=values["round"],
        amount_requested=values["amount_requested"],
        pre_money=values["pre_money"] or None,
        source=values["source"],
        owner=row.owner,
        summary=values["summary"],
    )
    if values["stage"] == DealStage.SCREENING:
        deal_services.move_deal(actor=actor, deal=deal, transition="screen", note=str(note))
    return deal


def _update(actor, row):
    """Amounts and lead from the row; an empty cell keeps what the deal has."""
    deal, values = row.deal, row.values
    return deal_services.update_deal(
        actor=actor,
        deal=deal,
        owner=row.owner or deal.owner,
        amount_requested=values["amount_requested"],
        pre_money=values["pre_money"] or deal.pre_money,
        round=deal.round,
        summary=values["summary"] or deal.summary,
    )
