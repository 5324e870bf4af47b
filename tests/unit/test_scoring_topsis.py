"""Entropy weights and TOPSIS against hand-solved examples, their validation and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zerowaste.errors import InvalidInput
from zerowaste.errors.indicators import ScoringNotPossible
from zerowaste.indicators.entropy import entropy_weights, min_max
from zerowaste.indicators.topsis import (
    Alternative,
    Criterion,
    WeightSource,
    expert_vector,
    rank,
)

CRITERIA = (Criterion("a", True), Criterion("b", False), Criterion("c", True))
#: a (benefit), b (cost), c (benefit) for three suppliers.
HAND = (
    Alternative("s1", {"a": 3, "b": 2, "c": 0}),
    Alternative("s2", {"a": 0, "b": 1, "c": 6}),
    Alternative("s3", {"a": 4, "b": 2, "c": 8}),
)


def test_entropy_weights_by_hand() -> None:
    """X = [[1, 4, 2], [2, 2, 2], [3, 0, 5]]; a and c benefits, b a cost.

    Min-max: a → (0, 0.5, 1); b → (4 - x)/4 = (0, 0.5, 1); c → (0, 0, 1).
    Shares a, b: (0, 1/3, 2/3); c: (0, 0, 1).
    e_a = e_b = -(1/3 ln 1/3 + 2/3 ln 2/3) / ln 3 = (0.366204 + 0.270310) / 1.098612 = 0.579380;
    e_c = -(1 ln 1) / ln 3 = 0 (0 ln 0 taken as 0).
    d = (0.420620, 0.420620, 1), Σd = 1.841240, w = (0.228444, 0.228444, 0.543112).
    """
    found = entropy_weights([[1, 4, 2], [2, 2, 2], [3, 0, 5]], [True, False, True])
    assert found.entropy == pytest.approx((0.579380, 0.579380, 0.0), abs=1e-6)
    assert found.weights == pytest.approx((0.228444, 0.228444, 0.543112), abs=1e-6)
    assert math.fsum(found.weights) == pytest.approx(1.0)


def test_a_constant_column_weighs_nothing_and_all_constant_is_refused() -> None:
    found = entropy_weights([[1, 7], [2, 7], [4, 7]], [True, False])
    assert found.weights == pytest.approx((1.0, 0.0))
    assert found.entropy[1] == 1.0
    assert min_max([[1, 7], [2, 7]], [True, True])[:, 1].tolist() == [1.0, 1.0]
    with pytest.raises(ScoringNotPossible):
        entropy_weights([[1, 7], [1, 7]], [True, False])
    with pytest.raises(ScoringNotPossible):
        entropy_weights([[1, 7]], [True, False])


def test_topsis_by_hand_with_expert_weights() -> None:
    """Expert weights a:2, b:1, c:1 → (0.5, 0.25, 0.25).

    Vector norms: a √(9+0+16) = 5, b √(4+1+4) = 3, c √(0+36+64) = 10.
    r: s1 (0.6, 2/3, 0), s2 (0, 1/3, 0.6), s3 (0.8, 2/3, 0.8).
    v: s1 (0.3, 1/6, 0), s2 (0, 1/12, 0.15), s3 (0.4, 1/6, 0.2).
    A+ = (0.4, 1/12, 0.2) (b is a cost: its minimum); A- = (0, 1/6, 0).
    s1: D+² = 0.01 + 1/144 + 0.04 = 0.056944, D+ = 0.238630; D- = 0.3; C = 0.556968.
    s2: D+² = 0.16 + 0 + 0.0025, D+ = 0.403113; D-² = 1/144 + 0.0225, D- = 0.171594;
        C = 0.298576.
    s3: D+ = 1/12 = 0.083333; D-² = 0.16 + 0.04, D- = 0.447214; C = 0.842929.
    Ranking s3, s1, s2; s3's distance is all b (share 1); s1's shares
    (0.01, 1/144, 0.04) / 0.056944 = (0.175610, 0.121951, 0.702439): c pulls it away most.
    """
    result = rank(HAND, CRITERIA, {"a": 2, "b": 1, "c": 1})
    assert result.weights.source is WeightSource.EXPERT
    assert result.weights.used == pytest.approx((0.5, 0.25, 0.25))
    assert [s.key for s in result.ranked] == ["s3", "s1", "s2"]
    assert [s.rank for s in result.ranked] == [1, 2, 3]
    s3, s1, s2 = result.ranked
    assert s1.d_plus == pytest.approx(0.238630, abs=1e-6)
    assert s1.d_minus == pytest.approx(0.3, abs=1e-9)
    assert s1.closeness == pytest.approx(0.556968, abs=1e-6)
    assert s2.closeness == pytest.approx(0.298576, abs=1e-6)
    assert s2.d_plus == pytest.approx(0.403113, abs=1e-6)
    assert s3.closeness == pytest.approx(0.842929, abs=1e-6)
    assert [c.share for c in s3.contributions] == pytest.approx([0.0, 1.0, 0.0])
    assert [c.share for c in s1.contributions] == pytest.approx(
        [0.175610, 0.121951, 0.702439], abs=1e-6
    )
    assert s1.main_gap is not None
    assert s1.main_gap.criterion == "c"
    assert s1.contributions[1].ideal == pytest.approx(1 / 12)
    assert s1.contributions[1].anti_ideal == pytest.approx(1 / 6)


def test_entropy_weights_are_the_default_and_a_blend_mixes_them() -> None:
    entropy = rank(HAND, CRITERIA)
    assert entropy.weights.source is WeightSource.ENTROPY
    assert entropy.weights.expert is None
    assert entropy.weights.entropy is not None
    e = entropy.weights.entropy.weights
    blend = rank(HAND, CRITERIA, {"a": 2, "b": 1, "c": 1}, alpha=0.4)
    assert blend.weights.source is WeightSource.BLEND
    expected = [0.4 * w + 0.6 * x for w, x in zip(e, (0.5, 0.25, 0.25), strict=True)]
    assert blend.weights.used == pytest.approx(expected)
    assert rank(HAND, CRITERIA, {"a": 1, "b": 1, "c": 1}, alpha=1).weights.used == (
        pytest.approx(e)
    )


def test_ties_share_a_rank() -> None:
    same = (
        Alternative("x", {"a": 1, "b": 1}),
        Alternative("y", {"a": 3, "b": 1}),
        Alternative("z", {"a": 3, "b": 1}),
        Alternative("w", {"a": 2, "b": 5}),
    )
    result = rank(same, (Criterion("a", True), Criterion("b", False)))
    assert [(s.key, s.rank) for s in result.ranked][:2] == [("y", 1), ("z", 1)]
    assert result.ranked[2].rank == 3


def test_a_supplier_missing_a_value_is_left_out_never_zeroed() -> None:
    with_gap = (*HAND, Alternative("s4", {"a": 9, "b": None, "c": 1}))
    result = rank(with_gap, CRITERIA)
    assert [s.key for s in result.ranked] == [s.key for s in rank(HAND, CRITERIA).ranked]
    assert [(e.key, e.missing) for e in result.excluded] == [("s4", ("b",))]
    assert "no value for b" in result.excluded[0].reason
    with pytest.raises(ScoringNotPossible, match="at least 2"):
        rank((HAND[0], Alternative("s4", {"a": 1, "b": None, "c": 1})), CRITERIA)


@pytest.mark.parametrize(
    ("expert", "alpha", "field", "text"),
    [
        ({"a": 1, "b": 1, "z": 1}, None, "weights", "z is not among"),
        ({"a": 1, "b": 1}, None, "weights", "no weight given for c"),
        ({"a": 1, "b": 0, "c": 1}, None, "weights", "positive"),
        ({"a": 1, "b": -2, "c": 1}, None, "weights", "positive"),
        ({"a": 1, "b": math.inf, "c": 1}, None, "weights", "positive"),
        ({"a": 1, "b": 1, "c": 1}, 1.5, "alpha", "between 0 and 1"),
        (None, 0.5, "alpha", "needs expert weights"),
    ],
)
def test_bad_weights_name_the_field(
    expert: dict[str, float] | None, alpha: float | None, field: str, text: str
) -> None:
    with pytest.raises(InvalidInput, match=text) as caught:
        rank(HAND, CRITERIA, expert, alpha)
    assert caught.value.field == field


def test_bad_criteria_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        rank(HAND, ())
    assert caught.value.field == "criteria"
    with pytest.raises(InvalidInput, match="twice"):
        rank(HAND, (Criterion("a", True), Criterion("a", True)))


def test_expert_weights_are_normalised() -> None:
    assert expert_vector(CRITERIA, {"a": 6, "b": 3, "c": 1}) == pytest.approx((0.6, 0.3, 0.1))


values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(values, values, values), min_size=2, max_size=12))
def test_properties(rows: list[tuple[float, float, float]]) -> None:
    """Weights sum to 1; 0 ≤ C ≤ 1; ranks follow C; shares sum to 1 away from the ideal."""
    alternatives = [
        Alternative(f"k{i}", dict(zip("abc", r, strict=True))) for i, r in enumerate(rows)
    ]
    try:
        result = rank(alternatives, CRITERIA)
    except ScoringNotPossible:
        assert np.ptp(np.array(rows), axis=0).max() == 0
        return
    assert math.fsum(result.weights.used) == pytest.approx(1.0)
    closeness = [s.closeness for s in result.ranked]
    assert all(-1e-12 <= c <= 1 + 1e-12 for c in closeness)
    assert closeness == sorted(closeness, reverse=True)
    for s in result.ranked:
        if s.d_plus > 1e-9:
            assert math.fsum(c.share for c in s.contributions) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(values, values, values), min_size=2, max_size=8),
    st.floats(min_value=0.01, max_value=1000),
)
def test_scaling_a_criterion_changes_nothing(
    rows: list[tuple[float, float, float]], factor: float
) -> None:
    """Both normalisations are scale-free: a column in other units ranks the same."""
    alternatives = [
        Alternative(f"k{i}", dict(zip("abc", r, strict=True))) for i, r in enumerate(rows)
    ]
    scaled = [
        Alternative(a.key, {**a.values, "b": float(a.values["b"] or 0) * factor})
        for a in alternatives
    ]
    try:
        before = rank(alternatives, CRITERIA)
    except ScoringNotPossible:
        return
    after = rank(scaled, CRITERIA)
    assert after.weights.used == pytest.approx(before.weights.used, abs=1e-9)
    assert [s.closeness for s in after.ranked] == pytest.approx(
        [s.closeness for s in before.ranked], abs=1e-9
    )


def test_tiny_figures_do_not_underflow() -> None:
    """A column of 1e-200s normalises like any other (x² would underflow to 0)."""
    tiny = (Alternative("p", {"c": 0.0}), Alternative("q", {"c": 1e-200}))
    result = rank(tiny, (Criterion("c", True),))
    assert [(s.key, s.closeness) for s in result.ranked] == [("q", 1.0), ("p", 0.0)]
