"""The quorum and majority arithmetic of portal.voting.tally: examples, tables, edges, invalid input.

hypothesis is not installed in this environment, so the properties are checked exhaustively over small
ranges instead (every count combination up to a size), which for integer arithmetic is at least as strong.
"""

import dataclasses
import itertools
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from portal.voting.tally import (
    BASES,
    MAJORITIES,
    majority_met,
    min_yes,
    percent,
    quorum_fraction,
    required_present,
    tally,
)

ROOT = Path(__file__).resolve().parent.parent


def run(yes, no, abstain, *, electorate, present, majority="simple", base="yes_no", quorum=0):
    return tally(yes, no, abstain, electorate=electorate, present=present, majority=majority, base=base, quorum=quorum)


# --- the examples the rules must reproduce -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("majority", "base", "needed"),
    [
        ("simple", 9, 5),
        ("simple", 10, 6),
        ("two_thirds", 9, 6),
        ("two_thirds", 10, 7),
        ("three_quarters", 8, 6),
        ("three_quarters", 9, 7),
        ("unanimous", 9, 9),
        ("simple", 1, 1),
        ("two_thirds", 3, 2),
    ],
)
def test_min_yes_examples(majority, base, needed):
    assert min_yes(majority, base) == needed
    # and tally agrees, on a base that does not move with the yes count
    passing = run(needed, 0, 0, electorate=base, present=base, majority=majority, base="present")
    failing = run(needed - 1, 0, 0, electorate=base, present=base, majority=majority, base="present")
    assert passing.passed and passing.min_yes_to_pass == needed
    assert not failing.passed


def test_two_thirds_quorum_of_fifteen_needs_ten():
    assert required_present(Fraction(2, 3), 15) == 10
    assert not run(9, 0, 0, electorate=15, present=9, quorum=Fraction(2, 3)).quorum_met
    result = run(10, 0, 0, electorate=15, present=10, quorum=Fraction(2, 3))
    assert result.quorum_met and result.required_present == 10


def test_a_tie_does_not_pass():
    result = run(4, 4, 0, electorate=8, present=8)
    assert result.base == 8 and result.min_yes_to_pass == 5
    assert not result.passed and not result.majority_met


def test_simple_majority_of_nine_and_ten():
    assert run(5, 4, 0, electorate=9, present=9).passed
    assert not run(5, 5, 0, electorate=10, present=10).passed
    assert run(6, 4, 0, electorate=10, present=10).passed


# --- bases × majorities ----------------------------------------------------------------------------------------

# 6 yes, 2 no, 2 abstain; 11 present of 15. Bases: yes_no 8, yes_no_abstain 10, present 11, electorate 15.
BASE_NUMBERS = {"yes_no": 8, "yes_no_abstain": 10, "present": 11, "electorate": 15}
PASSES = {
    ("simple", "yes_no"): True,  # 12 > 8
    ("simple", "yes_no_abstain"): True,  # 12 > 10
    ("simple", "present"): True,  # 12 > 11
    ("simple", "electorate"): False,  # 12 > 15 no
    ("two_thirds", "yes_no"): True,  # 18 >= 16
    ("two_thirds", "yes_no_abstain"): False,  # 18 >= 20 no
    ("two_thirds", "present"): False,
    ("two_thirds", "electorate"): False,
    ("three_quarters", "yes_no"): True,  # 24 >= 24
    ("three_quarters", "yes_no_abstain"): False,
    ("three_quarters", "present"): False,
    ("three_quarters", "electorate"): False,
    ("unanimous", "yes_no"): False,
    ("unanimous", "yes_no_abstain"): False,
    ("unanimous", "present"): False,
    ("unanimous", "electorate"): False,
}


@pytest.mark.parametrize(("majority", "base"), sorted(PASSES))
def test_bases_times_majorities(majority, base):
    result = run(6, 2, 2, electorate=15, present=11, majority=majority, base=base)
    assert result.base == BASE_NUMBERS[base]
    assert result.passed is PASSES[(majority, base)]
    assert result.majority == majority and result.base_name == base


# 5 yes, 0 no, 2 abstain, all 7 present: unanimity depends on whether abstentions count.
@pytest.mark.parametrize(
    ("base", "passes"), [("yes_no", True), ("yes_no_abstain", False), ("present", False), ("electorate", False)]
)
def test_unanimity_and_abstentions(base, passes):
    assert run(5, 0, 2, electorate=7, present=7, majority="unanimous", base=base).passed is passes


def test_unanimity_with_everyone_yes():
    for base in BASES:
        assert run(7, 0, 0, electorate=7, present=7, majority="unanimous", base=base).passed


def test_unanimity_fails_on_one_no():
    for base in BASES:
        assert not run(6, 1, 0, electorate=7, present=7, majority="unanimous", base=base).passed


def test_electorate_base_counts_the_absent_as_not_yes():
    # an "absolute majority": more than half of all members, whoever turned up
    assert not run(5, 0, 0, electorate=10, present=5, base="electorate").passed
    assert run(6, 0, 0, electorate=10, present=6, base="electorate").passed


# --- quorum ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quorum", "electorate", "required"),
    [
        (Fraction(2, 3), 15, 10),
        (Fraction(2, 3), 16, 11),  # 10.67 rounds up
        (Fraction(2, 3), 14, 10),  # 9.33 rounds up
        (Fraction(2, 3), 3, 2),
        (Fraction(1, 2), 10, 5),
        (Fraction(1, 2), 11, 6),
        (Decimal("0.5"), 11, 6),
        ("2/3", 15, 10),
        ("0.5", 7, 4),
        (0, 15, 0),
        (1, 15, 15),
        (Fraction(1, 2), 0, 0),
        (Decimal("0.6667"), 15, 11),  # a rounded decimal is taken exactly: 10.0005 needs 11
    ],
)
def test_required_present_rounds_up(quorum, electorate, required):
    assert required_present(quorum, electorate) == required


def test_quorum_boundary():
    assert run(6, 0, 0, electorate=11, present=6, quorum=Fraction(1, 2)).quorum_met
    assert not run(5, 0, 0, electorate=11, present=5, quorum=Fraction(1, 2)).quorum_met


def test_without_quorum_nothing_passes():
    result = run(9, 0, 0, electorate=15, present=9, quorum=Fraction(2, 3), majority="unanimous")
    assert result.majority_met and not result.quorum_met and not result.passed


def test_quorum_zero_is_always_met():
    result = run(1, 0, 0, electorate=20, present=1, quorum=0)
    assert result.quorum_met and result.required_present == 0 and result.passed


def test_quorum_is_kept_as_a_fraction():
    assert run(1, 0, 0, electorate=3, present=3, quorum="2/3").quorum == Fraction(2, 3)
    assert quorum_fraction(Decimal("0.25")) == Fraction(1, 4)


# --- zero votes, all abstain ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("majority", "base"), list(itertools.product(sorted(MAJORITIES), sorted(BASES))))
def test_zero_votes_never_pass(majority, base):
    result = run(0, 0, 0, electorate=5, present=5, majority=majority, base=base)
    assert not result.passed


@pytest.mark.parametrize("majority", sorted(MAJORITIES))
def test_empty_electorate_never_passes(majority):
    result = run(0, 0, 0, electorate=0, present=0, majority=majority, base="electorate")
    assert result.base == 0 and result.min_yes_to_pass is None and result.quorum_met and not result.passed


@pytest.mark.parametrize(("majority", "base"), list(itertools.product(sorted(MAJORITIES), sorted(BASES))))
def test_all_abstain_never_passes(majority, base):
    result = run(0, 0, 5, electorate=5, present=5, majority=majority, base=base)
    assert not result.passed
    if base == "yes_no":
        assert result.base == 0 and result.min_yes_to_pass is None


def test_base_zero_is_not_two_thirds():
    # 3·0 >= 2·0 holds arithmetically; a base of 0 must still not pass.
    assert not majority_met("two_thirds", 0, 0)
    assert not majority_met("unanimous", 0, 0)


# --- invalid input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"yes": -1},
        {"no": -1},
        {"abstain": -2},
        {"electorate": -1},
        {"present": -1},
        {"yes": 1.0},
        {"yes": True},
        {"electorate": Decimal(5)},
        {"quorum": 0.5},
        {"quorum": Fraction(3, 2)},
        {"quorum": -1},
        {"quorum": "two thirds"},
        {"quorum": "1/0"},
        {"quorum": Decimal("NaN")},
        {"quorum": None},
        {"majority": "absolute"},
        {"majority": "Simple"},
        {"base": "members"},
        {"base": None},
        {"present": 6},  # more present than the electorate of 5
        {"yes": 4, "no": 2},  # 6 ballots, electorate 5
        {"base": "present", "present": 2},  # 3 ballots cast, only 2 present
    ],
)
def test_invalid_input_raises_value_error(kwargs):
    arguments = {
        "yes": 2,
        "no": 1,
        "abstain": 0,
        "electorate": 5,
        "present": 4,
        "majority": "simple",
        "base": "yes_no",
        "quorum": Fraction(1, 2),
    }
    arguments.update(kwargs)
    yes, no, abstain = arguments.pop("yes"), arguments.pop("no"), arguments.pop("abstain")
    with pytest.raises(ValueError):
        tally(yes, no, abstain, **arguments)


def test_ballots_may_exceed_present_when_the_base_does_not_use_it():
    result = run(3, 0, 0, electorate=5, present=2, base="yes_no")
    assert result.passed


# --- the result ---------------------------------------------------------------------------------------------


def test_result_is_frozen_and_exact():
    result = run(5, 3, 1, electorate=10, present=9, base="yes_no_abstain", quorum=Fraction(2, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.passed = False
    for name in ("yes", "no", "abstain", "electorate", "present", "base", "required_present", "min_yes_to_pass"):
        assert type(getattr(result, name)) is int, name
    assert isinstance(result.quorum, Fraction)
    assert (result.yes, result.no, result.abstain, result.cast) == (5, 3, 1, 9)
    assert (result.base, result.required_present, result.min_yes_to_pass) == (9, 7, 5)
    assert result.passed and result.quorum_met and result.majority_met


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [(5, 9, "55.6"), (2, 3, "66.7"), (1, 3, "33.3"), (1, 8, "12.5"), (1, 16, "6.3"), (0, 4, "0.0"), (4, 4, "100.0")],
)
def test_percent_is_a_decimal_with_one_place(count, base, expected):
    value = percent(count, base)
    assert isinstance(value, Decimal) and value == Decimal(expected) and str(value) == expected


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None
    assert run(0, 0, 2, electorate=2, present=2, base="yes_no").share(0) is None


# --- properties, checked exhaustively over small ranges -------------------------------------------------------


@pytest.mark.parametrize("majority", sorted(MAJORITIES))
def test_min_yes_is_the_smallest_passing_yes(majority):
    for base in range(0, 61):
        passing = [yes for yes in range(base + 1) if majority_met(majority, yes, base)]
        if base == 0:
            assert passing == [] and min_yes(majority, base) is None
            continue
        # the smallest passing count, and every count above it passes too (monotone)
        assert passing == list(range(min_yes(majority, base), base + 1)), base


@pytest.mark.parametrize("majority", sorted(MAJORITIES))
def test_majorities_are_ordered(majority):
    """Unanimity ⊂ three quarters ⊂ two thirds ⊂ simple: a stricter rule never passes what a looser fails."""
    order = ["simple", "two_thirds", "three_quarters", "unanimous"]
    stricter = order[order.index(majority) :]
    for base in range(1, 41):
        for yes in range(base + 1):
            if any(majority_met(rule, yes, base) for rule in stricter):
                assert majority_met(majority, yes, base)


def test_tally_is_consistent_everywhere_small():
    electorate = 7
    quorum = Fraction(2, 3)
    for yes, no, abstain in itertools.product(range(electorate + 1), repeat=3):
        cast = yes + no + abstain
        if cast > electorate:
            continue
        for present in range(electorate + 1):
            for majority, base in itertools.product(MAJORITIES, BASES):
                if base == "present" and cast > present:
                    with pytest.raises(ValueError):
                        run(yes, no, abstain, electorate=electorate, present=present, majority=majority, base=base)
                    continue
                result = run(
                    yes,
                    no,
                    abstain,
                    electorate=electorate,
                    present=present,
                    majority=majority,
                    base=base,
                    quorum=quorum,
                )
                assert result.quorum_met is (present >= 5)
                minimum = result.min_yes_to_pass
                assert result.majority_met is (minimum is not None and yes >= minimum)
                assert result.passed is (result.quorum_met and result.majority_met)
                assert 0 <= result.base <= electorate


def test_the_module_does_not_need_django():
    code = (
        "import sys; from portal.voting.tally import tally; import portal.voting; "
        "assert 'django' not in sys.modules, 'django imported'; "
        "assert 'portal.voting.models' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
