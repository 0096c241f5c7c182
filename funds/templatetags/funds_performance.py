"""Showing the performance figures: a value in its unit (× for multiples, % for rates and shares, 万元/亿元 for
money), the label in the reader's language, "—" when a figure could not be computed."""

from django import template

from ..performance.display import localized, show, show_amount, show_part

register = template.Library()


@register.filter
def shown(row):
    """``row["value"]`` in ``row["unit"]``."""
    return show(row.get("value"), row.get("unit"))


@register.filter
def shown_target(row):
    return show(row.get("target"), row.get("unit"))


@register.filter
def label(figure):
    return localized(figure.get("label"))


@register.filter
def source_amount(source):
    return show_amount(source.get("amount"), source.get("unit", "money"))


@register.filter
def part(value):
    return show_part(value)
