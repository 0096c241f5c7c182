"""``{% person user workspace %}``: a person's name with their organization and role in the workspace, e.g.
张三（深圳坪山康源生物 · 理事） or 李四（秘书处）. See councils.people."""

from django import template

from ..people import person_label

register = template.Library()


@register.simple_tag
def person(user, workspace):
    return person_label(user, workspace)
