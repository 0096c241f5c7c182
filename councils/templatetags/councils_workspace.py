from django import template
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from ..views.common import workspace_url as _workspace_url

register = template.Library()

# The sections of a workspace, in the order of its navigation.
SECTIONS = [
    ("", _("Overview")),
    ("threads", _("Discussions")),
    ("meetings", _("Meetings")),
    ("motions", _("Motions")),
    ("feedback", _("Policy feedback")),
    ("opinions", _("Opinions")),
    ("activity", _("Activity")),
]


@register.simple_tag
def workspace_url(workspace, name="", *args):
    """{% workspace_url workspace "meetings" %}: the plenary or committee variant of a workspace URL."""
    return _workspace_url(workspace, name, *args)


@register.inclusion_tag("councils/workspace/_nav.html")
def workspace_nav(workspace, active=""):
    items = []
    for name, label in SECTIONS:
        try:
            items.append(
                {"name": name, "label": label, "url": _workspace_url(workspace, name), "active": name == active}
            )
        except NoReverseMatch:  # a section whose views are not mounted
            continue
    return {"items": items, "workspace": workspace}
