"""The public libraries' search and filters (django-filter): one FilterSet per library, and the expert pool's.

    LIBRARY_FILTERS["demands"](request.GET, queryset=EnterpriseDemand.objects.published()).qs

``q`` searches both languages' title, summary and keywords (and the holder's name); each library adds its own
fields (a project's stage and what it seeks, a demand's kind, a patent's kind and licensing).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.experts.models import Expert, ExpertRegion
from themes.models import Theme

from .models import (
    DemandKind,
    EnterpriseDemand,
    Licensing,
    PatentKind,
    PatentListing,
    ProjectListing,
    ProjectStage,
    Seeking,
)

SEARCHED = ("title", "title_en", "summary", "summary_en", "keywords", "holder_name")


def _words(value):
    return value.split()[:10]  # a few words, each anywhere; more would only slow the query


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", queryset=Theme.objects.all(), to_field_name="code"
    )

    class Meta:
        fields = []

    def search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(Q(*(Q(**{f"{field}__icontains": word}) for field in SEARCHED), _connector=Q.OR))
        return queryset


class ProjectFilter(ListingFilter):
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=ProjectStage.choices)
    seeking = django_filters.ChoiceFilter(label=_("Looking for"), choices=Seeking.choices)

    class Meta(ListingFilter.Meta):
        model = ProjectListing


class DemandFilter(ListingFilter):
    demand_kind = django_filters.ChoiceFilter(label=_("Kind of need"), choices=DemandKind.choices)

    class Meta(ListingFilter.Meta):
        model = EnterpriseDemand


class PatentFilter(ListingFilter):
    patent_kind = django_filters.ChoiceFilter(label=_("Kind of patent"), choices=PatentKind.choices)
    licensing = django_filters.ChoiceFilter(label=_("Offered for"), choices=Licensing.choices)

    class Meta(ListingFilter.Meta):
        model = PatentListing


LIBRARY_FILTERS = {"projects": ProjectFilter, "demands": DemandFilter, "patents": PatentFilter}


class ExpertFilter(django_filters.FilterSet):
    """The expert pool's public list: searched over the public profile only."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", queryset=Theme.objects.all(), to_field_name="code"
    )
    region = django_filters.ChoiceFilter(label=_("Domestic or overseas"), choices=ExpertRegion.choices)

    class Meta:
        model = Expert
        fields = []

    def search(self, queryset, name, value):
        fields = ("name", "title", "affiliation_name", "expertise")
        for word in _words(value):
            queryset = queryset.filter(Q(*(Q(**{f"{field}__icontains": word}) for field in fields), _connector=Q.OR))
        return queryset
