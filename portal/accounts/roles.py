"""Roles: Django groups identified by stable codes.

The code is what the software checks; the group's name is only what staff read in the admin
and may be renamed or translated freely. Never check a role by group name.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.memo import memo


class RoleCode(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    COUNCIL_MEMBER = "council_member", _("Council member")
    SECRETARIAT = "secretariat", _("Secretariat")
    EVALUATOR = "evaluator", _("Evaluator")
    FUND_MANAGER = "fund_manager", _("Fund manager")
    TALENT_OFFICER = "talent_officer", _("Talent officer")
    AUTHORITY = "authority", _("Industry authority reviewer")
    EDITOR = "editor", _("Editor")


# Chinese group names created by the data migration (what staff see in the Wagtail admin).
DEFAULT_GROUP_NAMES = {
    RoleCode.APPLICANT: "申请人",
    RoleCode.COUNCIL_MEMBER: "委员会成员",
    RoleCode.SECRETARIAT: "秘书处",
    RoleCode.EVALUATOR: "评审专家",
    RoleCode.FUND_MANAGER: "基金管理人",
    RoleCode.TALENT_OFFICER: "人才工作人员",
    RoleCode.AUTHORITY: "行业主管部门",
    RoleCode.EDITOR: "内容编辑",
}


def is_active_user(user) -> bool:
    """Signed in with an active account: the first gate of every permission."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def role_codes(user) -> frozenset:
    """The role codes of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return memo(
        user,
        "role_codes",
        lambda: frozenset(user.groups.filter(role__isnull=False).values_list("role__code", flat=True)),
    )


def has_role(user, code: str) -> bool:
    return code in role_codes(user)


def group_for(code: str):
    from .models import Role

    return Role.objects.select_related("group").get(code=code).group
