"""The reconciliation engine against hand-solved systems, a planted gross error and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from zerowaste.errors.flows import FlowSystemInvalid, ReconciliationNotPossible
from zerowaste.flows.balance import balances
from zerowaste.flows.reconcile import reconcile
from zerowaste.flows.system import ENVIRONMENT, Flow, FlowSystem, Measurement, Process

ENV = ENVIRONMENT


def m(value: float, sd: float) -> Measurement:
    return Measurement(value, sd)


def test_one_process_three_measured_flows_by_hand() -> None:
    """x1 = 10 ± 1 and x2 = 5 ± 1 enter P, x3 = 13 ± √2 leaves it.

    The balance is x1 + x2 − x3 = 0, so P = [1, 1, −1] and Σ = diag(1, 1, 2).
    r = P x = 10 + 5 − 13 = 2; P Σ Pᵀ = 1 + 1 + 2 = 4; Σ Pᵀ = [1, 1, −2].
    x̂ = x − Σ Pᵀ r / 4 = [10 − 0.5, 5 − 0.5, 13 + 1] = [9.5, 4.5, 14] (9.5 + 4.5 = 14).
    Σ̂ = Σ − Σ Pᵀ P Σ / 4: diagonal 1 − 1/4, 1 − 1/4, 2 − 4/4 = [0.75, 0.75, 1].
    χ² = r² / 4 = 1 with 1 degree of freedom, p = 2 (1 − Φ(1)) = 0.3173105078629141.
    Each adjustment's own variance is (Σ − Σ̂)ᵢᵢ = [0.25, 0.25, 1]: test statistics 1, 1, 1.
    """
    system = FlowSystem(
        (Process("p"),),
        (
            Flow("x1", ENV, "p", m(10, 1)),
            Flow("x2", ENV, "p", m(5, 1)),
            Flow("x3", "p", ENV, m(13, math.sqrt(2))),
        ),
    )
    result = reconcile(system)
    values = [result.value(f) for f in ("x1", "x2", "x3")]
    assert values == pytest.approx([9.5, 4.5, 14.0], abs=1e-9)
    sds = [result.variable(f).reconciled_sd for f in ("x1", "x2", "x3")]
    assert sds == pytest.approx([math.sqrt(0.75), math.sqrt(0.75), 1.0], abs=1e-9)
    assert result.chi_square.statistic == pytest.approx(1.0, abs=1e-9)
    assert result.chi_square.degrees_of_freedom == 1
    assert result.chi_square.p_value == pytest.approx(0.3173105078629141, abs=1e-9)
    assert result.chi_square.passed
    tests = [result.variable(f).test_statistic for f in ("x1", "x2", "x3")]
    assert tests == pytest.approx([1.0, 1.0, 1.0], abs=1e-9)
    assert result.suspects == ()
    assert [result.variable(f).adjustment for f in ("x1", "x3")] == pytest.approx([-0.5, 1.0])


def test_two_processes_with_one_unknown_by_hand() -> None:
    """x1 = 100 ± 5 enters A; A sends unknown x2 to B and x3 = 30 ± 3 out; B sends x4 = 65 ± 4 out.

    Eliminating x2 (A: x2 = x1 − x3; B: x2 = x4) leaves one equation x1 − x3 − x4 = 0.
    r = 100 − 30 − 65 = 5; P Σ Pᵀ = 25 + 9 + 16 = 50; Σ Pᵀ = [25, −9, −16].
    x̂1 = 100 − 25·5/50 = 97.5, x̂3 = 30 + 9·5/50 = 30.9, x̂4 = 65 + 16·5/50 = 66.6;
    x2 = x̂4 = 66.6 = x̂1 − x̂3. χ² = 5²/50 = 0.5, one degree of freedom.
    var(x2) = var(x̂4) = 16 − 16²/50 = 10.88.
    """
    system = FlowSystem(
        (Process("a"), Process("b")),
        (
            Flow("x1", ENV, "a", m(100, 5)),
            Flow("x2", "a", "b"),
            Flow("x3", "a", ENV, m(30, 3)),
            Flow("x4", "b", ENV, m(65, 4)),
        ),
    )
    result = reconcile(system)
    assert result.value("x1") == pytest.approx(97.5, abs=1e-9)
    assert result.value("x3") == pytest.approx(30.9, abs=1e-9)
    assert result.value("x4") == pytest.approx(66.6, abs=1e-9)
    assert result.value("x2") == pytest.approx(66.6, abs=1e-9)
    assert result.variable("x2").reconciled_sd == pytest.approx(math.sqrt(10.88), abs=1e-9)
    assert result.variable("x2").is_unknown
    assert result.variable("x2").determinable
    assert result.chi_square.statistic == pytest.approx(0.5, abs=1e-9)
    assert result.chi_square.degrees_of_freedom == 1


def test_stock_change_unknown_is_computed_and_leaves_no_redundancy() -> None:
    """A landfill receives 40 ± 2 and 60 ± 3 and emits 1 ± 0.1: its stock grows by 99."""
    system = FlowSystem(
        (Process("landfill", stock=True),),
        (
            Flow("a", ENV, "landfill", m(40, 2)),
            Flow("b", ENV, "landfill", m(60, 3)),
            Flow("gas", "landfill", ENV, m(1, 0.1)),
        ),
    )
    result = reconcile(system)
    assert result.value("stock:landfill") == pytest.approx(99.0, abs=1e-9)
    assert result.chi_square.degrees_of_freedom == 0
    assert result.chi_square.passed
    assert not result.variable("a").redundant
    assert result.variable("a").test_statistic is None


def test_measured_stock_change_adds_redundancy() -> None:
    """With the stock change measured (97 ± 4) the balance is redundant: 40 + 60 − 1 − 97 = 2."""
    system = FlowSystem(
        (Process("landfill", stock=True, stock_change=m(97, 4)),),
        (
            Flow("a", ENV, "landfill", m(40, 2)),
            Flow("b", ENV, "landfill", m(60, 3)),
            Flow("gas", "landfill", ENV, m(1, 0.1)),
        ),
    )
    result = reconcile(system)
    # P Σ Pᵀ = 4 + 9 + 0.01 + 16 = 29.01; the stock change moves by 16·2/29.01.
    assert result.value("stock:landfill") == pytest.approx(97 + 32 / 29.01, abs=1e-9)
    assert result.chi_square.statistic == pytest.approx(4 / 29.01, abs=1e-9)


def _network(ab: float) -> FlowSystem:
    """Three processes in a triangle, every flow measured at 1 %."""
    values = {"in1": 100.0, "in2": 50.0, "ab": ab, "ac": 30.0, "bc": 120.0, "out": 150.0}
    ends = {
        "in1": (ENV, "a"),
        "in2": (ENV, "b"),
        "ab": ("a", "b"),
        "ac": ("a", "c"),
        "bc": ("b", "c"),
        "out": ("c", ENV),
    }
    flows = tuple(
        Flow(k, *ends[k], m(v, 0.01 * max(v, 30.0))) for k, v in values.items()
    )  # fmt: skip
    return FlowSystem((Process("a"), Process("b"), Process("c")), flows)


def test_consistent_network_passes() -> None:
    result = reconcile(_network(70.0))
    assert result.chi_square.statistic == pytest.approx(0.0, abs=1e-12)
    assert result.chi_square.passed
    assert result.suspects == ()
    assert result.chi_square.degrees_of_freedom == 3


def test_planted_gross_error_is_flagged_and_named() -> None:
    """The A→B flow is recorded as 85 instead of 70: A and B both fail to balance by 15."""
    result = reconcile(_network(85.0))
    assert not result.chi_square.passed
    assert result.chi_square.p_value < 1e-6
    assert result.suspects[0].variable_id == "ab"
    assert result.suspects[0].suspect
    critical = result.measurement_critical_value
    assert critical == pytest.approx(stats.norm.ppf(1 - (1 - 0.95 ** (1 / 6)) / 2))
    # The balances close after reconciliation.
    eq = balances(result.system)
    v = np.array([result.value(var.variable_id) for var in eq.variables])
    assert np.abs(eq.matrix @ v).max() < 1e-9


def test_chi_square_statistic_equals_weighted_adjustments() -> None:
    result = reconcile(_network(78.0))
    weighted = sum((v.adjustment or 0.0) ** 2 / (v.sd or 1.0) ** 2 for v in result.variables)
    assert result.chi_square.statistic == pytest.approx(weighted, rel=1e-9)


def _random_system(rng: np.random.Generator, n_proc: int) -> FlowSystem:
    processes = tuple(Process(f"p{i}", stock=bool(rng.random() < 0.2)) for i in range(n_proc))
    flows: list[Flow] = []
    true: dict[str, float] = {}
    for i in range(n_proc):
        flows.append(Flow(f"in{i}", ENV, f"p{i}"))
        flows.append(Flow(f"out{i}", f"p{i}", ENV))
    for k in range(2 * n_proc):
        i, j = rng.choice(n_proc, 2, replace=False)
        flows.append(Flow(f"f{k}", f"p{i}", f"p{j}"))
    for flow in flows:
        true[flow.flow_id] = float(rng.uniform(10, 100))
    measured = []
    for flow in flows:
        value = true[flow.flow_id]
        if rng.random() < 0.2:
            measured.append(flow)
        else:
            sd = 0.05 * value
            noisy = abs(value + rng.normal(0, sd))
            measured.append(Flow(flow.flow_id, flow.source, flow.target, m(noisy, sd)))
    return FlowSystem(processes, tuple(measured))


@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_constrained_minimisation(seed: int) -> None:
    """Brute force: min Σ ((x − x₀)/σ)² s.t. A v = 0 by trust-constr, over all variables."""
    rng = np.random.default_rng(seed)
    system = _random_system(rng, 5)
    result = reconcile(system, allow_undetermined=True)
    eq = balances(system)
    measured = [j for j, v in enumerate(eq.variables) if v.measurement is not None]
    x0 = np.array([eq.variables[j].measurement.value for j in measured])  # type: ignore[union-attr]
    sd = np.array([eq.variables[j].measurement.sd for j in measured])  # type: ignore[union-attr]
    start = np.zeros(len(eq.variables))
    start[measured] = x0

    def objective(v: np.ndarray) -> float:
        return float(np.sum(((v[measured] - x0) / sd) ** 2))

    def gradient(v: np.ndarray) -> np.ndarray:
        g = np.zeros_like(v)
        g[measured] = 2 * (v[measured] - x0) / sd**2
        return g

    hessian = np.zeros((len(start), len(start)))
    hessian[measured, measured] = 2 / sd**2
    solved = optimize.minimize(
        objective,
        start,
        jac=gradient,
        hess=lambda v: hessian,
        method="trust-constr",
        constraints=[optimize.LinearConstraint(eq.matrix, 0, 0)],
        options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000},
    )
    assert np.abs(eq.matrix @ solved.x).max() < 1e-6
    ours = np.array([result.value(eq.variables[j].variable_id) for j in measured])
    assert ours == pytest.approx(solved.x[measured], rel=1e-5, abs=1e-5)
    assert result.chi_square.statistic == pytest.approx(solved.fun, rel=1e-5, abs=1e-8)
    for j, variable in enumerate(eq.variables):
        rec = result.variable(variable.variable_id)
        if variable.measurement is None and rec.determinable:
            assert rec.value == pytest.approx(solved.x[j], rel=1e-5, abs=1e-5)


def test_undetermined_unknowns_are_named() -> None:
    system = FlowSystem(
        (Process("a"),),
        (Flow("u1", ENV, "a"), Flow("u2", ENV, "a"), Flow("out", "a", ENV, m(10, 1))),
    )
    with pytest.raises(ReconciliationNotPossible, match="u1, u2"):
        reconcile(system)
    result = reconcile(system, allow_undetermined=True)
    assert {v.variable_id for v in result.undetermined} == {"u1", "u2"}
    assert result.value("u1") is None


def test_contradicting_exact_values_are_refused() -> None:
    system = FlowSystem(
        (Process("a"),),
        (Flow("in", ENV, "a", m(10, 0)), Flow("out", "a", ENV, m(9, 0))),
    )
    with pytest.raises(ReconciliationNotPossible, match="exact"):
        reconcile(system)


def test_exact_values_are_kept_and_measurements_absorb_the_gap() -> None:
    system = FlowSystem(
        (Process("a"),),
        (
            Flow("in", ENV, "a", m(10, 0)),
            Flow("o1", "a", ENV, m(6, 1)),
            Flow("o2", "a", ENV, m(6, 1)),
        ),
    )
    result = reconcile(system)
    assert result.value("in") == 10
    assert result.value("o1") == pytest.approx(5.0)
    assert result.value("o2") == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("processes", "flows", "field"),
    [
        ((), (), "processes"),
        ((Process("a"), Process("a")), (Flow("f", ENV, "a"),), "processes[1].process_id"),
        ((Process(ENV),), (), "processes[0].process_id"),
        ((Process("a"),), (Flow("f", ENV, "b"),), "flows[0].target"),
        ((Process("a"),), (Flow("f", "a", "a"),), "flows[0].target"),
        ((Process("a"),), (Flow("f", ENV, "a"), Flow("f", "a", ENV)), "flows[1].flow_id"),
        ((Process("a"),), (Flow("f", ENV, "a", m(1, -1)),), "flows[0].sd"),
        ((Process("a"),), (Flow("f", ENV, "a", m(-1, 1)),), "flows[0].value"),
        ((Process("a"),), (Flow("f", ENV, "a", m(float("nan"), 1)),), "flows[0].value"),
        ((Process("a"), Process("b")), (Flow("f", ENV, "a"),), "processes[1].process_id"),
        (
            (Process("a", stock_change=m(1, 1)),),
            (Flow("f", ENV, "a"),),
            "processes[0].stock_change",
        ),
        ((Process("a b"),), (), "processes[0].process_id"),
    ],
)
def test_ill_formed_systems_name_the_field(
    processes: tuple[Process, ...], flows: tuple[Flow, ...], field: str
) -> None:
    with pytest.raises(FlowSystemInvalid) as raised:
        FlowSystem(processes, flows)
    assert raised.value.field == field


def test_alpha_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="alpha"):
        reconcile(_network(70.0), alpha=1.5)
