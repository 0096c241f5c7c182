from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Issuer

ACTIONS = {
    "opinions.create": (_("Create opinion"), _("Opinion created")),
    "opinions.edit": (_("Edit opinion"), _("Opinion edited")),
    "opinions.submit": (_("Send opinion for sign-off"), _("Opinion sent for sign-off")),
    "opinions.sign": (_("Sign opinion off"), _("Opinion signed off")),
    "opinions.return": (_("Return opinion"), _("Opinion returned for changes")),
    "opinions.approve": (_("Approve opinion"), _("Opinion approved")),
    "opinions.request_issue": (_("Request issue"), _("Issue of opinion requested")),
    "opinions.issue": (_("Issue opinion"), _("Opinion issued")),
    "opinions.issue_failed": (_("Issue opinion"), _("Issuing the opinion failed")),
    "opinions.revoke": (_("Revoke opinion"), _("Opinion revoked")),
    "opinions.download": (_("Download opinion"), _("Non-public opinion downloaded")),
    "opinions.view": (_("Read opinion"), _("Non-public opinion read")),
}


@hooks.register("register_log_actions")
def register_opinion_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


class IssuerViewSet(SnippetViewSet):
    model = Issuer
    icon = "doc-full"
    menu_label = _("Opinion issuers")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "number_prefix", "addressee_default"]
    search_fields = ["name", "number_prefix"]


register_snippet(IssuerViewSet)
