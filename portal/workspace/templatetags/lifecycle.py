"""Templates read lifecycles from their declaration (portal/lifecycle.py), never from state literals:

{% load lifecycle %}
{% state_badge meeting %}                      the state's label, coloured by the model's STATE_TONES
{% transitions meeting request.user as actions %}
{% for action in actions %}<form method="post" action="{{ action.url }}">…{{ action.label }}…{% endfor %}
{% allowed motion "withdraw" request.user as may_withdraw %}
"""

from django import template

from portal import lifecycle

register = template.Library()


@register.inclusion_tag("workspace/_state_badge.html")
def state_badge(instance, field=None):
    fsm_field = lifecycle.state_field(instance, field)
    value = getattr(instance, fsm_field.name)
    tones = getattr(type(instance), "STATE_TONES", {})
    return {"label": lifecycle.state_label(instance, field), "tone": tones.get(value, "")}


@register.simple_tag
def transitions(instance, user, field=None):
    return lifecycle.offered(instance, user, field)


@register.simple_tag
def allowed(instance, name, user):
    return lifecycle.allowed(instance, name, user)
