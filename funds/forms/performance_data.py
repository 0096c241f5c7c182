"""The performance-data import form. Its field is the service's argument (``upload``); the service checks the file."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PerformanceImportForm(forms.Form):
    upload = forms.FileField(
        label=_("Performance data"),
        help_text=_(
            "An Excel workbook (.xlsx) with the template's sheets, or a UTF-8 CSV file of one sheet; at most 10 MB."
        ),
    )
