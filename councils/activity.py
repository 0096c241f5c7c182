"""The dated activity stream of each workspace: lines of portal.history scoped to the workspace (the committee,
or the council for the plenary). Services write them with ``portal.history.record.record(line=Line(...))``."""

from portal import authority
from portal.authority import Power
from portal.history.record import scope_lines
from portal.history.record import stream as history_stream

from .models import ActivityVerb

# Lines about something the members may not see yet: an opinion in preparation belongs to those who manage the
# workspace's opinions (its owner's MANAGE holders, as the opinions tab decides), until it is issued.
MANAGERS_ONLY = frozenset({ActivityVerb.DRAFTED_OPINION})


def _hidden(workspace, user):
    return () if authority.holds(user, workspace, Power.MANAGE) else MANAGERS_ONLY


def stream(workspace, user, limit=50):
    """The newest lines of one workspace's stream that ``user`` may read; one query."""
    return history_stream(workspace, exclude_verbs=_hidden(workspace, user), limit=limit)


def lines(workspace, user):
    """Every line of the workspace's stream that ``user`` may read, newest first (a queryset to page through)."""
    return scope_lines(workspace, exclude_verbs=_hidden(workspace, user))
