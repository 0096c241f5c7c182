"""统一社会信用代码 (unified social credit code) per GB 32100-2015.

18 characters from a 31-character alphabet (digits and upper-case letters without I, O, Z, S, V).
The 18th is a check character: weighted sum of the first 17 (weights 3^i mod 31), then
31 - (sum mod 31), where 31 maps to 0.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_LENGTH = 18
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


def normalize_uscc(code: str) -> str:
    """Upper-case and strip the spaces people paste in; the stored form."""
    return "".join((code or "").split()).upper()


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code (already normalised)."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> None:
    value = normalize_uscc(code)
    if len(value) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            code="uscc_length",
            params={"length": len(value)},
        )
    bad = sorted({char for char in value if char not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and the letters "
                "A–H, J–N, P–R, T, U, W–Y; it may not contain: %(chars)s."
            ),
            code="uscc_alphabet",
            params={"chars": " ".join(bad)},
        )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong; "
                "please check the code for typing errors."
            ),
            code="uscc_check",
        )
