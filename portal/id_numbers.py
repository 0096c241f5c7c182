"""Identity-document numbers people type in forms (pure rules, no database): passports and resident ID numbers
(GB 11643), and how lists show them masked.

A passport number (ICAO Doc 9303, the machine-readable zone) is 5 to 9 letters and digits; people paste it with
spaces or hyphens and in lower case, so it is kept upper-case without them.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PASSPORT = re.compile(r"^[A-Z0-9]{5,9}$")


def normalize_passport(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def validate_passport_number(value: str) -> None:
    if not PASSPORT.match(normalize_passport(value)):
        raise ValidationError(
            _("A passport number has 5 to 9 letters and digits (as in the passport's machine-readable line)."),
            code="passport",
        )


def mask(value: str, shown: int = 2) -> str:
    """The number with all but its last ``shown`` characters hidden: what lists and other readers see."""
    value = value or ""
    if len(value) <= shown:
        return "•" * len(value)
    return "•" * (len(value) - shown) + value[-shown:]


# --- 居民身份证号码 (GB 11643-1999) -------------------------------------------------------------------------------
# 18 characters: a 6-digit region code, the date of birth (YYYYMMDD), a 3-digit sequence, and a check character:
# the weighted sum of the first 17 digits (weights 2^(17-i) mod 11) mod 11 gives the check, read from CHECKS.

RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
RESIDENT_ID_WEIGHTS = [pow(2, 17 - position, 11) for position in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3 …
CHECKS = "10X98765432"


def normalize_resident_id(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def resident_id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return CHECKS[total % 11]


def birth_date_of(value: str):
    """The date of birth a (normalised) resident ID number carries, or None when it is not a real date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    number = normalize_resident_id(value)
    if not RESIDENT_ID.match(number):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a digit or X at the end."), code="resident_id"
        )
    if birth_date_of(number) is None:
        raise ValidationError(_("This resident ID number carries no real date of birth."), code="resident_id_date")
    if resident_id_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of this resident ID number does not match the others: check for a typing error."),
            code="resident_id_check",
        )
