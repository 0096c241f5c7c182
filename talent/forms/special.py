"""The steps of a special-talent application (特殊人才): what the employer tells the district, one form per step.

The candidate's ID or passport number and date of birth are personal identifiers: the kind marks them private, so
the engine stores them encrypted and shows them masked to everyone but the employer (talent/special_kind.py).
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.id_numbers import (
    birth_date_of,
    normalize_passport,
    normalize_resident_id,
    validate_passport_number,
    validate_resident_id,
)
from themes.models import Theme

from ..models import IdKind, MissedCriterion

TEXT = forms.Textarea(attrs={"rows": 4})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})
OLDEST = 100  # years: a date of birth before this is a typing error


class CandidateStep(forms.Form):
    name = forms.CharField(label=_("Candidate's name"), max_length=100)
    name_en = forms.CharField(label=_("Name in English (if any)"), max_length=200, required=False)
    id_kind = forms.ChoiceField(label=_("Identity document"), choices=IdKind.choices)
    id_number = forms.CharField(
        label=_("ID or passport number"),
        max_length=20,
        help_text=_("Kept encrypted; shown only to the officers who need it, never to experts or the public."),
    )
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    education = forms.CharField(label=_("Education"), max_length=300, help_text=_("Highest schooling and where."))
    titles = forms.CharField(
        label=_("Professional titles and qualifications"), max_length=300, required=False, widget=SHORT_TEXT
    )
    current_role = forms.CharField(label=_("Current role at the employer"), max_length=200)
    field = forms.CharField(label=_("Field of expertise"), max_length=200)
    theme = forms.ModelChoiceField(label=_("Sector"), queryset=Theme.objects.all(), empty_label=None)
    achievements = forms.CharField(label=_("Main achievements"), widget=TEXT, max_length=4000)

    def clean(self):
        data = super().clean()
        kind, number, born = data.get("id_kind"), data.get("id_number"), data.get("birth_date")
        if not number or not kind:
            return data
        try:
            if kind == IdKind.RESIDENT_ID:
                number = normalize_resident_id(number)
                validate_resident_id(number)
                if born and birth_date_of(number) != born:
                    self.add_error("birth_date", _("The date of birth differs from the one in the ID number."))
            else:
                number = normalize_passport(number)
                validate_passport_number(number)
        except ValidationError as error:
            self.add_error("id_number", error)
            return data
        data["id_number"] = number
        return data

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born >= today:
            raise ValidationError(_("The date of birth must be in the past."))
        if born < today - datetime.timedelta(days=365 * OLDEST):
            raise ValidationError(_("Check the date of birth: it is more than a hundred years ago."))
        return born


class CaseStep(forms.Form):
    missed_criteria = forms.MultipleChoiceField(
        label=_("Standard criteria the candidate misses"),
        choices=MissedCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    missed_explanation = forms.CharField(label=_("Why the candidate misses them"), widget=TEXT, max_length=3000)
    need = forms.CharField(
        label=_("Why the employer urgently needs the candidate"),
        widget=TEXT,
        max_length=4000,
        help_text=_("The post, what depends on it, why nobody who meets the standard criteria can fill it."),
    )


class ContributionStep(forms.Form):
    revenue = forms.DecimalField(
        label=_("Revenue the candidate brought (yuan, last three years)"),
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        required=False,
        error_messages={"invalid": _("Enter the amount in yuan as a number, e.g. 5000000.")},
    )
    tax = forms.DecimalField(
        label=_("Tax paid on it (yuan, last three years)"),
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        required=False,
        error_messages={"invalid": _("Enter the amount in yuan as a number, e.g. 500000.")},
    )
    patents = forms.CharField(label=_("Patents"), widget=SHORT_TEXT, max_length=2000, required=False)
    awards = forms.CharField(label=_("Awards"), widget=SHORT_TEXT, max_length=2000, required=False)
    influence = forms.CharField(
        label=_("Industry influence"),
        widget=TEXT,
        max_length=3000,
        help_text=_(
            "Standards drafted, posts in industry bodies, products and customers that depend on the candidate."
        ),
    )
    recommenders = forms.CharField(
        label=_("Recommendation letters"),
        widget=SHORT_TEXT,
        max_length=1000,
        help_text=_("Who recommends the candidate (name, post, organization); attach the letters below."),
    )
