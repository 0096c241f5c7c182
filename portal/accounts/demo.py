from django.contrib.auth import get_user_model

from portal.demo import DEMO_PASSWORD, demo_step

from .roles import RoleCode, group_for

# username: (real name, role codes, preferred language, email)
DEMO_USERS = {
    "admin": ("陈立新", [], "zh-hans"),  # a person's name: office words are refused
    "editor": ("李编辑", [RoleCode.EDITOR], "zh-hans"),
    "secretariat": ("陈思远", [RoleCode.SECRETARIAT], "zh-hans"),  # a name, not a title: 秘书处 shows beside it
    "member_biomed": ("周明远", [RoleCode.COUNCIL_MEMBER], "zh-hans"),
    "member_nev": ("吴立新", [RoleCode.COUNCIL_MEMBER], "zh-hans"),
    "member_ic": ("郑海峰", [RoleCode.COUNCIL_MEMBER], "zh-hans"),
    "external_member": ("孙雅琴", [RoleCode.COUNCIL_MEMBER], "zh-hans"),
    "fundmgr": ("刘基金", [RoleCode.FUND_MANAGER], "zh-hans"),
    "evaluator1": ("赵教授", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator2": ("钱研究员", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator3": ("冯律师", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator4": ("何会计师", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator5": ("Dr. Emily Carter", [RoleCode.EVALUATOR], "en"),
    "firm1": ("王康源", [RoleCode.APPLICANT], "zh-hans"),
    "firm2": ("林芯", [RoleCode.APPLICANT], "zh-hans"),
    "firm3": ("陈财务", [RoleCode.APPLICANT], "zh-hans"),  # asks to act for firm1's company (organizations/demo.py)
    "talent_officer": ("黄人才", [RoleCode.TALENT_OFFICER], "zh-hans"),
    "authority1": ("马主管", [RoleCode.AUTHORITY], "zh-hans"),
    "overseas1": ("Dr. Kenji Sato", [RoleCode.APPLICANT], "en"),
    "employer1": ("杨人事", [RoleCode.APPLICANT], "zh-hans"),
}


@demo_step(order=10)
def seed_users(log):
    User = get_user_model()
    created = 0
    for username, (real_name, roles, language) in DEMO_USERS.items():
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "real_name": real_name,
                "email": f"{username}@demo.pingshan-portal.cn",
                "preferred_language": language,
                "is_staff": username == "admin",
                "is_superuser": username == "admin",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        for code in roles:
            user.groups.add(group_for(code))
    log(f"users: {created} created, {len(DEMO_USERS) - created} already there")
