import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organization, OrganizationKind
from .services import ACTIONS


@hooks.register("register_log_actions")
def register_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


class OrganizationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=OrganizationKind.choices)
    # is_industry is a generated column, which django-filter cannot introspect.
    is_industry = django_filters.BooleanFilter(label=_("industry representative"))
    registered_in_pingshan = django_filters.BooleanFilter(label=_("registered in Pingshan"))
    themes = django_filters.ModelMultipleChoiceFilter(
        label=_("themes"), queryset=Organization.themes.field.related_model.objects.all()
    )

    class Meta:
        model = Organization
        fields = ["kind", "is_industry", "registered_in_pingshan", "themes"]


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organizations")
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "name",
        "uscc",
        "kind",
        BooleanColumn("is_industry", label=_("industry representative")),
        BooleanColumn("registered_in_pingshan", label=_("registered in Pingshan")),
    ]
    filterset_class = OrganizationFilterSet
    list_export = [
        "name",
        "name_en",
        "uscc",
        "kind",
        "is_industry",
        "registered_in_pingshan",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
    ]
    export_filename = "organizations"
    ordering = ["name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("name_en"),
                FieldPanel("uscc"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("registered_in_pingshan")]),
            ],
            heading=_("Identity"),
        ),
        FieldPanel("themes"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("contact_name"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        InlinePanel("user_links", heading=_("People acting for the organization"), label=_("Person")),
    ]


register_snippet(OrganizationViewSet)
