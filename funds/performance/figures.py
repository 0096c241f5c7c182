"""A computed figure and where it came from: the value shown, or "—" with the reason it cannot be computed.

Every number of the performance evaluation is a ``Figure``: its ``sources`` are the recorded rows it was computed
from (a click on the number lists them), so a reader can check it by hand.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Source:
    """One recorded row a figure used: what it is, its date, its amount (or count), and where it lives."""

    label: str
    amount: Decimal | int | None = None
    on: object = None  # a date, when the row has one
    kind: str = ""  # e.g. "disbursement", "paid_in", "valuation"
    ref: str = ""  # "<model>:<pk>", for the evaluation's snapshot and the Excel sheet


@dataclass(frozen=True)
class Figure:
    """A value (``None`` when it cannot be computed, ``reason`` then says why) with the rows behind it."""

    value: Decimal | float | int | None
    reason: str = ""
    sources: tuple[Source, ...] = field(default=(), repr=False)
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None

    @property
    def known(self) -> bool:
        return self.value is not None


def missing(reason, sources=()) -> Figure:
    return Figure(None, reason=reason, sources=tuple(sources))
