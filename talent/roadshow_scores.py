"""The mean of a pitch's scores as an exact decimal to one place (scores are whole numbers 1–10; never a float)."""

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def mean_score(total, count) -> Decimal | None:
    """``total`` of ``count`` scores; None when nobody scored."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
