"""Forms of the performance evaluation page. Field names are the services' argument names; the services check
everything again, so these only shape the page."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.experts.models import Expert
from portal.widgets import DateInput


class StartForm(forms.Form):
    as_of = forms.DateField(
        label=_("Figures as of"),
        widget=DateInput,
        help_text=_("Usually the last day of the year; today while the year is running."),
    )


class RecommendationsForm(forms.Form):
    recommendations = forms.CharField(
        label=_("Recommendations for next year"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The budget size and direction you recommend for next year, and why."),
    )


class ConfirmForm(forms.Form):
    """A button with no fields (compute, approve): the service decides."""


class PanelForm(forms.Form):
    """Invite the expert panel that scores the qualitative items (management, compliance, team)."""

    deadline = forms.DateField(
        label=_("Deadline"), widget=DateInput, help_text=_("Scores are due by the end of this day.")
    )
    min_scores = forms.IntegerField(label=_("Minimum number of scores"), min_value=1, initial=3)
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts to invite"),
        queryset=Expert.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Suggested from the expert pool: anyone with a possible conflict with the fund's manager is left out."
        ),
    )

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = Expert.objects.filter(pk__in=[expert.pk for expert in experts])
        self.fields["experts"].label_from_instance = lambda expert: " · ".join(
            part for part in (expert.name, expert.title, expert.affiliation_display) if part
        )
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=14)
