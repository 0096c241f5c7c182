"""A workspace as one value: a council's plenary workspace or one of its committees'.

Everything that differs between the two — which rows seat people, who chairs, whom to tell, how items are
filtered, what the URLs are — is answered here once, so no other module asks ``isinstance(…, Committee)``.
``Workspace.of(x)`` accepts a Council, a Committee, a workspace item (``WorkspaceScoped``) or a Workspace.
``body`` is the model instance behind it (the committee, or the council for the plenary): the owner that
``portal.authority`` asks about powers and the scope of the workspace's history stream.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse

from . import permissions
from .models import Committee, CommitteeMembership, CommitteeRole, Council, Membership, MembershipRole


class Workspace:
    __slots__ = ("council", "committee")

    def __init__(self, council, committee=None):
        self.council = council
        self.committee = committee

    @classmethod
    def of(cls, obj):
        if isinstance(obj, Workspace):
            return obj
        if isinstance(obj, Committee):
            return cls(obj.council, obj)
        if isinstance(obj, Council):
            return cls(obj)
        if hasattr(obj, "committee_id") and hasattr(obj, "council_id"):  # a workspace item
            return cls(obj.council, obj.committee if obj.committee_id else None)
        raise TypeError("a workspace is a Council, a Committee or an item of one")

    # What it is --------------------------------------------------------------------------------------------

    @property
    def body(self):
        return self.committee if self.committee is not None else self.council

    @property
    def is_committee(self) -> bool:
        return self.committee is not None

    @property
    def name(self):
        return self.body.name

    def __str__(self):
        return str(self.body)

    def __repr__(self):
        return f"<Workspace {self.body!r}>"

    def __eq__(self, other):
        return isinstance(other, Workspace) and self.key == other.key

    def __hash__(self):
        return hash(self.key)

    @property
    def key(self):
        return (self.council.pk, self.committee.pk if self.committee is not None else None)

    # Items and URLs ------------------------------------------------------------------------------------------

    def filter(self) -> dict:
        """Keyword arguments that select this workspace's items from a WorkspaceScoped model."""
        if self.is_committee:
            return {"council_id": self.council.pk, "committee_id": self.committee.pk}
        return {"council_id": self.council.pk, "committee__isnull": True}

    def place(self, item) -> None:
        """Put a new workspace item in this workspace."""
        item.council, item.committee = self.council, self.committee

    def url(self, name="", *args):
        """Reverse one of the workspace's URLs: ``name`` '' is its overview page. List and create views exist
        as ``NAME`` for the plenary and ``committee_NAME`` for a committee (see views.common.workspace_paths)."""
        if self.is_committee:
            base = [self.council.slug, self.committee.pk]
            return reverse(f"councils:committee_{name}" if name else "councils:committee", args=[*base, *args])
        return reverse(f"councils:{name}" if name else "councils:council", args=[self.council.slug, *args])

    # People ----------------------------------------------------------------------------------------------------

    def can_open(self, user) -> bool:
        if self.is_committee:
            return permissions.can_open_committee_workspace(user, self.committee)
        return permissions.can_open_council_workspace(user, self.council)

    def seats(self, on=None):
        """Who sits here on ``on`` (today by default), as ``[(user, organization, has_vote)]`` in a stable order.

        Plenary: the representatives of memberships active that day (observers have no vote). Committee: its
        members seated by then, external ones too, each with a vote in the committee.
        """
        on = on or permissions.today()
        if self.is_committee:
            members = self.committee.memberships.filter(joined_on__lte=on).select_related("user", "organization")
            return [
                (member.user, member.organization, True) for member in members.order_by("pk") if member.user.is_active
            ]
        memberships = (
            Membership.objects.filter(council=self.council, representative__isnull=False)
            .active_on(on)
            .select_related("representative", "organization")
            .order_by("pk")
        )
        seats, seen = [], set()
        for membership in memberships:
            user = membership.representative
            if user.is_active and user.pk not in seen:
                seen.add(user.pk)
                seats.append((user, membership.organization, membership.has_vote))
        return seats

    def chairs(self):
        """The chair: the council's (理事长) for the plenary, the committee's (主任委员) for a committee."""
        if self.is_committee:
            ids = set(
                CommitteeMembership.objects.filter(committee=self.committee, role=CommitteeRole.CHAIR).values_list(
                    "user_id", flat=True
                )
            )
            if self.committee.chair_id:
                ids.add(self.committee.chair_id)
        else:
            ids = set(
                Membership.objects.filter(council=self.council, role=MembershipRole.CHAIR, representative__isnull=False)
                .active_on(permissions.today())
                .values_list("representative_id", flat=True)
            )
        return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")

    def user_ids(self, on=None, secretariat_ids=None) -> set:
        """Who may open the workspace on ``on`` (superusers aside): those seated then and the council's
        secretariat (permissions.can_open_* ask the same rows)."""
        on = on or permissions.today()
        if secretariat_ids is None:
            secretariat_ids = set(self.council.secretariat_users.values_list("pk", flat=True))
        if self.is_committee:
            seated = self.committee.memberships.filter(joined_on__lte=on).values_list("user_id", flat=True)
        else:
            seated = (
                Membership.objects.filter(council=self.council, representative__isnull=False)
                .active_on(on)
                .values_list("representative_id", flat=True)
            )
        return set(seated) | set(secretariat_ids)

    def recipients(self, actor=None):
        """Everyone who may open the workspace (members and secretariat), less the actor: whom to notify."""
        ids = self.user_ids()
        if actor is not None:
            ids.discard(actor.pk)
        return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
