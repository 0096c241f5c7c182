"""The steps of a financing application (融资申请): what a firm tells the fund, one form per step.

The applications engine keeps each step's answers as a draft and re-validates all of them at submission; these
forms are all it needs to know about the fund. Amounts are yuan (Decimal), never negative.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput

from ..models import DevelopmentStage, DeviceClass, Round, Subsector

TEXT = forms.Textarea(attrs={"rows": 4})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


def money(label, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        help_text=help_text,
        error_messages={
            "invalid": _("Enter the amount in yuan as a number, e.g. 30000000."),
            "min_value": _("The amount cannot be negative."),
        },
    )


class CompanyStep(forms.Form):
    subsector = forms.ChoiceField(label=_("Subsector"), choices=Subsector.choices)
    founded_on = forms.DateField(label=_("Founded"), widget=DateInput())
    headcount = forms.IntegerField(label=_("Employees"), min_value=0)
    description = forms.CharField(label=_("What the company does"), widget=TEXT, max_length=3000)
    description_en = forms.CharField(
        label=_("What the company does, in English (optional)"), widget=TEXT, max_length=3000, required=False
    )


class ProductStep(forms.Form):
    lead_asset = forms.CharField(label=_("Lead asset (product or candidate)"), max_length=200)
    indication = forms.CharField(label=_("Indication or intended use"), max_length=200)
    development_stage = forms.ChoiceField(label=_("Development stage"), choices=DevelopmentStage.choices)
    device_class = forms.ChoiceField(
        label=_("NMPA device class (devices and IVD only)"),
        choices=[("", "—"), *DeviceClass.choices],
        required=False,
    )
    mechanism = forms.CharField(label=_("Science and mechanism"), widget=TEXT, max_length=3000)
    milestones = forms.CharField(
        label=_("Milestones reached and next milestones"),
        widget=TEXT,
        max_length=3000,
        help_text=_("With dates and references, e.g. IND acceptance number CXHL2600123."),
    )


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.CharField(label=_("Role"), max_length=100)
    background = forms.CharField(label=_("Background"), widget=SHORT_TEXT, max_length=1000)


TeamStep = forms.formset_factory(TeamMemberForm, extra=1, min_num=1, validate_min=True, max_num=30)


class IpStep(forms.Form):
    patents_granted = forms.IntegerField(label=_("Patents granted"), min_value=0)
    patents_pending = forms.IntegerField(label=_("Patent applications pending"), min_value=0)
    key_patents = forms.CharField(
        label=_("Key patents and freedom to operate"), widget=TEXT, max_length=3000, required=False
    )


class FinancialsStep(forms.Form):
    revenue_last_year = money(_("Revenue last year (yuan)"))
    rd_spend_last_year = money(_("R&D spending last year (yuan)"))
    cash = money(_("Cash at hand (yuan)"))
    monthly_burn = money(_("Monthly spending (yuan)"))
    raised_before = money(_("Raised in earlier rounds (yuan)"), required=False)


class RoundStep(forms.Form):
    round = forms.ChoiceField(label=_("Round"), choices=Round.choices)
    amount_requested = money(_("Amount requested from the fund (yuan)"))
    round_size = money(_("Total size of the round (yuan)"), required=False)
    pre_money = money(_("Pre-money valuation (yuan)"), required=False)
    use_of_funds = forms.CharField(label=_("Use of funds"), widget=TEXT, max_length=3000)
    other_investors = forms.CharField(
        label=_("Other investors in the round"), widget=SHORT_TEXT, max_length=1000, required=False
    )

    def clean(self):
        cleaned = super().clean()
        amount, size = cleaned.get("amount_requested"), cleaned.get("round_size")
        if amount is not None and size is not None and amount > size:
            self.add_error("amount_requested", _("The amount requested cannot exceed the size of the round."))
        return cleaned


class LandingStep(forms.Form):
    registered_in_pingshan = forms.BooleanField(label=_("The company is registered in Pingshan"), required=False)
    registered_in_pingshan_on = forms.DateField(
        label=_("Registered in Pingshan on"),
        required=False,
        widget=DateInput(),
        help_text=_("The date on the business licence issued in Pingshan."),
    )
    landing_plan = forms.CharField(
        label=_("Pingshan landing plan"),
        widget=TEXT,
        max_length=3000,
        help_text=_("Registration, headquarters, R&D or production in Pingshan, with dates."),
    )
    jobs_planned = forms.IntegerField(label=_("Jobs planned in Pingshan within three years"), min_value=0)

    def clean(self):
        # The fund reads "in Pingshan" from the date (the company's profile and the public aggregates), so a ticked
        # box needs its date, and a date says the box.
        cleaned = super().clean()
        registered_on = cleaned.get("registered_in_pingshan_on")
        if registered_on and registered_on > timezone.localdate():
            self.add_error("registered_in_pingshan_on", _("The registration date cannot be in the future."))
        elif cleaned.get("registered_in_pingshan") and not registered_on and "registered_in_pingshan_on" in cleaned:
            self.add_error("registered_in_pingshan_on", _("Give the date the company was registered in Pingshan."))
        elif registered_on:
            cleaned["registered_in_pingshan"] = True
        return cleaned
