import importlib
import pkgutil

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Programme, SectorAuthority


@hooks.register("register_log_actions")
def register_talent_actions(actions):
    from . import services

    # Each services module declares its own audit actions (ACTIONS) next to the code that logs them.
    for module_info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{module_info.name}")
        for action, (label, message) in getattr(module, "ACTIONS", {}).items():
            actions.register_action(action, label, message)


class ProgrammeViewSet(SnippetViewSet):
    """The talent office's programmes: who runs them (officers), who signs (director), the rubric in use, and for
    special-talent reviews how long the public notice lasts. Configured by the portal's administrators."""

    model = Programme
    icon = "group"
    menu_label = _("Talent programmes")
    list_display = ["name", "kind", "director"]
    search_fields = ["name", "name_en"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("kind")]),
        FieldPanel("officers"),
        FieldRowPanel([FieldPanel("director"), FieldPanel("rubric")]),
        FieldPanel("notice_days"),
        FieldPanel("description"),
        FieldPanel("description_en"),
    ]

    def get_queryset(self, request):
        return Programme.objects.select_related("director")


class SectorAuthorityViewSet(SnippetViewSet):
    """区级行业主管部门: which bureau pre-reviews a special-talent programme's applications in which sectors, and its
    pre-reviewers (power comes from this row, never from the authority role alone)."""

    model = SectorAuthority
    icon = "site"
    menu_label = _("Sector authorities")
    list_display = ["organization", "programme"]
    panels = [
        FieldRowPanel([FieldPanel("programme"), FieldPanel("organization")]),
        FieldPanel("themes"),
        FieldPanel("reviewers"),
    ]

    def get_queryset(self, request):
        return SectorAuthority.objects.select_related("programme", "organization")


class TalentGroup(SnippetViewSetGroup):
    menu_label = _("Talent")
    menu_icon = "user"
    menu_order = 225
    items = (ProgrammeViewSet, SectorAuthorityViewSet)


register_snippet(TalentGroup)
