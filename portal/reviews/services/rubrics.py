"""Rubrics: revisions and criteria (a rubric in use is frozen)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.history.record import record

from .. import permissions
from ..models import (
    Criterion,
    Rubric,
)

# --- Rubrics ---------------------------------------------------------------------------------------------


@transaction.atomic
def revise_rubric(*, actor, rubric: Rubric) -> Rubric:
    """A new, editable version of a rubric, with copies of its criteria. The old version stays as it was."""
    if not permissions.can_edit_rubrics(actor):
        raise PermissionDenied
    if not rubric.is_latest:
        raise ValidationError(_("A newer version of this rubric exists; revise that one."), code="not_latest")
    new = Rubric.objects.create(
        name=rubric.name,
        name_en=rubric.name_en,
        description=rubric.description,
        version=rubric.version + 1,
        previous=rubric,
    )
    Criterion.objects.bulk_create(
        Criterion(
            rubric=new,
            sort_order=criterion.sort_order,
            name_zh=criterion.name_zh,
            name_en=criterion.name_en,
            guidance=criterion.guidance,
            guidance_en=criterion.guidance_en,
            weight=criterion.weight,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
            reason_required_below=criterion.reason_required_below,
            reason_required_above=criterion.reason_required_above,
        )
        for criterion in rubric.criteria.all()
    )
    record("reviews.revise_rubric", actor=actor, instance=new, data={"previous": rubric.pk})
    return new


@transaction.atomic
def update_criterion(*, actor, criterion: Criterion, **fields) -> Criterion:
    """Change a criterion of a rubric that no round uses yet."""
    if not permissions.can_edit_rubrics(actor):
        raise PermissionDenied
    allowed = {
        "name_zh",
        "name_en",
        "guidance",
        "guidance_en",
        "weight",
        "scale_min",
        "scale_max",
        "reason_required_below",
        "reason_required_above",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.full_clean()  # refuses frozen rubrics
    others = list(criterion.rubric.criteria.exclude(pk=criterion.pk)) + [criterion]
    error = criterion.rubric.weight_error(others)
    if error:
        raise ValidationError(error, code="weights")
    criterion.save()
    record(
        "reviews.update_criterion",
        actor=actor,
        instance=criterion.rubric,
        data={"criterion": criterion.pk, "fields": {k: str(v) for k, v in fields.items()}},
    )
    return criterion
