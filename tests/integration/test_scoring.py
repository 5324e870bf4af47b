"""Supplier ranking and chain evaluation from a chain's ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory
from tests.scoring_world import CLOSENESS_A, CRITERIA, ENTROPY_WEIGHTS, build_scoring_world
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import Comparator, Criterion, SupplierIndicator, YearBasis
from zerowaste.errors import Forbidden, InvalidInput, NotChainMaster
from zerowaste.errors.indicators import ScoringNotPossible, UnknownIndicator
from zerowaste.indicators.topsis import WeightSource


def test_the_ledger_gives_the_hand_ranking(factory: Factory) -> None:
    world = build_scoring_world(factory)
    s = world.suppliers
    found = factory.context.scoring.rank_suppliers(
        world.master_user, world.master_id, 2026, CRITERIA
    )
    ranking = found.ranking
    assert found.year == 2026
    assert found.values[s["甲"]]["utilization_rate"] == Decimal("0.8")
    assert ranking.weights.source is WeightSource.ENTROPY
    assert ranking.weights.used == pytest.approx(ENTROPY_WEIGHTS, abs=1e-5)
    order = [r.key for r in ranking.ranked]
    assert order == [str(s["丙"]), str(s["甲"]), str(s["乙"])]
    best, middle, worst = ranking.ranked
    assert best.closeness == pytest.approx(1.0)
    assert best.main_gap is None
    assert worst.closeness == pytest.approx(0.0)
    assert middle.closeness == pytest.approx(CLOSENESS_A, abs=1e-5)
    assert middle.d_plus == pytest.approx(0.151975, abs=1e-5)
    assert [(e.key, e.missing) for e in ranking.excluded] == [
        (str(s["丁"]), ("waste_intensity_t_per_10k_cny",))
    ]
    assert found.names[s["丙"]]


def test_expert_weights_change_the_weights_used(factory: Factory) -> None:
    world = build_scoring_world(factory)
    found = factory.context.scoring.rank_suppliers(
        world.master_user,
        world.master_id,
        2026,
        ["utilization_rate", "disposal_share"],
        {"utilization_rate": 3, "disposal_share": 1},
    )
    assert found.ranking.weights.used == pytest.approx((0.75, 0.25))
    implied = factory.context.scoring.rank_suppliers(
        world.master_user, world.master_id, 2026, None, {"utilization_rate": 3, "disposal_share": 1}
    )
    assert [c.criterion_id for c in implied.criteria] == ["utilization_rate", "disposal_share"]
    # 丁 is ranked now: the chosen criteria do not need an output value.
    assert len(found.ranking.ranked) == 4
    assert not found.ranking.excluded


def test_chain_evaluation_aggregates_ranks_and_admission(factory: Factory) -> None:
    world = build_scoring_world(factory)
    context = factory.context
    s = world.suppliers
    no_rules = context.scoring.chain_evaluation(world.master_user, world.master_id, 2026)
    assert no_rules.rules_version is None
    assert all(m.verdict is None for m in no_rules.members)
    rules = (Criterion(SupplierIndicator.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal("0.75")),)
    context.admission.set_rules(world.master_user, world.master_id, rules, ())
    found = context.scoring.chain_evaluation(world.master_user, world.master_id, 2026)
    a = found.aggregates
    assert (a.members, a.with_output_value) == (4, 3)
    assert a.generated_t == Decimal(39)
    assert a.utilized_t == Decimal(25)
    assert a.disposed_t == Decimal(12)
    assert a.utilization_rate == Decimal("0.641026")
    assert a.disposal_share == Decimal("0.324324")
    assert a.waste_intensity == Decimal("0.001167")
    assert found.rules_version == 1
    by_id = {m.supplier_id: m for m in found.members}
    good, bad = by_id[s["甲"]].verdict, by_id[s["乙"]].verdict
    assert good is not None
    assert good.admitted
    assert bad is not None
    assert not bad.admitted
    assert by_id[s["丁"]].rank is None
    assert by_id[s["丁"]].excluded_for == ("waste_intensity_t_per_10k_cny",)
    assert found.ranking is not None
    assert by_id[s["丙"]].rank == 1


def test_the_default_year_follows_the_rules_year_basis(factory: Factory) -> None:
    world = build_scoring_world(factory)
    context = factory.context
    assert context.scoring.default_year(world.master_id) == 2026  # the clock is in Jan 2027
    assert context.scoring.rank_suppliers(world.master_user, world.master_id).year == 2026
    rules = (Criterion(SupplierIndicator.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal("0.5")),)
    context.admission.set_rules(
        world.master_user, world.master_id, rules, (), YearBasis.CURRENT_YEAR
    )
    assert context.scoring.default_year(world.master_id) == 2027
    assert context.scoring.chain_evaluation(world.master_user, world.master_id).year == 2027


def test_access_and_bad_input(factory: Factory) -> None:
    world = build_scoring_world(factory)
    scoring = factory.context.scoring
    for who in (world.supplier_user, world.outsider_user):
        with pytest.raises(Forbidden):
            scoring.rank_suppliers(who, world.master_id, 2026)
        with pytest.raises(Forbidden):
            scoring.chain_evaluation(who, world.master_id, 2026)
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    assert scoring.chain_evaluation(regulator, world.master_id, 2026).members
    assert scoring.rank_suppliers(OPERATOR, world.master_id, 2026, CRITERIA).ranking.ranked
    with pytest.raises(UnknownIndicator) as caught:
        scoring.rank_suppliers(world.master_user, world.master_id, 2026, ["nonsense"])
    assert caught.value.field == "criteria"
    with pytest.raises(InvalidInput) as caught:
        scoring.rank_suppliers(world.master_user, world.master_id, 1800)
    assert caught.value.field == "year"
    with pytest.raises(InvalidInput) as caught:
        scoring.rank_suppliers(
            world.master_user, world.master_id, 2026, CRITERIA, {"risk_score": 1}
        )
    assert caught.value.field == "weights"
    with pytest.raises(ScoringNotPossible):
        scoring.rank_suppliers(world.master_user, world.master_id, 2020, CRITERIA)
    with pytest.raises(NotChainMaster):
        scoring.rank_suppliers(OPERATOR, world.suppliers["甲"], 2026)
