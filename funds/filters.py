"""The pipeline table's filter and sort (django-filter): one ``DealFilter`` for the table, its saved filters and the
Excel export, so all three read a query string the same way.

    DealFilter(request.GET, queryset=deals_of(fund), fund=fund).qs
"""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.widgets import BaseCSVWidget

from .models import Deal, DealSource, DealStage, DevelopmentStage, Subsector

# A stage's place in the lifecycle, for sorting by stage: the board's order, then where deals wait or end.
STAGE_ORDER = {stage: position for position, stage in enumerate(DealStage.values)}
SORT_PARAMETER = "o"
# The query-string keys a saved filter keeps (never the page number).
FILTER_KEYS = (
    "q",
    "stage",
    "subsector",
    "development_stage",
    "owner",
    "source",
    "amount_min",
    "amount_max",
    "days_min",
    SORT_PARAMETER,
)


def deals_of(fund):
    """The fund's deals as the table reads them: company and lead joined, the stage's order annotated; each row's
    ``fund`` is the one ``fund`` object, so permission answers memoised on it are asked once per page."""
    return (
        Deal.objects.filter(fund=fund)
        .select_related("company__organization", "owner")
        .annotate(
            stage_order=Case(
                *(When(stage=stage, then=Value(position)) for stage, position in STAGE_ORDER.items()),
                output_field=IntegerField(),
            )
        )
    )


class DealOrdering(django_filters.OrderingFilter):
    """Sortable columns; every order ends with the primary key so pages never shuffle rows between them."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            return qs.order_by(*qs.query.order_by, "-pk")
        return qs.order_by("-stage_entered_at", "-pk")


class HiddenCSVWidget(BaseCSVWidget, forms.HiddenInput):
    """The sort order as a hidden field that still reads "-amount" as one value (a plain HiddenInput hands the CSV
    field a string, which it splits into characters: every order was refused and the table fell back to its
    default order)."""


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class DealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Company"), method="filter_company")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=DealStage.choices)
    subsector = django_filters.ChoiceFilter(
        label=_("Subsector"), field_name="company__subsector", choices=Subsector.choices
    )
    development_stage = django_filters.ChoiceFilter(
        label=_("Development stage"), field_name="company__development_stage", choices=DevelopmentStage.choices
    )
    owner = django_filters.ModelChoiceFilter(label=_("Deal lead"), queryset=get_user_model().objects.none())
    source = django_filters.ChoiceFilter(label=_("Source"), choices=DealSource.choices)
    amount_min = django_filters.NumberFilter(
        label=_("Amount from (yuan)"), field_name="amount_requested", lookup_expr="gte", min_value=0
    )
    amount_max = django_filters.NumberFilter(
        label=_("Amount up to (yuan)"), field_name="amount_requested", lookup_expr="lte", min_value=0
    )
    days_min = WholeNumberFilter(
        label=_("At least this many days in the stage"), method="filter_days", min_value=0, max_value=36500
    )
    o = DealOrdering(
        label=_("Sort by"),
        fields=(
            ("company__organization__name", "company"),
            ("stage_order", "stage"),
            ("amount_requested", "amount"),
            ("stage_entered_at", "entered"),
            ("owner__username", "owner"),
            ("created_at", "created"),
        ),
        field_labels={
            "company__organization__name": _("Company"),
            "stage_order": _("Stage"),
            "amount_requested": pgettext_lazy("deal", "Amount"),
            "stage_entered_at": _("In this stage since"),
            "owner__username": _("Deal lead"),
            "created_at": _("Added"),
        },
    )

    class Meta:
        model = Deal
        fields = []

    def __init__(self, data=None, *args, fund=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The lead is chosen among this fund's own managers only.
        managers = fund.managers.order_by("username") if fund is not None else get_user_model().objects.none()
        self.filters["owner"].queryset = managers
        self.form.fields["owner"].queryset = managers
        # The table sorts by its column headings; the order rides along, unseen, when the filter is applied.
        self.form.fields[SORT_PARAMETER].widget = HiddenCSVWidget()

    def filter_company(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(company__organization__name__icontains=value) | Q(company__organization__name_en__icontains=value)
        )

    def filter_days(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stage_entered_at__lte=timezone.now() - datetime.timedelta(days=value))


def filter_query(params) -> str:
    """The part of a query string a saved filter keeps: the filter's own keys, non-empty, in a stable order."""
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        for value in params.getlist(key):
            if value.strip():
                kept.appendlist(key, value.strip())
    return kept.urlencode()
