"""How the engine keeps and shows a step's answers: private fields sealed at rest and opened for the form, masked in
summaries (a date hidden whole), amounts grouped."""

from django import forms

from portal.applications import answers
from portal.applications.kinds import Step
from portal.crypto import is_sealed


class CandidateForm(forms.Form):
    name = forms.CharField()
    id_number = forms.CharField()
    birth_date = forms.DateField()
    revenue = forms.DecimalField(decimal_places=2, max_digits=16)


STEP = Step("candidate", "人选", CandidateForm)
DATA = {"name": "张工", "id_number": "440308195803070013", "birth_date": "1958-03-07", "revenue": "880000000"}
PRIVATE = ("id_number", "birth_date")


def _stored():
    bound = answers.bind(STEP, DATA)
    assert bound.is_valid(), bound.errors
    return answers.cleaned(STEP, bound, PRIVATE)


def test_private_fields_are_sealed_and_the_form_reads_them_back():
    stored = _stored()
    assert is_sealed(stored["id_number"]) and is_sealed(stored["birth_date"]) and stored["name"] == "张工"
    assert "440308195803070013" not in str(stored) and "1958-03-07" not in str(stored)
    form = answers.unbound(STEP, stored)
    assert form.initial["id_number"] == "440308195803070013"
    assert answers.bind(STEP, stored).is_valid()


def test_a_summary_masks_numbers_to_their_last_two_characters_and_hides_a_date_whole():
    rows = dict(answers.summarize(STEP, _stored(), masked=PRIVATE)["rows"][0])
    assert rows["id_number"] == "•" * 16 + "13"
    assert rows["birth_date"] == "••••-••-••"
    assert rows["revenue"] == "880,000,000"


def test_unmasked_the_summary_shows_the_plain_values():
    rows = dict(answers.summarize(STEP, _stored())["rows"][0])
    assert rows["id_number"] == "440308195803070013" and rows["birth_date"] == "1958-03-07"
