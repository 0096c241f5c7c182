"""The browser's own date and date-time pickers, for every form of the portal.

An ``<input type="date">`` only shows a value written as ISO 8601 (``2026-11-30``; ``2026-11-30T09:30`` for
``datetime-local``), whatever the page's language, so the format is fixed here rather than taken from the locale.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
