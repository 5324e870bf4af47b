"""Monte Carlo over uncertain matrix entries: seeded, exact per draw, and located in the pattern."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse.linalg as spla

from tests.unit.test_lca import loop_system
from zerowaste.domain.factors import Distribution, DistributionKind
from zerowaste.errors import InvalidDistribution, InvalidInput
from zerowaste.lca import uncertainty as uncertainty_module
from zerowaste.lca.solver import Solver
from zerowaste.lca.system import MatrixSystem
from zerowaste.lca.uncertainty import MonteCarlo, UncertainEntry, monte_carlo

STEEL = np.array([0.0, 1.0, 0.0])
#: The deterministic score of 1 kg steel (see tests/unit/test_lca.py for the hand algebra).
STEEL_SCORE = 19.125


def lognormal(gsd: float) -> Distribution:
    return Distribution(DistributionKind.LOGNORMAL, spread=gsd)


def every_entry(gsd: float) -> list[UncertainEntry]:
    """Lognormal uncertainty on every off-diagonal, biosphere and characterization entry."""
    technosphere = [(1, 0), (0, 1), (2, 1)]
    biosphere = [(0, 0), (0, 1), (1, 1), (0, 2)]
    return (
        [UncertainEntry("technosphere", r, c, lognormal(gsd)) for r, c in technosphere]
        + [UncertainEntry("biosphere", r, c, lognormal(gsd)) for r, c in biosphere]
        + [UncertainEntry("characterization", 1, 0, lognormal(gsd))]
    )


def direct_scores(
    system: MatrixSystem, entries: list[UncertainEntry], n: int, seed: int
) -> list[float]:
    """Each draw's score by a dense solve of its own matrices."""
    plan = MonteCarlo(system, entries)
    scores = []
    for block in plan.draws(n, seed=seed):
        for draw in block:
            a = system.technosphere.toarray()
            b = system.biosphere.toarray()
            c = system.characterization.copy()
            for entry, value in zip(entries, draw, strict=True):
                if entry.matrix == "technosphere":
                    a[entry.row, entry.column] = value
                elif entry.matrix == "biosphere":
                    b[entry.row, entry.column] = value
                else:
                    c[entry.row] = value
            scores.append(float(c @ b @ np.linalg.solve(a, STEEL)))
    return scores


def test_same_seed_same_scores_and_longer_runs_extend_shorter_ones() -> None:
    system = loop_system()
    entries = every_entry(1.2)
    first = monte_carlo(system, STEEL, entries, 50, seed=11)
    assert np.array_equal(first, monte_carlo(system, STEEL, entries, 50, seed=11))
    assert not np.array_equal(first, monte_carlo(system, STEEL, entries, 50, seed=12))
    assert np.array_equal(monte_carlo(system, STEEL, entries, 80, seed=11)[:50], first)


def test_fixed_distributions_give_the_deterministic_score() -> None:
    system = loop_system()
    entries = [
        UncertainEntry(entry.matrix, entry.row, entry.column, Distribution())
        for entry in every_entry(1.2)
    ]
    scores = monte_carlo(system, STEEL, entries, 20, seed=1)
    assert scores.tolist() == [STEEL_SCORE] * 20


def test_a_lognormal_biosphere_entry_has_the_deterministic_median() -> None:
    # The score is increasing in the steel CO2 entry, so its median is the score at the
    # entry's median, i.e. the deterministic score.
    system = loop_system()
    entry = UncertainEntry("biosphere", 0, 1, lognormal(1.5))
    scores = monte_carlo(system, STEEL, [entry], 4001, seed=3)
    assert np.median(scores) == pytest.approx(STEEL_SCORE, rel=0.01)
    assert scores.min() < STEEL_SCORE < scores.max()


def test_every_draw_equals_its_own_direct_solution() -> None:
    system = loop_system()
    entries = every_entry(1.3)
    scores = monte_carlo(system, STEEL, entries, 70, seed=5)
    assert scores == pytest.approx(direct_scores(system, entries, 70, 5), rel=1e-10)


def test_draws_refinement_cannot_handle_are_solved_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A GSD of 4 on the loop makes some draws too far from the mean matrix for refinement.
    calls: list[int] = []
    real = spla.splu

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    system = loop_system()
    entries = every_entry(4.0)[:2]
    plan = MonteCarlo(system, entries)
    monkeypatch.setattr(uncertainty_module.spla, "splu", counting)
    scores = plan.scores(STEEL, plan.draws(40, seed=9))
    assert calls  # some draws got their own factorization
    assert scores == pytest.approx(direct_scores(system, entries, 40, 9), rel=1e-10)


def test_refinement_reuses_the_mean_factorization(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = spla.splu

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    system = loop_system()
    solver = Solver(system)
    monkeypatch.setattr(uncertainty_module.spla, "splu", counting)
    plan = MonteCarlo(system, every_entry(1.1), solver=solver)
    plan.scores(STEEL, plan.draws(100, seed=2))
    assert calls == []


def test_entries_outside_the_pattern_are_refused() -> None:
    system = loop_system()
    fixed = Distribution()
    bad = [
        UncertainEntry("technosphere", 2, 0, fixed),  # truck does not feed electricity
        UncertainEntry("technosphere", 3, 0, fixed),
        UncertainEntry("biosphere", 1, 0, fixed),  # electricity emits no CH4
        UncertainEntry("biosphere", 0, -1, fixed),
        UncertainEntry("characterization", 2, 0, fixed),
        UncertainEntry("fertility", 0, 0, fixed),  # type: ignore[arg-type]
    ]
    for entry in bad:
        with pytest.raises(InvalidInput) as caught:
            monte_carlo(system, STEEL, [entry], 1, seed=0)
        assert caught.value.field == "entries", entry


def test_repeated_entries_bad_distributions_and_counts_are_refused() -> None:
    system = loop_system()
    twice = [UncertainEntry("biosphere", 0, 1, lognormal(1.1))] * 2
    with pytest.raises(InvalidInput) as caught:
        monte_carlo(system, STEEL, twice, 1, seed=0)
    assert caught.value.field == "entries"
    outside = Distribution(DistributionKind.UNIFORM, low=2.0, high=3.0)  # value is 1.5
    with pytest.raises(InvalidDistribution) as bad:
        monte_carlo(system, STEEL, [UncertainEntry("biosphere", 0, 1, outside)], 1, seed=0)
    assert bad.value.field == "entries"
    with pytest.raises(InvalidInput) as caught:
        monte_carlo(system, STEEL, [], -1, seed=0)
    assert caught.value.field == "iterations"
    with pytest.raises(InvalidInput) as caught:
        monte_carlo(system, np.ones(2), [], 1, seed=0)
    assert caught.value.field == "demand"
    assert monte_carlo(system, STEEL, [], 0, seed=0).size == 0


def test_a_shared_solver_is_used() -> None:
    system = loop_system()
    solver = Solver(system)
    plan = MonteCarlo(system, every_entry(1.2)[:1], solver=solver)
    assert plan.solver is solver
    assert plan.size == 1


def test_a_strong_loop_hands_over_from_jacobi_to_the_factor() -> None:
    # Two processes that each need 0.995 of the other: Jacobi contracts by only 0.995 a sweep,
    # so the LU corrections must finish the job; the answers still match direct solves.
    technosphere = [("a", "a", 1.0), ("b", "b", 1.0), ("a", "b", -0.995), ("b", "a", -0.995)]
    system = MatrixSystem.from_triplets(
        ("a", "b"), ("co2",), technosphere, [("co2", "a", 1.0)], {"co2": 1.0}
    )
    entries = [
        UncertainEntry(
            "technosphere", 0, 1, Distribution(DistributionKind.UNIFORM, low=-0.996, high=-0.99)
        ),
        UncertainEntry(
            "technosphere", 1, 0, Distribution(DistributionKind.UNIFORM, low=-0.996, high=-0.99)
        ),
    ]
    demand = np.array([1.0, 0.0])
    scores = monte_carlo(system, demand, entries, 30, seed=4)
    plan = MonteCarlo(system, entries)
    expected = []
    for block in plan.draws(30, seed=4):
        for ab, ba in block:
            a = np.array([[1.0, ab], [ba, 1.0]])
            expected.append(float(np.linalg.solve(a, demand)[0]))
    assert scores == pytest.approx(expected, rel=1e-10)
