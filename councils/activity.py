"""The dated activity stream of each workspace. Services call record() inside their transaction."""

from portal import authority
from portal.authority import Power

from .models import Activity, ActivityVerb, workspace_filter
from .models.workspace import WorkspaceScoped

SUMMARY_MAX = 300

# Lines about something the members may not see yet: an opinion in preparation belongs to those who manage the
# workspace's opinions (its owner's MANAGE holders, as the opinions tab decides), until it is issued.
MANAGERS_ONLY = frozenset({ActivityVerb.DRAFTED_OPINION})


def record(*, actor, workspace, verb, summary, url=""):
    """One line of the stream: who did what (an ActivityVerb) about which item (its title now)."""
    item = Activity(actor=actor, verb=verb, summary=str(summary)[:SUMMARY_MAX], url=url or "")
    WorkspaceScoped.set_workspace(item, workspace)
    item.save()
    return item


def stream(workspace, user, limit=50):
    """The newest lines of one workspace's stream that ``user`` may read; one query."""
    lines = Activity.objects.filter(**workspace_filter(workspace))
    if not authority.holds(user, workspace, Power.MANAGE):
        lines = lines.exclude(verb__in=MANAGERS_ONLY)
    return list(lines.select_related("actor")[:limit])
