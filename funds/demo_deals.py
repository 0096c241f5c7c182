"""The demo pipeline: sixty deals over every stage, each moved there through the deal services with a note.

A deal at the investment committee or beyond has a deal-room DD report and a closed review round scored by three or
more experts (funds/demo_reviews.py); the committee decided them at two meetings whose opinions are issued
(funds/demo_committee.py); what followed — terms, tranches, valuations, KPI reports, exits — is in
funds/demo_portfolio.py. Histories are moved back in time afterwards (``backdate``), by UPDATE of timestamps only.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from portal.demo import tiny_pdf
from portal.history.models import Event
from portal.notifications.models import Notification

from .demo_companies import FUND_SLUG, MANAGERS
from .models import Company, Deal, DealDocument, DealStage, DocumentKind, Fund, StageChange
from .services.deals import create_deal, move_deal
from .services.room import upload_document
from .verbs import FundVerb

WAN = Decimal(10000)

# company (a distinctive part of its name), round, amount and pre-money in 万元, source, lead, where it ends, days
# since it got there. Outcomes: a stage; "hold:<stage>", "withdrawn:<stage>", "rejected:<stage>" (where it was);
# "ic<n>:<outcome>" for the deals the committee decided at meeting n (funds/demo_committee.py); "agenda" for a deal on
# the upcoming meeting's agenda.
DEALS = (
    # before the committee
    ("灵长类", "b", 8000, 60000, "partner", "fundmgr2", "sourced", 6),
    ("微纳质谱", "b", 6000, 45000, "roadshow", "fundmgr", "sourced", 12),
    ("合成生物创新", "b", 10000, 80000, "council", "fundmgr2", "sourced", 20),
    ("安护", "c", 12000, 90000, "own", "fundmgr", "sourced", 3),
    ("医数", "pre_a", 3000, 18000, "roadshow", "fundmgr2", "sourced", 58),
    ("核酸编辑", "seed", 1500, 8000, "partner", "fundmgr", "sourced", 9),
    ("细胞工厂", "angel", 1000, 5000, "council", "fundmgr2", "sourced", 33),
    ("临研通", "b", 5000, 40000, "own", "fundmgr", "sourced", 15),
    ("安澜", "angel", 2000, 9000, "partner", "fundmgr", "screening", 8),
    ("启晖", "seed", 2500, 12000, "roadshow", "fundmgr2", "screening", 27),
    ("影智", "a", 6000, 30000, "own", "fundmgr", "screening", 61),
    ("骨科新材料", "a", 4000, 22000, "council", "fundmgr2", "screening", 14),
    ("华泓", "pre_ipo", 20000, 300000, "partner", "fundmgr", "screening", 5),
    ("慢病云", "a", 3000, 16000, "roadshow", "fundmgr2", "screening", 19),
    ("酶工程", "b", 5000, 35000, "own", "fundmgr", "screening", 72),
    ("药研汇", "later", 15000, 200000, "partner", "fundmgr2", "screening", 11),
    ("凯诺维", "a", 8000, 45000, "own", "fundmgr", "approved", 16),
    ("蓝湾", "a", 6000, 38000, "partner", "fundmgr2", "approved", 23),
    ("启明眼", "a", 7000, 42000, "council", "fundmgr", "approved", 52),
    ("精微", "b", 9000, 70000, "roadshow", "fundmgr2", "approved", 9),
    ("微创神经", "a", 5000, 30000, "own", "fundmgr", "approved", 30),
    ("远诺", "a", 8000, 50000, "partner", "fundmgr", "approved", 4),
    ("泽衡", "b", 12000, 90000, "partner", "fundmgr", "due_diligence", 21),
    ("瀚博", "c", 15000, 150000, "council", "fundmgr2", "due_diligence", 64),
    ("赛因特", "a", 8000, 48000, "own", "fundmgr", "due_diligence", 12),
    ("合创", "b", 10000, 120000, "partner", "fundmgr2", "due_diligence", 35),
    ("早筛", "c", 12000, 160000, "roadshow", "fundmgr", "due_diligence", 47),
    ("鹏瑞", "a", 9000, 55000, "own", "fundmgr2", "due_diligence", 7),
    ("立晟", "pre_ipo", 20000, 350000, "partner", "fundmgr", "agenda", 13),
    ("百岳", "later", 20000, 400000, "council", "fundmgr2", "agenda", 13),
    ("干细胞", "c", 8000, 60000, "own", "fundmgr", "committee", 26),
    ("启晖", "angel", 800, 4000, "council", "fundmgr", "hold:screening", 90),
    ("速康", "c", 10000, 90000, "own", "fundmgr2", "hold:approved", 55),
    ("智影", "c", 8000, 70000, "partner", "fundmgr", "hold:due_diligence", 40),
    ("安护", "b", 6000, 40000, "roadshow", "fundmgr", "withdrawn:screening", 130),
    ("远诺", "angel", 1500, 6000, "partner", "fundmgr2", "withdrawn:approved", 210),
    ("灵长类", "a", 4000, 25000, "own", "fundmgr2", "withdrawn:sourced", 160),
    ("细胞工厂", "seed", 1200, 5000, "roadshow", "fundmgr", "rejected:sourced", 240),
    ("医数", "seed", 800, 3000, "council", "fundmgr2", "rejected:screening", 180),
    ("核酸编辑", "angel", 600, 2500, "own", "fundmgr", "rejected:screening", 150),
    ("骨科新材料", "pre_a", 2000, 9000, "partner", "fundmgr2", "rejected:approved", 120),
    ("微纳质谱", "a", 3000, 20000, "own", "fundmgr", "rejected:due_diligence", 100),
    ("药研汇", "c", 10000, 120000, "partner", "fundmgr", "rejected:screening", 300),
    # decided by the committee: meeting 1 (January), meeting 2 (September)
    ("源芯", "a", 5000, 30000, "roadshow", "fundmgr", "ic1:portfolio", 0),
    ("瑞和", "b", 10000, 80000, "council", "fundmgr2", "ic1:portfolio", 0),
    ("新元", "c", 15000, 180000, "own", "fundmgr", "ic1:portfolio", 0),
    ("海昕", "b", 12000, 100000, "partner", "fundmgr2", "ic1:portfolio", 0),
    ("康睿", "c", 10000, 120000, "roadshow", "fundmgr", "ic1:portfolio", 0),
    ("锦康达", "pre_ipo", 15000, 450000, "partner", "fundmgr", "ic1:ipo", 0),
    ("速康", "b", 8000, 60000, "own", "fundmgr2", "ic1:trade_sale", 0),
    ("干细胞", "b", 6000, 40000, "council", "fundmgr", "ic1:written_off", 0),
    ("百岳", "c", 15000, 260000, "partner", "fundmgr2", "ic1:disbursement", 0),
    ("星禾", "b", 8000, 70000, "roadshow", "fundmgr", "ic1:declined", 0),
    ("博奥", "a", 10000, 60000, "own", "fundmgr", "ic2:signing", 0),
    ("华屿", "b", 12000, 90000, "council", "fundmgr2", "ic2:signing", 0),
    ("明析", "c", 9000, 110000, "partner", "fundmgr", "ic2:disbursement", 0),
    ("智影", "b", 6000, 45000, "roadshow", "fundmgr2", "ic2:portfolio", 0),
    ("早筛", "b", 7000, 80000, "own", "fundmgr", "ic2:declined", 0),
    ("瀚博", "b", 9000, 75000, "partner", "fundmgr", "ic2:declined", 0),
)

# The committee's dates: meeting 1 and 2 (closed), and a deal's path there takes about three months.
MEETING_DAYS = {1: datetime.date(2026, 1, 20), 2: datetime.date(2026, 9, 16)}

FORWARD = (
    ("screen", DealStage.SCREENING),
    ("approve", DealStage.APPROVED),
    ("start_due_diligence", DealStage.DUE_DILIGENCE),
    ("submit_to_committee", DealStage.COMMITTEE),
)
NOTES = {
    "screen": (
        "初步沟通完成，材料齐全，进入初筛。",
        "项目经理已完成首次访谈，转入初筛。",
        "合作机构推荐材料已核实，进入初筛。",
    ),
    "approve": (
        "初筛会同意立项，启动尽职调查准备。",
        "技术路线清晰、团队完整，同意立项。",
        "与基金投资方向契合，同意立项。",
    ),
    "start_due_diligence": ("已委托律师与会计师，尽职调查启动。", "尽调小组进场，开展业务、财务与法律尽调。"),
    "submit_to_committee": ("尽调报告与专家评审已完成，提交投决会。",),
    "hold": ("企业本轮估值与条款尚在调整，暂缓推进。", "等待关键临床数据读出后再议。", "企业股权结构调整中，暂缓。"),
    "withdraw": ("企业已接受其他机构报价，撤回本轮融资。", "企业决定推迟融资计划。", "企业主动撤回。"),
    "reject": (
        "与基金投资方向不符，不予立项。",
        "估值过高且临床路径不清晰，不再推进。",
        "尽调发现核心专利权属存在瑕疵，终止。",
    ),
}


def people(*names):
    return {user.username: user for user in get_user_model().objects.filter(username__in=names)}


def company_named(part) -> Company:
    return Company.objects.select_related("organization").get(organization__name__contains=part)


def add_document(actor, deal, kind, folder, title, filename, on=None):
    """A small PDF into the deal room through the room's service (checked like any upload), uploaded ``on``."""
    company = deal.company.organization.name_en or "company"
    data = tiny_pdf(title.encode("ascii", "ignore").decode() or kind, company, "Demo document - Pingshan fund")
    upload = SimpleUploadedFile(filename, data, content_type="application/pdf")
    document = upload_document(
        actor=actor, deal=deal, folder=deal.folders.get(name=folder), kind=kind, upload=upload, title=title
    )
    if on is not None:
        at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(11, 0)))
        DealDocument.objects.filter(pk=document.pk).update(uploaded_at=at)
    return document


class Timeline:
    """The dates a deal's moves should carry, collected while it is moved now and written back by ``backdate``."""

    def __init__(self):
        self.dates = []

    def move(self, actor, deal, transition, note, on):
        self.dates.append(on)
        return move_deal(actor=actor, deal=deal, transition=transition, note=note)


def moment(day, hour, minute=0):
    """``day`` at ``hour``:``minute``, Asia/Shanghai."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def backdate(deal, dates, created=None):
    """Give the deal's stage history (oldest first) the planned dates, at office hours, Asia/Shanghai; and the
    deal's lines in the fund's stream the date of the move they came with (its creation: the day it was added)."""
    changes = list(StageChange.objects.filter(deal=deal).order_by("pk"))
    offset = len(changes) - len(dates)
    moves = [(change.at, day) for change, day in zip(changes[offset:], dates, strict=True)]
    last = dates[-1] if dates else created
    first = created or (dates[0] - datetime.timedelta(days=9) if dates else last)
    events = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Deal), subject_id=str(deal.pk))
    for event in events.filter(created_at__gt=moment(last, 23, 59)):  # written now, not yet moved back
        if event.verb == FundVerb.CREATED_DEAL:
            day = first
        else:  # the move it preceded (an upload before the step to the IC), else the last one
            day = next((day for at, day in moves if at >= event.created_at), last)
        Event.objects.filter(pk=event.pk).update(created_at=moment(day, 10))
    for index, change in enumerate(changes[offset:]):
        StageChange.objects.filter(pk=change.pk).update(at=moment(dates[index], 10 + index % 6, 15))
    Deal.objects.filter(pk=deal.pk).update(created_at=moment(first, 9, 30), stage_entered_at=moment(last, 10, 15))


def steps_back(end, count, seed):
    """``count`` dates before ``end`` (inclusive), two to six weeks apart, oldest first."""
    dates, current = [], end
    for index in range(count):
        dates.append(current)
        current = current - datetime.timedelta(days=14 + (seed * 7 + index * 11) % 29)
    return list(reversed(dates))


def build_deal(fund, row, index, actors, reviews):
    """One deal of ``DEALS``: created, moved to where it ends (or to the committee stage for those the committee
    decides), with its documents and review round. Returns (deal, Timeline)."""
    part, round_code, amount, pre_money, source, lead, outcome, age = row
    actor = actors[lead]
    company = company_named(part)
    deal = create_deal(
        actor=actor,
        fund=fund,
        company=company,
        round=round_code,
        amount_requested=amount * WAN,
        pre_money=pre_money * WAN if pre_money else None,
        source=source,
        owner=actor,
        summary=f"{company.lead_asset}（{company.indication}）本轮融资{amount}万元，用于{_use_of(company)}。",
    )
    kind, _sep, where = outcome.partition(":")
    if kind.startswith("ic") or kind in ("agenda", "committee"):
        target = DealStage.COMMITTEE
    elif kind in ("hold", "withdrawn", "rejected"):
        target = DealStage(where)
    else:
        target = DealStage(kind)
    path = [name for name, stage in FORWARD][: _position(target)]
    end = _decided_on(kind) or timezone.localdate() - datetime.timedelta(days=age)
    extra = 1 if kind in ("hold", "withdrawn", "rejected") else 0
    dates = steps_back(end, len(path) + extra, index)
    timeline = Timeline()
    for step, (name, on) in enumerate(zip(path, dates, strict=False)):
        if name == "submit_to_committee":
            title = f"{company}尽职调查报告"
            add_document(actor, deal, DocumentKind.DD_REPORT, "尽职调查", title, "dd-report.pdf", on - timedelta(8))
            reviews(deal, actor, index, closed_on=on - datetime.timedelta(days=5))
        elif name == "start_due_diligence":
            title = f"{company}商业计划书"
            add_document(actor, deal, DocumentKind.BUSINESS_PLAN, "申请材料", title, "business-plan.pdf", on)
        note = NOTES[name][(index + step) % len(NOTES[name])]
        deal = timeline.move(actor, deal, name, note, on)
    if kind in ("hold", "withdrawn", "rejected"):
        transition = {"hold": "hold", "withdrawn": "withdraw", "rejected": "reject"}[kind]
        note = NOTES[transition][index % len(NOTES[transition])]
        deal = timeline.move(actor, deal, transition, note, dates[-1])
    if target == DealStage.DUE_DILIGENCE and kind == "due_diligence":
        title = f"{company}近两年财务报表"
        add_document(actor, deal, DocumentKind.FINANCIALS, "申请材料", title, "financials.pdf", dates[-1])
    return deal, timeline


def _position(stage):
    order = [DealStage.SOURCED, *(stage for _name, stage in FORWARD)]
    return order.index(stage)


def _decided_on(kind):
    if kind.startswith("ic"):
        return MEETING_DAYS[int(kind[2:])] - datetime.timedelta(days=6)
    return None


def _use_of(company):
    uses = {
        "innovative_drugs": "临床试验推进与 CMC 工艺开发",
        "biologics": "临床试验与坪山生产基地建设",
        "cell_gene": "注册临床与细胞制备中心扩建",
        "medical_devices": "注册检验、临床评价与产能扩建",
        "ivd": "注册申报与渠道建设",
        "cxo": "坪山新实验楼与产线建设",
        "digital_health": "产品迭代与医院落地",
        "synthetic_biology": "菌种开发与发酵产线建设",
    }
    return uses.get(company.subsector, "研发与生产")


def seed_deals(log):
    from .demo_committee import hold_meetings, schedule_upcoming
    from .demo_portfolio import after_the_decision, ask_due_reports
    from .demo_reviews import closed_round

    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    actors = people(*MANAGERS)
    if fund is None or set(actors) != set(MANAGERS):
        return
    news_from = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    made = 0
    decided = {}  # meeting number -> [(deal, outcome, timeline)]
    for index, row in enumerate(DEALS):
        part, round_code, *_rest, outcome, _age = row
        if Deal.objects.filter(fund=fund, company__organization__name__contains=part, round=round_code).exists():
            continue
        deal, timeline = build_deal(fund, row, index, actors, closed_round)
        made += 1
        kind, _sep, result = outcome.partition(":")
        if kind.startswith("ic"):
            decided.setdefault(int(kind[2:]), []).append((deal, result, timeline))
        else:
            # A deal still sourced has no history: it was added ``age`` days ago.
            created = None if timeline.dates else timezone.localdate() - datetime.timedelta(days=row[-1])
            backdate(deal, timeline.dates, created=created)
    hold_meetings(fund, decided, MEETING_DAYS)
    for entries in decided.values():
        for deal, result, timeline in entries:
            after_the_decision(deal, result, timeline)
    # What the services told people about this history happened long ago: it is read. What asks for work now (the
    # coming meeting, the KPI report due, the applications and open rounds of the next step) stays unread.
    Notification.objects.filter(pk__gt=news_from, read_at__isnull=True).update(read_at=timezone.now())
    ask_due_reports(fund)
    schedule_upcoming(fund)
    stages = dict.fromkeys(DealStage.values, 0)
    for stage in Deal.objects.filter(fund=fund).values_list("stage", flat=True):
        stages[stage] += 1
    log(
        f"fund deals: {made} created, {sum(stages.values())} in all; "
        + ", ".join(f"{k} {v}" for k, v in stages.items())
    )
