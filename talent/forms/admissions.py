"""The office's forms on a base application: the expert review round, the decision, onboarding, the end."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.experts.models import Expert
from portal.widgets import DateInput

TEXT = forms.Textarea(attrs={"rows": 4})


class ReviewRoundForm(forms.Form):
    deadline = forms.DateField(label=_("Scoring deadline"), widget=DateInput())
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts to invite"), queryset=Expert.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    keys = forms.MultipleChoiceField(
        label=_("Material the experts may read"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, experts, material, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = Expert.objects.filter(pk__in=[expert.pk for expert in experts])
        self.fields["keys"].choices = [(item.key, item.display_label) for item in material]
        self.fields["keys"].initial = [item.key for item in material]
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=10)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reasons (Chinese)"), widget=TEXT)
    reason_en = forms.CharField(
        label=_("Reasons (English)"),
        widget=TEXT,
        required=False,
        help_text=_("For the English half of the letter; an English-speaking team reads this."),
    )


class OnboardingForm(forms.Form):
    company_name = forms.CharField(label=_("Registered company"))
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30)
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())
    incubation_seat = forms.CharField(label=_("Incubation seat"), help_text=_("Building, floor and room."))


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)
    on = forms.DateField(label=_("On"), widget=DateInput(), required=False)
