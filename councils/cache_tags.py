"""The page cache's tags of what the public council section shows (councils/public.py), and the watchers that purge
them on every write (connected in CouncilsConfig.ready)."""

from portal.pagecache.watch import watch

from .models import Charter, CharterVersion, Committee, CommitteeMembership, Council, Membership


def theme_councils(theme_pk) -> str:
    """Which council a theme page shows: a council founded, dissolved or moved to another theme."""
    return f"councils:theme:{theme_pk}"


def council(pk) -> str:
    """One council as the public sees it: its facts, members, committees and public charter."""
    return f"council:{pk}"


def committee(pk) -> str:
    """The organizations on one committee."""
    return f"committee:{pk}"


def _charter_version(version):
    # Through its charter; when the charter is gone its council is being deleted, which purges it.
    councils = Charter.objects.filter(pk=version.charter_id).values_list("council_id", flat=True)
    return [council(pk) for pk in councils]


def connect() -> None:
    watch(Council, lambda row: (council(row.pk), theme_councils(row.theme_id)))
    # The other rows never move to another council or committee: no read before each save.
    watch(Membership, lambda row: (council(row.council_id),), moves=False)
    watch(Committee, lambda row: (council(row.council_id), committee(row.pk)), moves=False)
    watch(CommitteeMembership, lambda row: (committee(row.committee_id),), moves=False)
    watch(Charter, lambda row: (council(row.council_id),), moves=False)
    watch(CharterVersion, _charter_version, moves=False)
