"""Forms of the public notice (anyone's objection) and of the office's steps after it: how an objection was
investigated and resolved, the city's filing, the decision. The services say what is missing (talent/services/
notices.py, filing.py), so most fields are optional here and the messages are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput

from ..models import ObjectionOutcome

TEXT = forms.Textarea(attrs={"rows": 5})


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("Your name"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("Email"), required=False)
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        required=False,
        max_length=4000,
        widget=TEXT,
        help_text=_("What you object to and what you know of it. The officers investigate every objection."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A PDF, Word, PNG or JPEG file of at most 10 MB."),
    )


class InvestigationForm(forms.Form):
    investigation = forms.CharField(
        label=_("How the objection is being investigated"),
        required=False,
        widget=TEXT,
        help_text=_("Whom you asked and what you checked."),
    )


class ResolutionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect)
    resolution = forms.CharField(label=_("Resolution and its reasons"), required=False, widget=TEXT)


class FilingForm(forms.Form):
    filing_number = forms.CharField(label=_("Filing number"), required=False, max_length=60)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DateInput())


class DecisionForm(forms.Form):
    quota_reference = forms.CharField(
        label=_("Quota or transfer reference"),
        required=False,
        max_length=100,
        help_text=_("The talent quota or household-transfer reference the approval uses."),
    )
    reason = forms.CharField(label=_("Reasons"), required=False, widget=TEXT)

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        if decision != "approve":
            del self.fields["quota_reference"]
