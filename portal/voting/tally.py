"""Quorum and majority arithmetic for polls: a pure function on exact numbers.

No Django, no database: ``tally()`` takes counts and rules and returns a frozen ``TallyResult``.
Councils' motions, the fund's investment committee and the talent deliberation meeting all call it
(through ``portal.voting.services.close_poll``), and so can anyone who wants to explain a result.

Numbers are exact throughout: counts are ``int``; the quorum is an ``int`` (0 or 1), a ``Fraction`` or a
``Decimal`` (or a string such as ``"2/3"``). A ``float`` is refused, because 2/3 is not a float and a
quorum of 0.6666… people is exactly the kind of rounding question a vote must not depend on.

Definitions
-----------
Counts
    ``yes``, ``no``, ``abstain`` — ballots cast. ``electorate`` — members entitled to vote (after recusals).
    ``present`` — members taking part in the meeting: in the room, or represented by a proxy holder who is.
    ``present`` never exceeds ``electorate``, and the ballots cast never exceed ``electorate``.

Base (what the majority is a fraction of)
    ``yes_no``          yes + no (abstentions do not count either way);
    ``yes_no_abstain``  yes + no + abstain (every ballot cast; an abstention acts like a no);
    ``present``         the members present (not voting acts like a no); ballots cast may not exceed it;
    ``electorate``      the whole electorate (an "absolute majority" is ``simple`` of this base).

Majority (yes compared with the base ``b``; always integer arithmetic)
    ``simple``          yes > b/2, i.e. 2·yes > b          (b = 9 needs 5, b = 10 needs 6);
    ``two_thirds``      3·yes ≥ 2·b                         (b = 9 needs 6, b = 10 needs 7);
    ``three_quarters``  4·yes ≥ 3·b                         (b = 8 needs 6, b = 9 needs 7);
    ``unanimous``       yes = b and b > 0: every vote that the base counts is a yes. With base ``yes_no``
                        that means "at least one yes and no no" (abstentions allowed); with
                        ``yes_no_abstain`` "every ballot cast is a yes"; with ``present`` "every member
                        present voted yes"; with ``electorate`` "every member of the electorate voted yes".

    A base of 0 never passes, whatever the majority (nothing was decided; in particular 0 yes of base 0
    is not "two thirds").

Quorum
    A fraction ``q`` (0 ≤ q ≤ 1) of the electorate that must be present: ``present ≥ ⌈q·electorate⌉``.
    A ⅔ quorum of 15 needs 10; of 16 needs 11. ``q = 0`` means no quorum is needed. A poll whose quorum
    is not met does not pass, whatever the votes.

Result
    ``passed = quorum_met and majority_met``; ``base`` is the number the majority is taken of;
    ``required_present`` the presence the quorum needs; ``min_yes_to_pass`` the smallest number of yes
    votes that would meet the majority with this base held fixed (``None`` when no number can, i.e. when
    the base is 0). It ignores the quorum, which ``quorum_met`` reports separately.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Rational

__all__ = [
    "BASES",
    "MAJORITIES",
    "Base",
    "Majority",
    "TallyResult",
    "base_value",
    "majority_met",
    "min_yes",
    "percent",
    "quorum_fraction",
    "required_present",
    "tally",
]


class Majority(enum.StrEnum):
    SIMPLE = "simple"
    TWO_THIRDS = "two_thirds"
    THREE_QUARTERS = "three_quarters"
    UNANIMOUS = "unanimous"


class Base(enum.StrEnum):
    YES_NO = "yes_no"
    YES_NO_ABSTAIN = "yes_no_abstain"
    PRESENT = "present"
    ELECTORATE = "electorate"


MAJORITIES = frozenset(m.value for m in Majority)
BASES = frozenset(b.value for b in Base)


@dataclass(frozen=True)
class TallyResult:
    yes: int
    no: int
    abstain: int
    electorate: int
    present: int
    majority: str
    base_name: str
    quorum: Fraction
    base: int
    required_present: int
    min_yes_to_pass: int | None
    quorum_met: bool
    majority_met: bool
    passed: bool

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    def share(self, count: int) -> Decimal | None:
        """``count`` as a percentage of the base, one decimal place (None when the base is 0)."""
        return percent(count, self.base)


def _count(name: str, value) -> int:
    # bool is an int subclass; True votes are not a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value})")
    return value


def quorum_fraction(quorum) -> Fraction:
    """The quorum as an exact Fraction in [0, 1]. Accepts int, Fraction, Decimal or a string ("2/3", "0.5")."""
    if isinstance(quorum, bool | float):
        raise ValueError("quorum must be exact (int, Fraction, Decimal or str), not a float")
    if isinstance(quorum, Decimal):
        if not quorum.is_finite():
            raise ValueError("quorum must be a finite number")
        value = Fraction(quorum)
    elif isinstance(quorum, Rational):
        value = Fraction(quorum)
    elif isinstance(quorum, str):
        try:
            value = Fraction(quorum.strip())
        except (ValueError, ZeroDivisionError) as error:
            raise ValueError(f"quorum {quorum!r} is not a number") from error
    else:
        raise ValueError(f"quorum must be exact (int, Fraction, Decimal or str), not {type(quorum).__name__}")
    if not 0 <= value <= 1:
        raise ValueError(f"quorum must be between 0 and 1 (got {value})")
    return value


def required_present(quorum, electorate: int) -> int:
    """⌈q·electorate⌉, exactly."""
    product = quorum_fraction(quorum) * _count("electorate", electorate)
    return -(-product.numerator // product.denominator)


def _majority(name) -> Majority:
    try:
        return Majority(name)
    except ValueError:
        raise ValueError(f"unknown majority {name!r}; expected one of {sorted(MAJORITIES)}") from None


def _base(name) -> Base:
    try:
        return Base(name)
    except ValueError:
        raise ValueError(f"unknown base {name!r}; expected one of {sorted(BASES)}") from None


def base_value(base, *, yes: int, no: int, abstain: int, present: int, electorate: int) -> int:
    match _base(base):
        case Base.YES_NO:
            return yes + no
        case Base.YES_NO_ABSTAIN:
            return yes + no + abstain
        case Base.PRESENT:
            return present
        case Base.ELECTORATE:
            return electorate


def majority_met(majority, yes: int, base: int) -> bool:
    """Whether ``yes`` meets the majority of ``base``. A base of 0 never does."""
    if base <= 0:
        return False
    match _majority(majority):
        case Majority.SIMPLE:
            return 2 * yes > base
        case Majority.TWO_THIRDS:
            return 3 * yes >= 2 * base
        case Majority.THREE_QUARTERS:
            return 4 * yes >= 3 * base
        case Majority.UNANIMOUS:
            return yes == base


def min_yes(majority, base: int) -> int | None:
    """The smallest yes count meeting the majority of ``base`` (None if none can: base 0)."""
    majority = _majority(majority)
    if base <= 0:
        return None
    match majority:
        case Majority.SIMPLE:
            return base // 2 + 1
        case Majority.TWO_THIRDS:
            return -(-2 * base // 3)
        case Majority.THREE_QUARTERS:
            return -(-3 * base // 4)
        case Majority.UNANIMOUS:
            return base


def percent(count: int, base: int) -> Decimal | None:
    """``count / base`` as a percentage rounded half-up to one decimal place; None when base is 0."""
    if base <= 0:
        return None
    return (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def tally(yes, no, abstain, *, electorate, present, majority, base, quorum) -> TallyResult:
    """Decide a vote. See the module docstring for the exact rules; invalid input raises ValueError."""
    yes, no, abstain = _count("yes", yes), _count("no", no), _count("abstain", abstain)
    electorate, present = _count("electorate", electorate), _count("present", present)
    majority, base_name = _majority(majority), _base(base)
    q = quorum_fraction(quorum)
    cast = yes + no + abstain
    if present > electorate:
        raise ValueError(f"present ({present}) exceeds the electorate ({electorate})")
    if cast > electorate:
        raise ValueError(f"ballots cast ({cast}) exceed the electorate ({electorate})")
    if base_name is Base.PRESENT and cast > present:
        raise ValueError(f"ballots cast ({cast}) exceed the members present ({present})")
    base_number = base_value(base_name, yes=yes, no=no, abstain=abstain, present=present, electorate=electorate)
    needed_present = required_present(q, electorate)
    quorum_met = present >= needed_present
    met = majority_met(majority, yes, base_number)
    return TallyResult(
        yes=yes,
        no=no,
        abstain=abstain,
        electorate=electorate,
        present=present,
        majority=majority.value,
        base_name=base_name.value,
        quorum=q,
        base=base_number,
        required_present=needed_present,
        min_yes_to_pass=min_yes(majority, base_number),
        quorum_met=quorum_met,
        majority_met=met,
        passed=quorum_met and met,
    )
