"""Money: exact ``Decimal`` yuan in the database, shown the way officials read it (万元 / 亿元; RMB million in English).

Every money column is ``MoneyField`` (16 digits, 2 decimals, never negative unless a model says so) and every page
shows amounts through ``{% load money %}{{ amount|yuan }}``, so one rule decides how 3,500,000,000 reads:
``35.00亿元`` in Chinese and ``RMB 3,500.00 million`` in English.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")


class MoneyField(models.DecimalField):
    """An amount in yuan: 16 digits with 2 decimals (up to 99,999,999,999,999.99), not negative by default."""

    def __init__(self, *args, allow_negative=False, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        self.allow_negative = allow_negative
        if not allow_negative:
            kwargs.setdefault("validators", [MinValueValidator(Decimal(0))])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_digits", 16), ("decimal_places", 2)):
            if kwargs.get(key) == default:
                del kwargs[key]
        kwargs.pop("validators", None)  # made from allow_negative
        if self.allow_negative:
            kwargs["allow_negative"] = True
        return name, path, args, kwargs


def as_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _grouped(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def yuan(value, language=None) -> str:
    """``35.00亿元`` / ``1,250.00万元`` / ``800.00元`` in Chinese; ``RMB 3,500.00 million`` in English."""
    amount = as_decimal(value)
    if amount is None:
        return ""
    language = language or get_language() or "zh-hans"
    if language.startswith("en"):
        if abs(amount) >= MILLION:
            return f"RMB {_grouped(amount / MILLION)} million"
        return f"RMB {_grouped(amount)}"
    if abs(amount) >= YI:
        return f"{_grouped(amount / YI)}亿元"
    if abs(amount) >= WAN:
        return f"{_grouped(amount / WAN)}万元"
    return f"{_grouped(amount)}元"
