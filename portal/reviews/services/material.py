"""The review material: what a round exposes of its subject to its reviewers, and the audited reads of it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.history.record import record
from portal.notifications.services import notify

from .. import material, permissions
from ..models import AssignmentState, ReviewRound, RoundMaterial
from .common import assignee_users, stored_link

# A label is the item's name when it was exposed, kept as long as the column allows (like a history line).
LABEL_MAX = RoundMaterial._meta.get_field("label").max_length


@transaction.atomic
def expose_material(*, actor, review_round: ReviewRound, keys) -> list[RoundMaterial]:
    """Make the round expose exactly ``keys`` (keys of its subject's candidates, ``portal.reviews.material``).

    While the round is being prepared the choice may change freely. Once it is open, material may be added but
    not withdrawn (reviewers may be reading it); the cleared reviewers are told what was added. A closed round's
    material no longer changes."""
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.is_closed:
        raise ValidationError(_("This review round has closed; its material can no longer change."), code="closed")
    keys = list(dict.fromkeys(keys))
    available = {item.key: (order, item) for order, item in enumerate(material.candidates(review_round.subject))}
    if any(key not in available for key in keys):
        message = _("Some of the chosen material is no longer available; please choose again.")
        raise ValidationError({"keys": ValidationError(message, code="unknown")})
    present = {row.key: row for row in review_round.material.all()}
    removed = [key for key in present if key not in keys]
    added = [key for key in keys if key not in present]
    if removed and not review_round.is_draft:
        message = _("The round is open: material may be added, but nothing can be withdrawn from the reviewers.")
        raise ValidationError({"keys": ValidationError(message, code="withdrawn")})
    if not added and not removed:
        raise ValidationError(_("The round already exposes exactly this material."), code="unchanged")
    review_round.material.filter(key__in=removed).delete()
    for key in added:
        order, item = available[key]
        row = RoundMaterial(
            round=review_round,
            key=key,
            kind=item.kind,
            label=item.label[:LABEL_MAX],
            label_en=item.label_en[:LABEL_MAX],
            order=order,
            added_by=actor,
        )
        if item.obj is not None:
            row.item = item.obj
        row.save()
    record(
        "reviews.expose_material",
        actor=actor,
        instance=review_round,
        data={"added": added, "removed": removed},
    )
    if added and review_round.is_open:  # each reader gets the link to their own assignment
        readers = review_round.assignments.filter(
            state__in=[AssignmentState.CLEARED, AssignmentState.SUBMITTED]
        ).select_related("expert__user")
        for assignment in readers:
            notify(
                assignee_users([assignment]),
                title=format_lazy(_("New material to read in {title}"), title=review_round.assignee_label),
                url=stored_link("assignment", assignment.pk),
                email=False,
            )
    return list(review_round.material.all())


def record_material_read(*, actor, material_row: RoundMaterial, assignment=None) -> None:
    """A sensitive read: someone opened or downloaded exposed material. Audited on the round; changes nothing."""
    data = {"material": material_row.pk, "key": material_row.key, "label": material_row.label}
    if assignment is not None:
        data["assignment"] = assignment.pk
    record("reviews.read_material", actor=actor, instance=material_row.round, data=data)
