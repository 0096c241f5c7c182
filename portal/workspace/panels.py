"""Panels the platform itself contributes to the dashboard."""

from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import RoleCode, role_codes

from . import permissions
from .registry import Panel, register_panel, visible_panels_for

# What each role will find here; shown while no visible panel answers that role (Panel.answers_roles).
ROLE_EMPTY_STATES = {
    RoleCode.APPLICANT: _(
        "Applications you submit for fund investment, the offshore talent base or special-talent recognition "
        "will appear here with their status and any requests for more material."
    ),
    RoleCode.COUNCIL_MEMBER: _(
        "Your council and committee workspaces — documents, discussions, meetings, motions and policy feedback — "
        "will appear here once your membership is recorded by the secretariat."
    ),
    RoleCode.SECRETARIAT: _(
        "Councils and committees you support, meetings to prepare and minutes to circulate will appear here."
    ),
    RoleCode.EVALUATOR: _(
        "Review assignments you are invited to will appear here. You declare any conflict of interest before "
        "you see the material."
    ),
    RoleCode.FUND_MANAGER: _("The fund's deal pipeline, investment committee meetings and reports will appear here."),
    RoleCode.TALENT_OFFICER: _(
        "Offshore base applications, service requests and special-talent reviews to handle will appear here."
    ),
    RoleCode.AUTHORITY: _("Special-talent applications waiting for your pre-review will appear here."),
    RoleCode.EDITOR: _("You publish news, theme pages and other public content in the content management system."),
}


def _account_context(request):
    user = request.user
    codes = role_codes(user)
    answered = {code for panel in visible_panels_for(request) for code in panel.answers_roles}
    return {
        "roles": [RoleCode(code).label for code in RoleCode.values if code in codes],
        "organization_links": list(user.organization_links.select_related("organization")),
        "role_empty_states": [
            ROLE_EMPTY_STATES[RoleCode(code)] for code in RoleCode.values if code in codes and code not in answered
        ],
        "can_use_cms": permissions.can_use_cms(user),
        "is_administrator": permissions.is_portal_administrator(user),
    }


register_panel(
    Panel(
        key="portal.account",
        title=_("My account"),
        template="workspace/panels/account.html",
        order=10,
        is_visible=permissions.can_open_workspace,
        get_context=_account_context,
        wide=True,
    )
)
