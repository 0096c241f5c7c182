"""State changes of opinions. Each function: permission, validation, write, audit log, notification."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from portal import authority, lifecycle
from portal.authority import Power
from portal.history.record import Tell, record
from portal.text import clean_text, fmt

from . import permissions
from .models import (
    ApprovalMode,
    DocumentCounter,
    Issuer,
    Opinion,
    OpinionKind,
    OpinionState,
    SignOff,
    SignOffDecision,
    new_verification_code,
)
from .sanitize import clean_body, is_blank
from .signals import opinion_issued

TITLE_MAX = Opinion._meta.get_field("title").max_length
MAX_PDF_UPLOAD = 20 * 1024 * 1024


def _validate_content(*, issuer, actor, title, body, kind, signatories, approval_mode):
    errors = {}
    try:
        title = clean_text(Opinion, {"title": title}, required={"title": _("Give the opinion a title.")})["title"]
    except ValidationError as error:
        errors.update(error.error_dict)
    body = clean_body(body)
    if is_blank(body):
        errors["body"] = _("The opinion has no text.")
    if kind not in OpinionKind.values:
        errors["kind"] = _("Choose the kind of opinion.")
    if approval_mode == ApprovalMode.SIGN_OFF:
        problem = _signatory_problem(issuer, actor, signatories)
        if problem:
            errors["signatories"] = problem
    if errors:
        raise ValidationError(errors)
    return title, body


def _signatory_problem(issuer, drafter, signatories):
    """What is wrong with a sign-off list, or None: everyone on it signs for the issuer, nobody twice, and the
    drafter is never the only approver."""
    if not signatories:
        return _("Name at least one person who signs the opinion off.")
    if len({user.pk for user in signatories}) != len(signatories):
        return _("A person can appear only once in the sign-off list.")
    outsiders = [user for user in signatories if not permissions.may_sign_for(user, issuer)]
    if outsiders:
        return fmt(
            _("%(names)s cannot sign off opinions of %(issuer)s; only the people it names as signatories can."),
            names="、".join(user.display_name for user in outsiders),
            issuer=issuer.display_name,
        )
    if drafter is not None and all(user.pk == drafter.pk for user in signatories):
        return _("The person who drafts an opinion cannot be its only approver; name another signatory.")
    return None


def _editors(opinion):
    return authority.holders(opinion.issuer.owner, Power.MANAGE)


def _set_sign_offs(opinion, signatories):
    opinion.sign_offs.all().delete()
    SignOff.objects.bulk_create(
        SignOff(opinion=opinion, position=position, user=user) for position, user in enumerate(signatories, start=1)
    )


@transaction.atomic
def create_opinion(
    *,
    actor,
    issuer,
    title,
    body,
    kind=OpinionKind.EVALUATION,
    addressee="",
    is_public=False,
    subject=None,
    signatories=(),
    approval_mode=ApprovalMode.SIGN_OFF,
):
    if not permissions.can_create(actor, issuer):
        raise PermissionDenied
    signatories = list(signatories)
    title, body = _validate_content(
        issuer=issuer,
        actor=actor,
        title=title,
        body=body,
        kind=kind,
        signatories=signatories,
        approval_mode=approval_mode,
    )
    opinion = Opinion.objects.create(
        issuer=issuer,
        kind=kind,
        title=title,
        body=body,
        addressee=(addressee or issuer.addressee_default).strip(),
        is_public=is_public,
        subject=subject,
        approval_mode=approval_mode,
        created_by=actor,
    )
    _set_sign_offs(opinion, signatories)
    record("opinions.create", actor=actor, instance=opinion, data={"title": title})
    return opinion


@transaction.atomic
def update_draft(*, actor, opinion, title, body, kind, addressee, is_public, signatories):
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not permissions.can_manage(actor, opinion):
        raise PermissionDenied
    if not opinion.is_draft:
        raise lifecycle.refused(opinion)
    signatories = list(signatories)
    title, body = _validate_content(
        issuer=opinion.issuer,
        actor=opinion.created_by,
        title=title,
        body=body,
        kind=kind,
        signatories=signatories,
        approval_mode=opinion.approval_mode,
    )
    opinion.title, opinion.body, opinion.kind = title, body, kind
    opinion.addressee, opinion.is_public = addressee.strip(), is_public
    opinion.save()
    _set_sign_offs(opinion, signatories)
    record("opinions.edit", actor=actor, instance=opinion)
    return opinion


@transaction.atomic
def submit_for_review(*, actor, opinion):
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not permissions.can_manage(actor, opinion):
        raise PermissionDenied
    if opinion.approval_mode == ApprovalMode.SIGN_OFF:
        # Checked again here: a chair may have stepped down since the draft was saved.
        signatories = [entry.user for entry in opinion.sign_offs.select_related("user")]
        problem = _signatory_problem(opinion.issuer, opinion.created_by, signatories)
        if problem:
            raise ValidationError(problem, code="signatories")
    lifecycle.take(opinion, "submit", actor)
    opinion.save()
    first = permissions.next_sign_off(opinion)
    record(
        "opinions.submit",
        actor=actor,
        instance=opinion,
        tell=_waits_for(first.user, opinion) if first else None,
    )
    return opinion


def _waits_for(user, opinion):
    return Tell([user], title=_("An opinion waits for your sign-off"), body=opinion.title, url=detail_url(opinion))


@transaction.atomic
def sign_off(*, actor, opinion, approve: bool, comment: str = ""):
    """The next signatory approves, or returns the opinion to its editors with a reason."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not permissions.can_sign(actor, opinion):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what should change before the opinion can be signed off.")})
    entry = permissions.next_sign_off(opinion)
    if not approve:
        lifecycle.take(opinion, "return_to_draft", actor)  # while the actor is still the next signatory
        opinion.save()
        entry.comment, entry.decided_at = comment, timezone.now()
        entry.save()
        # Everyone signs again after the changes: the list starts over.
        opinion.sign_offs.exclude(pk=entry.pk).update(decision=SignOffDecision.PENDING, decided_at=None)
        record(
            "opinions.return",
            actor=actor,
            instance=opinion,
            data={"comment": comment},
            tell=Tell(
                _editors(opinion), title=_("An opinion was returned for changes"), body=comment, url=detail_url(opinion)
            ),
        )
        return opinion
    entry.decision, entry.comment, entry.decided_at = SignOffDecision.APPROVED, comment, timezone.now()
    entry.save()
    following = permissions.next_sign_off(opinion)
    if following is None:
        lifecycle.take(opinion, "approve")
        opinion.save()
        record("opinions.approve", actor=actor, instance=opinion, tell=_approved(opinion))
    else:
        record(
            "opinions.sign",
            actor=actor,
            instance=opinion,
            data={"position": entry.position},
            tell=_waits_for(following.user, opinion),
        )
    return opinion


def _approved(opinion):
    return Tell(
        _editors(opinion),
        title=_("An opinion is approved and can be issued"),
        body=opinion.title,
        url=detail_url(opinion),
    )


@transaction.atomic
def approve_by_poll(*, actor, opinion, poll):
    """Approve an opinion whose approval is a vote, once that vote has closed and passed."""
    from django.contrib.contenttypes.models import ContentType

    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not permissions.can_manage(actor, opinion):
        raise PermissionDenied
    if not can_proceed(opinion.approve, check_conditions=False) or opinion.approval_mode != ApprovalMode.POLL:
        raise ValidationError(_("This opinion is not waiting for a vote."), code="not_waiting")
    if poll.content_type_id != ContentType.objects.get_for_model(Opinion).pk or str(poll.object_id) != str(opinion.pk):
        raise ValidationError(_("This vote is not about this opinion."), code="other_subject")
    issuer = opinion.issuer
    if (poll.owner_type_id, str(poll.owner_id)) != (issuer.owner_type_id, str(issuer.owner_id)):
        raise ValidationError(_("This vote was not held by the body that issues the opinion."), code="other_owner")
    if not poll.is_closed or not poll.passed:
        raise ValidationError(_("Only a closed vote that passed approves an opinion."), code="not_passed")
    opinion.approval_poll = poll
    lifecycle.take(opinion, "approve")
    opinion.save()
    record("opinions.approve", actor=actor, instance=opinion, data={"poll": poll.pk}, tell=_approved(opinion))
    return opinion


@transaction.atomic
def request_issue(*, actor, opinion):
    """Ask for the opinion to be numbered, rendered, signed and issued (in a background task)."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.has_been_issued:
        raise ValidationError(
            fmt(_("This opinion has already been issued as %(number)s."), number=opinion.number),
            code="already_issued",
        )
    if not permissions.can_issue(actor, opinion):
        raise PermissionDenied
    opinion.rendering_requested_at = timezone.now()
    opinion.render_error = ""
    opinion.save(update_fields=["rendering_requested_at", "render_error", "updated_at"])
    record("opinions.request_issue", actor=actor, instance=opinion)
    from .tasks import issue_opinion

    transaction.on_commit(lambda: issue_opinion.enqueue(opinion.pk, actor.pk))
    return opinion


def unused_issuer_value(field, value):
    """``value``, or ``value`` with the first free number after it: issuers' names and prefixes are unique (for a
    domain creating the issuer of a new body)."""
    taken = set(Issuer.objects.filter(**{f"{field}__startswith": value}).values_list(field, flat=True))
    candidate, n = value, 1
    while candidate in taken:
        n += 1
        candidate = f"{value}{n}"
    return candidate


def take_next_number(issuer, year) -> int:
    """The next gap-free sequence number; call inside the issuing transaction (the counter row stays locked)."""
    try:
        with transaction.atomic():  # a savepoint: two first issues of a year may race to create the row
            DocumentCounter.objects.get_or_create(issuer=issuer, year=year)
    except IntegrityError:
        pass
    counter = DocumentCounter.objects.select_for_update().get(issuer=issuer, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _unused_verification_code():
    while True:
        code = new_verification_code()
        if not Opinion.objects.filter(verification_code=code).exists():
            return code


def verify_url(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("verify:detail", kwargs={"code": code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def detail_url(opinion) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("opinions:detail", kwargs={"pk": opinion.pk})


def document_for(opinion):
    from .rendering import OpinionDocument

    lines = tuple(line.strip() for line in opinion.issuer.signatory_lines.splitlines() if line.strip())
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(OpinionKind(opinion.kind).label)
    return OpinionDocument(
        issuer_name=opinion.issuer.name,
        issuer_name_en=opinion.issuer.name_en,
        number=opinion.number,
        kind_label=kind_label,
        title=opinion.title,
        addressee=opinion.addressee,
        body_html=opinion.body,
        signatories=lines or (opinion.issuer.name,),
        issued_on=timezone.localdate(opinion.issued_at),
        verification_code=opinion.formatted_code,
        verify_url=verify_url(opinion.verification_code),
    )


def render_signed_pdf(opinion) -> bytes:
    from .rendering import render_opinion_pdf
    from .signing import sign_pdf

    return sign_pdf(render_opinion_pdf(document_for(opinion)))


def issue_now(*, opinion_id, actor_id):
    """Number, render, sign, store and issue, all or nothing. The task calls this.

    On failure nothing of the attempt stays: the number is not used (the counter's increment rolls back,
    so numbers stay gap-free), the file is removed, and the opinion stays approved with the error shown.
    """
    actor = get_user_model().objects.filter(pk=actor_id).first()
    stored_name = None
    try:
        with transaction.atomic():
            opinion = Opinion.objects.select_for_update().select_related("issuer").get(pk=opinion_id)
            if not can_proceed(opinion.issue):
                return opinion  # issued meanwhile, or withdrawn from approval: nothing to do
            opinion.issued_at = timezone.now()
            opinion.year = timezone.localdate(opinion.issued_at).year
            opinion.sequence = take_next_number(opinion.issuer, opinion.year)
            opinion.number = opinion.issuer.format_number(opinion.year, opinion.sequence)
            opinion.verification_code = _unused_verification_code()
            data = render_signed_pdf(opinion)
            opinion.sha256 = hashlib.sha256(data).hexdigest()
            opinion.pdf.save("opinion.pdf", ContentFile(data), save=False)
            stored_name = opinion.pdf.name
            opinion.render_error = ""
            lifecycle.take(opinion, "issue")  # an editor asked for it (request_issue); the task acts for them
            opinion.save()
            close_polls_about(opinion, actor=actor)
            record(
                "opinions.issue",
                actor=actor,
                instance=opinion,
                data={"number": opinion.number, "sha256": opinion.sha256},
                tell=Tell(
                    _concerned(opinion),
                    title=_("Opinion issued"),
                    body=f"{opinion.number} {opinion.title}",
                    url=detail_url(opinion),
                ),
            )
            opinion_issued.send(sender=Opinion, opinion=opinion, actor=actor)
            return opinion
    except Exception as error:
        if stored_name:
            Opinion._meta.get_field("pdf").storage.delete(stored_name)
        message = f"{type(error).__name__}: {error}"[:2000]
        Opinion.objects.filter(pk=opinion_id, state=OpinionState.APPROVED).update(render_error=message)
        failed = Opinion.objects.get(pk=opinion_id)
        record("opinions.issue_failed", actor=actor, instance=failed, data={"error": message})
        raise


@transaction.atomic
def revoke(*, actor, opinion, reason):
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not permissions.can_manage(actor, opinion):
        raise PermissionDenied
    reason = clean_text(
        Opinion,
        {"revoke_reason": reason},
        required={"revoke_reason": _("Give the reason for revoking the opinion; it is shown publicly.")},
    )["revoke_reason"]
    lifecycle.take(opinion, "revoke", actor)
    opinion.revoked_at, opinion.revoke_reason = timezone.now(), reason
    opinion.save()
    close_polls_about(opinion, actor=actor)
    record(
        "opinions.revoke",
        actor=actor,
        instance=opinion,
        data={"reason": reason},
        tell=Tell(
            _concerned(opinion), title=_("Opinion revoked"), body=f"{opinion.number}: {reason}", url=detail_url(opinion)
        ),
    )
    return opinion


def _concerned(opinion):
    """Who hears that it was issued or revoked: its editors and everyone in its sign-off list."""
    return set(_editors(opinion)) | {entry.user for entry in opinion.sign_offs.select_related("user")}


def close_polls_about(opinion, *, actor):
    """A vote still open about an opinion that was issued or revoked has nothing left to decide: close it."""
    from portal.voting.services import close_polls_about as close

    state = OpinionState(opinion.state).label  # lazy: each manager reads it in their own language
    close(
        opinion,
        actor=actor,
        reason=fmt(_("The opinion “%(title)s” is now %(state)s."), title=opinion.title, state=state),
    )


def matches_issued_file(opinion, data: bytes) -> bool:
    """Whether uploaded bytes are byte-for-byte the issued PDF."""
    return bool(opinion.sha256) and hashlib.sha256(data).hexdigest() == opinion.sha256
