"""The composition rule: industry representatives hold at least the charter minimum of the votes.

The industry share is computed over the voting members on a date (has_vote, term_start ≤ date < term_end or
open): the number of those whose organization is an industry organization (`Organization.is_industry`, i.e.
not a government body) divided by the number of voting members. One open membership per organization, so
members and organizations count the same. No voting members: no share (None).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Seat:
    """What the rule needs to know about one membership."""

    key: object  # the membership's pk, or a marker for a new one
    is_industry: bool
    has_vote: bool
    term_start: datetime.date
    term_end: datetime.date | None

    def counts_on(self, on):
        return self.has_vote and self.term_start <= on and (self.term_end is None or self.term_end > on)


def seat_of(membership, key=None):
    return Seat(
        key=membership.pk if key is None else key,
        is_industry=bool(membership.organization.is_industry),
        has_vote=membership.has_vote,
        term_start=membership.term_start,
        term_end=membership.term_end,
    )


def industry_share(memberships, on=None):
    """Industry organizations / all voting organizations on `on` (today by default), as a Decimal of 4 places."""
    on = on or datetime.date.today()
    seats = [item if isinstance(item, Seat) else seat_of(item) for item in memberships]
    voting = [seat for seat in seats if seat.counts_on(on)]
    if not voting:
        return None
    industry = sum(1 for seat in voting if seat.is_industry)
    return (Decimal(industry) / Decimal(len(voting))).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def as_percent(share):
    """0.9231 -> '92.3%'."""
    if share is None:
        return "—"
    value = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value.quantize(Decimal(1)) if value == value.to_integral() else value}%"


def council_seats(council, exclude=None):
    from .models import Membership

    queryset = Membership.objects.filter(council=council).select_related("organization")
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return [seat_of(membership) for membership in queryset]


@dataclass(frozen=True)
class Assessment:
    before: Decimal | None
    after: Decimal | None
    minimum: Decimal

    @property
    def violates(self):
        """The change leaves the share below the minimum and lowers it (or starts below it)."""
        if self.after is None or self.after >= self.minimum:
            return False
        return self.before is None or self.after < self.before

    def message(self):
        values = {
            "before": as_percent(self.before),
            "after": as_percent(self.after),
            "minimum": as_percent(self.minimum),
        }
        if self.before is None:
            return (
                _("This change would make the industry share %(after)s, below the %(minimum)s the charter requires.")
                % values
            )
        return (
            _(
                "This change would lower the industry share from %(before)s to %(after)s, "
                "below the %(minimum)s the charter requires."
            )
            % values
        )


def assess_change(council, *, remove=None, add=None, on=None):
    """The share before and after replacing membership `remove` (a pk) by `add` (a Seat or None)."""
    on = on or datetime.date.today()
    seats = council_seats(council)
    before = industry_share(seats, on)
    after_seats = [seat for seat in seats if remove is None or seat.key != remove]
    if add is not None:
        after_seats.append(add)
    after = industry_share(after_seats, on)
    return Assessment(before=before, after=after, minimum=council.min_industry_share(on))


def check(assessment, *, override_allowed=False, override_reason=""):
    """Raise ValidationError when the change breaks the rule and is not a valid override; True when overridden."""
    if not assessment.violates:
        return False
    if override_allowed and (override_reason or "").strip():
        return True
    raise ValidationError(assessment.message(), code="industry_share")
