"""Councils in the Wagtail admin, and the labels of their audit-log actions.

Composition in the admin: the Membership snippet uses `MembershipAdminForm`, which runs the same rule as
`councils.services` (`councils.composition.assess_change` + `check`) after the model's own validation. A
change that takes the industry share below the charter minimum is a form error, unless the user may override
(`councils.override_composition`) and writes a reason; the form then records a `CompositionOverride` and an
audit entry. Memberships are never deleted in the admin (history is kept): end them by setting the term end.
"""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import composition, permissions
from .models import (
    CharterVersion,
    Committee,
    CommitteeMembership,
    CompositionOverride,
    Council,
    Membership,
    MembershipRole,
)

ACTIONS = {
    "councils.add_member": (_("Add council member"), _("Council member added")),
    "councils.end_member": (_("End council membership"), _("Council membership ended")),
    "councils.term_ended": (_("Council term ends"), _("Council term ended")),
    "councils.change_member": (_("Change council membership"), _("Council membership changed")),
    "councils.override_composition": (_("Override industry share rule"), _("Industry share rule overridden")),
    "councils.add_charter_version": (_("Add charter version"), _("Charter version added")),
    "councils.add_committee": (_("Add committee"), _("Committee added")),
    "councils.add_committee_member": (_("Add committee member"), _("Committee member added")),
    "councils.end_committee_member": (_("End committee membership"), _("Committee membership ended")),
    "councils.create_folder": (_("Create document folder"), _("Document folder created")),
    "councils.upload_document": (_("Upload document"), _("Document uploaded")),
    "councils.upload_version": (_("Upload document version"), _("Document version uploaded")),
    "councils.download_document": (_("Download document"), _("Document downloaded")),
}


@hooks.register("register_log_actions")
def register_council_actions(actions):
    from .services import discussions, feedback, meetings, motions, opinions

    # Each workspace section's services declare their own actions next to the code that logs them.
    sections = (discussions, meetings, motions, feedback, opinions)
    for action, (label, message) in ACTIONS.items() | {k: v for m in sections for k, v in m.ACTIONS.items()}.items():
        actions.register_action(action, label, message)


class KeepHistoryPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, minus deleting: memberships are ended, never deleted."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action != "delete"])

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "delete"]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


register_permission_policy(Membership, KeepHistoryPermissionPolicy(Membership), exact_class=True)


class MembershipAdminForm(WagtailAdminModelForm):
    override_reason = forms.CharField(
        label=_("Reason for overriding the industry share rule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed, and only accepted from authorized staff, when the change breaks the charter rule."),
    )

    _overridden = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.instance.council_id or not self.instance.organization_id:
            return
        membership = self.instance
        council = membership.council
        previous = None
        if membership.pk:
            previous = Membership.objects.filter(pk=membership.pk).values("organization_id", "term_end").first()
        organization_changed = previous is None or previous["organization_id"] != membership.organization_id
        if organization_changed and membership.term_end is None:
            overlapping = Membership.objects.filter(
                council=council, organization_id=membership.organization_id, term_end__gt=membership.term_start
            ).exclude(pk=membership.pk)
            if overlapping.exists():
                self.add_error("organization", _("This organization is already a member of the council."))
                return
        on = max(datetime.date.today(), membership.term_start)
        assessment = composition.assess_change(
            council,
            remove=membership.pk,
            add=composition.seat_of(membership, key=membership.pk or "new"),
            on=on,
        )
        reason = self.cleaned_data.get("override_reason", "")
        try:
            overridden = composition.check(
                assessment,
                override_allowed=permissions.can_override_composition(self.for_user),
                override_reason=reason,
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
            return
        self._overridden = assessment if overridden else None

    def save(self, commit=True):
        membership = super().save(commit=commit)
        if commit and self._overridden is not None:
            assessment = self._overridden
            reason = self.cleaned_data["override_reason"].strip()
            CompositionOverride.objects.create(
                council=membership.council,
                membership=membership,
                user=self.for_user,
                reason=reason,
                share_before=assessment.before,
                share_after=assessment.after,
                minimum=assessment.minimum,
            )
            log(
                instance=membership.council,
                action="councils.override_composition",
                user=self.for_user,
                data={
                    "membership": membership.pk,
                    "reason": reason,
                    "share_before": str(assessment.before),
                    "share_after": str(assessment.after),
                    "minimum": str(assessment.minimum),
                },
            )
        return membership


class OpenFilter(django_filters.BooleanFilter):
    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(term_end__isnull=value)


class MembershipFilterSet(WagtailFilterSet):
    council = django_filters.ModelChoiceFilter(label=_("council"), queryset=Council.objects.all())
    role = django_filters.ChoiceFilter(label=_("role"), choices=MembershipRole.choices)
    has_vote = django_filters.BooleanFilter(label=_("voting right"))
    is_open = OpenFilter(label=_("open (not ended)"))

    class Meta:
        model = Membership
        fields = ["council", "role", "has_vote"]


class CouncilViewSet(SnippetViewSet):
    model = Council
    icon = "group"
    menu_label = _("Councils")
    list_display = ["name_zh", "theme", "leading_bureau", "status"]
    search_fields = ["name_zh", "name_en"]
    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("theme")]),
        FieldPanel("leading_bureau"),
        FieldPanel("secretariat_users"),
        FieldRowPanel([FieldPanel("founded_on"), FieldPanel("status")]),
        FieldPanel("introduction_zh"),
        FieldPanel("introduction_en"),
    ]

    def get_queryset(self, request):
        # The list's columns follow these keys: read with the rows, not one query per row.
        return Council.objects.select_related("theme", "leading_bureau")


class CharterVersionViewSet(SnippetViewSet):
    model = CharterVersion
    icon = "doc-full"
    menu_label = _("Charter versions")
    list_display = ["charter", "number", "effective_from", BooleanColumn("is_public", label=_("public"))]
    panels = [
        FieldRowPanel([FieldPanel("charter"), FieldPanel("number"), FieldPanel("effective_from")]),
        FieldPanel("text"),
        FieldPanel("text_en"),
        FieldRowPanel([FieldPanel("adopted_note"), FieldPanel("is_public")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("quorum_numerator"), FieldPanel("quorum_denominator")]),
                FieldRowPanel([FieldPanel("default_majority"), FieldPanel("default_base")]),
                FieldRowPanel([FieldPanel("min_industry_share"), FieldPanel("term_months")]),
                FieldRowPanel(
                    [
                        FieldPanel("proxies_allowed"),
                        FieldPanel("max_proxies_per_holder"),
                        FieldPanel("convened_by"),
                    ]
                ),
            ],
            heading=_("Rules"),
        ),
    ]

    def get_queryset(self, request):
        return CharterVersion.objects.select_related("charter__council")


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Council memberships")
    list_display = [
        "organization",
        "council",
        "role",
        BooleanColumn("has_vote", label=_("voting right")),
        "term_start",
        "term_end",
    ]
    filterset_class = MembershipFilterSet
    list_export = [
        "council",
        "organization",
        "representative",
        "role",
        "has_vote",
        "term_start",
        "term_end",
        "ended_reason",
    ]
    export_filename = "council-memberships"
    search_fields = ["organization__name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("council"), FieldPanel("organization")]),
            FieldPanel("representative"),
            FieldRowPanel([FieldPanel("role"), FieldPanel("has_vote")]),
            FieldRowPanel([FieldPanel("term_start"), FieldPanel("term_end")]),
            FieldPanel("ended_reason"),
            FieldPanel("override_reason"),
        ],
        base_form_class=MembershipAdminForm,
    )

    def get_queryset(self, request):
        return Membership.objects.select_related("council", "organization")


class CommitteeViewSet(SnippetViewSet):
    model = Committee
    icon = "folder-open-inverse"
    menu_label = _("Committees")
    list_display = ["name", "council", "kind", "chair"]
    panels = [
        FieldRowPanel([FieldPanel("council"), FieldPanel("kind"), FieldPanel("order")]),
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldPanel("chair"),
    ]

    def get_queryset(self, request):
        return Committee.objects.select_related("council", "chair")


class CommitteeMembershipViewSet(SnippetViewSet):
    model = CommitteeMembership
    icon = "user"
    menu_label = _("Committee members")
    list_display = ["user", "organization", "committee", "role", BooleanColumn("external", label=_("external"))]
    panels = [
        FieldPanel("committee"),
        FieldRowPanel([FieldPanel("user"), FieldPanel("organization")]),
        FieldRowPanel([FieldPanel("role"), FieldPanel("joined_on")]),
    ]

    def get_queryset(self, request):
        # ``external`` is CommitteeMembership.is_external asked in the list's own query (the property asks one per row).
        open_membership = Membership.objects.filter(
            council_id=OuterRef("committee__council_id"),
            organization_id=OuterRef("organization_id"),
            term_end__isnull=True,
        )
        return CommitteeMembership.objects.select_related("user", "organization", "committee__council").annotate(
            external=~Exists(open_membership)
        )


class CouncilsGroup(SnippetViewSetGroup):
    menu_label = _("Councils")
    menu_icon = "group"
    menu_order = 215
    items = (CouncilViewSet, CharterVersionViewSet, MembershipViewSet, CommitteeViewSet, CommitteeMembershipViewSet)


register_snippet(CouncilsGroup)
