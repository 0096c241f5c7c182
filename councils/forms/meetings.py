"""Forms of the meetings section. They only collect input: the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.edits import LoadedField
from portal.widgets import DateInput, DateTimeInput

from ..models import RSVP, ActionItemStatus, Attendance


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput(), required=False)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Give a place, an online meeting link, or both."),
    )
    notes = forms.CharField(label=_("Notes for participants"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(RSVP.ATTENDING, RSVP.ATTENDING.label), (RSVP.DECLINED, RSVP.DECLINED.label)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AgendaItemForm(forms.Form):
    """A new agenda item: a title (and description), or circulated minutes of an earlier meeting to approve."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.ModelChoiceField(
        label=_("Or: minutes to approve"),
        queryset=None,
        required=False,
        help_text=_("Circulated minutes of an earlier meeting of this workspace."),
    )

    def __init__(self, *args, minutes_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].queryset = minutes_queryset
        self.fields["minutes"].label_from_instance = lambda minutes: str(minutes.meeting)
        if not minutes_queryset:
            del self.fields["minutes"]

    def clean(self):
        data = super().clean()
        if not data.get("minutes") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the agenda item a title."))
        return data


class GuestForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Guest"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: user.display_name


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class AttendanceForm(forms.Form):
    """One attendance select and one proxy holder select per invitation."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        voting = [invitation for invitation in self.invitations if invitation.has_vote]
        self.rows = []
        for invitation in self.invitations:
            attendance_name, proxy_name = f"attendance_{invitation.pk}", f"proxy_{invitation.pk}"
            self.fields[attendance_name] = forms.ChoiceField(
                label=_("Attendance"), choices=Attendance.choices, initial=invitation.attendance
            )
            holders = [(other.user_id, other.user.display_name) for other in voting if other.pk != invitation.pk]
            self.fields[proxy_name] = forms.TypedChoiceField(
                label=_("Proxy given to"),
                choices=[("", "—"), *holders],
                coerce=int,
                empty_value=None,
                required=False,
                initial=invitation.proxy_holder_id,
            )
            self.rows.append((invitation, self[attendance_name], self[proxy_name]))

    def records(self):
        """{invitation: (attendance, proxy holder user id or None)} from the cleaned data."""
        return {
            invitation: (self.cleaned_data[f"attendance_{invitation.pk}"], self.cleaned_data[f"proxy_{invitation.pk}"])
            for invitation in self.invitations
        }


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Text of the minutes"), widget=forms.Textarea(attrs={"rows": 18}))
    loaded = LoadedField()  # the revision the secretary started from: a later save by a colleague is not overwritten


class ApproveMinutesForm(forms.Form):
    at_meeting = forms.ModelChoiceField(label=_("Approved at the meeting"), queryset=None)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    meeting = forms.ModelChoiceField(label=_("Decided at the meeting"), queryset=None, required=False)

    def __init__(self, *args, owners, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        self.fields["meeting"].queryset = meetings


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)
