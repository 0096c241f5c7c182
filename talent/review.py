"""The expert review of a base or special-talent application through ``portal.reviews``: its rounds and whether the
review is over (the subject is either; rounds are found by its model)."""

from django.contrib.contenttypes.models import ContentType

from portal.reviews.models import ReviewRound, RoundState


def rounds_of(subject):
    return ReviewRound.objects.filter(
        content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk
    ).order_by("-pk")


def is_finished(base) -> bool:
    """The latest round on the application has closed with its results."""
    latest = rounds_of(base).first()
    return latest is not None and latest.state == RoundState.CLOSED


def summary(base):
    """The latest closed round's aggregate (value, count, spread; it names nobody), or None: what the officer
    decides on."""
    from portal.reviews.services.results import round_result

    latest = rounds_of(base).filter(state=RoundState.CLOSED).first()
    if latest is None:
        return None
    result = round_result(latest)
    return {"round": latest, "aggregate": result.aggregate, "sufficient": result.sufficient}
