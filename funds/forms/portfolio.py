"""Forms of the records after the decision. Field names are the services' argument names (portal.calls passes the
cleaned values straight on); the services check everything again, so these only shape the page."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput

from ..models import (
    DealDocument,
    DocumentKind,
    ExitKind,
    Instrument,
    MilestoneKind,
    ValuationMethod,
)

NOTE = forms.Textarea(attrs={"rows": 2})


def money_field(label, **extra):
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter the amount in yuan as a number, e.g. 30000000."),
            "min_value": _("The amount cannot be negative."),
        },
        **extra,
    )


def date_field(label, **extra):
    return forms.DateField(label=label, widget=DateInput(), **extra)


class DealForm(forms.Form):
    """A form about one deal (the view passes it)."""

    def __init__(self, *args, deal, **kwargs):
        self.deal = deal
        super().__init__(*args, **kwargs)


class TermsForm(DealForm):
    amount = money_field(_("Investment (yuan)"))
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    pre_money = money_field(_("Pre-money valuation (yuan)"))
    ownership = forms.DecimalField(
        label=_("Ownership after the round (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=7,
        decimal_places=4,
        error_messages={"invalid": _("Enter the ownership in per cent as a number, e.g. 12.5.")},
    )
    conditions = forms.CharField(label=_("Conditions"), widget=NOTE, required=False)
    signed_on = date_field(_("Signed on"), required=False)
    signed_document = forms.ModelChoiceField(
        label=_("Signed agreement"),
        queryset=DealDocument.objects.none(),
        required=False,
        help_text=_("Upload it to the deal room as a signed investment agreement first."),
    )

    def __init__(self, *args, deal, **kwargs):
        terms = getattr(deal, "terms", None)
        if terms is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                field: getattr(terms, field)
                for field in ("amount", "instrument", "pre_money", "ownership", "conditions", "signed_on")
            } | {"signed_document": terms.signed_document_id}
        super().__init__(*args, deal=deal, **kwargs)
        self.fields["signed_document"].queryset = DealDocument.objects.filter(
            deal=deal, kind=DocumentKind.SIGNED_AGREEMENT
        ).order_by("-uploaded_at")


class DisbursementForm(DealForm):
    number = forms.IntegerField(label=_("Tranche"), min_value=1)
    planned_on = date_field(_("Planned date"))
    planned_amount = money_field(_("Planned amount (yuan)"))
    condition = forms.CharField(label=_("Condition for payment"), max_length=300, required=False)

    def __init__(self, *args, deal, **kwargs):
        kwargs.setdefault("initial", {"number": deal.disbursements.count() + 1})
        super().__init__(*args, deal=deal, **kwargs)


class PaidForm(forms.Form):
    paid_on = date_field(_("Paid on"))
    paid_amount = money_field(_("Paid amount (yuan)"))

    def __init__(self, *args, disbursement, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate(), "paid_amount": disbursement.planned_amount})
        super().__init__(*args, **kwargs)


class ValuationForm(DealForm):
    valued_on = date_field(_("Valuation date"))
    value = money_field(_("Value of the holding (yuan)"))
    method = forms.ChoiceField(label=_("Method"), choices=ValuationMethod.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MilestoneForm(DealForm):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    happened_on = date_field(_("Date"))
    reference = forms.CharField(
        label=_("Reference"), max_length=60, required=False, help_text=_("e.g. the IND acceptance number CXHL2600123.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExitForm(DealForm):
    exited_on = date_field(_("Exit date"))
    proceeds = money_field(_("Proceeds (yuan)"))
    kind = forms.ChoiceField(label=_("Type"), choices=ExitKind.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, deal, **kwargs):
        existing = getattr(deal, "exit", None)
        if existing is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(existing, f) for f in ("exited_on", "proceeds", "kind", "note")}
        super().__init__(*args, deal=deal, **kwargs)


class KpiRequestForm(DealForm):
    period_start = date_field(_("Period from"))
    period_end = date_field(_("Period to"))
    due_on = date_field(_("Due"))


class KpiReportForm(forms.Form):
    revenue = money_field(_("Revenue (yuan)"))
    rd_spend = money_field(_("R&D spending (yuan)"))
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0)
    patents = forms.IntegerField(label=_("Patents granted in the period"), min_value=0)
    tax_paid = money_field(_("Tax paid (yuan)"))
    follow_on_financing = money_field(_("Follow-on financing raised (yuan)"), help_text=_("0 if none."))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
