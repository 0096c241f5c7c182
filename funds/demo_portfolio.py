"""After the committee's decision, for the demo: terms, tranches (paid and planned), valuations on several dates, KPI
reports (submitted ones and one that firm2 must fill in), an IPO, a trade sale and a write-off (a liquidation); and the
companies' dated milestones. Through funds.services.portfolio; KPI reports are asked for and sent through the services,
then moved back to their quarter by UPDATE (the service only takes a due date from today on).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.history.models import Event

from .demo_companies import COMPANIES, FUND_SLUG, day
from .demo_deals import add_document, backdate, moment, people
from .models import Deal, DocumentKind, Fund, KpiReport, Milestone
from .services import portfolio
from .verbs import FundVerb

# deal company -> (signed days after the decision, valuations [(date, multiple of cost, method, note)], exit)
PLANS = {
    "源芯": (
        21,
        (("2026-06-30", "1.15", "comparables", "可比公司法"), ("2026-09-30", "1.25", "last_round", "B 轮报价")),
    ),
    "瑞和": (28, (("2026-06-30", "1.20", "rnpv", "I 期数据后风险调整"), ("2026-09-30", "1.40", "rnpv", ""))),
    "新元": (
        25,
        (("2026-06-30", "1.30", "rnpv", "ASCO 数据后上调"), ("2026-09-30", "1.50", "last_round", "C+ 轮定价")),
    ),
    "海昕": (30, (("2026-06-30", "1.00", "cost", ""), ("2026-09-30", "1.20", "comparables", ""))),
    "康睿": (24, (("2026-06-30", "1.10", "last_round", ""),)),
    "锦康达": (20, (("2026-06-30", "1.60", "comparables", "科创板问询阶段"),)),
    "速康": (22, (("2026-06-30", "1.20", "comparables", ""),)),
    "干细胞": (26, (("2026-06-30", "0.20", "write_down", "II 期未达主要终点"),)),
    "智影": (23, ()),
    "百岳": (30, ()),
    "明析": (24, ()),
}
EXITS = {
    "锦康达": ("2026-10-16", "2.6", "ipo", "科创板上市首日按发行价计算的可出售部分"),
    "速康": ("2026-08-28", "1.8", "trade_sale", "整体出售予上市诊断企业"),
}
WRITE_OFF = {"干细胞": ("2026-09-05", "II 期临床未达主要终点，企业启动清算，全额核销。")}
# Quarters the company reported (period start, end, submitted on), and the one still due (asked today).
KPI_PAST = (("2026-01-01", "2026-03-31", "2026-04-18"), ("2026-04-01", "2026-06-30", "2026-07-20"))
KPI_DUE = ("2026-07-01", "2026-09-30")
# company -> (who reports for it, figures, whether the next quarter is asked for now)
KPI_FIGURES = {
    "源芯": ("firm2", ("8600000", "3100000", 86, 3, "520000", "0"), True),
    "瑞和": ("member_biomed", ("0", "21000000", 74, 2, "0", "60000000"), False),
}


def _part_of(deal, table):
    return next((part for part in table if part in deal.company.organization.name), None)


def _d(text):
    return datetime.date.fromisoformat(text)


def _paid(deal, until=None):
    """What the fund had paid into the deal by ``until`` (a valuation is a multiple of that, not of later money)."""
    paid = deal.disbursements.filter(paid_on__isnull=False)
    if until is not None:
        paid = paid.filter(paid_on__lte=until)
    return sum((t.paid_amount for t in paid), Decimal(0))


def _terms(actor, deal, signed_on, decided=None):
    amount = deal.amount_requested
    pre_money = deal.pre_money or amount * 5
    ownership = (amount * 100 / (pre_money + amount)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    document = None
    if signed_on is not None:
        title = f"{deal.company}投资协议（签署版）"
        document = add_document(actor, deal, DocumentKind.SIGNED_AGREEMENT, "协议", title, "agreement.pdf", signed_on)
    else:
        title = f"{deal.company}投资条款清单"
        add_document(actor, deal, DocumentKind.TERM_SHEET, "协议", title, "term-sheet.pdf", decided)
    return portfolio.record_terms(
        actor=actor,
        deal=deal,
        amount=amount,
        instrument="preferred",
        pre_money=pre_money,
        ownership=ownership,
        conditions="第二期拨付以企业完成坪山注册或产线落地为前提；按季度报送经营数据。",
        signed_on=signed_on,
        signed_document=document,
    )


def after_the_decision(deal, result, timeline):
    """Take an approved deal from signing to where ``result`` says, with its records and dated history."""
    deal = Deal.objects.select_related("company__organization", "owner", "fund").get(pk=deal.pk)
    if result == "declined" or hasattr(deal, "terms"):
        return  # the committee said no, or the records are there already
    actor = deal.owner
    decided = timeline.dates[-1]
    if result == "signing":
        _terms(actor, deal, None, decided + datetime.timedelta(days=10))
        return
    part = _part_of(deal, PLANS)
    signed_days, valuations = PLANS[part]
    signed_on = decided + datetime.timedelta(days=signed_days)
    terms = _terms(actor, deal, signed_on)
    deal = timeline.move(actor, deal, "start_disbursement", "投资协议已签署，进入拨付。", signed_on)
    first_amount = (terms.amount / 2).quantize(Decimal("0.01"))
    first_on = signed_on + datetime.timedelta(days=15)
    tranche1 = portfolio.plan_disbursement(
        actor=actor, deal=deal, number=1, planned_on=first_on, planned_amount=first_amount, condition="协议生效"
    )
    second_on = signed_on + datetime.timedelta(days=150)
    tranche2 = portfolio.plan_disbursement(
        actor=actor,
        deal=deal,
        number=2,
        planned_on=second_on,
        planned_amount=terms.amount - first_amount,
        condition="完成坪山注册或产线落地",
    )
    if result == "disbursement":  # the first tranche waits for its condition
        backdate(deal, timeline.dates)
        return
    portfolio.pay_disbursement(actor=actor, disbursement=tranche1, paid_on=first_on, paid_amount=first_amount)
    deal = timeline.move(actor, deal, "enter_portfolio", "首期投资款已拨付，转入投后管理。", first_on)
    portfolio.record_valuation(
        actor=actor, deal=deal, valued_on=first_on, value=first_amount, method="cost", note="按投资成本入账"
    )
    # A company written off never met the second tranche's condition: the fund does not pay into it.
    if second_on <= timezone.localdate() and part not in WRITE_OFF:
        portfolio.pay_disbursement(
            actor=actor, disbursement=tranche2, paid_on=second_on, paid_amount=terms.amount - first_amount
        )
    for valued_on, multiple, method, note in valuations:
        if _d(valued_on) > first_on:
            portfolio.record_valuation(
                actor=actor,
                deal=deal,
                valued_on=_d(valued_on),
                value=(_paid(deal, _d(valued_on)) * Decimal(multiple)).quantize(Decimal("0.01")),
                method=method,
                note=note,
            )
    if part in EXITS:
        exited_on, multiple, kind, note = EXITS[part]
        portfolio.record_exit(
            actor=actor,
            deal=deal,
            exited_on=_d(exited_on),
            proceeds=(_paid(deal) * Decimal(multiple)).quantize(Decimal("0.01")),
            kind=kind,
            note=note,
        )
        deal = timeline.move(actor, deal, "close_exited", f"退出完成：{note}。", _d(exited_on))
    elif part in WRITE_OFF:
        on, note = WRITE_OFF[part]
        # The liquidation is the exit (no proceeds): it ends the holding's value in the performance figures.
        portfolio.record_exit(actor=actor, deal=deal, exited_on=_d(on), proceeds=0, kind="liquidation", note=note)
        deal = timeline.move(actor, deal, "write_off", note, _d(on))
    elif part in KPI_FIGURES:
        username, figures, _ask_next = KPI_FIGURES[part]
        kpi_reports(deal, actor, username, figures)
    backdate(deal, timeline.dates)


def kpi_reports(deal, actor, username, figures):
    """Two quarters reported by the company's own person (the third is asked for by ``ask_due_reports``)."""
    person = people(username).get(username)
    if person is None:
        return
    revenue, rd_spend, headcount, patents, tax, follow_on = figures
    today = timezone.localdate()
    for start, end, sent in KPI_PAST:
        report = portfolio.request_kpi_report(
            actor=actor, deal=deal, period_start=_d(start), period_end=_d(end), due_on=today
        )
        portfolio.submit_kpi_report(
            actor=person,
            report=report,
            revenue=revenue,
            rd_spend=rd_spend,
            headcount=headcount,
            patents=patents,
            tax_paid=tax,
            follow_on_financing=follow_on,
            comment="按季度报送。",
        )
        asked = _d(end) + datetime.timedelta(days=3)
        KpiReport.objects.filter(pk=report.pk).update(
            due_on=_d(end) + datetime.timedelta(days=30),
            requested_at=timezone.make_aware(datetime.datetime.combine(asked, datetime.time(9))),
            submitted_at=timezone.make_aware(datetime.datetime.combine(_d(sent), datetime.time(16))),
        )


def ask_due_reports(fund):
    """The quarter the fund asks for now, due in a week, from the companies marked so (源芯: firm2 fills it in)."""
    for part, (_username, _figures, ask_next) in KPI_FIGURES.items():
        deal = (
            Deal.objects.filter(fund=fund, company__organization__name__contains=part, stage="portfolio")
            .select_related("owner", "company__organization", "fund")
            .first()
        )
        start, end = KPI_DUE
        if not ask_next or deal is None or KpiReport.objects.filter(deal=deal, period_end=_d(end)).exists():
            continue
        portfolio.request_kpi_report(
            actor=deal.owner,
            deal=deal,
            period_start=_d(start),
            period_end=_d(end),
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )


def seed_milestones(log):
    """The companies' dated milestones (IND numbers, first patients, approvals), recorded from a deal of the fund
    (after the applications: firm1's company has its first deal from there)."""
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    actor = people("fundmgr").get("fundmgr")
    if fund is None or actor is None:
        return
    made = 0
    for profile in COMPANIES:
        deal = Deal.objects.filter(fund=fund, company__organization__name=profile.name).order_by("pk").first()
        if deal is None or not profile.milestones or Milestone.objects.filter(company=deal.company).exists():
            continue
        for kind, on, reference, note in profile.milestones:
            milestone = portfolio.record_milestone(
                actor=actor, deal=deal, kind=kind, happened_on=day(on), reference=reference, note=note
            )
            # Recorded when it happened, or when the fund first looked at the company if that came later.
            recorded = moment(max(day(on), timezone.localtime(deal.created_at).date()), 11)
            Milestone.objects.filter(pk=milestone.pk).update(recorded_at=recorded)
            line = Event.objects.filter(
                subject_type=ContentType.objects.get_for_model(Deal),
                subject_id=str(deal.pk),
                verb=FundVerb.RECORDED_MILESTONE,
            ).latest("pk")
            Event.objects.filter(pk=line.pk).update(created_at=recorded)
            made += 1
    total = Milestone.objects.filter(company__deals__fund=fund).distinct().count()
    log(f"fund milestones: {made} recorded, {total} in all")
