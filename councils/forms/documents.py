"""Forms of the documents section: folders, uploads and new versions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Folder name"), max_length=100)


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG or UTF-8 text; at most 20 MB."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG or UTF-8 text; at most 20 MB."),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
