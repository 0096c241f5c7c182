"""State changes of councils. Each function: permission, validation, write, audit log, notification."""

import hashlib
from pathlib import PurePath

import filetype
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal import authority
from portal.authority import Power
from portal.notifications.services import notify

from .. import activity, composition, permissions
from ..models import (
    ActivityVerb,
    Charter,
    CharterVersion,
    Committee,
    CommitteeMembership,
    CommitteeRole,
    CompositionOverride,
    Council,
    Document,
    DocumentFolder,
    DocumentVersion,
    Membership,
    MembershipRole,
)
from ..people import person_label


def _fmt(message, **values):
    """Interpolate a lazy message lazily, so each recipient reads it in their own language."""
    return lazy(lambda: str(message) % values, str)()


def _today():
    return permissions.today()


def lock_scoped(item):
    """Lock a workspace item's row (a meeting, motion, thread, campaign…) and reload it with its council and
    committee. Only the item's own row is locked: PostgreSQL refuses FOR UPDATE on the outer join to the
    committee, which is empty for the plenary."""
    return type(item).objects.select_for_update(of=("self",)).select_related("council", "committee").get(pk=item.pk)


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

    def record(membership):
        override = CompositionOverride.objects.create(
            council=council,
            membership=membership,
            user=actor,
            reason=override_reason.strip(),
            share_before=assessment.before,
            share_after=assessment.after,
            minimum=assessment.minimum,
        )
        log(
            instance=council,
            action="councils.override_composition",
            user=actor,
            data={
                "membership": membership.pk,
                "reason": override.reason,
                "share_before": str(assessment.before),
                "share_after": str(assessment.after),
                "minimum": str(assessment.minimum),
            },
        )
        return override

    return record


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
    term_start = term_start or _today()
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
    on = max(_today(), term_start)
    assessment = composition.assess_change(council, add=composition.seat_of(new, key="new"), on=on)
    record_override = _apply_rule(actor=actor, council=council, assessment=assessment, override_reason=override_reason)
    new.save()
    if record_override:
        record_override(new)
    log(instance=new, action="councils.add_member", user=actor, data=_membership_data(new))
    notify(
        [representative],
        title=_fmt(
            _("You represent %(organization)s on %(council)s"), organization=organization.name, council=council.name_zh
        ),
        body=_fmt(_("Your term starts on %(date)s."), date=term_start.isoformat()),
    )
    return new


@transaction.atomic
def end_membership(*, actor, membership, on=None, reason="", override_reason=""):
    if not permissions.can_manage_council(actor, membership.council):
        raise PermissionDenied
    council = _lock(membership.council)
    membership = Membership.objects.select_related("organization").get(pk=membership.pk)
    on = on or _today()
    if membership.term_end is not None:
        raise ValidationError(_("This membership has already ended."), code="ended")
    if on < membership.term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")}, code="term_order")
    membership.term_end = on
    membership.ended_reason = (reason or "").strip()
    assessment = composition.assess_change(
        council, remove=membership.pk, add=composition.seat_of(membership), on=max(_today(), on)
    )
    record_override = _apply_rule(actor=actor, council=council, assessment=assessment, override_reason=override_reason)
    membership.save(update_fields=["term_end", "ended_reason"])
    if record_override:
        record_override(membership)
    log(
        instance=membership,
        action="councils.end_member",
        user=actor,
        data={**_membership_data(membership), "reason": membership.ended_reason},
    )
    notify(
        [membership.representative],
        title=_fmt(
            _("Your representation of %(organization)s on %(council)s ends"),
            organization=membership.organization.name,
            council=council.name_zh,
        ),
        body=_fmt(_("The term ends on %(date)s."), date=on.isoformat()),
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
        council, remove=membership.pk, add=composition.seat_of(membership), on=max(_today(), membership.term_start)
    )
    record_override = _apply_rule(actor=actor, council=council, assessment=assessment, override_reason=override_reason)
    membership.save()
    if record_override:
        record_override(membership)
    after = _membership_data(membership)
    log(
        instance=membership,
        action="councils.change_member",
        user=actor,
        data={"before": before, "after": after},
    )
    if old_representative != membership.representative:
        notify(
            [old_representative],
            title=_fmt(
                _("You no longer represent %(organization)s on %(council)s"),
                organization=before["organization_name"],
                council=council.name_zh,
            ),
        )
        notify(
            [membership.representative],
            title=_fmt(
                _("You represent %(organization)s on %(council)s"),
                organization=membership.organization.name,
                council=council.name_zh,
            ),
        )
    elif before != after:
        notify(
            [membership.representative],
            title=_fmt(_("Your membership of %(council)s has changed"), council=council.name_zh),
            body=_fmt(_("Role: %(role)s."), role=membership.get_role_display()),
        )
    return membership


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
                "effective_from": _fmt(
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
    log(
        instance=version,
        action="councils.add_charter_version",
        user=actor,
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
    log(instance=committee, action="councils.add_committee", user=actor, data={"council": council.pk, "kind": kind})
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
        committee=committee, user=user, organization=organization, role=role, joined_on=joined_on or _today()
    )
    log(
        instance=member,
        action="councils.add_committee_member",
        user=actor,
        data={
            "committee": committee.pk,
            "user": user.pk,
            "organization": organization.pk,
            "external": member.is_external,
        },
    )
    notify(
        [user],
        title=_fmt(
            _("You have joined the %(committee)s committee of %(council)s"),
            committee=committee.name,
            council=committee.council.name_zh,
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
        "left_on": _today().isoformat(),
        "reason": (reason or "").strip(),
    }
    log(instance=member, action="councils.end_committee_member", user=actor, data=data)
    member.delete()
    notify(
        [member.user],
        title=_fmt(
            _("You have left the %(committee)s committee of %(council)s"),
            committee=committee.name,
            council=committee.council.name_zh,
        ),
    )


# Workspace permissions -------------------------------------------------------------------------------------


def council_workspace_user_ids(council, on=None):
    """Who may open the plenary workspace on ``on`` (superusers aside): representatives of memberships in force
    that day and the council's secretariat staff (permissions.can_open_council_workspace asks the same rows)."""
    on = on or _today()
    representatives = (
        Membership.objects.filter(council=council, representative__isnull=False)
        .active_on(on)
        .values_list("representative_id", flat=True)
    )
    secretariat = council.secretariat_users.values_list("pk", flat=True)
    return set(representatives) | set(secretariat)


def committee_workspace_user_ids(committee, secretariat_ids=None, on=None):
    """Who may open a committee workspace on ``on`` (superusers aside): members seated by then and the council's
    secretariat."""
    on = on or _today()
    if secretariat_ids is None:
        secretariat_ids = set(committee.council.secretariat_users.values_list("pk", flat=True))
    seated = committee.memberships.filter(joined_on__lte=on).values_list("user_id", flat=True)
    return set(seated) | set(secretariat_ids)


def workspace_seats(workspace, on=None):
    """Who sits in a workspace today, as ``[(user, organization, has_vote)]`` in a stable order.

    Plenary: the representatives of memberships active on ``on`` (observers have no vote). Committee: its
    members seated by ``on``, external ones too, each with a vote in the committee.
    """
    on = on or _today()
    if isinstance(workspace, Committee):
        members = workspace.memberships.filter(joined_on__lte=on).select_related("user", "organization").order_by("pk")
        return [(member.user, member.organization, True) for member in members if member.user.is_active]
    memberships = (
        Membership.objects.filter(council=workspace, representative__isnull=False)
        .active_on(on)
        .select_related("representative", "organization")
        .order_by("pk")
    )
    seats, seen = [], set()
    for membership in memberships:
        user = membership.representative
        if not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        seats.append((user, membership.organization, membership.has_vote))
    return seats


def workspace_chairs(workspace):
    """The chair of the workspace: the council's chair (理事长, plenary) or the committee's (主任委员)."""
    if isinstance(workspace, Committee):
        ids = set(
            CommitteeMembership.objects.filter(committee=workspace, role=CommitteeRole.CHAIR).values_list(
                "user_id", flat=True
            )
        )
        if workspace.chair_id:
            ids.add(workspace.chair_id)
    else:
        ids = set(
            Membership.objects.filter(council=workspace, role=MembershipRole.CHAIR, representative__isnull=False)
            .active_on(_today())
            .values_list("representative_id", flat=True)
        )
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def default_signatories(workspace, actor):
    """Who signs a drafted opinion off unless its editors change it: the workspace's chair, else a vice-chair
    (never the drafter alone). Refused with a message when the workspace has nobody who signs."""
    signers = authority.holders(workspace, Power.SIGN).exclude(pk=actor.pk)
    chairs = workspace_chairs(workspace).exclude(pk=actor.pk)
    signer = chairs.filter(pk__in=signers.values("pk")).first() or signers.first()
    if signer is None:
        raise ValidationError(
            _("Nobody can sign this opinion off: the workspace has no chair or vice-chair in office."),
            code="no_signatory",
        )
    return [signer]


def workspace_recipients(workspace, actor=None):
    """Everyone who may open the workspace (members and secretariat), less the actor: whom to notify."""
    ids = (
        committee_workspace_user_ids(workspace)
        if isinstance(workspace, Committee)
        else council_workspace_user_ids(workspace)
    )
    if actor is not None:
        ids.discard(actor.pk)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


# Workspace documents ---------------------------------------------------------------------------------------

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024  # bytes

# sniffed type -> extensions a file of that type may carry
ALLOWED_TYPES = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg"},
}
# plain text, accepted by extension when no binary type is found and the bytes are UTF-8
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}
SNIFF_BYTES = 8192


def _workspace_of(workspace):
    """(council, committee) for a workspace object."""
    if isinstance(workspace, Committee):
        return workspace.council, workspace
    if isinstance(workspace, Council):
        return workspace, None
    raise TypeError("a workspace is a Council or a Committee")


def _can_open(user, workspace) -> bool:
    if isinstance(workspace, Committee):
        return permissions.can_open_committee_workspace(user, workspace)
    return permissions.can_open_council_workspace(user, workspace)


def _file_error(message, code):
    return ValidationError({"file": ValidationError(message, code=code)})


def inspect_upload(upload):
    """Check an uploaded file before anything is written: size, type sniffed from its content, extension.

    Returns (content_type, sha256, size). Raises ValidationError with a message for the person uploading.
    """
    if upload is None:
        raise _file_error(_("Choose a file to upload."), "required")
    size = upload.size
    if not size:
        raise _file_error(_("The file is empty."), "empty")
    if size > MAX_DOCUMENT_SIZE:
        limit = max(1, MAX_DOCUMENT_SIZE // (1024 * 1024))
        raise _file_error(_fmt(_("The file is larger than the limit of %(limit)s MB."), limit=limit), "too_large")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    upload.seek(0)
    kind = filetype.guess(upload.read(SNIFF_BYTES))
    if kind is not None:
        if kind.extension not in ALLOWED_TYPES:
            raise _file_error(_not_accepted(), "type")
        if extension not in ALLOWED_TYPES[kind.extension]:
            message = _fmt(
                _("The file's name ends in “.%(extension)s” but its content is a %(kind)s file."),
                extension=extension,
                kind=kind.extension.upper(),
            )
            raise _file_error(message, "extension")
        content_type = kind.mime
    elif extension in TEXT_TYPES:
        upload.seek(0)
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise _file_error(_("A text file must be encoded in UTF-8."), "encoding") from None
        content_type = TEXT_TYPES[extension]
    else:
        raise _file_error(_not_accepted(), "type")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest(), size


def _not_accepted():
    return _(
        "This type of file is not accepted. Upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "PNG or JPEG file, or UTF-8 text (.txt, .csv)."
    )


def _clean_name(name):
    return PurePath((name or "").replace("\\", "/")).name[:255] or "document"


def _save_version(*, document, number, upload, note, actor, checked, stored):
    content_type, sha256, size = checked
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=_clean_name(upload.name),
        size=size,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=actor,
        note=(note or "").strip()[:300],
    )
    version.file.save("upload", upload, save=False)
    stored.append((version.file.storage, version.file.name))
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version"])
    return version


def _remove_files(stored):
    for storage, name in stored:
        storage.delete(name)


def _version_data(version):
    return {
        "document": version.document_id,
        "number": version.number,
        "original_name": version.original_name,
        "size": version.size,
        "content_type": version.content_type,
        "sha256": version.sha256,
    }


@transaction.atomic
def create_folder(*, actor, workspace, name):
    council, committee = _workspace_of(workspace)
    if not _can_open(actor, workspace):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the folder a name.")}, code="required")
    if len(name) > 100:
        raise ValidationError({"name": _("The name is too long (at most 100 characters).")}, code="max_length")
    siblings = (
        DocumentFolder.objects.filter(committee=committee)
        if committee
        else council.document_folders.filter(committee__isnull=True)
    )
    if siblings.filter(name=name).exists():
        raise ValidationError({"name": _("This workspace already has a folder with this name.")}, code="duplicate")
    folder = DocumentFolder.objects.create(
        council=None if committee else council, committee=committee, name=name, created_by=actor
    )
    log(
        instance=folder,
        action="councils.create_folder",
        user=actor,
        data={"council": council.pk, "committee": committee.pk if committee else None, "name": name},
    )
    return folder


def _validate_title(title):
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the document a title.")}, code="required")
    if len(title) > 200:
        raise ValidationError({"title": _("The title is too long (at most 200 characters).")}, code="max_length")
    return title


@transaction.atomic
def upload_document(*, actor, folder, title, upload, note=""):
    """A new document in a folder, with the upload as version 1."""
    if not permissions.can_open_workspace_of(actor, folder):
        raise PermissionDenied
    title = _validate_title(title)
    checked = inspect_upload(upload)
    stored = []
    try:
        document = Document.objects.create(folder=folder, title=title, created_by=actor)
        version = _save_version(
            document=document, number=1, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        log(
            instance=document,
            action="councils.upload_document",
            user=actor,
            data={"folder": folder.pk, "title": title, **_version_data(version)},
        )
        workspace = folder.workspace
        url = reverse("councils:document", kwargs={"slug": folder.owning_council.slug, "pk": document.pk})
        activity.record(actor=actor, workspace=workspace, verb=ActivityVerb.UPLOADED_DOCUMENT, summary=title, url=url)
        notify(
            workspace_recipients(workspace, actor),
            title=_fmt(_("New document in %(workspace)s: %(title)s"), workspace=str(workspace), title=title),
            body=_fmt(
                _("%(name)s uploaded it to the folder %(folder)s."),
                name=person_label(actor, workspace),
                folder=folder.name,
            ),
            url=url,
        )
    except BaseException:
        _remove_files(stored)
        raise
    return document


@transaction.atomic
def upload_version(*, actor, document, upload, note=""):
    """The next version of a document; earlier versions are kept."""
    document = Document.objects.select_for_update().select_related("folder").get(pk=document.pk)
    if not permissions.can_add_version(actor, document):
        raise PermissionDenied
    checked = inspect_upload(upload)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    stored = []
    try:
        version = _save_version(
            document=document, number=number, upload=upload, note=note, actor=actor, checked=checked, stored=stored
        )
        log(instance=document, action="councils.upload_version", user=actor, data=_version_data(version))
        activity.record(
            actor=actor,
            workspace=document.folder.workspace,
            verb=ActivityVerb.UPLOADED_VERSION,
            summary=document.title,
            url=reverse("councils:document", kwargs={"slug": document.folder.owning_council.slug, "pk": document.pk}),
        )
    except BaseException:
        _remove_files(stored)
        raise
    return version


def record_download(*, actor, version):
    """A sensitive read: who fetched which version of a workspace document, and when."""
    if not permissions.can_open_workspace_of(actor, version.document.folder):
        raise PermissionDenied
    log(instance=version.document, action="councils.download_document", user=actor, data=_version_data(version))
