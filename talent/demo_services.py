"""Service requests of the offshore base's admitted teams (demo): company registration, incubation seats, visa support,
housing, schooling, IP, legal and a financing introduction handed to the fund, in each team's language and in every
state the office meets (requested, in progress, done, declined), two of them overdue. Through the services, as real
use would; a request a team already has is never made twice."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.demo import tiny_pdf

from . import sla
from .models import BaseApplication, Programme, ServiceKind, ServiceRequest
from .services import service_requests

PROGRAMME_SLUG = "offshore-base"  # talent/demo.py's programme (imported from there it would be a circular import)

# username → (kind, details, what the office did: (transition, outcome) pairs, days overdue or None, attachment)
REQUESTS = {
    "team_patel": (
        (
            ServiceKind.COMPANY_REGISTRATION,
            "Please help us register CellForge Bio (Shenzhen) Co., Ltd. in Pingshan: we need the name pre-check and "
            "a registered address at the base.",
            (("start", ""),),
            None,
            None,
        ),
        (
            ServiceKind.VISA,
            "Dr. Priya Patel needs an R visa and the Confirmation Letter of Foreign High-end Talent "
            "(外国高端人才确认函) to move to Pingshan next month. Passport copy attached.",
            (),
            6,
            "passport-copy.pdf",
        ),
        (
            ServiceKind.HOUSING,
            "Two researchers arrive in June: we would like two talent apartments near the base for a year.",
            (),
            None,
            None,
        ),
    ),
    "team_wang": (
        (
            ServiceKind.COMPANY_REGISTRATION,
            "请协助在坪山注册“深圳氢启能源科技有限公司”，办理名称预核准与营业执照。",
            (("start", ""), ("complete", "营业执照已于本周核发，注册地址为基地 B 栋 312 室。")),
            None,
            None,
        ),
        (
            ServiceKind.INCUBATION_SEAT,
            "申请基地孵化工位 6 个及一间 30 平方米的电化学实验室。",
            (("start", ""),),
            3,
            None,
        ),
        (
            ServiceKind.SCHOOLING,
            "王思远博士的女儿（8 岁）今年秋季需就读坪山区公办小学三年级，请协助办理入学。",
            (),
            None,
            None,
        ),
    ),
    "team_garcia": (
        (
            ServiceKind.IP,
            "We need a freedom-to-operate search for our vision-guided gripper before filing a Chinese patent.",
            (("start", ""),),
            None,
            None,
        ),
        (
            ServiceKind.LEGAL,
            "Could the base's lawyer represent us in a dispute with our former employer in France?",
            (
                (
                    "decline",
                    "The base's legal service covers advice on Chinese law only; we sent you two firms that "
                    "handle French labour disputes.",
                ),
            ),
            None,
            None,
        ),
    ),
    "team_zhao": (
        (
            ServiceKind.VISA,
            "团队两名外籍工程师需办理 R 字签证及外国高端人才确认函，护照复印件已附上。",
            (("start", ""), ("complete", "两人的外国高端人才确认函已签发，R 字签证已于上周办结。")),
            None,
            "护照复印件.pdf",
        ),
        (
            ServiceKind.LEGAL,
            "请协助审阅与整车厂签订的雷达样品试用协议（保密与知识产权条款）。",
            (),
            None,
            None,
        ),
    ),
    "team_ito": (
        (
            ServiceKind.SCHOOLING,
            "Our CTO's son (10) needs a place at an international school near Pingshan from September.",
            (
                ("start", ""),
                (
                    "complete",
                    "A place is confirmed at the international school in Longgang from 1 "
                    "September; the base covers the first term's fee.",
                ),
            ),
            None,
            None,
        ),
        (
            ServiceKind.HOUSING,
            "We would like a three-bedroom talent apartment for the founder's family.",
            (
                (
                    "decline",
                    "Talent apartments go to teams in their first year at the base; the housing subsidy "
                    "application is open to you instead.",
                ),
            ),
            None,
            None,
        ),
        (
            ServiceKind.FINANCING,
            "OrganoidWorks is raising a 5 million yuan seed round to build its GLP toxicity-testing lab: please "
            "introduce us to the biomedicine innovation fund.",
            (("start", ""), ("complete", "Introduced to the fund's managers; the project is in the fund's pipeline.")),
            None,
            None,
        ),
    ),
}


def seed_service_requests(log):
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    officer = get_user_model().objects.filter(username="talent_officer").first()
    if programme is None or officer is None:
        return
    bases = {
        base.application.applicant.username: base
        for base in BaseApplication.objects.filter(
            call__programme=programme, application__applicant__username__in=REQUESTS
        ).select_related("application__applicant")
    }
    made = 0
    for username, requests in REQUESTS.items():
        base = bases.get(username)
        if base is None or not base.is_in_base:
            continue
        asked = set(base.service_requests.values_list("kind", flat=True))
        for kind, details, moves, overdue_by, attachment in requests:
            if kind in asked:
                continue
            files = [SimpleUploadedFile(attachment, tiny_pdf(attachment), "application/pdf")] if attachment else []
            service_request = service_requests.request_service(
                actor=base.application.applicant, base=base, kind=kind, details=details, files=files
            )
            if overdue_by:
                _backdate(service_request, overdue_by)
            for transition, outcome in moves:
                service_request = service_requests.move(
                    actor=officer,
                    service_request=service_request,
                    transition=transition,
                    outcome=outcome if transition == "complete" else "",
                    reason=outcome if transition == "decline" else "",
                )
            made += 1
    log(
        f"talent: {made} service requests made, {ServiceRequest.objects.open().count()} open, "
        f"{ServiceRequest.objects.overdue().count()} overdue"
    )


def _backdate(service_request, overdue_by):
    """Demo only: no service puts a request in the past, so the row is moved back in time directly, to the latest day
    from which its SLA due date fell ``overdue_by`` days ago."""
    today = timezone.localdate()
    requested_on = today
    while sla.due_on(service_request.kind, requested_on) > today - datetime.timedelta(days=overdue_by):
        requested_on -= datetime.timedelta(days=1)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        requested_at=service_request.requested_at - (today - requested_on),
        due_on=sla.due_on(service_request.kind, requested_on),
    )
