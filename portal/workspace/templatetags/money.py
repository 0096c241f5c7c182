"""``{% load money %}{{ amount|yuan }}``: amounts as officials read them (see portal/money.py)."""

from django import template

from portal import money

register = template.Library()


@register.filter
def yuan(value):
    return money.yuan(value)
