from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

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
    "fundmgr2": ("周晓岚", [RoleCode.FUND_MANAGER], "zh-hans"),  # the biomedicine fund's second manager
    # The fund's investment committee (funds/demo.py): its rows give them their power, so no role.
    "ic_chair": ("郑国华", [], "zh-hans"),
    "ic_member1": ("许文静", [], "zh-hans"),
    "ic_member2": ("梁志远", [], "zh-hans"),
    "ic_member3": ("高慧敏", [], "zh-hans"),
    "ic_member4": ("唐建国", [], "zh-hans"),
    "evaluator1": ("赵教授", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator2": ("钱研究员", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator3": ("冯律师", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator4": ("何会计师", [RoleCode.EVALUATOR], "zh-hans"),
    "evaluator5": ("Dr. Emily Carter", [RoleCode.EVALUATOR], "en"),
    "firm1": ("王康源", [RoleCode.APPLICANT], "zh-hans"),
    "firm2": ("林芯", [RoleCode.APPLICANT], "zh-hans"),
    "firm3": ("陈财务", [RoleCode.APPLICANT], "zh-hans"),  # asks to act for firm1's company (organizations/demo.py)
    "lp1": ("罗晓梅", [], "zh-hans"),  # contact of the district finance bureau, an LP of the fund (funds/demo.py)
    "talent_officer": ("黄人才", [RoleCode.TALENT_OFFICER], "zh-hans"),
    "talent_director": ("周海波", [], "zh-hans"),  # signs the offshore base's decision letters (talent/demo.py)
    "authority1": ("马主管", [RoleCode.AUTHORITY], "zh-hans"),
    "overseas1": ("Dr. Kenji Sato", [RoleCode.APPLICANT], "en"),
    "employer1": ("杨人事", [RoleCode.APPLICANT], "zh-hans"),
    # Special-talent reviews (talent/demo_special.py): two more employers and the second bureau's pre-reviewer.
    "employer2": ("陈淑华", [RoleCode.APPLICANT], "zh-hans"),
    "employer3": ("刘建国", [RoleCode.APPLICANT], "zh-hans"),
    "authority2": ("钱主管", [RoleCode.AUTHORITY], "zh-hans"),
}


@demo_step(order=10)
def seed_users(log):
    User = get_user_model()
    created = 0
    password_hash = None  # hashed once: every demo account shares the password, and each hash costs ~0.4 s
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
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
            user.save(update_fields=["password"])
            created += 1
        for code in roles:
            user.groups.add(group_for(code))
    log(f"users: {created} created, {len(DEMO_USERS) - created} already there")
