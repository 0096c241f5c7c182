"""Forms of the investment committee's pages. They only collect input: the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateTimeInput


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    location = forms.CharField(label=_("Place"), max_length=200, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}))


class AgendaForm(forms.Form):
    """A deal of the fund in the investment committee stage, not yet on this meeting's agenda."""

    deal = forms.ModelChoiceField(label=_("Deal"), queryset=None, empty_label=None)

    def __init__(self, *args, deals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deal"].queryset = deals


class RecusalForm(forms.Form):
    """A manager records the recusal of one of the committee's members."""

    member = forms.ModelChoiceField(label=_("Member with a conflict of interest"), queryset=None, empty_label=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda user: user.display_name


class OpenVoteForm(forms.Form):
    """Who of the committee is absent when the vote opens: they count against the quorum and have no ballot."""

    absent = forms.ModelMultipleChoiceField(
        label=_("Absent members"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = members
        self.fields["absent"].label_from_instance = lambda user: user.display_name


class DecisionOpinionForm(forms.Form):
    conditions = forms.CharField(
        label=_("Conditions and remarks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One condition per line (e.g. tranches, milestones, landing in Pingshan). They go into the text."),
    )
