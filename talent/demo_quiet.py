"""The talent demo's last step: notifications about what is over are read (library entries already curated, review
rounds already closed, opinions already issued, applications the office has moved on), so that what still waits for
someone stands out in their bell."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.notifications.models import Notification
from portal.opinions.models import Opinion, OpinionState
from portal.opinions.services import detail_url
from portal.reviews.models import Assignment, ReviewRound, RoundState

from .models import (
    LIBRARIES,
    BaseApplication,
    BaseStage,
    ListingState,
    Programme,
    SpecialStage,
    SpecialTalentApplication,
)


def read_finished_notifications(log):
    finished = set()
    for model in LIBRARIES.values():
        finished |= {listing.get_absolute_url() for listing in model.objects.exclude(state=ListingState.PENDING)}
    of_programmes = ContentType.objects.get_for_model(Programme)  # the talent office's own, nobody else's
    closed = ReviewRound.objects.filter(state=RoundState.CLOSED, owner_type=of_programmes)
    finished |= {review_round.get_absolute_url() for review_round in closed}
    finished |= {assignment.get_absolute_url() for assignment in Assignment.objects.filter(round__in=closed)}
    issued = Opinion.objects.filter(state=OpinionState.ISSUED, issuer__owner_type=of_programmes)
    finished |= {detail_url(opinion) for opinion in issued}
    moved_on = [
        *BaseApplication.objects.exclude(stage=BaseStage.CHECK).select_related("application"),
        *SpecialTalentApplication.objects.exclude(stage=SpecialStage.PRE_REVIEW).select_related("application"),
    ]
    finished |= {row.application.get_absolute_url() for row in moved_on}
    # A notification links in its reader's language: /en/… for English readers.
    finished |= {f"/en{url}" for url in finished}
    count = Notification.objects.filter(url__in=finished, read_at__isnull=True).update(read_at=timezone.now())
    log(f"talent: {count} notifications about finished work marked read")
