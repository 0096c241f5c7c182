"""The talent work meeting's forms, as its officers fill them in (talent/services/deliberations.py validates and
saves): convene or change a meeting, put an application on its agenda, recusals, attendance, the minutes."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateTimeInput

from ..models import Deliberation


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.display_name


def active_people(first=()):
    """Active users by name, those in ``first`` (the previous meeting's members) at the top of the list."""
    chosen = Case(When(pk__in=list(first), then=Value(0)), default=Value(1))
    return get_user_model().objects.filter(is_active=True).order_by(chosen, "real_name", "username")


class DeliberationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Deliberation._meta.get_field("title").max_length)
    title_en = forms.CharField(
        label=_("English title"), required=False, max_length=Deliberation._meta.get_field("title_en").max_length
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    location = forms.CharField(
        label=_("Place"), required=False, max_length=Deliberation._meta.get_field("location").max_length
    )
    members = PeopleField(
        label=_("Members with a vote"),
        queryset=None,
        help_text=_("At least three. Each votes on every application on the agenda unless recused."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = active_people(self.initial.get("members", ()))


class AgendaItemForm(forms.Form):
    special = forms.ModelChoiceField(
        label=_("Application"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose one of the applications waiting for the meeting.")},
    )
    recused = PeopleField(
        label=_("Members recused"),
        queryset=None,
        required=False,
        help_text=_("Members with a conflict of interest: they do not vote on this application."),
    )

    def __init__(self, *args, deliberation, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special"].queryset = waiting
        self.fields["special"].label_from_instance = lambda special: (
            f"{special.application.reference} {special.candidate_name} · {special.employer}"
        )
        self.fields["recused"].queryset = deliberation.members.order_by("real_name", "username")


class RecusalForm(forms.Form):
    recused = PeopleField(label=_("Members recused"), queryset=None, required=False)

    def __init__(self, *args, deliberation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recused"].queryset = deliberation.members.order_by("real_name", "username")


class AttendanceForm(forms.Form):
    present = PeopleField(label=_("Members present"), queryset=None, required=False)

    def __init__(self, *args, deliberation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = deliberation.members.order_by("real_name", "username")


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))
