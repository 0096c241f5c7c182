"""firm1's and firm2's financing applications, through the applications engine.

firm1 (康源): one submitted whose deal is in due diligence (the firm reads 评审中) with the open review round that
evaluator1 has accepted and may open the material of, and a draft for a second product. firm2 (源芯, which the fund
already holds): a Series B application with an open request for supplement, deadline in a week.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.applications import services as applications
from portal.applications.models import Application, ApplicationState, ChecklistItem, Submission
from portal.demo import tiny_pdf
from portal.history.models import Event

from .demo_companies import FIRM1_COMPANY, FIRM2_COMPANY, FUND_SLUG
from .demo_deals import Timeline, add_document, backdate, moment, people
from .financing import FINANCING
from .models import Company, Deal, DocumentKind, Fund
from .services.deals import update_deal
from .services.scoring import deal_rounds

FIRM1 = {
    "company": {"headcount": "42"},
    "product": {
        "mechanism": "共价结合 KRAS G12D 开关 II 口袋，口服生物利用度高，临床前模型中与化疗联用显著抑制肿瘤生长。",
        "milestones": "2025年2月 IND 受理（CXHL2500123）；2025年8月首例受试者入组；预计2026年底完成剂量递增。",
    },
    "team": [
        {
            "name": "王康源",
            "role": "创始人、首席执行官",
            "background": "药物化学博士，曾任跨国药企中国研发中心化学部负责人。",
        },
        {"name": "刘敏", "role": "首席医学官", "background": "肿瘤内科医生，主导过四项 I 期临床试验。"},
    ],
    "ip": {
        "patents_granted": "6",
        "patents_pending": "9",
        "key_patents": "化合物专利已在中美欧获授权，FTO 分析未见障碍。",
    },
    "financials": {
        "revenue_last_year": "0",
        "rd_spend_last_year": "46000000",
        "cash": "52000000",
        "monthly_burn": "4200000",
        "raised_before": "120000000",
    },
    "round": {
        "round": "a",
        "amount_requested": "60000000",
        "round_size": "150000000",
        "pre_money": "520000000",
        "use_of_funds": "完成 I 期剂量扩展与 II 期准备，建设坪山临床样品中试车间。",
        "other_investors": "深圳市鹏东创新投资有限公司（领投意向）",
    },
    "landing": {
        "registered_in_pingshan": "on",
        "registered_in_pingshan_on": "2019-04-12",
        "landing_plan": "总部与研发中心已在坪山生物医药创新产业园；2027年在坑梓建设制剂中试车间。",
        "jobs_planned": "60",
    },
}
FIRM1_DRAFT_PRODUCT = {
    "lead_asset": "KY-3301 口服 SOS1 抑制剂",
    "indication": "KRAS 突变实体瘤联合用药",
    "development_stage": "preclinical",
    "device_class": "",
    "mechanism": "阻断 SOS1 与 KRAS 结合，与 KY-2107 联用克服耐药。",
    "milestones": "计划2027年上半年递交 IND。",
}
FIRM2 = {
    "company": {"headcount": "86"},
    "product": {
        "mechanism": "微流控芯片集成样本处理与化学发光检测，十五分钟出结果，适合基层与急诊。",
        "milestones": "2022年7月获粤械注准20222400519；2026年心肌标志物新试剂进入注册检验。",
    },
    "team": [
        {"name": "林芯", "role": "创始人、总经理", "background": "十五年芯片封装测试经验，转向体外诊断芯片。"},
    ],
    "ip": {"patents_granted": "14", "patents_pending": "6", "key_patents": ""},
    "financials": {
        "revenue_last_year": "31000000",
        "rd_spend_last_year": "12000000",
        "cash": "26000000",
        "monthly_burn": "2100000",
        "raised_before": "50000000",
    },
    "round": {
        "round": "b",
        "amount_requested": "40000000",
        "round_size": "120000000",
        "pre_money": "600000000",
        "use_of_funds": "坪山第二条芯片产线与新试剂注册。",
        "other_investors": "",
    },
    "landing": {
        "registered_in_pingshan": "on",
        "registered_in_pingshan_on": "2018-09-18",
        "landing_plan": "已在坪山注册并生产；2027年扩建坑梓产线。",
        "jobs_planned": "80",
    },
}
SUPPLEMENT = "请补充2025年度经审计的财务报表，并更新财务数据中的现金余额。"


def _answers(company, extra):
    profile = {
        "company": {
            "subsector": company.subsector,
            "founded_on": company.founded_on.isoformat() if company.founded_on else "2019-01-01",
            "description": company.description,
            "description_en": "",
        },
        "product": {
            "lead_asset": company.lead_asset,
            "indication": company.indication,
            "development_stage": company.development_stage,
            "device_class": company.device_class,
        },
    }
    return {
        code: (extra[code] if isinstance(extra[code], list) else {**profile.get(code, {}), **extra[code]})
        for code in extra
    }


def _attach(actor, application, code, title):
    item = ChecklistItem.objects.get(checklist=application.owner.checklist, code=code)
    upload = SimpleUploadedFile(f"{code}.pdf", tiny_pdf(title, "Demo attachment"), content_type="application/pdf")
    applications.add_attachment(actor=actor, application=application, item=item, upload=upload)


def _submitted(fund, user, company, extra):
    application = applications.start(actor=user, kind=FINANCING, owner=fund, organization=company.organization)
    for step, data in _answers(company, extra).items():
        application = applications.save_step(actor=user, application=application, step=step, data=data)
    _attach(user, application, "business-plan", "Business plan")
    _attach(user, application, "financial-statements", "Financial statements")
    return applications.submit(actor=user, application=application)


def _led_by(manager, deal):
    """The manager takes the lead of the deal the application became (the deal service, as a manager would)."""
    return update_deal(
        actor=manager,
        deal=deal,
        owner=manager,
        amount_requested=deal.amount_requested,
        pre_money=deal.pre_money,
        round=deal.round,
        summary=deal.summary,
    )


def _backdate_application(application, submitted_on, reviewed_on):
    """The application was begun three days before it was sent; the firm's timeline says when each thing happened:
    begun, submitted, then under review from the day the deal was approved for due diligence."""
    begun = submitted_on - datetime.timedelta(days=3)
    Application.objects.filter(pk=application.pk).update(
        created_at=moment(begun, 9), submitted_at=moment(submitted_on, 10)
    )
    Submission.objects.filter(application=application).update(submitted_at=moment(submitted_on, 10))
    subject = ContentType.objects.get_for_model(Application)
    events = list(Event.objects.filter(subject_type=subject, subject_id=str(application.pk)).order_by("pk"))
    for index, event in enumerate(events):
        day = begun if index == 0 else reviewed_on if index == len(events) - 1 and index > 1 else submitted_on
        Event.objects.filter(pk=event.pk).update(created_at=moment(day, 10))


def _sent(fund, user):
    return (
        Application.objects.filter(kind=FINANCING.code, applicant=user, owner_id=str(fund.pk))
        .exclude(state=ApplicationState.DRAFT)
        .exists()
    )


def seed_applications(log):
    from .demo_reviews import open_round

    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    users = people("firm1", "firm2", "fundmgr")
    if fund is None or len(users) < 3:
        return
    manager = users["fundmgr"]
    firm1_company = Company.objects.filter(organization__name=FIRM1_COMPANY).first()
    firm2_company = Company.objects.filter(organization__name=FIRM2_COMPANY).first()
    today = timezone.localdate()
    if firm1_company and not _sent(fund, users["firm1"]):
        application = _submitted(fund, users["firm1"], firm1_company, FIRM1)
        deal = _led_by(manager, Deal.objects.get(application=application))
        timeline = Timeline()
        first = today - datetime.timedelta(days=24)
        deal = timeline.move(
            manager, deal, "approve", "材料完整，靶点与团队符合基金方向，同意立项。", first + datetime.timedelta(8)
        )
        for kind, folder, title, name, days in (
            (DocumentKind.BUSINESS_PLAN, "申请材料", "康源生物商业计划书（2026版）", "business-plan.pdf", 1),
            (DocumentKind.OTHER, "尽职调查", "康源生物技术尽调访谈纪要", "interview-notes.pdf", 16),
        ):
            add_document(manager, deal, kind, folder, title, name, first + datetime.timedelta(days))
        deal = timeline.move(
            manager, deal, "start_due_diligence", "尽调小组进场，同步邀请专家评审。", first + datetime.timedelta(12)
        )
        open_round(deal, manager, accepted=("evaluator1",), scored=("evaluator2",), invited=("evaluator5",))
        backdate(deal, [first, *timeline.dates], created=first)
        _backdate_application(application, first, timeline.dates[0])
    if (
        firm1_company
        and not Application.objects.filter(applicant=users["firm1"], state=ApplicationState.DRAFT).exists()
    ):
        draft = applications.start(
            actor=users["firm1"], kind=FINANCING, owner=fund, organization=firm1_company.organization
        )
        answers = _answers(firm1_company, {"company": FIRM1["company"], "product": FIRM1_DRAFT_PRODUCT})
        for step, data in answers.items():
            applications.save_step(actor=users["firm1"], application=draft, step=step, data=data)
    if firm2_company and not _sent(fund, users["firm2"]):
        application = _submitted(fund, users["firm2"], firm2_company, FIRM2)
        _led_by(manager, Deal.objects.get(application=application))
        item = ChecklistItem.objects.get(checklist=fund.checklist, code="financial-statements")
        applications.request_supplement(
            actor=manager,
            application=application,
            message=SUPPLEMENT,
            deadline=today + datetime.timedelta(days=7),
            items=[item],
            sections=["financials"],
        )
    # An open round past its deadline with an expert who never answered: the managers' overdue evaluations.
    overdue = Deal.objects.filter(fund=fund, company__organization__name__contains="瀚博", round="c").first()
    if overdue is not None and not deal_rounds(overdue).exists():
        open_round(
            overdue,
            overdue.owner,
            scored=("evaluator2",),
            invited=("evaluator5",),
            deadline=today - datetime.timedelta(days=6),
        )
    log(
        "fund applications: "
        + ", ".join(
            f"{user.username} {Application.objects.filter(kind=FINANCING.code, applicant=user).count()}"
            for user in (users["firm1"], users["firm2"])
        )
    )
