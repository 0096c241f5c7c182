"""The steps of a base application (入驻申请): what an overseas team tells the base, one form per step.

The applications engine keeps each step's answers as a draft and re-validates them all at submission. Overseas
teams write in English, local ones in Chinese: every field takes either.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.id_numbers import normalize_passport, validate_passport_number
from themes.models import Theme

from ..models import ProjectStage, ServiceKind

TEXT = forms.Textarea(attrs={"rows": 4})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class Degree(forms.ChoiceField):
    CHOICES = [
        ("phd", _("Doctorate")),
        ("master", _("Master's degree")),
        ("bachelor", _("Bachelor's degree")),
        ("other", _("Other")),
    ]

    def __init__(self, **kwargs):
        # A blank first choice: the team step's extra row, left untouched, must stay empty (a preselected degree
        # would make the formset validate it and ask for a name, role … the applicant never meant to give).
        super().__init__(choices=[("", "—"), *self.CHOICES], **kwargs)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.CharField(label=_("Role in the team"), max_length=100)
    nationality = forms.CharField(label=_("Nationality"), max_length=60)
    residence = forms.CharField(label=_("Country of residence"), max_length=60)
    degree = Degree(label=_("Highest degree"))
    institution = forms.CharField(label=_("University or institution"), max_length=200, required=False)
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=20,
        required=False,
        help_text=_("For visa support only; shown to the base's officers, never to experts or the public."),
    )
    comes_to_pingshan = forms.BooleanField(label=_("Will work in Pingshan"), required=False)

    def clean_passport_number(self):
        value = self.cleaned_data["passport_number"]
        if not value:
            return ""
        validate_passport_number(value)
        return normalize_passport(value)


TeamStep = forms.formset_factory(TeamMemberForm, extra=1, min_num=1, validate_min=True, max_num=30)


class ProjectStep(forms.Form):
    team_name = forms.CharField(label=_("Team or company name"), max_length=200)
    title = forms.CharField(label=_("Project title"), max_length=200)
    theme = forms.ModelChoiceField(label=_("Sector"), queryset=Theme.objects.all(), empty_label=None)
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices)
    technology = forms.CharField(label=_("Technology"), widget=TEXT, max_length=3000)
    ip = forms.CharField(
        label=_("Intellectual property and patents"),
        widget=SHORT_TEXT,
        max_length=2000,
        help_text=_("Patents granted or filed (numbers and countries), software copyrights, licences."),
    )
    market = forms.CharField(label=_("Market and customers"), widget=TEXT, max_length=3000)
    funding_need = forms.DecimalField(
        label=_("Funding needed (yuan)"),
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        required=False,
        error_messages={"invalid": _("Enter the amount in yuan as a number, e.g. 5000000.")},
    )


class ServicesStep(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Services the team will need"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    landing_plan = forms.CharField(
        label=_("Landing plan"),
        widget=TEXT,
        max_length=3000,
        help_text=_("What the team will do in Pingshan and when: company registration, R&D, first customers."),
    )
