"""The deal page's committee block: ``{% committee_items deal request.user as items %}``."""

from django import template

from .. import permissions
from ..views.committee import mark_links

register = template.Library()


@register.simple_tag
def committee_items(deal, user):
    """The deal's IC agenda items, oldest meeting first, each with the links this user may open."""
    items = list(
        deal.agenda_items.select_related("meeting__committee__fund", "poll", "opinion").order_by(
            "meeting__starts_at", "pk"
        )
    )
    for item in items:
        mark_links(item, user)
        item.meeting_url = (
            item.meeting.get_absolute_url() if permissions.can_view_committee_meeting(user, item.meeting) else ""
        )
    return items
