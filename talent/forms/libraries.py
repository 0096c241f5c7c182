"""The resource libraries' forms: one entry form per library (the services validate what is sent through them), the
return reason, and the introduction a curator sends from the matching page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput
from themes.models import Theme

from ..models import EnterpriseDemand, Outcome, PatentListing, Programme, ProgrammeKind, ProjectListing

TEXT = forms.Textarea(attrs={"rows": 4})
COMMON = ("title", "title_en", "summary", "summary_en", "keywords", "themes", "holder_name", "contact_name")
COMMON_END = ("contact_email",)


class ListingForm(forms.ModelForm):
    """What every library entry asks; ``programme`` only when a new entry is sent (an entry stays where it is)."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())

    def __init__(self, *args, new=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.order_by("code")
        self.fields["themes"].widget = forms.CheckboxSelectMultiple(choices=self.fields["themes"].choices)
        if new:
            programmes = Programme.objects.filter(kind=ProgrammeKind.OFFSHORE_BASE).order_by("pk")
            self.fields["programme"].queryset = programmes
            if len(programmes) == 1:
                self.fields["programme"].initial = programmes[0].pk
        else:
            del self.fields["programme"]

    class Meta:
        widgets = {"summary": TEXT, "summary_en": TEXT}


class ProjectListingForm(ListingForm):
    class Meta(ListingForm.Meta):
        model = ProjectListing
        fields = (*COMMON, *COMMON_END, "stage", "seeking", "country", "funding_need")


class EnterpriseDemandForm(ListingForm):
    class Meta(ListingForm.Meta):
        model = EnterpriseDemand
        fields = (*COMMON, *COMMON_END, "demand_kind", "budget", "wanted_by")
        widgets = {**ListingForm.Meta.widgets, "wanted_by": DateInput()}


class PatentListingForm(ListingForm):
    class Meta(ListingForm.Meta):
        model = PatentListing
        fields = (*COMMON, *COMMON_END, "patent_number", "patent_kind", "licensing", "granted_on")
        widgets = {**ListingForm.Meta.widgets, "granted_on": DateInput()}


FORMS = {"projects": ProjectListingForm, "demands": EnterpriseDemandForm, "patents": PatentListingForm}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What to change"), widget=TEXT)


class IntroductionForm(forms.Form):
    note = forms.CharField(label=_("Why they should meet"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_note = forms.CharField(label=_("About the outcome"), widget=TEXT, required=False)
