"""Which applications the officers' special-talent reports count: those sent in one year, or in every year."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year sent"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("No application was sent in that year: the report covers every year.")},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Every year")), *((year, str(year)) for year in years)]

    @property
    def chosen_year(self):
        """The chosen year; None for every year (also when what came was not a year with applications)."""
        return self.cleaned_data.get("year") if self.is_valid() else None
