"""Forms of the pipeline and the deal page. They only collect input: funds/services/deals.py validates and decides
(amounts arrive as typed, so the service's own "not a number" and "negative" messages are the ones people read)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.edits import LoadedField

from ..models import Company, DealSource, Round


def amount_field(label, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("In yuan, e.g. 30000000 for 3,000万元."),
    )


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organization} · {obj.get_subsector_display()}"


class DealFieldsForm(forms.Form):
    """What a manager sets on a deal: its round, amounts, lead and summary."""

    round = forms.ChoiceField(label=_("Financing round"), choices=Round.choices)
    amount_requested = amount_field(_("Amount requested (yuan)"))
    pre_money = amount_field(_("Pre-money valuation (yuan)"), required=False)
    owner = LeadChoiceField(label=_("Deal lead"), queryset=get_user_model().objects.none(), required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = fund.managers.order_by("username")


class DealEditForm(DealFieldsForm):
    """The deal's fields as they were loaded (portal/edits.py): a save by someone else meanwhile is not overwritten."""

    loaded = LoadedField()


class NewDealForm(DealFieldsForm):
    company = CompanyChoiceField(
        label=_("Company"),
        queryset=Company.objects.select_related("organization").order_by("organization__name"),
        help_text=_("A company with a biomedicine profile."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=DealSource.choices)

    field_order = ["company", "round", "amount_requested", "pre_money", "source", "owner", "summary"]


class MoveForm(forms.Form):
    """The note every stage change needs, and the stage the page showed (so a stale page changes nothing)."""

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Required.")
    )
    expected_stage = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of this filter"), required=False)
    query = forms.CharField(required=False, widget=forms.HiddenInput)
