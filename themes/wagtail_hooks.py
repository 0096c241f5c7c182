from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name_zh", "name_en", "code", "colour", "order"]
    list_export = ["code", "name_zh", "name_en", "colour", "order"]
    export_filename = "themes"
    ordering = ["order", "code"]
    search_fields = ["name_zh", "name_en", "code"]


register_snippet(ThemeViewSet)
