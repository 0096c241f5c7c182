"""The dated activity stream of each workspace. Services call record() inside their transaction."""

from .models import Activity, workspace_filter
from .models.workspace import WorkspaceScoped

SUMMARY_MAX = 300


def record(*, actor, workspace, verb, summary, url=""):
    """One line of the stream: who did what (an ActivityVerb) about which item (its title now)."""
    item = Activity(actor=actor, verb=verb, summary=str(summary)[:SUMMARY_MAX], url=url or "")
    WorkspaceScoped.set_workspace(item, workspace)
    item.save()
    return item


def stream(workspace, limit=50):
    """The newest lines of one workspace's stream; one query."""
    return list(Activity.objects.filter(**workspace_filter(workspace)).select_related("actor")[:limit])
