"""What a programme opens, as its officers edit it: calls and roadshows (talent/services/schedule.py validates and
saves them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput, DateTimeInput

from ..models import Call, Roadshow

TEXT = forms.Textarea(attrs={"rows": 5})


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
            "description": TEXT,
            "description_en": TEXT,
        }
        help_texts = {"themes": _("No sector ticked: every sector may apply.")}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A call closes on or after the day it opens."))
        return cleaned


class RoadshowForm(forms.ModelForm):
    class Meta:
        model = Roadshow
        fields = [
            "title",
            "title_en",
            "slug",
            "starts_at",
            "ends_at",
            "venue",
            "venue_en",
            "themes",
            "registration_closes_on",
            "capacity",
            "description",
            "description_en",
            "is_published",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_closes_on": DateInput(),
            "themes": forms.CheckboxSelectMultiple,
            "description": TEXT,
            "description_en": TEXT,
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends, closes = cleaned.get("starts_at"), cleaned.get("ends_at"), cleaned.get("registration_closes_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A roadshow ends after it starts."))
        if starts and closes and closes > starts.date():
            self.add_error("registration_closes_on", _("Registration closes on or before the day of the roadshow."))
        return cleaned
