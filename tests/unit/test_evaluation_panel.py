"""Fixed-effects models: Grunfeld figures as Stata's xtreg, fe reports them, clustered beside."""

from __future__ import annotations

import pytest

from tests.evaluation_world import grunfeld
from zerowaste.errors.evaluation import ModelSpecificationInvalid
from zerowaste.evaluation.panel import ModelSpec, Vcov, fit, fit_beside

REGRESSORS = ("value", "capital")


def test_firm_fixed_effects_match_xtreg_fe() -> None:
    result = fit(grunfeld(), ModelSpec("invest", REGRESSORS, ("firm",)))
    value, capital = result.coefficient("value"), result.coefficient("capital")
    assert value.estimate == pytest.approx(0.1101238, abs=1e-6)
    assert value.se == pytest.approx(0.0118567, abs=1e-6)
    assert capital.estimate == pytest.approx(0.3100653, abs=1e-6)
    assert capital.se == pytest.approx(0.0173545, abs=1e-6)
    assert result.n == 200
    assert result.groups == {"firm": 10}
    assert result.spec.vcov is Vcov.IID
    assert result.r2_within == pytest.approx(0.7668, abs=1e-4)


def test_two_way_fixed_effects_match_xtreg_fe_with_year_dummies() -> None:
    result = fit(grunfeld(), ModelSpec("invest", REGRESSORS, ("firm", "year")))
    value, capital = result.coefficient("value"), result.coefficient("capital")
    assert value.estimate == pytest.approx(0.1177159, abs=1e-6)
    assert value.se == pytest.approx(0.0137513, abs=1e-6)
    assert capital.estimate == pytest.approx(0.3579163, abs=1e-6)
    assert capital.se == pytest.approx(0.0227190, abs=1e-6)
    assert result.groups == {"firm": 10, "year": 20}
    assert value.ci_low < value.estimate < value.ci_high


def test_clustered_errors_are_offered_beside_with_their_convention() -> None:
    classical, clustered = fit_beside(
        grunfeld(), ModelSpec("invest", REGRESSORS, ("firm",), cluster="firm")
    )
    assert classical.spec.cluster is None
    assert clustered.coefficient("value").estimate == classical.coefficient("value").estimate
    assert clustered.coefficient("value").se == pytest.approx(0.015194, abs=1e-6)
    assert clustered.coefficient("capital").se == pytest.approx(0.052752, abs=1e-6)
    assert clustered.clusters == 10
    assert "G/(G-1)" in clustered.vcov_convention
    assert "xtreg" in classical.vcov_convention


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (ModelSpec("nope", REGRESSORS), "outcome"),
        (ModelSpec("invest", ("value", "nope")), "regressors"),
        (ModelSpec("invest", ()), "regressors"),
        (ModelSpec("invest", ("value", "value")), "regressors"),
        (ModelSpec("invest", ("invest",)), "regressors"),
        (ModelSpec("invest", REGRESSORS, ("firm", "sector")), "fixed_effects"),
        (ModelSpec("invest", REGRESSORS, ("firm",), cluster="year"), "cluster"),
        (ModelSpec("invest", REGRESSORS, ("firm",), cluster="city"), "cluster"),
        (ModelSpec("invest ~ 1 + value", ("capital",)), "outcome"),
    ],
)
def test_bad_specifications_name_the_field(spec: ModelSpec, field: str) -> None:
    with pytest.raises(ModelSpecificationInvalid) as caught:
        fit(grunfeld(), spec)
    assert caught.value.field == field
