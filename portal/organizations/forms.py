from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organization, OrganizationClaim, OrganizationKind
from .services import SELF_REGISTERED_KINDS


def _model_field(model, name, widget=None, **options):
    """The model field's form field (its limit), with ``options`` (label, required...) set on it."""
    field = forms.fields_for_model(model, fields=[name], widgets={name: widget} if widget else None)[name]
    for option, value in options.items():
        setattr(field, option, value)
    return field


class AttachOrganizationForm(forms.Form):
    """The code says which organization; the rest is needed only to register one that is not here yet. The
    service decides which (services.attach_organization)."""

    uscc = forms.CharField(
        label=_("Unified social credit code"),
        help_text=_("18 characters, as printed on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = _model_field(
        Organization,
        "name",
        required=False,
        label=_("Organization name"),
        help_text=_("As on the business licence. Needed only when the organization is not registered here yet."),
    )
    name_en = _model_field(Organization, "name_en", required=False, label=_("English name (optional)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SELF_REGISTERED_KINDS, initial=OrganizationKind.ENTERPRISE)
    message = _model_field(
        OrganizationClaim,
        "message",
        required=False,
        label=_("Message (optional)"),
        help_text=_(
            "When the organization is already registered, the people who act for it read this with your request."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseClaimForm(forms.Form):
    reason = _model_field(
        OrganizationClaim, "reason", required=False, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )
