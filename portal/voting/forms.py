from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Choice


class BallotForm(forms.Form):
    """One ballot: which electorate entry (own, or one held by proxy) and the choice."""

    entry = forms.IntegerField(widget=forms.HiddenInput, required=False)
    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes, no or abstain."),
            "invalid_choice": _("Choose yes, no or abstain."),
        },
    )
