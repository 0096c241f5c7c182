"""How a figure reads: its value in its unit, its label and reason in the reader's language.

Figures in an evaluation's snapshot are JSON (values as decimal strings, texts as ``{"zh-hans": …, "en": …}``), so
this reads both those and live Decimals.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.i18n import in_every_language, in_reader_language
from portal.money import yuan

# PERCENT values are percent points (12.5 reads 12.5%), as the policy indicators give them; RATE values are
# fractions (0.125 reads 12.5%), as pyxirr gives an IRR.
MONEY, MULTIPLE, PERCENT, RATE, COUNT, SCORE = "money", "multiple", "percent", "rate", "count", "score"


def both(text) -> dict:
    """A lazy text read once in each of the site's languages, for a snapshot."""
    return in_every_language(lambda: text) if text else {}


def localized(texts) -> str:
    """The reader's language from a snapshot's ``{"zh-hans": …, "en": …}`` (a plain string passes through)."""
    if not texts:
        return ""
    return texts if isinstance(texts, str) else in_reader_language(texts)


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _places(number: Decimal, places: int) -> str:
    return f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def show(value, unit) -> str:
    """``1.52×``, ``12.3%``, ``35.00亿元`` / ``RMB 3,500.00 million``, ``7``; "—" for no value."""
    number = _number(value)
    if number is None:
        return "—"
    if unit == MULTIPLE:
        return f"{_places(number, 2)}×"
    if unit == PERCENT:
        return f"{_places(number, 1)}%"
    if unit == RATE:
        return f"{_places(number * 100, 1)}%"
    if unit == MONEY:
        return yuan(number)
    if unit == COUNT:
        return _places(number, 0)
    return _places(number, 2)


def show_amount(value, unit=MONEY) -> str:
    return show(value, unit) if value not in (None, "") else "—"


def show_part(value) -> str:
    """A ratio's numerator or denominator: an amount (recorded money has two decimals) in 万元/亿元, else a count."""
    number = _number(value)
    if number is None:
        return "—"
    return yuan(number) if number.as_tuple().exponent == -2 else _places(number, 0)
