from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Checklist

ACTIONS = [
    ("applications.start", _("Start application"), _("Application started")),
    ("applications.reveal_private", _("Read personal identifiers"), _("Personal identifiers read in full")),
    ("applications.save_step", _("Save application step"), _("Application step saved")),
    ("applications.add_attachment", _("Add application file"), _("File added to the application")),
    ("applications.remove_attachment", _("Remove application file"), _("File removed from the application")),
    ("applications.download", _("Download application file"), _("Application file downloaded")),
    ("applications.submit", _("Submit application"), _("Application submitted")),
    ("applications.request_supplement", _("Request supplement"), _("Supplement requested")),
    ("applications.answer_supplement", _("Answer supplement request"), _("Supplement sent")),
    ("applications.expire", _("Expire application"), _("Supplement deadline missed")),
    ("applications.withdraw", _("Withdraw application"), _("Application withdrawn")),
    ("applications.set_status", _("Change application status"), _("Applicant-facing status changed")),
    ("applications.close", _("Close application"), _("Application decided")),
    ("applications.add_note", _("Add internal note"), _("Internal note added")),
]


@hooks.register("register_log_actions")
def register_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)


class ChecklistViewSet(SnippetViewSet):
    """The documents each call or fund asks for, configured by staff."""

    model = Checklist
    icon = "list-ul"
    menu_label = _("Document checklists")
    menu_order = 235
    add_to_admin_menu = True
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        InlinePanel("items", heading=_("Required documents"), label=_("Document")),
    ]


register_snippet(ChecklistViewSet)
