"""Rubrics made from code (demo data, a domain's standard rubric) and the newest version of a rubric.

Rubrics are configuration edited in the admin; these helpers only set one up the first time, with its criteria
given as rows ``(name_zh, name_en, weight, guidance, guidance_en)``.
"""

from decimal import Decimal

from django.db import transaction

from .models import Criterion, Rubric


@transaction.atomic
def build_rubric(*, name, name_en="", description="", criteria, scale=(Decimal(0), Decimal(10)), **options) -> Rubric:
    """A new rubric with ``criteria`` in their order; ``options`` go to every criterion (reason thresholds …)."""
    rubric = Rubric.objects.create(name=name, name_en=name_en, description=description)
    for order, (name_zh, criterion_en, weight, guidance, guidance_en) in enumerate(criteria):
        Criterion.objects.create(
            rubric=rubric,
            sort_order=order,
            name_zh=name_zh,
            name_en=criterion_en,
            guidance=guidance,
            guidance_en=guidance_en,
            weight=Decimal(weight),
            scale_min=scale[0],
            scale_max=scale[1],
            **options,
        )
    return rubric


def latest_version(rubric: Rubric) -> Rubric:
    """The newest version of ``rubric`` (revising a rubric in use makes a new version, see revise_rubric)."""
    while (following := Rubric.objects.filter(previous=rubric).first()) is not None:
        rubric = following
    return rubric
