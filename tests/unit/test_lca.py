"""The sparse matrix LCA solved by hand: supply, inventory, score, contributions, reuse."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse.linalg as spla

from zerowaste.errors import InvalidInput
from zerowaste.lca import solver as solver_module
from zerowaste.lca.contribution import group_scores, top_contributions
from zerowaste.lca.solver import Solver
from zerowaste.lca.system import MatrixSystem

PROCESSES = ("electricity", "steel", "truck")
FLOWS = ("co2", "ch4")


def loop_system() -> MatrixSystem:
    """Electricity needs steel, steel needs electricity (a loop) and a truck (no loop).

    Per unit of activity: electricity (kWh) takes 0.25 kg steel and emits 0.5 kg CO2; steel
    (kg) takes 2 kWh and 0.5 t·km of truck, and emits 1.5 kg CO2 and 0.25 kg CH4; the truck
    (t·km) emits 0.125 kg CO2. CO2 counts 1 and CH4 28 kg CO2e per kg (illustrative values,
    chosen as binary fractions so the hand answers are exact in floating point).
    """
    technosphere = [
        ("electricity", "electricity", 1.0),
        ("steel", "steel", 1.0),
        ("truck", "truck", 1.0),
        ("steel", "electricity", -0.25),
        ("electricity", "steel", -2.0),
        ("truck", "steel", -0.5),
    ]
    biosphere = [
        ("co2", "electricity", 0.5),
        ("co2", "steel", 1.5),
        ("ch4", "steel", 0.25),
        ("co2", "truck", 0.125),
    ]
    return MatrixSystem.from_triplets(
        PROCESSES, FLOWS, technosphere, biosphere, {"co2": 1.0, "ch4": 28.0}
    )


def test_one_kg_of_steel_matches_the_hand_solution() -> None:
    # Rows of A x = f for f = 1 kg steel:
    #   electricity: x_e - 2 x_s = 0          -> x_e = 2 x_s
    #   steel:      -0.25 x_e + x_s = 1       -> -0.5 x_s + x_s = 1 -> x_s = 2, x_e = 4
    #   truck:       x_t - 0.5 x_s = 0        -> x_t = 1
    # Inventory: CO2 = 0.5·4 + 1.5·2 + 0.125·1 = 5.125 kg; CH4 = 0.25·2 = 0.5 kg.
    # Score: 5.125 + 28·0.5 = 19.125 kg CO2e; by process: electricity 0.5·4 = 2,
    # steel (1.5 + 28·0.25)·2 = 17, truck 0.125.
    system = loop_system()
    result = Solver(system).solve(system.demand_vector({"steel": 1.0}))
    assert result.supply.tolist() == [4.0, 2.0, 1.0]
    assert result.inventory.tolist() == [5.125, 0.5]
    assert result.score == 19.125
    assert result.process_scores.tolist() == [2.0, 17.0, 0.125]


def test_one_kwh_of_electricity_matches_the_hand_solution() -> None:
    # f = 1 kWh: x_e - 2 x_s = 1 and x_s = 0.25 x_e -> 0.5 x_e = 1 -> x_e = 2, x_s = 0.5,
    # x_t = 0.5·0.5 = 0.25. Score: 0.5·2 + 8.5·0.5 + 0.125·0.25 = 1 + 4.25 + 0.03125.
    system = loop_system()
    result = Solver(system).solve(system.demand_vector({"electricity": 1.0}))
    assert result.supply.tolist() == [2.0, 0.5, 0.25]
    assert result.score == 5.28125


def test_demands_are_linear_and_keyed() -> None:
    system = loop_system()
    solver = Solver(system)
    both = solver.solve(system.demand_vector({"steel": 2.0, "electricity": 1.0})).score
    assert both == pytest.approx(2 * 19.125 + 5.28125, rel=1e-15)
    with pytest.raises(InvalidInput) as caught:
        system.demand_vector({"copper": 1.0})
    assert caught.value.field == "demand"


def test_four_processes_with_two_loops_match_the_hand_solution() -> None:
    # Coal (kg) takes 0.5 kWh; electricity (kWh) takes 0.5 kg coal; steel takes 1 kWh and
    # 1 kg coal; a tonne-km of truck takes 0.25 kg steel (its share of the truck). Only
    # coal <-> electricity loops.
    # For f = 1 kg steel: x_s = 1; x_t = 0 (nobody asks for transport);
    #   electricity row: x_e - 0.5 x_c - 1 = 0; coal row: x_c - 0.5 x_e - 1 = 0
    #   -> x_e = 0.5 (0.5 x_e + 1) + 1 = 0.25 x_e + 1.5 -> x_e = 2, x_c = 2.
    # CO2: coal 0.25, electricity 0.75, steel 2 per unit -> 0.5 + 1.5 + 2 = 4 kg.
    technosphere = [(key, key, 1.0) for key in ("coal", "electricity", "steel", "truck")] + [
        ("electricity", "coal", -0.5),
        ("coal", "electricity", -0.5),
        ("electricity", "steel", -1.0),
        ("coal", "steel", -1.0),
        ("steel", "truck", -0.25),
    ]
    biosphere = [
        ("co2", "coal", 0.25),
        ("co2", "electricity", 0.75),
        ("co2", "steel", 2.0),
        ("co2", "truck", 0.125),
    ]
    system = MatrixSystem.from_triplets(
        ("coal", "electricity", "steel", "truck"), ("co2",), technosphere, biosphere, {"co2": 1}
    )
    result = Solver(system).solve(system.demand_vector({"steel": 1.0}))
    assert result.supply.tolist() == [2.0, 2.0, 1.0, 0.0]
    assert result.score == 4.0
    # A tonne-km of truck adds a quarter of a kilogram of steel: 0.125 + 0.25·4 = 1.125.
    truck = Solver(system).solve(system.demand_vector({"truck": 1.0}))
    assert truck.score == 1.125


def test_a_product_without_a_producer_is_singular() -> None:
    system = MatrixSystem.from_triplets(
        ("a", "b"), ("co2",), [("a", "a", 1.0), ("b", "a", -1.0)], [], {"co2": 1.0}
    )
    with pytest.raises(InvalidInput) as caught:
        Solver(system)
    assert caught.value.field == "technosphere"


def test_a_loop_that_produces_nothing_net_is_singular() -> None:
    technosphere = [("a", "a", 1.0), ("b", "b", 1.0), ("a", "b", -1.0), ("b", "a", -1.0)]
    system = MatrixSystem.from_triplets(("a", "b"), (), technosphere, [], {})
    with pytest.raises(InvalidInput) as caught:
        Solver(system)
    assert caught.value.field == "technosphere"


def test_the_technosphere_is_factorized_once_for_any_number_of_demands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = spla.splu

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(solver_module.spla, "splu", counting)
    system = loop_system()
    solver = Solver(system)
    after_build = len(calls)
    assert after_build >= 1
    scores = [solver.solve(system.demand_vector({"steel": float(k)})).score for k in range(10)]
    assert len(calls) == after_build
    assert scores[3] == pytest.approx(3 * 19.125, rel=1e-15)


def test_bad_triplets_name_their_matrix() -> None:
    with pytest.raises(InvalidInput) as caught:
        MatrixSystem.from_triplets(("a",), (), [("a", "zz", 1.0)], [], {})
    assert caught.value.field == "technosphere"
    with pytest.raises(InvalidInput) as caught:
        MatrixSystem.from_triplets(("a",), ("co2",), [("a", "a", 1.0)], [("co2", "a", np.nan)], {})
    assert caught.value.field == "biosphere"
    with pytest.raises(InvalidInput) as caught:
        MatrixSystem.from_triplets(("a",), (), [("a", "a", 1.0)], [], {"n2o": 265.0})
    assert caught.value.field == "characterization"
    with pytest.raises(InvalidInput) as caught:
        MatrixSystem.from_triplets(("a", "a"), (), [], [], {})
    assert caught.value.field == "processes"


def test_contributions_rank_processes_and_sum_by_owner() -> None:
    system = loop_system()
    result = Solver(system).solve(system.demand_vector({"steel": 1.0}))
    top = top_contributions(result.process_scores, system.process_keys, 2)
    assert top == [("steel", 17.0), ("electricity", 2.0)]
    assert top_contributions(result.process_scores, system.process_keys, 10)[-1] == ("truck", 0.125)
    owners = group_scores(result.process_scores, ["mill", "mill", "carrier"])
    assert owners == {"mill": 19.0, "carrier": 0.125}
    assert sum(owners.values()) == result.score


def test_contributions_refuse_mismatched_input() -> None:
    scores = np.array([1.0, -3.0, 0.0])
    assert top_contributions(scores, ["a", "b", "c"], 5) == [("b", -3.0), ("a", 1.0)]
    with pytest.raises(InvalidInput) as caught:
        top_contributions(scores, ["a", "b"], 1)
    assert caught.value.field == "keys"
    with pytest.raises(InvalidInput) as caught:
        top_contributions(scores, ["a", "b", "c"], -1)
    assert caught.value.field == "n"
    with pytest.raises(InvalidInput) as caught:
        group_scores(scores, ["x"])
    assert caught.value.field == "groups"


def test_an_acyclic_chain_and_a_block_of_demands() -> None:
    # Cement (t) takes 0.5 t clinker; clinker takes 0.25 t limestone; no loops.
    # f = 1 t cement: x_cement = 1, x_clinker = 0.5, x_limestone = 0.125.
    # CO2: clinker 0.5 t/t (calcination, illustrative) -> 0.25; limestone 0.0625 -> 0.0078125.
    technosphere = [(key, key, 1.0) for key in ("cement", "clinker", "limestone")] + [
        ("clinker", "cement", -0.5),
        ("limestone", "clinker", -0.25),
    ]
    biosphere = [("co2", "clinker", 0.5), ("co2", "limestone", 0.0625)]
    system = MatrixSystem.from_triplets(
        ("cement", "clinker", "limestone"), ("co2",), technosphere, biosphere, {"co2": 1.0}
    )
    solver = Solver(system)
    assert solver.core_size == 0
    result = solver.solve(system.demand_vector({"cement": 1.0}))
    assert result.supply.tolist() == [1.0, 0.5, 0.125]
    assert result.score == 0.2578125
    block = solver.supply(np.eye(3))
    assert block[:, 1].tolist() == [0.0, 1.0, 0.25]
    assert Solver(loop_system()).core_size == 2
