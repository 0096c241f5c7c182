"""The engine's own forms (a kind's step forms are the domain's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organizations.models import Organization
from portal.widgets import DateInput

from .models import ChecklistItem


class StartForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Apply for"), queryset=Organization.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, user, kind, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.filter(user_links__user=user).distinct().order_by("name")
        if not kind.needs_organization:
            del self.fields["organization"]


class AttachmentForm(forms.Form):
    item = forms.ModelChoiceField(queryset=ChecklistItem.objects.none(), required=False, widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(pk__in=[item.pk for item in items])


class SupplementRequestForm(forms.Form):
    message = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    items = forms.ModelMultipleChoiceField(
        label=_("Documents to upload again"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections the applicant may revise"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, kind, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = ChecklistItem.objects.filter(pk__in=[item.pk for item in items])
        self.fields["sections"].choices = [(step.code, step.title) for step in kind.steps]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
