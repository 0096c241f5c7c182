"""The deal-list import form. Its field is the service's argument (``upload``); the service checks the file."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DealImportForm(forms.Form):
    upload = forms.FileField(
        label=_("Deal list"),
        help_text=_("An Excel workbook (.xlsx) or a UTF-8 CSV file with the template's columns; at most 10 MB."),
    )
