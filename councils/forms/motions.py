"""Forms of the motions section of a workspace. The services validate again; these shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateTimeInput


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Proposed resolution"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the members are asked to decide, as it would stand in the resolution."),
    )
    rationale = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is the motion withdrawn?"), max_length=300)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "display_name", None) or str(obj)


class AgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the meetings listed.")},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.title} · {meeting.get_state_display()} · {_local(meeting.starts_at)}"
        )


def _local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class MeetingVoteForm(forms.Form):
    recused = UserChoiceField(
        label=_("Recused members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members who declared a conflict of interest: they have no vote on this motion."),
    )

    def __init__(self, *args, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recused"].queryset = voters


class WrittenVoteForm(MeetingVoteForm):
    closes_at = forms.DateTimeField(
        label=_("Voting deadline"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        help_text=_("No ballot is accepted after this time (Beijing time)."),
    )
    field_order = ["closes_at", "recused"]
