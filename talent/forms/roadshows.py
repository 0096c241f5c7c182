"""The roadshow forms: a team's pitch, an investor's registration, feedback on a pitch, the office's follow-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Interest

TEXT = forms.Textarea(attrs={"rows": 3})


class PitchForm(forms.Form):
    base = forms.TypedChoiceField(label=_("Team"), coerce=int)
    pitch_title = forms.CharField(label=_("Pitch title (Chinese)"))
    pitch_title_en = forms.CharField(label=_("Pitch title (English)"))

    def __init__(self, *args, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.bases = {base.pk: base for base in bases}
        self.fields["base"].choices = [(base.pk, f"{base.team_name} · {base.application.reference}") for base in bases]
        if len(bases) == 1:
            self.fields["base"].initial = bases[0].pk
            self.fields["base"].widget = forms.HiddenInput()

    def clean_base(self):
        return self.bases[self.cleaned_data["base"]]


class InvestorForm(forms.Form):
    organization_name = forms.CharField(label=_("Institution"))
    interests = forms.CharField(
        label=_("Investment interests"),
        widget=TEXT,
        required=False,
        help_text=_("Sectors, stages and ticket sizes you look for."),
    )


class FeedbackForm(forms.Form):
    # Text, not a number field: the service reads and refuses the score, so every way in gives the same message.
    score = forms.CharField(
        label=_("Score (1–10)"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 10, "step": 1, "inputmode": "numeric"}),
    )
    interest = forms.ChoiceField(label=_("Interest"), choices=Interest.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), widget=TEXT, required=False)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Why they should meet"), widget=TEXT)


class AttendedForm(forms.Form):
    attended = forms.BooleanField(required=False)


class OrderForm(forms.Form):
    """A place for each project; the pitches are put in the order of the places (ties keep the present order)."""

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for project in self.projects:
            self.fields[f"order-{project.pk}"] = forms.IntegerField(
                label=project.display_pitch_title, min_value=1, max_value=999, initial=project.order
            )

    def rows(self):
        return [(project, self[f"order-{project.pk}"]) for project in self.projects]

    def clean(self):
        """What the service takes: the projects' pks, first pitch first."""
        places = self.cleaned_data
        if any(f"order-{project.pk}" not in places for project in self.projects):
            return places  # a place is missing or not a number: the field says so
        ranked = sorted(self.projects, key=lambda project: (places[f"order-{project.pk}"], project.order, project.pk))
        return {"projects": [project.pk for project in ranked]}
