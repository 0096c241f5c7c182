"""A base application's expert review through ``portal.reviews``: its rounds and whether the review is over."""

from django.contrib.contenttypes.models import ContentType

from portal.reviews.models import ReviewRound, RoundState


def rounds_of(base):
    from .models import BaseApplication

    return ReviewRound.objects.filter(
        content_type=ContentType.objects.get_for_model(BaseApplication), object_id=base.pk
    ).order_by("-pk")


def is_finished(base) -> bool:
    """The latest round on the application has closed with its results."""
    latest = rounds_of(base).first()
    return latest is not None and latest.state == RoundState.CLOSED
