"""How a person is named in a workspace: the name with the organization and role beside it.

A real name is free text, so it alone cannot tell a member from the secretariat: 张三（深圳坪山康源生物 · 理事）,
李四（秘书处）. The office label comes from the council's secretariat list and the role from the membership rows,
never from the name. Templates use ``{% person user workspace %}`` (councils_people); services writing
notifications use ``person_label``. Both read one memoised map per workspace instance: two queries a page.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.memo import memo

from .models import CommitteeMembership, CommitteeRole, Council, Membership, MembershipRole
from .permissions import today
from .workspace import Workspace


def _workspace_places(workspace):
    """{user_id: (organization name or None, role or office label)} for the workspace's people. The secretariat's
    office overrides any seat; former members keep the place they held (posts outlive terms), and a place in force
    wins over an old one."""
    workspace = Workspace.of(workspace)
    return memo(workspace.body, "people_places", lambda: _places(workspace))


def _places(workspace):
    places = {}
    if workspace.is_committee:
        rows = CommitteeMembership.objects.filter(committee=workspace.committee).select_related("organization")
        for row in rows.order_by("joined_on", "pk"):
            places[row.user_id] = (row.organization.name, CommitteeRole(row.role).label)
    else:
        on = today()
        rows = (
            Membership.objects.filter(council=workspace.council, representative__isnull=False)
            .select_related("organization")
            .order_by("term_start", "pk")
        )
        for row in sorted(rows, key=lambda membership: membership.is_active_on(on)):
            places[row.representative_id] = (row.organization.name, MembershipRole(row.role).label)
    secretariat = Council.secretariat_users.through.objects.filter(council=workspace.council)
    for user_id in secretariat.values_list("user_id", flat=True):
        places[user_id] = (None, _("Secretariat"))
    return places


def _label(name, place):
    if place is None:
        return name
    organization, role = place
    if organization is None:
        return _("%(name)s (%(office)s)") % {"name": name, "office": role}
    return _("%(name)s (%(organization)s · %(role)s)") % {"name": name, "organization": organization, "role": role}


def person_label(user, workspace):
    """The name of ``user`` as people in ``workspace`` read it, lazily in the reader's language (notifications
    are read later, by people with their own language)."""
    if user is None:
        return _("Someone")
    place = _workspace_places(workspace).get(user.pk)
    name = user.display_name
    return lazy(lambda: str(_label(name, place)), str)()
