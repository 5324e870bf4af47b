"""Mediation: the exact decomposition, Sobel's z by hand, a seeded cluster bootstrap."""

from __future__ import annotations

import math

import pytest

from tests.evaluation_world import mediation_panel
from zerowaste.errors.evaluation import ModelSpecificationInvalid
from zerowaste.evaluation.mediation import indirect_of, mediate, sobel
from zerowaste.evaluation.panel import ModelSpec, sample


def test_sobel_matches_a_hand_computation() -> None:
    # a = 0.5 (0.1), b = 0.8 (0.2): z = 0.4 / sqrt(0.8²·0.1² + 0.5²·0.2²) = 0.4 / 0.128062…
    z, p = sobel(0.5, 0.1, 0.8, 0.2)
    assert z == pytest.approx(0.4 / math.sqrt(0.0064 + 0.01), rel=1e-12)
    assert z == pytest.approx(3.1234752, abs=1e-6)
    assert p == pytest.approx(0.0017873, abs=1e-6)


@pytest.mark.parametrize("fixed_effects", [("firm",), ("firm", "year"), ()])
def test_total_effect_is_direct_plus_indirect_exactly(fixed_effects: tuple[str, ...]) -> None:
    result = mediate(mediation_panel(), "y", "d", "m", controls=["x"], fixed_effects=fixed_effects)
    assert abs(result.c - (result.c_prime + result.a * result.b)) < 1e-10
    assert abs(result.identity_gap) < 1e-10
    assert result.total.n == result.path_a.n == result.direct.n


def test_planted_paths_are_recovered_and_sobel_uses_the_steps_errors() -> None:
    result = mediate(mediation_panel(), "y", "d", "m", controls=["x"], cluster="firm")
    assert result.a == pytest.approx(0.5, abs=0.1)
    assert result.b == pytest.approx(0.8, abs=0.1)
    assert result.c_prime == pytest.approx(0.4, abs=0.1)
    sa = result.path_a.coefficient("d").se
    sb = result.direct.coefficient("m").se
    assert result.sobel_z == pytest.approx(sobel(result.a, sa, result.b, sb)[0], rel=1e-12)
    assert result.path_a.spec.cluster == "firm"


def test_bootstrap_fast_path_agrees_with_pyfixest() -> None:
    panel = mediation_panel()
    result = mediate(panel, "y", "d", "m", controls=["x"])
    frame = sample(panel, ModelSpec("y", ("d", "m", "x")))
    assert indirect_of(frame, "d", "m", "y", ["x"], ["firm", "year"]) == pytest.approx(
        result.indirect, abs=1e-9
    )


def test_cluster_bootstrap_is_seeded_and_covers_the_planted_indirect_effect() -> None:
    panel = mediation_panel()
    first = mediate(panel, "y", "d", "m", ["x"], cluster="city", replicates=150, seed=7)
    again = mediate(panel, "y", "d", "m", ["x"], cluster="city", replicates=150, seed=7)
    other = mediate(panel, "y", "d", "m", ["x"], cluster="city", replicates=150, seed=8)
    assert first.bootstrap is not None
    assert other.bootstrap is not None
    assert first.bootstrap == again.bootstrap
    assert first.bootstrap.ci_low != other.bootstrap.ci_low
    assert first.bootstrap.cluster == "city"
    assert first.bootstrap.ci_low < 0.4 < first.bootstrap.ci_high
    assert first.bootstrap.ci_low < first.indirect < first.bootstrap.ci_high


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mediator": "nope"}, "mediator"),
        ({"treatment": "nope"}, "treatment"),
        ({"mediator": "d"}, "mediator"),
        ({"controls": ["nope"]}, "controls"),
        ({"replicates": 10**6}, "replicates"),
        ({"cluster": "year"}, "cluster"),
    ],
)
def test_bad_mediation_requests_name_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"outcome": "y", "treatment": "d", "mediator": "m"} | kwargs
    with pytest.raises(ModelSpecificationInvalid) as caught:
        mediate(mediation_panel(), **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
