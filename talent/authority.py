"""Who holds the engines' powers over a talent programme (``portal.authority``).

* ``MANAGE``: the programme's officers. They run its review rounds and draft and issue its decision letters.
* ``SIGN``: its director, who signs the decision letters.
"""

from django.contrib.auth import get_user_model

from portal import authority
from portal.authority import Power

from .models import Programme


def programme_holders(programme, power):
    User = get_user_model()
    if power == Power.MANAGE:
        return User.objects.filter(talent_programmes=programme)
    return User.objects.filter(pk=programme.director_id)


def programmes_held_by(user, power):
    if power == Power.MANAGE:
        return Programme.objects.filter(officers=user)
    return Programme.objects.filter(director=user)


def call_holders(call, power):
    """A call's applications are the programme's business: the engine asks about the call, its owner."""
    return programme_holders(call.programme, power)


def calls_held_by(user, power):
    from .models import Call

    return Call.objects.filter(programme__in=programmes_held_by(user, power))


def register():
    from .models import Call

    authority.register(Programme, holders=programme_holders, held_by=programmes_held_by)
    authority.register(Call, holders=call_holders, held_by=calls_held_by)
