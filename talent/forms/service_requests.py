"""Forms of the service requests: they only collect the input; talent.services.service_requests validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.files.fields import MultipleFileField
from portal.widgets import DateInput

from ..models import ServiceKind, ServiceState

FILES_HELP = _("Up to five files: PDF, Word, Excel, PowerPoint, PNG, JPEG or UTF-8 text; each at most 20 MB.")
TEXT = forms.Textarea(attrs={"rows": 4})


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    details = forms.CharField(
        label=_("Details"), widget=TEXT, help_text=_("What you need, by when, and who we should contact.")
    )
    files = MultipleFileField(label=_("Attachments"), help_text=FILES_HELP)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=TEXT, help_text=_("The team reads this."))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT, help_text=_("The team reads this."))


class DueDateForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXT,
        help_text=_("For the office only, e.g. a public holiday; the team sees the new date."),
    )


class QueueFilterForm(forms.Form):
    """The officers' queue: by kind, assignee and state (open ones by default)."""

    kind = forms.ChoiceField(label=_("Service"), required=False)
    assignee = forms.ChoiceField(label=_("Officer"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    OPEN = "open"
    UNASSIGNED = "none"

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All services")), *ServiceKind.choices]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (self.UNASSIGNED, _("Not assigned")),
            *((str(user.pk), user.display_name) for user in officers),
        ]
        self.fields["state"].choices = [(self.OPEN, _("Open")), ("all", _("All states")), *ServiceState.choices]
