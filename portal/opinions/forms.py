import re

from django import forms
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from portal import authority
from portal.authority import Power

from .models import OpinionKind

MAX_SIGNATORIES = 3


def text_to_html(text: str) -> str:
    """Plain text with blank lines between paragraphs becomes <p> paragraphs; HTML is kept (and sanitized later)."""
    text = (text or "").strip()
    if re.search(r"<(p|h2|h3|ul|ol|table)\b", text, re.I):
        return text
    return linebreaks(text, autoescape=True)


class SignatoryField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.display_name} ({user.username})"


class OpinionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OpinionKind.choices)
    addressee = forms.CharField(label=_("Addressee"), max_length=120, required=False)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Separate paragraphs with a blank line. Headings and lists may be written in simple HTML."),
    )
    is_public = forms.BooleanField(label=_("Publish on the public pages once issued"), required=False)

    def __init__(self, *args, issuer, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the people the issuer's owner names as signatories (its chair, vice-chairs …) can be chosen.
        users = authority.holders(issuer.owner, Power.SIGN).order_by("real_name", "username")
        for position in range(1, MAX_SIGNATORIES + 1):
            self.fields[f"signatory_{position}"] = SignatoryField(
                label=_("Signs off %(position)d.") % {"position": position},
                queryset=users,
                required=position == 1,
            )

    def clean_body(self):
        return text_to_html(self.cleaned_data["body"])

    def signatories(self):
        chosen = [self.cleaned_data.get(f"signatory_{position}") for position in range(1, MAX_SIGNATORIES + 1)]
        return [user for user in chosen if user is not None]


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Sign off")), ("return", _("Return for changes"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown publicly)"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("PDF file to check"))
