from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Rubric

ACTIONS = [
    ("reviews.revise_rubric", _("Revise rubric"), _("Rubric revised as a new version")),
    ("reviews.update_criterion", _("Update criterion"), _("Criterion updated")),
    ("reviews.create_round", _("Create review round"), _("Review round created")),
    ("reviews.open_round", _("Open review round"), _("Review round opened")),
    ("reviews.close_round", _("Close review round"), _("Review round closed")),
    ("reviews.assign", _("Assign expert"), _("Expert assigned")),
    ("reviews.accept", _("Accept assignment"), _("Assignment accepted")),
    ("reviews.decline", _("Decline assignment"), _("Assignment declined")),
    ("reviews.declare_conflict", _("Declare conflict of interest"), _("Conflict of interest declared")),
    ("reviews.recuse", _("Recuse assignee"), _("Assignee recused")),
    ("reviews.save_scores", _("Save draft scores"), _("Draft scores saved")),
    ("reviews.submit", _("Submit scorecard"), _("Scorecard submitted")),
    ("reviews.explain_outlier", _("Explain outlying total"), _("Reason for an outlying total given")),
    ("reviews.view_scores", _("View named scorecards"), _("Named scorecards viewed")),
    ("reviews.remind", _("Send reminder"), _("Overdue reminder sent")),
    ("reviews.expose_material", _("Choose review material"), _("Review material chosen")),
    ("reviews.read_material", _("Read review material"), _("Review material opened")),
]


@hooks.register("register_log_actions")
def register_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)


class RubricViewSet(SnippetViewSet):
    """Rubrics are configured here. One in use by a round is frozen: the form refuses changes to it."""

    model = Rubric
    icon = "list-ol"
    menu_label = _("Rubrics")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["name", "name_en", "version", "created_at"]
    search_fields = ["name", "name_en"]
    search_backend_name = None
    ordering = ["name", "-version"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldPanel("description"),
        InlinePanel("criteria", heading=_("Criteria"), label=_("Criterion"), min_num=1),
    ]


register_snippet(RubricViewSet)
