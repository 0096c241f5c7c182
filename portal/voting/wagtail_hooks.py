from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_actions(actions):
    actions.register_action("voting.create", _("Create vote"), _("Vote created"))
    actions.register_action("voting.open", _("Open vote"), _("Vote opened"))
    actions.register_action("voting.cast", _("Cast ballot"), _("Ballot cast"))
    actions.register_action("voting.close", _("Close vote"), _("Vote closed"))
    actions.register_action("voting.view_named", _("View named votes"), _("Named votes viewed"))
