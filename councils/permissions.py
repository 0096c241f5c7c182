"""Who may do what with councils. Plain booleans only."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal import lifecycle
from portal.accounts.roles import is_active_user
from portal.memo import memo


def can_manage_council(user, council) -> bool:
    """Superusers, the council's secretariat staff and holders of the change_council permission."""
    if not is_active_user(user):
        return False
    if user.is_superuser or user.has_perm("councils.change_council"):
        return True
    return council.secretariat_users.filter(pk=user.pk).exists()


def can_override_composition(user) -> bool:
    """Accept a change that takes the industry share below the charter minimum (with a reason)."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or user.has_perm("councils.override_composition"))


# Workspaces: who may open one is read from the dated rows at request time, so access begins and ends with the
# term on the calendar day itself, with no command or scheduled sync to run.


def today():
    """The councils' calendar day (Asia/Shanghai): terms and committee seats are dated in it."""
    return timezone.localdate()


def _secretariat_rows(council_id, user):
    from .models import Council

    return Council.secretariat_users.through.objects.filter(council_id=council_id, user_id=user.pk)


def _seated_rows(council_id, user, on):
    """The user's council memberships in force on ``on``: term_start <= on < term_end."""
    from .models import Membership

    return Membership.objects.filter(council_id=council_id, representative_id=user.pk).active_on(on)


def _committee_seat_rows(committee_id, user, on):
    """Committee seats count from the day they were taken; a member who leaves is deleted."""
    from .models import CommitteeMembership

    return CommitteeMembership.objects.filter(committee_id=committee_id, user_id=user.pk, joined_on__lte=on)


def can_open_council_workspace(user, council) -> bool:
    """The plenary workspace: representatives of memberships in force today, the secretariat, superusers."""
    from .models import Council

    if not is_active_user(user) or council is None:
        return False
    if user.is_superuser:
        return True

    def compute():
        rows = Exists(_seated_rows(council.pk, user, today())) | Exists(_secretariat_rows(council.pk, user))
        return Council.objects.filter(rows, pk=council.pk).exists()

    return bool(memo(council, ("open", user.pk), compute))


def can_open_committee_workspace(user, committee) -> bool:
    """A committee workspace: its members (external ones too) from the day they joined, the council's
    secretariat, superusers."""
    from .models import Committee

    if not is_active_user(user) or committee is None:
        return False
    if user.is_superuser:
        return True

    def compute():
        rows = Exists(_committee_seat_rows(committee.pk, user, today())) | Exists(
            _secretariat_rows(committee.council_id, user)
        )
        return Committee.objects.filter(rows, pk=committee.pk).exists()

    return bool(memo(committee, ("open", user.pk), compute))


def can_open_workspace_of(user, item) -> bool:
    """The workspace a workspace item (a document folder, a meeting …) belongs to."""
    return bool(item is not None and can_open_workspace(user, item.workspace))


def can_add_version(user, document) -> bool:
    """A new version of a document supersedes the current one: only the document's uploader and the workspace's
    secretariat may add it (any member may still upload new documents)."""
    folder = document.folder
    if not can_open_workspace_of(user, folder):
        return False
    return bool(document.created_by_id == user.pk or is_secretariat(user, folder.council))


def shows_workspaces_panel(user) -> bool:
    """The dashboard panel: anyone who can open at least one workspace."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    councils, committees = openable_workspaces(user)
    return bool(councils.exists() or committees.exists())


def openable_workspaces(user):
    """(councils, committees) querysets the user may open today; one query each when evaluated."""
    from .models import Committee, Council

    if not is_active_user(user):
        return Council.objects.none(), Committee.objects.none()
    if user.is_superuser:
        return Council.objects.all(), Committee.objects.all()
    on = today()
    councils = Council.objects.filter(
        Exists(_seated_rows(OuterRef("pk"), user, on)) | Exists(_secretariat_rows(OuterRef("pk"), user))
    )
    committees = Committee.objects.filter(
        Exists(_committee_seat_rows(OuterRef("pk"), user, on)) | Exists(_secretariat_rows(OuterRef("council_id"), user))
    )
    return councils, committees


# Roles inside a workspace ---------------------------------------------------------------------------------


def can_open_workspace(user, workspace) -> bool:
    """A council (plenary workspace), a committee or a Workspace."""
    from .workspace import Workspace  # it asks this module

    return bool(workspace is not None and Workspace.of(workspace).can_open(user))


def is_secretariat(user, council) -> bool:
    """The council's secretariat staff (and superusers), who run meetings, minutes and feedback campaigns."""
    if not is_active_user(user) or council is None:
        return False
    if user.is_superuser:
        return True
    return bool(memo(council, ("secretariat", user.pk), lambda: council.secretariat_users.filter(pk=user.pk).exists()))


def _council_of(workspace):
    from .workspace import Workspace  # it asks this module

    return Workspace.of(workspace).council


def is_workspace_member(user, workspace) -> bool:
    """A member of the workspace itself: a representative of a council membership in force today (plenary) or a
    committee member (external ones too) from the day they joined. The secretariat is not a member."""
    from .workspace import Workspace  # it asks this module

    if not is_active_user(user) or workspace is None:
        return False
    workspace = Workspace.of(workspace)
    if workspace.is_committee:
        query = _committee_seat_rows(workspace.committee.pk, user, today())
    else:
        query = _seated_rows(workspace.council.pk, user, today())
    return bool(memo(workspace.body, ("member", user.pk), query.exists))


def is_workspace_chair(user, workspace) -> bool:
    """The council's chair (理事长) for the plenary; the committee's chair (主任委员) for a committee."""
    from .models import CommitteeRole, MembershipRole
    from .workspace import Workspace  # it asks this module

    if not is_active_user(user) or workspace is None:
        return False
    workspace = Workspace.of(workspace)
    if workspace.is_committee:
        if workspace.committee.chair_id == user.pk:
            return True
        query = _committee_seat_rows(workspace.committee.pk, user, today()).filter(role=CommitteeRole.CHAIR)
    else:
        query = _seated_rows(workspace.council.pk, user, today()).filter(role=MembershipRole.CHAIR)
    return bool(memo(workspace.body, ("chair", user.pk), query.exists))


def can_convene_meeting(user, workspace) -> bool:
    """Schedule, open and close the workspace's meetings: whoever the charter in force says convenes them."""
    from .models import ConvenedBy

    if not can_open_workspace(user, workspace):
        return False
    council = _council_of(workspace)
    if user.is_superuser:
        return True
    version = council.charter_version_in_force()
    rule = version.convened_by if version else ConvenedBy.CHAIR_OR_SECRETARIAT
    if rule in (ConvenedBy.SECRETARIAT, ConvenedBy.CHAIR_OR_SECRETARIAT) and is_secretariat(user, council):
        return True
    return bool(rule in (ConvenedBy.CHAIR, ConvenedBy.CHAIR_OR_SECRETARIAT) and is_workspace_chair(user, workspace))


def can_manage_meeting(user, meeting) -> bool:
    """Agenda, invitations, attendance, opening and closing of one meeting."""
    return can_convene_meeting(user, meeting.workspace)


def can_see_meeting(user, meeting) -> bool:
    return can_open_workspace(user, meeting.workspace)


def can_rsvp(user, invitation) -> bool:
    """Answer one's own invitation while the meeting is still scheduled."""
    return bool(
        is_active_user(user)
        and invitation.user_id == user.pk
        and invitation.meeting.is_scheduled
        and can_open_workspace(user, invitation.meeting.workspace)
    )


def can_edit_minutes(user, meeting) -> bool:
    """Draft, change and circulate minutes: the secretariat, until the minutes are approved."""
    return bool(can_open_workspace(user, meeting.workspace) and is_secretariat(user, meeting.council))


def can_read_minutes(user, minutes) -> bool:
    """Members read minutes once circulated; a draft is the secretariat's."""
    if not can_open_workspace(user, minutes.meeting.workspace):
        return False
    return not minutes.is_draft or is_secretariat(user, minutes.meeting.council)


def can_circulate_minutes(user, minutes) -> bool:
    return can_edit_minutes(user, minutes.meeting)


def can_approve_minutes(user, minutes) -> bool:
    """Put circulated minutes to a later meeting for approval: who convenes the workspace's meetings."""
    return bool(can_read_minutes(user, minutes) and can_convene_meeting(user, minutes.meeting.workspace))


def can_assign_action_items(user, workspace) -> bool:
    return can_convene_meeting(user, workspace)


def can_update_action_item(user, item) -> bool:
    """Its owner marks it done; whoever assigns action items may change or cancel it."""
    if not can_open_workspace(user, item.workspace):
        return False
    return bool(item.owner_id == user.pk or can_assign_action_items(user, item.workspace))


def can_reassign_action_item(user, item) -> bool:
    """Cancel or reopen an action item: whoever assigns the workspace's action items."""
    return can_assign_action_items(user, item.workspace)


# Motions ----------------------------------------------------------------------------------------------------


def can_draft_motion(user, workspace) -> bool:
    """Members of the workspace draft motions (the secretariat too, for motions it brings on the chair's behalf)."""
    if not can_open_workspace(user, workspace):
        return False
    return bool(is_workspace_member(user, workspace) or is_secretariat(user, _council_of(workspace)))


def can_see_motion(user, motion) -> bool:
    """A draft is its proposer's own; from submission on every workspace member sees it."""
    if not can_open_workspace(user, motion.workspace):
        return False
    return bool(not motion.is_draft or motion.proposer_id == user.pk)


def is_motion_proposer(user, motion) -> bool:
    """Who submits a draft motion or withdraws it (the Motion lifecycle says when)."""
    return bool(motion.proposer_id == user.pk and can_see_motion(user, motion))


def can_edit_motion(user, motion) -> bool:
    """Change the text: the proposer, while it is a draft."""
    return bool(motion.is_draft and is_motion_proposer(user, motion))


def can_withdraw_motion(user, motion) -> bool:
    """The proposer, until the vote opens (the lifecycle's withdraw transition)."""
    return lifecycle.allowed(motion, "withdraw", user)


def can_manage_motion(user, motion) -> bool:
    """Put on an agenda, open the vote (at a meeting or in writing), record the result: the convener."""
    return bool(can_see_motion(user, motion) and can_convene_meeting(user, motion.workspace))


# Motions: votes ---------------------------------------------------------------------------------------------


def can_open_motion_vote(user, motion) -> bool:
    """Open (at a meeting or in writing) and close the vote on a motion: a convener who may also hold the
    workspace's votes (the council's secretariat, through portal.authority)."""
    from portal.voting.permissions import can_create_poll

    return bool(can_manage_motion(user, motion) and can_create_poll(user, motion.workspace))


# Discussions ------------------------------------------------------------------------------------------------


def can_post(user, workspace) -> bool:
    """Start a discussion or reply: everyone who may open the workspace."""
    return can_open_workspace(user, workspace)


# Policy feedback --------------------------------------------------------------------------------------------


def can_manage_feedback(user, workspace) -> bool:
    """Open, close and read all answers of policy feedback campaigns, export them, draft the opinion."""
    return bool(can_open_workspace(user, workspace) and is_secretariat(user, _council_of(workspace)))


def can_manage_campaign(user, campaign) -> bool:
    return can_manage_feedback(user, campaign.workspace)


def can_see_campaign(user, campaign) -> bool:
    """Members see campaigns once open; drafts are the secretariat's."""
    if not can_open_workspace(user, campaign.workspace):
        return False
    return bool(not campaign.is_draft or can_manage_feedback(user, campaign.workspace))


def can_answer_feedback(user, campaign) -> bool:
    """Members of the workspace answer while the campaign is open."""
    return bool(
        campaign.is_open
        and can_open_workspace(user, campaign.workspace)
        and is_workspace_member(user, campaign.workspace)
    )


# Opinions ---------------------------------------------------------------------------------------------------


def can_set_up_issuer(user, workspace) -> bool:
    """Let a council or committee issue opinions (a name and a document-number prefix): opinions staff only."""
    if not can_open_workspace(user, workspace):
        return False
    return bool(user.is_superuser or user.has_perm("opinions.add_issuer"))
