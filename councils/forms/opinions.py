"""Forms of the opinions section: letting a workspace issue opinions, and drafting one from a review round."""

from django import forms
from django.utils.translation import gettext_lazy as _


class IssuerSetUpForm(forms.Form):
    name = forms.CharField(label=_("Issuer's name"), max_length=120, help_text=_("As it heads the opinions."))
    number_prefix = forms.CharField(
        label=_("Document-number prefix"),
        max_length=20,
        help_text=_("The part before 〔year〕: 坪生医产促 gives 坪生医产促〔2026〕1号."),
    )
    addressee_default = forms.CharField(
        label=_("Usual addressee"), max_length=120, required=False, help_text=_("Empty: the leading bureau.")
    )


class ReviewOpinionForm(forms.Form):
    review_round = forms.ModelChoiceField(
        label=_("Expert review round"),
        queryset=None,
        help_text=_("Closed rounds you manage. The draft quotes the panel's scores and comments, without names."),
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_round"].queryset = rounds
