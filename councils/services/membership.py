"""Councils, charters, memberships under the composition rule, committees and their members."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.history.record import Tell, record
from portal.notifications.services import notify
from portal.text import fmt

from .. import composition, permissions
from ..models import (
    Charter,
    CharterVersion,
    Committee,
    CommitteeMembership,
    CommitteeRole,
    CompositionOverride,
    Council,
    Membership,
    MembershipRole,
)


def _lock(council):
    """Serialize composition changes of one council."""
    return Council.objects.select_for_update().get(pk=council.pk)


def _apply_rule(*, actor, council, assessment, override_reason):
    """Refuse a change that breaks the composition rule, unless a permitted override with a reason.

    Returns a callable that records the override once the membership row exists (or None).
    """
    overridden = composition.check(
        assessment,
        override_allowed=permissions.can_override_composition(actor),
        override_reason=override_reason,
    )
    if not overridden:
        return None

    def record_override(membership):
        override = CompositionOverride.objects.create(
            council=council,
            membership=membership,
            user=actor,
            reason=override_reason.strip(),
            share_before=assessment.before,
            share_after=assessment.after,
            minimum=assessment.minimum,
        )
        record(
            "councils.override_composition",
            actor=actor,
            instance=council,
            data={
                "membership": membership.pk,
                "reason": override.reason,
                "share_before": str(assessment.before),
                "share_after": str(assessment.after),
                "minimum": str(assessment.minimum),
            },
        )
        return override

    return record_override


def _validate_seat(*, role, has_vote, term_start, term_end):
    errors = {}
    if role not in MembershipRole.values:
        errors["role"] = _("Choose a role.")
    if role == MembershipRole.OBSERVER and has_vote:
        errors["has_vote"] = _("Observers do not vote.")
    if term_start is None:
        errors["term_start"] = _("Give the date the term starts.")
    elif term_end is not None and term_end < term_start:
        errors["term_end"] = _("The term cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def _already_member(council, organization, term_start, exclude=None):
    overlapping = Membership.objects.filter(council=council, organization=organization).filter(
        term_end__isnull=True
    ) | Membership.objects.filter(council=council, organization=organization, term_end__gt=term_start)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    return overlapping.exists()


def _membership_data(membership):
    return {
        "organization": membership.organization_id,
        "organization_name": membership.organization.name,
        "role": membership.role,
        "has_vote": membership.has_vote,
        "term_start": membership.term_start.isoformat(),
        "term_end": membership.term_end.isoformat() if membership.term_end else None,
    }


@transaction.atomic
def add_membership(
    *,
    actor,
    council,
    organization,
    role=MembershipRole.MEMBER,
    has_vote=True,
    representative=None,
    term_start=None,
    term_end=None,
    override_reason="",
):
    if not permissions.can_manage_council(actor, council):
        raise PermissionDenied
    council = _lock(council)
    term_start = term_start or permissions.today()
    _validate_seat(role=role, has_vote=has_vote, term_start=term_start, term_end=term_end)
    if _already_member(council, organization, term_start):
        raise ValidationError(
            {"organization": _("This organization is already a member of the council.")}, code="duplicate"
        )
    new = Membership(
        council=council,
        organization=organization,
        representative=representative,
        role=role,
        has_vote=has_vote,
        term_start=term_start,
        term_end=term_end,
    )
    on = max(permissions.today(), term_start)
    assessment = composition.assess_change(council, add=composition.seat_of(new, key="new"), on=on)
    record_override = _apply_rule(actor=actor, council=council, assessment=assessment, override_reason=override_reason)
    new.save()
    if record_override:
        record_override(new)
    record(
        "councils.add_member",
        actor=actor,
        instance=new,
        data=_membership_data(new),
        tell=Tell(
            [representative],
            title=fmt(
                _("You represent %(organization)s on %(council)s"),
                organization=organization.name,
                council=council.name_zh,
            ),
            body=fmt(_("Your term starts on %(date)s."), date=term_start.isoformat()),
        ),
    )
    return new


@transaction.atomic
def end_membership(*, actor, membership, on=None, reason="", override_reason=""):
    if not permissions.can_manage_council(actor, membership.council):
        raise PermissionDenied
    council = _lock(membership.council)
    membership = Membership.objects.select_related("organization").get(pk=membership.pk)
    on = on or permissions.today()
    if membership.term_end is not None:
        raise ValidationError(_("This membership has already ended."), code="ended")
    if on < membership.term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")}, code="term_order")
    membership.term_end = on
    membership.ended_reason = (reason or "").strip()
    assessment = composition.assess_change(
        council, remove=membership.pk, add=composition.seat_of(membership), on=max(permissions.today(), on)
    )
    record_override = _apply_rule(actor=actor, council=council, assessment=assessment, override_reason=override_reason)
    membership.save(update_fields=["term_end", "ended_reason"])
    if record_override:
        record_override(membership)
    record(
        "councils.end_member",
        actor=actor,
        instance=membership,
        data={**_membership_data(membership), "reason": membership.ended_reason},
        tell=Tell(
            [membership.representative],
            title=fmt(
                _("Your representation of %(organization)s on %(council)s ends"),
                organization=membership.organization.name,
                council=council.name_zh,
            ),
            body=fmt(_("The term ends on %(date)s."), date=on.isoformat()),
        ),
    )
    return membership


_UNCHANGED = object()


@transaction.atomic
def change_membership(
    *,
    actor,
    membership,
    role=None,
    has_vote=None,
    organization=None,
    representative=_UNCHANGED,
    override_reason="",
):
    if not permissions.can_manage_council(actor, membership.council):
        raise PermissionDenied
    council = _lock(membership.council)
    membership = Membership.objects.select_related("organization", "representative").get(pk=membership.pk)
    if membership.term_end is not None:
        raise ValidationError(_("This membership has ended and can no longer change."), code="ended")
    before = _membership_data(membership)
    old_representative = membership.representative
    if role is not None:
        membership.role = role
    if has_vote is not None:
        membership.has_vote = has_vote
    if organization is not None and organization.pk != membership.organization_id:
        if _already_member(council, organization, membership.term_start, exclude=membership.pk):
            raise ValidationError(
                {"organization": _("This organization is already a member of the council.")}, code="duplicate"
            )
        membership.organization = organization
    if representative is not _UNCHANGED:
        membership.representative = representative
    _validate_seat(role=membership.role, has_vote=membership.has_vote, term_start=membership.term_start, term_end=None)
    assessment = composition.assess_change(
        council,
        remove=membership.pk,
        add=composition.seat_of(membership),
        on=max(permissions.today(), membership.term_start),
    )
    record_override = _apply_rule(actor=actor, council=council, assessment=assessment, override_reason=override_reason)
    membership.save()
    if record_override:
        record_override(membership)
    after = _membership_data(membership)
    record(
        "councils.change_member",
        actor=actor,
        instance=membership,
        data={"before": before, "after": after},
        tell=_change_tell(before, after, old_representative, membership, council),
    )
    if old_representative != membership.representative:
        # The one who stood down is told apart: the others' message is not theirs.
        notify(
            [old_representative],
            title=fmt(
                _("You no longer represent %(organization)s on %(council)s"),
                organization=before["organization_name"],
                council=council.name_zh,
            ),
        )
    return membership


def _change_tell(before, after, old_representative, membership, council):
    """What the representative hears about a changed membership: that they now represent the organization
    (a new representative), what changed (the same one), or nothing."""
    if old_representative != membership.representative:
        title = fmt(
            _("You represent %(organization)s on %(council)s"),
            organization=membership.organization.name,
            council=council.name_zh,
        )
        return Tell([membership.representative], title=title)
    if before != after:
        return Tell(
            [membership.representative],
            title=fmt(_("Your membership of %(council)s has changed"), council=council.name_zh),
            body=fmt(_("Role: %(role)s."), role=membership.get_role_display()),
        )
    return None


@transaction.atomic
def add_charter_version(*, actor, council, text, effective_from, text_en="", adopted_note="", is_public=True, **rules):
    """A new version of the council's charter. `rules` are CharterVersion rule fields (quorum_numerator, …)."""
    if not permissions.can_manage_council(actor, council):
        raise PermissionDenied
    council = _lock(council)
    charter, _created = Charter.objects.get_or_create(council=council)
    latest = charter.versions.order_by("-effective_from", "-number").first()
    allowed = {
        "quorum_numerator",
        "quorum_denominator",
        "default_majority",
        "default_base",
        "min_industry_share",
        "term_months",
        "proxies_allowed",
        "max_proxies_per_holder",
        "convened_by",
    }
    unknown = set(rules) - allowed
    if unknown:
        raise TypeError(f"unknown charter rules: {sorted(unknown)}")
    if not (text or "").strip():
        raise ValidationError({"text": _("The charter has no text.")})
    if effective_from is None:
        raise ValidationError({"effective_from": _("Give the date the version takes effect.")})
    if latest and effective_from < latest.effective_from:
        raise ValidationError(
            {
                "effective_from": fmt(
                    _("A new version cannot take effect before the current one (%(date)s)."),
                    date=latest.effective_from.isoformat(),
                )
            },
            code="effective_order",
        )
    number = (charter.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = CharterVersion(
        charter=charter,
        number=number,
        text=text.strip(),
        text_en=(text_en or "").strip(),
        effective_from=effective_from,
        adopted_note=(adopted_note or "").strip(),
        is_public=is_public,
        **rules,
    )
    version.full_clean()
    version.save()
    record(
        "councils.add_charter_version",
        actor=actor,
        instance=version,
        data={"council": council.pk, "number": number, "effective_from": effective_from.isoformat()},
    )
    return version


@transaction.atomic
def add_committee(*, actor, council, kind, name_zh="", name_en="", chair=None, order=100):
    if not permissions.can_manage_council(actor, council):
        raise PermissionDenied
    committee = Committee(
        council=council,
        kind=kind,
        name_zh=(name_zh or "").strip(),
        name_en=(name_en or "").strip(),
        chair=chair,
        order=order,
    )
    committee.full_clean()
    committee.save()
    record("councils.add_committee", actor=actor, instance=committee, data={"council": council.pk, "kind": kind})
    return committee


@transaction.atomic
def add_committee_member(*, actor, committee, user, organization, role=CommitteeRole.MEMBER, joined_on=None):
    """Members need not come from the council: non-member organizations may join a committee."""
    if not permissions.can_manage_council(actor, committee.council):
        raise PermissionDenied
    if role not in CommitteeRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if CommitteeMembership.objects.filter(committee=committee, user=user).exists():
        raise ValidationError({"user": _("This person is already on the committee.")}, code="duplicate")
    member = CommitteeMembership.objects.create(
        committee=committee, user=user, organization=organization, role=role, joined_on=joined_on or permissions.today()
    )
    record(
        "councils.add_committee_member",
        actor=actor,
        instance=member,
        data={
            "committee": committee.pk,
            "user": user.pk,
            "organization": organization.pk,
            "external": member.is_external,
        },
        tell=Tell(
            [user],
            title=fmt(
                _("You have joined the %(committee)s committee of %(council)s"),
                committee=committee.name,
                council=committee.council.name_zh,
            ),
        ),
    )
    return member


@transaction.atomic
def end_committee_membership(*, actor, member, reason=""):
    """Take a person off a committee. The row goes; the audit log keeps who was on it and when."""
    committee = member.committee
    if not permissions.can_manage_council(actor, committee.council):
        raise PermissionDenied
    member = CommitteeMembership.objects.select_related("committee__council", "user").get(pk=member.pk)
    data = {
        "committee": committee.pk,
        "user": member.user_id,
        "organization": member.organization_id,
        "role": member.role,
        "joined_on": member.joined_on.isoformat(),
        "left_on": permissions.today().isoformat(),
        "reason": (reason or "").strip(),
    }
    record(
        "councils.end_committee_member",
        actor=actor,
        instance=member,
        data=data,
        tell=Tell(
            [member.user],
            title=fmt(
                _("You have left the %(committee)s committee of %(council)s"),
                committee=committee.name,
                council=committee.council.name_zh,
            ),
        ),
    )
    member.delete()  # after the record, which names the row


def announce_ended_terms(today) -> list[Membership]:
    """On the day a term ends (``term_end`` is the first day out of office), tell the representative that their access
    to the council's workspaces has ended, and the council's secretariat. Run daily by the worker (councils/jobs.py)."""
    ended = Membership.objects.filter(term_end=today).select_related("council", "organization", "representative")
    for membership in ended.order_by("pk"):
        council = membership.council
        people = [membership.representative, *council.secretariat_users.all()]
        record(
            "councils.term_ended",
            actor=None,
            instance=membership,
            data=_membership_data(membership),
            tell=Tell(
                [person for person in people if person is not None],
                title=fmt(
                    _("The term of %(organization)s on %(council)s has ended"),
                    organization=membership.organization.name,
                    council=council.name_zh,
                ),
                body=_("Its representative no longer has access to the council's workspaces."),
                url=council.get_absolute_url(),
            ),
        )
    return list(ended)
