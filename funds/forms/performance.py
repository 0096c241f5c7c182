"""Forms of the performance evaluation page. Field names are the services' argument names; the services check
everything again, so these only shape the page."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
