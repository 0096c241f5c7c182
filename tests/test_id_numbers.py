"""Identity-document numbers (portal/id_numbers.py): passport format, the GB 11643 resident ID check character and
date of birth, masking."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.id_numbers import (
    birth_date_of,
    mask,
    normalize_passport,
    resident_id_check_character,
    validate_passport_number,
    validate_resident_id,
)

# The standard's own example (GB 11643-1999, appendix): 11010519491231002X.
EXAMPLE = "11010519491231002X"


def test_the_standards_example_checks_out_in_either_case_and_with_spaces():
    assert resident_id_check_character(EXAMPLE[:17]) == "X"
    validate_resident_id(EXAMPLE)
    validate_resident_id(" 110105 19491231 002x ")
    assert birth_date_of(EXAMPLE) == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    "number, code",
    [
        ("110105194912310021", "resident_id_check"),  # one wrong check character
        ("110105194912310020", "resident_id_check"),
        ("11010519491231002", "resident_id"),  # 17 characters
        ("1101051949123100XX", "resident_id"),
        ("110105194913310025", "resident_id_date"),  # month 13
        ("110105202302290024", "resident_id_date"),  # 29 February 2023
    ],
)
def test_a_wrong_resident_id_is_refused_with_its_reason(number, code):
    with pytest.raises(ValidationError) as refused:
        validate_resident_id(number)
    assert refused.value.code == code


def test_every_single_digit_typo_is_caught():
    for position in range(17):
        for digit in "0123456789":
            if digit == EXAMPLE[position]:
                continue
            typo = EXAMPLE[:position] + digit + EXAMPLE[position + 1 :]
            if birth_date_of(typo) is None:
                continue
            with pytest.raises(ValidationError):
                validate_resident_id(typo)


@pytest.mark.parametrize("number", ["E12345678", "g1234567", "TK-123 4567", "12345"])
def test_passport_numbers_in_the_machine_readable_format_pass(number):
    validate_passport_number(number)
    assert normalize_passport(number).isalnum()


@pytest.mark.parametrize("number", ["1234", "ABCDEFGHIJ", "E1234#567", ""])
def test_other_passport_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_passport_number(number)


def test_masking_keeps_only_the_last_characters():
    assert mask(EXAMPLE, 4) == "•" * 14 + "002X"
    assert mask("E12345678") == "•••••••78"
    assert mask("AB") == "••" and mask("") == ""
