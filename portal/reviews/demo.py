"""Demo expert pool and rubric, and the builder of the demo's open review round.

A round belongs to an owner that portal cannot name (portal imports no domain), so the round itself is seeded
by the domain that owns it: ``councils/demo_reviews.py`` calls ``seed_round`` for the 生物医药 council, whose
secretariat runs it. In the round one expert has scored, ``evaluator1`` waits, one has a suggested conflict.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.demo import demo_step
from portal.experts.models import Expert
from portal.organizations.models import Organization

from . import services
from .models import Criterion, ReviewRound, Rubric
from .rubrics import build_rubric

RUBRIC_NAME = "孵化载体招商引资项目评审表"
RUBRIC_NAME_EN = "Rubric for incubator investment-attraction projects"
# name_zh, name_en, weight, guidance, guidance_en
CRITERIA = [
    (
        "产业契合度",
        "Fit with the industry plan",
        Decimal(3),
        "项目与坪山生物医药产业集聚发展方向的契合程度。",
        "How closely the project fits Pingshan's plan to cluster the biomedicine industry.",
    ),
    (
        "技术与团队",
        "Technology and team",
        Decimal(3),
        "核心技术水平、知识产权与团队经验。",
        "The level of the core technology, its intellectual property and the team's experience.",
    ),
    (
        "运营方案",
        "Operating plan",
        Decimal(2),
        "入驻率假设、公共平台开放和运营保障。",
        "The occupancy assumptions, how the shared platforms are opened to tenants, and what secures operations.",
    ),
    (
        "投资效益",
        "Return on investment",
        Decimal(2),
        "投资测算、风险与对区内企业的带动作用。",
        "The investment estimates, the risks, and what the project brings to other firms in the district.",
    ),
]
ROUND_TITLE = "华屿细胞治疗中试基地招商引资项目专业评价"
ROUND_TITLE_EN = "Expert evaluation of the Huayu cell-therapy pilot plant investment project"
SUBJECT_NAME = "深圳华屿细胞治疗技术有限公司"
# username: (affiliation organization name or free text, title, region, languages)
EXPERTS = {
    "evaluator1": ("深圳坪山生命科学创新研究院", "研究员", "domestic", "中文"),
    "evaluator2": ("深圳坪山第三代半导体研究院", "高级工程师", "domestic", "中文, English"),
    "evaluator3": ("广东东岸律师事务所", "律师", "domestic", "中文"),
    "evaluator4": ("华屿细胞治疗", "注册会计师", "domestic", "中文"),  # suggested conflict with the subject
    "evaluator5": ("University of Cambridge", "Professor", "overseas", "English"),
}


@demo_step(order=50)
def seed_reviews(log):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=EXPERTS)}
    for username, (affiliation, title, region, languages) in EXPERTS.items():
        if username not in users:
            continue
        organization = Organization.objects.filter(name=affiliation).first()
        Expert.objects.get_or_create(
            user=users[username],
            defaults={
                "name": users[username].display_name,
                "affiliation": organization,
                "affiliation_name": affiliation,
                "title": title,
                "region": region,
                "languages": languages,
            },
        )
    if not Rubric.objects.filter(name=RUBRIC_NAME).exists():
        build_rubric(name=RUBRIC_NAME, name_en=RUBRIC_NAME_EN, criteria=CRITERIA)
    _fill_english()
    log(f"reviews: {len(users)} experts in the pool, rubric “{RUBRIC_NAME}”")


def _fill_english():
    """Databases seeded before rubrics and rounds had English texts get them now. The rubric may be frozen by its
    round; a translation changes nothing that is scored, so it is written directly, and only where empty."""
    Rubric.objects.filter(name=RUBRIC_NAME, name_en="").update(name_en=RUBRIC_NAME_EN)
    for name_zh, _name_en, _weight, guidance, guidance_en in CRITERIA:
        Criterion.objects.filter(rubric__name=RUBRIC_NAME, name_zh=name_zh, guidance=guidance, guidance_en="").update(
            guidance_en=guidance_en
        )
    ReviewRound.objects.filter(title=ROUND_TITLE, title_en="").update(title_en=ROUND_TITLE_EN)


def seed_round(log, *, owner, manager):
    """The open demo round, owned by ``owner`` and run by ``manager`` (who must hold MANAGE over it)."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=EXPERTS)}
    subject = Organization.objects.filter(name=SUBJECT_NAME).first()
    rubric = Rubric.objects.filter(name=RUBRIC_NAME).order_by("-version").first()
    if subject is None or rubric is None or ReviewRound.objects.filter(title=ROUND_TITLE).exists():
        return None
    review_round = services.create_round(
        actor=manager,
        owner=owner,
        subject=subject,
        subject_organization=subject,
        rubric=rubric,
        title=ROUND_TITLE,
        title_en=ROUND_TITLE_EN,
        deadline=timezone.now() + datetime.timedelta(days=14),
        min_scores=3,
        outlier_threshold=Decimal(3),
        spread_threshold=Decimal(4),
        reviewers_see_scores_after_submit=True,
    )
    services.open_round(actor=manager, review_round=review_round)
    assignments = {
        username: services.assign_expert(
            actor=manager, review_round=review_round, expert=users[username].expert_profile
        )
        for username in ("evaluator1", "evaluator2", "evaluator3", "evaluator5")
        if username in users and hasattr(users[username], "expert_profile")
    }
    scored = assignments.get("evaluator2")
    if scored is not None:
        services.accept_assignment(actor=users["evaluator2"], assignment=scored)
        services.declare_conflict(actor=users["evaluator2"], assignment=scored, has_conflict=False)
        values = {
            criterion.pk: Decimal(value) for criterion, value in zip(rubric.criteria.all(), [8, 7, 7, 8], strict=True)
        }
        services.submit_scorecard(actor=users["evaluator2"], assignment=scored, values=values, comment="建议支持。")
    log(f"reviews: round “{ROUND_TITLE}” of {owner} open with {len(assignments)} experts (evaluator1 to act)")
    return review_round
