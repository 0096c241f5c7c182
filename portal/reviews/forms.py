from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConflictKind
from .services import REASON_FIELD, SCORE_FIELD

NO_CONFLICT = "none"
CONFLICT = "conflict"


class DeclarationForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Conflict of interest"),
        widget=forms.RadioSelect,
        choices=[
            (NO_CONFLICT, _("I have no conflict of interest with the subject of this review.")),
            (CONFLICT, _("I have a conflict of interest and recuse myself from this review.")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind of conflict"), required=False, choices=[("", "—")] + list(ConflictKind.choices)
    )
    text = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == CONFLICT:
            if not cleaned.get("kind"):
                self.add_error("kind", _("Choose the kind of conflict."))
            elif cleaned["kind"] == ConflictKind.OTHER and not (cleaned.get("text") or "").strip():
                self.add_error("text", _("Describe the conflict."))
        return cleaned

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["answer"] == CONFLICT


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScorecardForm(forms.Form):
    """One number per criterion (within its scale), a reason per criterion and an overall comment. Whether every
    criterion is scored is checked on submission by the service."""

    comment = forms.CharField(label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        fields = {}
        for criterion in self.criteria:
            fields[SCORE_FIELD.format(criterion.pk)] = forms.DecimalField(
                label=criterion.name,
                required=False,
                max_digits=7,
                decimal_places=2,
                min_value=criterion.scale_min,
                max_value=criterion.scale_max,
                help_text=criterion.display_guidance,
                widget=forms.NumberInput(attrs={"step": "0.01"}),
            )
            fields[REASON_FIELD.format(criterion.pk)] = forms.CharField(
                label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields = {**fields, **self.fields}

    def rows(self):
        """(criterion, score field, reason field) for the template."""
        return [(c, self[SCORE_FIELD.format(c.pk)], self[REASON_FIELD.format(c.pk)]) for c in self.criteria]

    def values(self):
        return {c.pk: self.cleaned_data.get(SCORE_FIELD.format(c.pk)) for c in self.criteria}

    def reasons(self):
        return {c.pk: self.cleaned_data.get(REASON_FIELD.format(c.pk), "") for c in self.criteria}

    @staticmethod
    def initial_from(values, reasons, comment):
        initial = {"comment": comment}
        for pk, value in values.items():
            initial[SCORE_FIELD.format(pk)] = value
        for pk, reason in reasons.items():
            initial[REASON_FIELD.format(pk)] = reason
        return initial


class OutlierReasonForm(forms.Form):
    """Asked after submitting, when the locked total turned out far from the other experts' totals."""

    outlier_reason = forms.CharField(
        label=_("Reason for your total"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Explain what led you to this total. Your scores stay as submitted."),
    )


class CloseRoundForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing with fewer scores than required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignExpertForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)
    override_reason = forms.CharField(
        label=_("Reason to assign despite a suggested conflict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class MaterialForm(forms.Form):
    """The managers' choice of what the round exposes, among the candidates its subject's app lists."""

    keys = forms.MultipleChoiceField(
        label=_("Material the reviewers may read"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["keys"].choices = [(item.key, item.display_label) for item in self.items]

    def rows(self):
        """(item, checkbox) per candidate, for a list grouped by where the item sits in the subject."""
        boxes = {box.data["value"]: box for box in self["keys"]}
        return [(item, boxes[item.key]) for item in self.items]
