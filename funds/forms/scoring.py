"""The form that starts a review round on a deal: title, deadline, how many scores, experts and material."""

import datetime

from django import forms
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.experts.models import Expert
from portal.widgets import DateInput


class StartReviewForm(forms.Form):
    title = forms.CharField(label=_("Title of the round"))
    title_en = forms.CharField(label=_("English title"), required=False)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        help_text=_("Scores are due by the end of this day."),
    )
    min_scores = forms.IntegerField(
        label=_("Minimum number of scores"),
        min_value=1,
        initial=3,
        help_text=_("The round closes only with this many scorecards."),
    )
    spread_threshold = forms.DecimalField(
        label=_("Dispersion flag above a spread of"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=2,
        help_text=_("Highest minus lowest total, on the rubric's 0–10 scale. Empty: no flag."),
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts to invite"),
        queryset=Expert.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Suggested from the expert pool: experts of the fund's theme first; anyone with a possible conflict of "
            "interest with the company is left out."
        ),
    )
    keys = forms.MultipleChoiceField(
        label=_("Material the experts may read"), required=False, widget=forms.CheckboxSelectMultiple
    )
    open_now = forms.BooleanField(
        label=_("Open the round for scoring now"),
        required=False,
        initial=True,
        help_text=_(
            "Otherwise it stays in preparation: invite more experts and change the material on the round's page, "
            "then open it."
        ),
    )

    def __init__(self, *args, experts, items, **kwargs):
        super().__init__(*args, **kwargs)
        # In the order of the suggestion (the fund's theme first, then the lightest load).
        ranks = [When(pk=expert.pk, then=Value(rank)) for rank, expert in enumerate(experts)]
        offered = Expert.objects.filter(pk__in=[expert.pk for expert in experts])
        self.fields["experts"].queryset = (
            offered.order_by(Case(*ranks, default=Value(len(ranks)))) if ranks else offered
        )
        self.fields["experts"].label_from_instance = lambda expert: " · ".join(
            part for part in (expert.name, expert.title, expert.affiliation_display) if part
        )
        self.items = list(items)
        self.fields["keys"].choices = [(item.key, item.display_label) for item in self.items]
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=14)

    def material_rows(self):
        boxes = {box.data["value"]: box for box in self["keys"]}
        return [(item, boxes[item.key]) for item in self.items]
