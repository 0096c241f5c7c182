"""Links from an engine's object to what it is about, shown only to those who may open it.

A poll or a review round is about a subject the engine does not know (an opinion, a motion, a deal). The app that
defines the subject's model registers, in its ``AppConfig.ready()``, who may see it:

    subjects.register(Opinion, can_view=permissions.can_view)   # can_view(user, subject) -> bool

and the engine's page links the subject (its ``get_absolute_url``) for them only. A subject nobody registered is
named but never linked.
"""

_VIEWERS = {}


def register(model, *, can_view):
    _VIEWERS[model] = can_view


def unregister(model):
    _VIEWERS.pop(model, None)


def link(subject, user) -> str:
    """The subject's page for this user, or "" when there is none or they may not open it."""
    can_view = _VIEWERS.get(type(subject))
    if subject is None or can_view is None or not hasattr(subject, "get_absolute_url"):
        return ""
    return subject.get_absolute_url() if can_view(user, subject) else ""
