"""The deal page's room and reviews blocks: ``{% deal_room deal %}`` and ``{% deal_reviews deal %}``.

What each block shows is computed in funds/views/room.py for the person looking (the request in the context).
"""

from django import template

from ..views.room import reviews_block, room_block

register = template.Library()


@register.inclusion_tag("funds/room/_block.html", takes_context=True)
def deal_room(context, deal):
    return {
        **room_block(context["request"], deal),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("funds/room/_reviews.html", takes_context=True)
def deal_reviews(context, deal):
    return {
        **reviews_block(context["request"], deal),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
