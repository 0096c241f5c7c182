"""How a chart's values read: on its axis and in its data table. Money reuses ``portal.money`` (万元/亿元, RMB
million), so a chart and the page beside it say the same thing."""

import math
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from numbers import Number

from django.utils.translation import get_language

from portal import money

DASH = "—"


class Format(StrEnum):
    NUMBER = "number"  # 1,234.5 (up to two decimals)
    COUNT = "count"  # 12
    MONEY = "money"  # yuan: 1,250.00万元 / RMB 12.50 million; the axis reads in one unit
    PERCENT = "percent"  # a fraction: 0.125 reads 12.5%
    MULTIPLE = "multiple"  # 1.25 reads 1.25× (TVPI, DPI, leverage)


def number(value) -> float | None:
    """A value to draw (Decimal, int, float, or a decimal string as a JSON snapshot keeps them), or None for a
    missing one (None, "", NaN, infinity, anything else)."""
    if isinstance(value, str):
        value = money.as_decimal(value)
    if value is None or isinstance(value, bool) or not isinstance(value, Number | Decimal):
        return None
    try:
        result = float(value)
    except ValueError:  # Decimal("sNaN")
        return None
    return result if math.isfinite(result) else None


def _fixed(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def _trimmed(value: Decimal, places: int) -> str:
    text = _fixed(value, places)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text(amount: Decimal, kind: Format, *, trim: bool) -> str:
    shape = _trimmed if trim else _fixed
    if kind == Format.PERCENT:
        return f"{shape(amount * 100, 1)}%"
    if kind == Format.MULTIPLE:
        return f"{shape(amount, 2)}×"
    if kind == Format.COUNT:
        return _fixed(amount, 0)
    return _trimmed(amount, 2)


def cell(value, kind: Format, language: str | None = None) -> str:
    """One value as the data table (and a bar's label) shows it: 12.5%, 1.25×, 1,250.00万元; a dash if missing."""
    if number(value) is None:
        return DASH
    amount = Decimal(str(value))
    if kind == Format.MONEY:
        return money.yuan(amount, language)
    return _text(amount, kind, trim=False)


def axis_unit(values, kind: Format, language: str | None = None) -> money.Unit | None:
    """For money, the unit the whole axis reads in (that of its largest amount); None for other formats."""
    if kind != Format.MONEY:
        return None
    drawn = [abs(value) for value in (number(value) for value in values) if value is not None]
    return money.unit_for(Decimal(str(max(drawn, default=0))), language or get_language())


def tick(value: float, kind: Format, unit: money.Unit | None = None) -> str:
    """One tick of a value axis, shorter than a cell (12%, 1.5×); money in the axis's unit, named in its label."""
    amount = Decimal(repr(float(value)))
    if kind == Format.MONEY and unit is not None:
        return _trimmed(amount / unit.divisor, 2)
    return _text(amount, kind, trim=True)
