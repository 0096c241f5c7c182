"""Forms of the deal room: a folder, an upload. The services check everything again (lengths included)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.i18n import localized

from ..models import DealFolder, DocumentKind


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Folder name"))
    name_en = forms.CharField(label=_("English name"), required=False)


class DocumentUploadForm(forms.Form):
    folder = forms.ModelChoiceField(label=_("Folder"), queryset=DealFolder.objects.none())
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.OTHER)
    title = forms.CharField(label=_("Title"), required=False, help_text=_("Leave empty to use the file's name."))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = deal.folders.all()
        self.fields["folder"].label_from_instance = lambda folder: localized(folder.name, folder.name_en)

    def values(self) -> dict:
        """The service's arguments: the form's ``file`` is the ``upload``."""
        values = dict(self.cleaned_data)
        values["upload"] = values.pop("file")
        return values
