"""The engines' demo, owned by the councils: the opinion issuers of the three councils and the 产业促进
committee, an issued public opinion (rendered, signed, verifiable), one waiting for member_biomed's sign-off
(she is the 生物医药 council's vice-chair, so she signs for it), and an open vote held by the council.

The secretariat drafts and issues: it holds the council's MANAGE power (``councils.authority``), never a role.
"""

import datetime
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from portal.opinions import services as opinions
from portal.opinions.models import Issuer, Opinion, OpinionState
from portal.voting import services as voting
from portal.voting.models import Poll

from .models import CommitteeKind, Council

# (council slug, name, English name, document-number prefix, usual addressee)
ISSUERS = [
    (
        "biomed",
        "坪山区生物医药产业共治委员会",
        "Pingshan Biomedicine Industry Co-Governance Council",
        "坪生医共治",
        "坪山区科技创新局",
    ),
    (
        "nev",
        "坪山区新能源汽车产业共治委员会",
        "Pingshan New-Energy Vehicle Industry Co-Governance Council",
        "坪新能共治",
        "坪山区发展和改革局",
    ),
    (
        "ic",
        "坪山区集成电路产业共治委员会",
        "Pingshan Integrated Circuit Industry Co-Governance Council",
        "坪集成共治",
        "坪山区工业和信息化局",
    ),
]

ISSUED_TITLE = "关于坪山生物医药加速器二期孵化载体招商引资项目的专业评价意见"
ISSUED_BODY = """
<p>受坪山区科技创新局委托，本委员会组织产业促进专业委员会成员及外聘专家，对坪山生物医药加速器二期孵化载体招商引资项目进行了专业评价。现将意见函告如下。</p>
<h2>一、项目概况</h2>
<p>项目拟在坑梓片区改造厂房约两万平方米，建设中试车间、公共实验平台和孵化单元，重点引进细胞与基因治疗、高端医疗器械和创新制剂企业，计划总投资三亿元。</p>
<h2>二、评价意见</h2>
<p>项目符合坪山生物医药产业集聚发展方向，公共实验平台可降低中小企业研发门槛；拟引进企业技术水平较高，产业链协同明显。</p>
<p>评价小组认为入驻率假设偏乐观，建议分期建设，第二期以中试车间通过第三方验证为前提。</p>
<h2>三、结论</h2>
<p>项目综合得分八十二点八分，评价等级为“良好”，建议予以支持。本意见仅供决策参考。</p>
"""
PENDING_TITLE = "关于《坪山区促进生物医药产业集聚发展若干措施（征求意见稿）》的政策评议意见"
PENDING_BODY = """
<p>本委员会组织成员单位对征求意见稿开展政策评议，共收集意见六十一条。</p>
<h2>一、总体评价</h2><p>成员单位普遍认为措施方向明确，对临床资源对接和中试平台共享的支持力度较大。</p>
<h2>二、修改建议</h2><p>建议明确创新产品首发应用的认定程序，并将跨境研发物品通关便利纳入配套措施。</p>
"""


POLL_TITLE = "关于同意报送生物医药产业政策评议意见的表决"
VOTERS = ["member_biomed", "member_nev", "member_ic", "external_member"]
COMMITTEE_ISSUER = (
    "坪山区生物医药产业共治委员会产业促进专业委员会",
    "Industry Promotion Committee, Pingshan Biomedicine Council",
    "坪生医产促",
    "坪山区科技创新局",
)


def _issuer(owner, name, name_en, prefix, addressee):
    issuer, _created = Issuer.objects.get_or_create(
        number_prefix=prefix,
        defaults={
            "name": name,
            "name_en": name_en,
            "addressee_default": addressee,
            "signatory_lines": name,
            "owner_type": ContentType.objects.get_for_model(type(owner)),
            "owner_id": str(owner.pk),
        },
    )
    return issuer


def seed_engines(log):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["secretariat", *VOTERS])}
    councils = {council.slug: council for council in Council.objects.all()}
    if "secretariat" not in users or "member_biomed" not in users or "biomed" not in councils:
        return
    for slug, *fields in ISSUERS:
        if slug in councils:
            _issuer(councils[slug], *fields)
    biomed = councils["biomed"]
    committee = biomed.committees.filter(kind=CommitteeKind.INDUSTRY_PROMOTION).first()
    if committee is not None:
        _issuer(committee, *COMMITTEE_ISSUER)
    issuer = Issuer.objects.get(number_prefix=ISSUERS[0][3])
    secretariat, member = users["secretariat"], users["member_biomed"]
    if not Opinion.objects.filter(issuer=issuer, title=ISSUED_TITLE).exists():
        opinion = opinions.create_opinion(
            actor=secretariat, issuer=issuer, title=ISSUED_TITLE, body=ISSUED_BODY, is_public=True, signatories=[member]
        )
        opinions.submit_for_review(actor=secretariat, opinion=opinion)
        opinions.sign_off(actor=member, opinion=opinion, approve=True)
        opinions.request_issue(actor=secretariat, opinion=opinion)
        # seed_demo runs in one transaction; issue now rather than after commit.
        with transaction.atomic():
            opinions.issue_now(opinion_id=opinion.pk, actor_id=secretariat.pk)
    pending = Opinion.objects.filter(issuer=issuer, title=PENDING_TITLE).first()
    if pending is None:
        pending = opinions.create_opinion(
            actor=secretariat,
            issuer=issuer,
            title=PENDING_TITLE,
            body=PENDING_BODY,
            kind="policy_feedback",
            is_public=True,  # once issued, the council publishes it
            signatories=[member],
        )
        opinions.submit_for_review(actor=secretariat, opinion=pending)
    if not Poll.objects.filter(title=POLL_TITLE).exists():
        voters = [users[name] for name in VOTERS if name in users]
        poll = voting.create_poll(
            actor=secretariat,
            owner=biomed,
            subject=pending,
            title=POLL_TITLE,
            quorum=Fraction(1, 2),
            description="请各委员对是否同意报送本次政策评议意见进行表决。",
            closes_at=timezone.now() + datetime.timedelta(days=7),  # the page shows the deadline members work to
        )
        voting.open_poll(actor=secretariat, poll=poll, voters=voters, present=voters)
        if "member_nev" in users:
            voting.cast_ballot(actor=users["member_nev"], poll=poll, choice="yes")
    issued = Opinion.objects.filter(state=OpinionState.ISSUED).first()
    code = issued.formatted_code if issued else "-"
    log(f"opinions: {Opinion.objects.count()} in all; issued {issued.number if issued else '-'} (code {code})")
    log(f"voting: “{POLL_TITLE}” open (member_biomed to vote)")
