"""A call's fields as the programme's officers edit them (talent/services/calls.py validates and saves)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput

from ..models import Call


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            "title",
            "title_en",
            "slug",
            "opens_on",
            "closes_on",
            "themes",
            "checklist",
            "description",
            "description_en",
            "is_published",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "themes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"themes": _("No sector ticked: every sector may apply.")}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A call closes on or after the day it opens."))
        return cleaned
