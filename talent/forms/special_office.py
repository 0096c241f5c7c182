"""The office's forms on a special-talent application: the authority's pre-review and the panel's review opinion
(the expert panel's round uses the base applications' ReviewRoundForm, talent/forms/admissions.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.panel import CONCLUSION_MAX

TEXT = forms.Textarea(attrs={"rows": 6})


class PreReviewForm(forms.Form):
    opinion = forms.CharField(
        label=_("The authority's opinion"),
        widget=TEXT,
        help_text=_("When you decline, give the reasons: the employer reads them."),
    )


class PanelOpinionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("The panel's conclusion (Chinese)"),
        widget=TEXT,
        max_length=CONCLUSION_MAX,
        help_text=_(
            "The opinion adds the criteria, the aggregate score, the number of scorecards and the spread; "
            "it names no expert and gives no individual score."
        ),
    )
    conclusion_en = forms.CharField(
        label=_("The panel's conclusion (English)"),
        widget=TEXT,
        max_length=CONCLUSION_MAX,
        required=False,
        help_text=_("For the English half of the opinion; the Chinese text is used when left empty."),
    )
