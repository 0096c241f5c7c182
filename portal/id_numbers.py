"""Identity-document numbers people type in forms (pure rules, no database): passports for now; the special-talent
reviews add the resident ID number (GB 11643) here.

A passport number (ICAO Doc 9303, the machine-readable zone) is 5 to 9 letters and digits; people paste it with
spaces or hyphens and in lower case, so it is kept upper-case without them.
"""

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
