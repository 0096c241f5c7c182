import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Expert, ExpertRegion


class ExpertFilterSet(WagtailFilterSet):
    region = django_filters.ChoiceFilter(label=_("domestic or overseas"), choices=ExpertRegion.choices)
    themes = django_filters.ModelMultipleChoiceFilter(
        label=_("themes"), queryset=Expert.themes.field.related_model.objects.all()
    )
    is_active = django_filters.BooleanFilter(label=_("active"))
    has_account = django_filters.BooleanFilter(
        label=_("has a user account"), field_name="user", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Expert
        fields = ["region", "themes", "is_active", "has_account"]


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Expert pool")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "title", "affiliation_display", "region", BooleanColumn("is_active", label=_("active"))]
    list_filter = None
    filterset_class = ExpertFilterSet
    search_fields = ["name", "affiliation_name", "title"]
    search_backend_name = None  # plain database search: the pool is small
    list_export = ["name", "title", "affiliation_display", "region", "languages", "email", "phone", "is_active"]
    export_filename = "experts"
    ordering = ["name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("title"), FieldPanel("region")]),
                FieldPanel("user"),
                FieldPanel("languages"),
                FieldPanel("is_active"),
            ],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [FieldPanel("affiliation"), FieldPanel("affiliation_name"), FieldPanel("affiliation_uscc")],
            heading=_("Affiliation"),
        ),
        FieldPanel("themes"),
        FieldPanel("expertise"),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")),
        InlinePanel("declared_relationships", heading=_("Declared relationships"), label=_("Relationship")),
    ]

    def get_queryset(self, request):
        # The affiliation column names the linked organization: read with the rows, not one query per row.
        return Expert.objects.select_related("affiliation")


register_snippet(ExpertViewSet)
