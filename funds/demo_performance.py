"""The demo fund's five years, for its performance evaluation: a legacy portfolio invested 2021–2024 (terms, tranches,
valuations, annual KPI reports, milestones, an IPO, a trade sale, a buyback and a liquidation), the LPs' distributions
after the exits, a benchmark index, the indicator sets of 2024, 2025 and 2026 and the expert panel's rubric.

The fund's pipeline on the portal began in 2026 (funds/demo_deals.py); the deals it made before were decided by
committee meetings held before the portal, and their records are carried over here, dated when they happened. The
deal room's documents and each deal's review round go through the services (the guards into the committee read
them); the rest is written in bulk, with each deal's stage history and history lines dated in the past, as
``funds.services.transfer`` writes an imported list. With the fund's capital calls (funds/demo.py) and the 2026
portfolio this gives gross flows with a J-curve: negative to 2024, turning up with the exits of 2025 and 2026.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from django.db.models import Max, Sum
from django.utils import timezone

from portal.history.models import Event
from portal.history.record import Entry, Line, record_many
from portal.notifications.models import Notification

from .demo_companies import FUND_SLUG, MANAGERS, day
from .demo_deals import NOTES, WAN, _use_of, add_document, moment, people
from .demo_indicators import indicator_sets
from .demo_legacy import DISTRIBUTIONS, INDEX, INDEX_ANCHORS, LEGACY
from .demo_reviews import closed_round
from .models import (
    BenchmarkIndex,
    Deal,
    DealFolder,
    DealStage,
    DealTerms,
    Disbursement,
    DocumentKind,
    Exit,
    ExitKind,
    Fund,
    IndexLevel,
    KpiReport,
    KpiState,
    LpDistribution,
    Milestone,
    PaidIn,
    StageChange,
    Valuation,
)
from .services.deals import STANDARD_FOLDERS
from .verbs import FundVerb

# --- the legacy portfolio --------------------------------------------------------------------------------------

# The days of a deal's moves before its first tranche was paid, and the step each is.
BEFORE_PAYMENT = (
    ("screen", DealStage.SCREENING, 140),
    ("approve", DealStage.APPROVED, 115),
    ("start_due_diligence", DealStage.DUE_DILIGENCE, 95),
    ("submit_to_committee", DealStage.COMMITTEE, 45),
    ("proceed_to_signing", DealStage.SIGNING, 30),
    ("start_disbursement", DealStage.DISBURSEMENT, 16),
    ("enter_portfolio", DealStage.PORTFOLIO, 0),
)
CREATED, DD_REPORT, REVIEW_CLOSED = 160, 58, 50  # days before the first payment
NUMERALS = "一二三四"
CONDITIONS = "按年度报送经营数据；第二期拨付以完成投资协议约定的里程碑为前提。"


def _wan(amount) -> Decimal:
    return Decimal(amount) * WAN


def _first_paid(plan) -> datetime.date:
    return day(plan.tranches[0][0])


def _moves(plan, index):
    """[(transition, from, to, day, note)] of the deal's history, oldest first."""
    paid = _first_paid(plan)
    moves, stage = [], DealStage.SOURCED
    for step, (name, target, days) in enumerate(BEFORE_PAYMENT):
        on = paid - datetime.timedelta(days=days)
        if name == "proceed_to_signing":
            quarter = NUMERALS[(on.month - 1) // 3]
            note = f"{on.year}年第{quarter}次投资决策委员会会议审议通过（门户上线前召开，决议书由基金管理人存档）。"
        elif name == "start_disbursement":
            note = "投资协议已签署，进入拨付。"
        elif name == "enter_portfolio":
            note = "首期投资款已拨付，转入投后管理。"
        else:
            note = NOTES[name][(index + step) % len(NOTES[name])]
        moves.append((name, stage, target, on, note))
        stage = target
    if plan.exit:
        on, _proceeds, kind, note = plan.exit
        if kind == ExitKind.LIQUIDATION:
            moves.append(("write_off", stage, DealStage.WRITTEN_OFF, day(on), note))
        else:
            moves.append(("close_exited", stage, DealStage.EXITED, day(on), f"退出完成：{note}。"))
    return moves


def _half_years(first, last):
    """The half-year ends (30 June, 31 December) after ``first``, up to ``last``."""
    years = range(first.year, last.year + 1)
    ends = (datetime.date(year, month, 30 if month == 6 else 31) for year in years for month in (6, 12))
    return [on for on in ends if first < on <= last]


def _valuations(plan, deal, actor, until):
    """Each half-year end from the first mark while the fund holds the company: the latest mark's multiple of what
    had been paid in by then (the note only on the mark's own day)."""
    marks = [(day(on), Decimal(multiple), method, note) for on, multiple, method, note in plan.marks]
    end = day(plan.exit[0]) - datetime.timedelta(days=1) if plan.exit else until
    rows = []
    for on in [marks[0][0], *_half_years(marks[0][0], end)]:
        mark = [m for m in marks if m[0] <= on][-1]
        paid = sum((_wan(amount) for paid_on, amount in plan.tranches if day(paid_on) <= on), Decimal(0))
        value = (paid * mark[1]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        note = mark[3] if mark[0] == on else ""
        rows.append(Valuation(deal=deal, valued_on=on, value=value, method=mark[2], note=note, recorded_by=actor))
    return rows


def _kpi_reports(plan, deal, actor, index):
    """The annual reports the company sent each March for the year before (by mail, entered by the fund)."""
    rows = []
    for year, revenue, rd_spend, headcount, patents, tax in plan.kpis:
        rows.append(
            KpiReport(
                deal=deal,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                due_on=datetime.date(year + 1, 3, 31),
                state=KpiState.SUBMITTED,
                requested_by=actor,
                requested_at=moment(datetime.date(year + 1, 1, 10), 9),
                revenue=_wan(revenue),
                rd_spend=_wan(rd_spend),
                headcount=headcount,
                patents=patents,
                tax_paid=_wan(tax),
                comment="年度经营数据，由企业财务部门报送。",
                submitted_at=moment(datetime.date(year + 1, 3, 10 + index % 12), 16),
            )
        )
    return rows


def _terms(plan, deal, agreement):
    amount, pre_money = _wan(plan.amount), _wan(plan.pre_money)
    ownership = (amount * 100 / (pre_money + amount)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    signed = _first_paid(plan) - datetime.timedelta(days=16)
    return DealTerms(
        deal=deal,
        amount=amount,
        instrument="preferred",
        pre_money=pre_money,
        ownership=ownership,
        conditions=CONDITIONS,
        signed_on=signed,
        signed_document=agreement,
    )


def _disbursements(plan, deal, actor):
    conditions = ("协议生效", "完成投资协议约定的里程碑")
    return [
        Disbursement(
            deal=deal,
            number=number,
            planned_on=day(on),
            planned_amount=_wan(amount),
            condition=conditions[min(number, 2) - 1],
            paid_on=day(on),
            paid_amount=_wan(amount),
            recorded_by=actor,
        )
        for number, (on, amount) in enumerate(plan.tranches, start=1)
    ]


def _milestones(plan, deal, company):
    """The company's milestones (none when it has some already), recorded when they happened, or when the fund first
    looked at the company if that came later."""
    if Milestone.objects.filter(company=company).exists():
        return []
    first_look = timezone.localtime(deal.created_at).date()
    return [
        Milestone(
            company=company,
            kind=kind,
            happened_on=day(on),
            reference=reference,
            note=note,
            recorded_at=moment(max(day(on), first_look), 11),
        )
        for kind, on, reference, note in plan.profile.milestones
    ]


def _exit(plan, deal, actor):
    if not plan.exit:
        return None
    on, proceeds, kind, note = plan.exit
    return Exit(deal=deal, exited_on=day(on), proceeds=_wan(proceeds), kind=kind, note=note, recorded_by=actor)


def _redate_lines(since, on, hour):
    """The history lines a service wrote just now (after line ``since``) happened on ``on``."""
    Event.objects.filter(pk__gt=since).update(created_at=moment(on, hour))
    return Event.objects.aggregate(last=Max("pk"))["last"] or 0


def _room_and_review(deal, plan, actor, index):
    """The DD report and the review round that the step to the committee reads, and the signed agreement the step to
    disbursement reads: through the services, then dated when they happened. Returns the agreement."""
    paid = _first_paid(plan)
    since = Event.objects.aggregate(last=Max("pk"))["last"] or 0
    reported = paid - datetime.timedelta(days=DD_REPORT)
    title = f"{deal.company}尽职调查报告"
    add_document(actor, deal, DocumentKind.DD_REPORT, "尽职调查", title, "dd-report.pdf", reported)
    since = _redate_lines(since, reported, 11)
    closed = paid - datetime.timedelta(days=REVIEW_CLOSED)
    closed_round(deal, actor, index, closed_on=closed)
    since = _redate_lines(since, closed - datetime.timedelta(days=16), 10)
    signed = paid - datetime.timedelta(days=16)
    title = f"{deal.company}投资协议（签署版）"
    agreement = add_document(actor, deal, DocumentKind.SIGNED_AGREEMENT, "协议", title, "agreement.pdf", signed)
    _redate_lines(since, signed, 15)
    return agreement


class History:
    """History lines and audit entries of records written in bulk, each dated when it happened."""

    def __init__(self, fund):
        self.fund = fund
        self.entries = defaultdict(list)  # (actor, when) -> [Entry]

    def add(self, when, actor, action, instance, deal, verb, data, summary=None):
        line = Line(self.fund, verb, summary or str(deal), deal.get_absolute_url(), subject=deal)
        self.entries[(actor, when)].append(Entry(action, instance, {"deal": deal.pk, **data}, line))

    def write(self):
        for (actor, when), entries in sorted(self.entries.items(), key=lambda item: item[0][1]):
            record_many(entries, actor=actor, at=when)
        return sum(len(entries) for entries in self.entries.values())


def _deal_history(history, plan, deal, actor, moves, records):
    """The lines the deal's services would have written: its creation, its moves, its terms and tranches, its
    valuations, KPI reports, milestones and exit."""
    company = str(deal.company)
    created = {"company": company, "round": deal.round, "amount_requested": str(deal.amount_requested)}
    history.add(deal.created_at, actor, "funds.create_deal", deal, deal, FundVerb.CREATED_DEAL, created, company)
    for step, (name, before, after, on, note) in enumerate(moves):
        data = {"transition": name, "from": before, "to": after, "note": note}
        history.add(_move_time(on, step), actor, "funds.move_deal", deal, deal, FundVerb.MOVED_DEAL, data, company)
    terms, tranches, valuations, reports, milestones, exit_record = records
    signed = moment(terms.signed_on, 15)
    data = {"amount": str(terms.amount)}
    history.add(signed, actor, "funds.record_terms", terms, deal, FundVerb.RECORDED_TERMS, data)
    for tranche in tranches:
        data = {"number": tranche.number, "amount": str(tranche.planned_amount)}
        history.add(signed, actor, "funds.plan_disbursement", tranche, deal, FundVerb.PLANNED_DISBURSEMENT, data)
        paid = moment(tranche.paid_on, 14)
        history.add(paid, actor, "funds.pay_disbursement", tranche, deal, FundVerb.PAID_DISBURSEMENT, data)
    for valuation in valuations:
        data = {"valued_on": valuation.valued_on.isoformat(), "value": str(valuation.value)}
        when = moment(valuation.valued_on, 17)
        history.add(when, actor, "funds.record_valuation", valuation, deal, FundVerb.RECORDED_VALUATION, data)
    for report in reports:
        data = {"period_end": report.period_end.isoformat()}
        verb = FundVerb.REQUESTED_KPI_REPORT
        history.add(report.requested_at, actor, "funds.request_kpi_report", report, deal, verb, data)
        verb = FundVerb.SUBMITTED_KPI_REPORT
        history.add(report.submitted_at, None, "funds.submit_kpi_report", report, deal, verb, data)
    for milestone in milestones:
        data = {"kind": milestone.kind, "happened_on": milestone.happened_on.isoformat()}
        verb = FundVerb.RECORDED_MILESTONE
        history.add(milestone.recorded_at, actor, "funds.record_milestone", milestone, deal, verb, data)
    if exit_record is not None:
        data = {"exited_on": exit_record.exited_on.isoformat(), "proceeds": str(exit_record.proceeds)}
        when = moment(exit_record.exited_on, 15)
        history.add(when, actor, "funds.record_exit", exit_record, deal, FundVerb.RECORDED_EXIT, data)


def _move_time(on, step):
    return moment(on, 10 + step % 6, 15)


def legacy_portfolio(fund, actors, today) -> int:
    """The deals of ``LEGACY`` that the fund does not have yet, with their whole history; returns how many."""
    from .demo import companies  # funds/demo.py registers this module's step

    made = companies(plan.profile for plan in LEGACY)
    plans = [
        (index, plan, made[plan.profile.name])
        for index, plan in enumerate(LEGACY)
        if not Deal.objects.filter(fund=fund, company=made[plan.profile.name], round=plan.round).exists()
    ]
    if not plans:
        return 0
    deals = []
    for _index, plan, company in plans:
        created = moment(_first_paid(plan) - datetime.timedelta(days=CREATED), 9, 30)
        summary = f"{company.lead_asset}（{company.indication}）本轮融资{plan.amount}万元，用于{_use_of(company)}。"
        deals.append(
            Deal(
                fund=fund,
                company=company,
                round=plan.round,
                amount_requested=_wan(plan.amount),
                pre_money=_wan(plan.pre_money),
                source=plan.source,
                owner=actors[plan.lead],
                summary=summary,
                # Where its room and review round were made, before the committee: the service scores no ended deal.
                stage=DealStage.DUE_DILIGENCE,
                created_at=created,
                stage_entered_at=created,
            )
        )
    Deal.objects.bulk_create(deals)
    DealFolder.objects.bulk_create(
        DealFolder(deal=deal, name=name, name_en=name_en, order=order)
        for deal in deals
        for order, (name, name_en) in enumerate(STANDARD_FOLDERS)
    )
    history = History(fund)
    changes, terms, tranches, valuations, reports, exits, milestones = [], [], [], [], [], [], []
    per_deal = []
    for deal, (index, plan, company) in zip(deals, plans, strict=True):
        actor = actors[plan.lead]
        agreement = _room_and_review(deal, plan, actor, index)
        moves = _moves(plan, index)
        changes += [
            StageChange(deal=deal, from_stage=before, to_stage=after, actor=actor, note=note, at=_move_time(on, step))
            for step, (_name, before, after, on, note) in enumerate(moves)
        ]
        # The stage its recorded history ends in (moved by UPDATE: the committee's approval predates the portal).
        entered = _move_time(moves[-1][3], len(moves) - 1)
        Deal.objects.filter(pk=deal.pk).update(stage=moves[-1][2], stage_entered_at=entered)
        records = (
            _terms(plan, deal, agreement),
            _disbursements(plan, deal, actor),
            _valuations(plan, deal, actor, today),
            _kpi_reports(plan, deal, actor, index),
            _milestones(plan, deal, company),
            _exit(plan, deal, actor),
        )
        terms.append(records[0])
        tranches += records[1]
        valuations += records[2]
        reports += records[3]
        milestones += records[4]
        exits += [records[5]] if records[5] is not None else []
        per_deal.append((plan, deal, actor, moves, records))
    StageChange.objects.bulk_create(changes)
    DealTerms.objects.bulk_create(terms)
    Disbursement.objects.bulk_create(tranches)
    Valuation.objects.bulk_create(valuations)
    KpiReport.objects.bulk_create(reports)
    Exit.objects.bulk_create(exits)
    recorded = [milestone.recorded_at for milestone in milestones]
    Milestone.objects.bulk_create(milestones)
    for milestone, when in zip(milestones, recorded, strict=True):  # auto_now_add stamped them today
        milestone.recorded_at = when
    Milestone.objects.bulk_update(milestones, ["recorded_at"])
    for plan, deal, actor, moves, records in per_deal:
        _deal_history(history, plan, deal, actor, moves, records)
    history.write()
    return len(deals)


# --- the LPs' distributions and the benchmark index ---------------------------------------------------------------


def lp_distributions(fund, today) -> int:
    """``DISTRIBUTIONS`` up to today, each split over the LPs by what they had paid in by then (the remainder of the
    rounding to the largest); none when the fund has distributed already."""
    if LpDistribution.objects.filter(commitment__fund=fund).exists():
        return 0
    payments = list(PaidIn.objects.filter(commitment__fund=fund).values_list("commitment_id", "paid_on", "amount"))
    rows = []
    for on, amount in DISTRIBUTIONS:
        on, amount = day(on), _wan(amount)
        paid = defaultdict(Decimal)
        for commitment, paid_on, paid_amount in payments:
            if paid_on <= on:
                paid[commitment] += paid_amount
        total = sum(paid.values(), Decimal(0))
        if on > today or not total:
            continue
        shares = {commitment: (amount * part / total).quantize(Decimal("0.01")) for commitment, part in paid.items()}
        largest = max(paid, key=paid.get)
        shares[largest] += amount - sum(shares.values(), Decimal(0))
        rows += [LpDistribution(commitment_id=c, paid_on=on, amount=share) for c, share in sorted(shares.items())]
    LpDistribution.objects.bulk_create(rows)
    return len(rows)


def index_levels(today) -> list[tuple[datetime.date, Decimal]]:
    """The month ends from the first anchor to ``today`` with their invented levels (see ``INDEX_ANCHORS``)."""
    anchors = [(day(on), level) for on, level in INDEX_ANCHORS]
    ends = [stamp.date() for stamp in pd.date_range(anchors[0][0], today, freq="ME")]
    levels = np.interp(
        [on.toordinal() for on in ends], [on.toordinal() for on, _ in anchors], [level for _, level in anchors]
    )
    ripple = 1 + 0.015 * np.sin(np.arange(len(ends)) * 2.1)
    return [(on, Decimal(f"{level:.2f}")) for on, level in zip(ends, levels * ripple, strict=True)]


def benchmark_index(today) -> tuple[BenchmarkIndex, int]:
    """The CSI 300 index with its month-end levels to today; returns it and how many levels were added."""
    name, name_en, code = INDEX
    index, _created = BenchmarkIndex.objects.get_or_create(name=name, defaults={"name_en": name_en, "code": code})
    have = set(index.levels.values_list("on", flat=True))
    levels = [IndexLevel(index=index, on=on, level=level) for on, level in index_levels(today) if on not in have]
    IndexLevel.objects.bulk_create(levels)
    return index, len(levels)


def seed_performance(log):
    """Step 270 (after the milestones): the fund's past, its distributions, the index and the indicator sets."""
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    actors = people(*MANAGERS)
    if fund is None or set(actors) != set(MANAGERS):
        return
    today = timezone.localdate()
    news_from = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    deals = legacy_portfolio(fund, actors, today)
    distributions = lp_distributions(fund, today)
    index, levels = benchmark_index(today)
    sets = indicator_sets(fund)
    # The review rounds of deals decided years ago told their experts and managers then: read long ago.
    Notification.objects.filter(pk__gt=news_from, read_at__isnull=True).update(read_at=timezone.now())
    paid_in = PaidIn.objects.filter(commitment__fund=fund).aggregate(total=Sum("amount"))["total"] or 0
    distributed = LpDistribution.objects.filter(commitment__fund=fund).aggregate(total=Sum("amount"))["total"] or 0
    log(
        f"fund performance: {deals} past deals added, {distributions} distributions to LPs "
        f"(paid in {paid_in / WAN:.0f}万, distributed {distributed / WAN:.0f}万), {levels} levels of {index.code}, "
        f"indicator sets {', '.join(str(s.year) for s in sets)}"
    )
