"""Checking an uploaded performance-data workbook against the fund as it is now: what each row would create, change,
leave as it is, or why it is refused. Reads the fund's records in a fixed number of queries, whatever the size.

A row is matched to what it records by a natural key: a paid tranche by its deal and number (or, without a number,
its date and amount), an exit by its deal, an LP flow by LP and date, a valuation by deal and date, a KPI report by
deal and the period's end, an index level by index and date. A row equal to what is recorded is "unchanged", so a
workbook exported from the portal imports again without changing anything. A change needs what the services need
(the deal's stage, its terms); index levels are shared by every fund, so an import adds levels but never overwrites
one (a correction is an administrator's job).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.i18n import in_every_language
from portal.lifecycle import state_label
from portal.organizations.validators import normalize_uscc
from portal.spreadsheets import choice_spellings, spelling
from portal.text import clean_text, fmt

from ..models import (
    BenchmarkIndex,
    Commitment,
    Deal,
    DealTerms,
    Disbursement,
    Exit,
    ExitKind,
    IndexLevel,
    KpiReport,
    KpiState,
    LpDistribution,
    PaidIn,
    Round,
    Valuation,
    ValuationMethod,
)
from ..performance.datasheets import BY_KEY, KPI_FIELDS, FlowType
from .portfolio import EXIT_STAGES, HOLDING_STAGES, Checked

CREATE, UPDATE, SAME, REFUSE = "create", "update", "unchanged", "refuse"
OUTCOMES = (CREATE, UPDATE, SAME, REFUSE)
LEVEL_PLACES = Decimal("0.0001")
LARGEST_LEVEL = Decimal("9999999999.9999")
CHOICES = {"type": FlowType, "round": Round, "exit_kind": ExitKind, "method": ValuationMethod}


@dataclass
class Row:
    sheet: str
    line: int
    values: dict  # what the row says, as text (kept in the preview)
    clean: dict = field(default_factory=dict)  # the same as dates, Decimals and choice values
    outcome: str = CREATE
    reasons: list = field(default_factory=list)  # [{language: text}]
    notes: list = field(default_factory=list)
    label: str = ""  # the company, LP or index the row is about
    deal: Deal | None = None
    target: object = None  # the record a row changes or matches
    before: dict = field(default_factory=dict)

    def refuse(self, column, message):
        header = BY_KEY[self.sheet].by_key[column].header if column else None

        def text():
            said = " ".join(_messages(message)) if isinstance(message, ValidationError) else str(message)
            return str(fmt(_("%(column)s: %(reason)s"), column=header, reason=said)) if header else said

        self.reasons.append(in_every_language(text))

    def note(self, message):
        self.notes.append(in_every_language(lambda: str(message)))

    @property
    def final(self):
        return REFUSE if self.reasons else self.outcome

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "line": self.line,
            "outcome": self.final,
            "label": self.label,
            "values": self.values,
            "before": self.before,
            "reasons": self.reasons,
            "notes": self.notes,
        }

    def signature(self):
        return (self.sheet, self.line, self.final, getattr(self.target, "pk", None))


def _messages(error):
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def _iso(text) -> str:
    """A date typed as text the ways people type it in China (2024/6/30, 2024.6.30, 2024年6月30日) as 2024-6-30."""
    return re.sub(r"[/.年月]", "-", text.strip()).removesuffix("日")


def _text(value):
    return "" if value is None else str(value)


class Planner:
    """Every row of every sheet checked against the fund; ``plan()`` → [Row]."""

    def __init__(self, fund, sheets: dict):
        self.fund = fund
        self.sheets = sheets
        self.choices = {key: choice_spellings(choices) for key, choices in CHOICES.items()}
        # The fund too: applying writes a history line per deal, linked to its page (a URL with the fund's slug).
        deals = list(Deal.objects.filter(fund=fund).select_related("fund", "company__organization"))
        self.deals = defaultdict(list)
        for deal in deals:
            self.deals[deal.company.organization.uscc].append(deal)
        ids = [deal.pk for deal in deals]
        self.terms = {terms.deal_id: terms for terms in DealTerms.objects.filter(deal_id__in=ids)}
        self.tranches = defaultdict(dict)
        for tranche in Disbursement.objects.filter(deal_id__in=ids):
            self.tranches[tranche.deal_id][tranche.number] = tranche
        self.exits = {exit_record.deal_id: exit_record for exit_record in Exit.objects.filter(deal_id__in=ids)}
        self.valuations = {(v.deal_id, v.valued_on): v for v in Valuation.objects.filter(deal_id__in=ids)}
        self.kpis = {(r.deal_id, r.period_end): r for r in KpiReport.objects.filter(deal_id__in=ids)}
        commitments = list(Commitment.objects.filter(fund=fund).select_related("investor"))
        self.lps = {}
        for commitment in commitments:
            for name in (commitment.investor.name, commitment.investor.uscc):
                if name:
                    self.lps[spelling(name)] = commitment
        self.lp_flows = {PaidIn: defaultdict(list), LpDistribution: defaultdict(list)}
        for model in self.lp_flows:
            for flow in model.objects.filter(commitment__fund=fund):
                self.lp_flows[model][(flow.commitment_id, flow.paid_on)].append(flow)
        self.indices = {}
        for index in BenchmarkIndex.objects.all():
            for name in (index.name, index.name_en, index.code):
                if name:
                    self.indices[spelling(name)] = index
        self.levels = {(level.index_id, level.on): level for level in self._levels(sheets.get("index", []))}
        self.seen = {}  # a key already claimed by an earlier row → its line
        self.new_indices = set()
        self.next_number = {deal_id: max(numbers, default=0) for deal_id, numbers in self.tranches.items()}

    def _levels(self, rows):
        names = {spelling(row.get("index", "")) for row in rows}
        wanted = [index.pk for key, index in self.indices.items() if key in names]
        return IndexLevel.objects.filter(index_id__in=wanted) if wanted else []

    # --- the whole file --------------------------------------------------------------------------------------

    def plan(self) -> list[Row]:
        checks = {"flows": self._flow, "valuations": self._valuation, "kpis": self._kpi, "index": self._level}
        rows = []
        for key, check in checks.items():
            for raw in self.sheets.get(key, []):
                row = Row(sheet=key, line=raw["line"], values={k: v for k, v in raw.items() if k != "line"})
                check(row)
                rows.append(row)
        self._first_flows(rows)
        self._within_terms(rows)
        return rows

    def _claim(self, row, key, message):
        first = self.seen.setdefault(key, row.line)
        if first != row.line:
            row.refuse(None, fmt(message, line=first))
            return False
        return True

    # --- cells -------------------------------------------------------------------------------------------------

    def _cells(self, row, spec):
        """Read the row's cells by ``spec`` {column: kind}; each mistake refuses the row under its column."""
        checked = Checked()
        for column, kind in spec.items():
            text = row.values.get(column, "")
            required = BY_KEY[row.sheet].by_key[column].required
            if kind == "date":
                value = checked.date(column, _iso(text), required=required, past=True)
            elif kind == "money":
                if text.strip().startswith("-"):
                    checked.fail(column, _("Enter the amount as a positive number: the type says which way it went."))
                    value = None
                else:
                    value = checked.money(column, text, required=required)
            elif kind == "count":
                value = checked.count(column, text) if text else None
            elif kind == "level":
                value = self._level_value(checked, column, text)
            else:
                value = self._choice(checked, column, text, required)
            row.clean[column] = value
        for column, message in checked.errors.items():
            row.refuse(column, message)
        for column, value in row.clean.items():
            if value not in (None, ""):  # what the preview shows: the value as read (a choice's value, an ISO date)
                row.values[column] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return not checked.errors

    def _choice(self, checked, column, text, required):
        if not text:
            if required:
                checked.fail(column, _("Enter a value."))
            return ""
        value = self.choices[column].get(spelling(text))
        if value is None:
            checked.fail(column, fmt(_("“%(value)s” is not one of the values this column takes."), value=text))
        return value

    def _level_value(self, checked, column, text):
        if not text:
            checked.fail(column, _("Enter the index level: a level is missing."))
            return None
        try:
            level = Decimal(text.replace(",", "")).quantize(LEVEL_PLACES, rounding=ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            checked.fail(column, _("Enter the level as a number, e.g. 3852.17."))
            return None
        if not Decimal(0) < level <= LARGEST_LEVEL:
            checked.fail(column, _("An index level is a positive number."))
            return None
        return level

    def _deal(self, row):
        """The fund's deal the row names by its company's code (and round, when the fund has several)."""
        raw = row.values.get("uscc", "")
        if not raw:
            row.refuse("uscc", _("Enter the company's unified social credit code."))
            return None
        code = row.values["uscc"] = normalize_uscc(raw)
        deals = self.deals.get(code, [])
        round_ = row.clean.get("round") or ""
        if round_:
            deals = [deal for deal in deals if deal.round == round_]
        if not deals:
            row.refuse("uscc", _("The fund has no deal in a company with this code (and round)."))
            return None
        invested = [deal for deal in deals if deal.pk in self.terms] or deals
        if len(invested) > 1:
            row.refuse("round", _("The fund has more than one deal in this company: enter the round."))
            return None
        row.deal = invested[0]
        row.label = str(row.deal.company)
        return row.deal

    def _may_change(self, row, stages, message):
        if row.outcome != SAME and row.deal is not None and row.deal.stage not in stages:
            row.refuse(None, fmt(message, stage=state_label(row.deal)))

    # --- the four sheets ---------------------------------------------------------------------------------------

    def _flow(self, row):
        ok = self._cells(row, {"type": "choice", "round": "choice", "exit_kind": "choice"})
        ok = self._cells(row, {"date": "date", "amount": "money"}) and ok
        if row.values.get("tranche"):
            ok = self._cells(row, {"tranche": "count"}) and ok
        kind = row.clean.get("type")
        if kind in (FlowType.PAID_IN, FlowType.DISTRIBUTION):
            return self._lp_flow(row, kind, ok)
        if kind and self._deal(row) is not None and ok:
            if row.clean["amount"] == 0 and kind == FlowType.INVESTMENT:
                row.refuse("amount", _("An investment of nothing: enter the amount paid."))
            elif kind == FlowType.INVESTMENT:
                self._investment(row)
            else:
                self._exit(row)

    def _investment(self, row):
        deal, on, amount, number = row.deal, row.clean["date"], row.clean["amount"], row.clean.get("tranche")
        tranches = self.tranches[deal.pk]
        if number is None:
            match = next((t for t in tranches.values() if (t.paid_on, t.paid_amount) == (on, amount)), None)
            if match is None:
                self.next_number[deal.pk] = number = self.next_number.get(deal.pk, 0) + 1
            else:
                number = match.number
        if not self._claim(row, ("tranche", deal.pk, number), _("Row %(line)s already records this tranche.")):
            return
        row.clean["tranche"] = number
        row.values["tranche"] = str(number)
        row.target = tranche = tranches.get(number)
        if tranche is not None:
            row.before = {"date": _text(tranche.paid_on), "amount": _text(tranche.paid_amount)}
            row.outcome = SAME if (tranche.paid_on, tranche.paid_amount) == (on, amount) else UPDATE
        self._may_change(
            row, HOLDING_STAGES, _("Tranches are paid once disbursement has started; this deal is at %(stage)s.")
        )
        terms = self.terms.get(deal.pk)
        if row.outcome == SAME:
            return
        if terms is None:
            row.refuse(None, _("The deal has no investment terms yet: record them on the deal first."))
        elif terms.signed_on and on < terms.signed_on:
            row.refuse(
                "date", fmt(_("The agreement was signed on %(date)s; nothing is paid before."), date=terms.signed_on)
            )

    def _exit(self, row):
        deal = row.deal
        if not self._claim(row, ("exit", deal.pk), _("Row %(line)s already records this deal's exit.")):
            return
        row.target = existing = self.exits.get(deal.pk)
        kind = row.clean.get("exit_kind") or (existing.kind if existing else "")
        if not kind:
            row.refuse("exit_kind", _("Enter how the fund exited."))
            return
        row.clean["exit_kind"] = row.values["exit_kind"] = kind
        if existing is not None:
            row.before = {
                "date": _text(existing.exited_on),
                "amount": _text(existing.proceeds),
                "exit_kind": existing.kind,
            }
            same = (existing.exited_on, existing.proceeds, existing.kind) == (
                row.clean["date"],
                row.clean["amount"],
                kind,
            )
            row.outcome = SAME if same else UPDATE
        self._may_change(
            row, EXIT_STAGES, _("An exit is recorded for a deal in the portfolio; this deal is at %(stage)s.")
        )

    def _lp_flow(self, row, kind, ok):
        name = row.values.get("lp", "")
        commitment = self.lps.get(spelling(name)) if name else None
        if commitment is None:
            row.refuse(
                "lp",
                _("Enter an LP of the fund, by the name in its commitment.")
                if not name
                else fmt(_("“%(name)s” is not an LP of this fund."), name=name),
            )
            return
        row.label = commitment.investor.name
        if not ok:
            return
        if row.clean["amount"] == 0:
            row.refuse("amount", _("Enter the amount paid; it cannot be nothing."))
            return
        model = PaidIn if kind == FlowType.PAID_IN else LpDistribution
        on = row.clean["date"]
        if not self._claim(
            row, (kind, commitment.pk, on), _("Row %(line)s already records this LP's flow on this day.")
        ):
            return
        row.clean["commitment"] = commitment
        existing = self.lp_flows[model].get((commitment.pk, on), [])
        if len(existing) > 1:
            row.refuse(None, _("The LP has several flows of this type on this day: correct them on the fund's page."))
            return
        if existing:
            row.target = existing[0]
            row.before = {"amount": _text(existing[0].amount)}
            row.outcome = SAME if existing[0].amount == row.clean["amount"] else UPDATE

    def _valuation(self, row):
        ok = self._cells(row, {"round": "choice", "method": "choice", "date": "date", "value": "money"})
        try:
            row.clean["note"] = clean_text(Valuation, {"note": row.values.get("note", "")})["note"]
        except ValidationError as error:
            row.refuse("note", error)
            ok = False
        if self._deal(row) is None or not ok:
            return
        key = (row.deal.pk, row.clean["date"])
        if not self._claim(row, ("valuation", *key), _("Row %(line)s already values this holding on this day.")):
            return
        row.target = existing = self.valuations.get(key)
        if existing is not None:
            row.before = {"value": _text(existing.value), "method": existing.method, "note": existing.note}
            same = (existing.value, existing.method, existing.note) == (
                row.clean["value"],
                row.clean["method"],
                row.clean["note"],
            )
            row.outcome = SAME if same else UPDATE
        self._may_change(row, HOLDING_STAGES, _("Only a holding of the fund is valued; this deal is at %(stage)s."))

    def _kpi(self, row):
        spec = {"round": "choice", "period_start": "date", "period_end": "date"}
        spec |= {name: "count" if name in ("headcount", "patents") else "money" for name in KPI_FIELDS}
        ok = self._cells(row, spec)
        start, end = row.clean.get("period_start"), row.clean.get("period_end")
        if start and end and end < start:
            row.refuse("period_end", _("The period must end after it starts."))
            ok = False
        if ok and all(row.clean.get(name) is None for name in KPI_FIELDS):
            row.refuse(None, _("The row gives no figure: enter at least one."))
            ok = False
        if self._deal(row) is None or not ok:
            return
        key = (row.deal.pk, end)
        if not self._claim(row, ("kpi", *key), _("Row %(line)s already reports this period.")):
            return
        row.target = existing = self.kpis.get(key)
        if existing is not None:
            row.before = {name: _text(getattr(existing, name)) for name in ("period_start", *KPI_FIELDS)}
            same = existing.state == KpiState.SUBMITTED and all(
                getattr(existing, name) == row.clean[name] for name in ("period_start", *KPI_FIELDS)
            )
            row.outcome = SAME if same else UPDATE
        self._may_change(
            row, HOLDING_STAGES, _("KPI reports are asked of portfolio companies; this deal is at %(stage)s.")
        )

    def _level(self, row):
        ok = self._cells(row, {"date": "date", "level": "level"})
        name = row.values.get("index", "")
        if not name:
            row.refuse("index", _("Enter the index's name or code."))
            return
        index = self.indices.get(spelling(name))
        row.label = index.display_name if index else name
        if index is None:
            try:
                row.clean["index_name"] = clean_text(BenchmarkIndex, {"name": name})["name"]
            except ValidationError as error:
                row.refuse("index", error)
                return
            if spelling(name) not in self.new_indices:
                self.new_indices.add(spelling(name))
                row.note(fmt(_("A new index “%(name)s” is added."), name=name))
        if not ok:
            return
        key = (index.pk if index else spelling(name), row.clean["date"])
        if not self._claim(row, ("level", *key), _("Row %(line)s already gives this index's level on this day.")):
            return
        row.clean["index"] = index
        row.target = existing = self.levels.get(key) if index else None
        if existing is not None:
            row.before = {"level": _text(existing.level)}
            if existing.level == row.clean["level"]:
                row.outcome = SAME
            else:
                row.refuse(
                    "level",
                    fmt(
                        _(
                            "The index is at %(level)s on this day already; index levels are shared by every fund and "
                            "an import does not overwrite them."
                        ),
                        level=existing.level,
                    ),
                )

    # --- checks across rows ------------------------------------------------------------------------------------

    def _first_flows(self, rows):
        """A valuation or an exit dated before the deal's first paid tranche (recorded or in the file) is refused."""
        first = {}
        for deal_id, tranches in self.tranches.items():
            dates = [t.paid_on for t in tranches.values() if t.paid_on]
            if dates:
                first[deal_id] = min(dates)
        for row in rows:
            if row.sheet == "flows" and row.clean.get("type") == FlowType.INVESTMENT and row.deal and not row.reasons:
                on = row.clean["date"]
                first[row.deal.pk] = min(on, first.get(row.deal.pk, on))
        for row in rows:
            is_exit = row.sheet == "flows" and row.clean.get("type") == FlowType.EXIT
            if (row.sheet != "valuations" and not is_exit) or row.deal is None or row.reasons or row.outcome == SAME:
                continue
            when = first.get(row.deal.pk)
            if when is None:
                row.refuse(None, _("The fund has paid nothing into this company yet: record the first tranche first."))
            elif row.clean["date"] < when:
                row.refuse(
                    "date", fmt(_("The first tranche was paid on %(date)s; this date comes before it."), date=when)
                )

    def _within_terms(self, rows):
        """What a deal's paid tranches add up to after the import may not exceed the investment in its terms."""
        paid = {
            deal_id: {n: t.paid_amount for n, t in tranches.items() if t.paid_on}
            for deal_id, tranches in self.tranches.items()
        }
        changing = defaultdict(list)
        for row in rows:
            if row.sheet == "flows" and row.clean.get("type") == FlowType.INVESTMENT and row.deal and not row.reasons:
                paid.setdefault(row.deal.pk, {})[row.clean["tranche"]] = row.clean["amount"]
                if row.outcome != SAME:
                    changing[row.deal.pk].append(row)
        for deal_id, changed in changing.items():
            total, terms = sum(paid[deal_id].values(), Decimal(0)), self.terms[deal_id]
            if total > terms.amount:
                message = fmt(
                    _(
                        "Paid tranches would add up to %(total)s yuan, more than the investment in the terms "
                        "(%(terms)s yuan)."
                    ),
                    total=total,
                    terms=terms.amount,
                )
                for row in changed:
                    row.refuse("amount", message)
