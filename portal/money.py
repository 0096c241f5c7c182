"""Money: exact ``Decimal`` yuan in the database, shown the way officials read it (万元 / 亿元; RMB million in English).

Every money column is ``MoneyField`` (16 digits, 2 decimals, never negative unless a model says so) and every page
shows amounts through ``{% load money %}{{ amount|yuan }}``, so one rule decides how 3,500,000,000 reads:
``35.00亿元`` in Chinese and ``RMB 3,500.00 million`` in English.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

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


class Unit(NamedTuple):
    """The unit amounts of a size are read in: its divisor, its name (a chart axis's label) and how one reads."""

    divisor: Decimal
    name: str  # "亿元", "RMB million"
    template: str  # "{}亿元", "RMB {} million"


def unit_for(value, language=None) -> Unit:
    """The unit ``yuan`` shows ``value`` in: 亿元 from 1亿, 万元 from 1万, else 元; RMB million from a million.

    A chart passes its largest amount, so that one axis reads in the unit its largest figure is shown in.
    """
    amount = abs(as_decimal(value) or Decimal(0))
    language = language or get_language() or "zh-hans"
    if language.startswith("en"):
        if amount >= MILLION:
            return Unit(MILLION, "RMB million", "RMB {} million")
        return Unit(Decimal(1), "RMB", "RMB {}")
    if amount >= YI:
        return Unit(YI, "亿元", "{}亿元")
    if amount >= WAN:
        return Unit(WAN, "万元", "{}万元")
    return Unit(Decimal(1), "元", "{}元")


def yuan(value, language=None) -> str:
    """``35.00亿元`` / ``1,250.00万元`` / ``800.00元`` in Chinese; ``RMB 3,500.00 million`` in English."""
    amount = as_decimal(value)
    if amount is None:
        return ""
    unit = unit_for(amount, language)
    return unit.template.format(_grouped(amount / unit.divisor))
