"""Forms of the discussions section. They only collect the input; councils.services.discussions validates."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.files.fields import MultipleFileField

from ..services.discussions import BODY_MAX, TITLE_MAX

FILES_HELP = _("Up to five files: PDF, Word, Excel, PowerPoint, PNG, JPEG or UTF-8 text; each at most 20 MB.")


class _PostForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=BODY_MAX,
        help_text=_("Plain text. Mention someone with @ followed by their name or user name."),
    )
    files = MultipleFileField(label=_("Attachments"), help_text=FILES_HELP)


class ThreadForm(_PostForm):
    title = forms.CharField(label=pgettext_lazy("discussion", "Subject"), max_length=TITLE_MAX)
    field_order = ["title", "body", "files"]


class ReplyForm(_PostForm):
    pass
