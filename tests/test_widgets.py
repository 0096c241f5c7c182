"""The shared date pickers show their value in ISO 8601 whatever the language: a browser's date input shows
nothing for any other format."""

import datetime

import pytest
from django.utils import translation

from portal.widgets import DateInput, DateTimeInput


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pickers_render_iso_values_in_every_language(language):
    with translation.override(language):
        date = DateInput().render("due", datetime.date(2026, 3, 5))
        moment = DateTimeInput().render("starts", datetime.datetime(2026, 3, 5, 9, 30))
    assert 'type="date"' in date and 'value="2026-03-05"' in date
    assert 'type="datetime-local"' in moment and 'value="2026-03-05T09:30"' in moment
