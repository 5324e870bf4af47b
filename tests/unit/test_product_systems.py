"""Product systems solved by hand: exact scores, allocation, cut-off recycled content, sharing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from zerowaste.domain.factors import (
    Distribution,
    DistributionKind,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
    Verification,
)
from zerowaste.domain.footprints import Allocation
from zerowaste.domain.product_systems import (
    CoProduct,
    Exchange,
    ExchangeKind,
    Process,
    may_use,
)
from zerowaste.errors import FactorNotFound, InvalidDistribution, InvalidInput
from zerowaste.lca.assembly import ProductModel, column_key

START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 1, 1, tzinfo=UTC)
STEEL_FIRM = uuid.uuid4()
STAMPER = uuid.uuid4()
D = Decimal


def _factor(
    category: FactorCategory,
    subject: str,
    value: str,
    route: str = "",
    distribution: Distribution | None = None,
) -> Factor:
    return Factor(
        FactorSet.INVENTORY,
        category,
        subject,
        route,
        "CN",
        2024,
        D(value),
        distribution or Distribution(),
        source="test",
        edition="t",
        verification=Verification.ILLUSTRATIVE,
    )


def _book(ore: Distribution | None = None) -> FactorBook:
    return FactorBook(
        [
            _factor(FactorCategory.VIRGIN_PRODUCTION, "iron_ore", "100", distribution=ore),
            _factor(FactorCategory.ELECTRICITY, "grid", "0.5"),
            _factor(FactorCategory.TRANSPORT, "road_truck", "0.1"),
            _factor(FactorCategory.WASTE_ROUTE, "slag", "10", route="landfill"),
        ]
    )


def _x(kind: ExchangeKind, amount: str, subject: str = "", **kw: object) -> Exchange:
    return Exchange(kind, D(amount), subject, **kw)  # type: ignore[arg-type]


def _process(
    owner: uuid.UUID,
    exchanges: list[Exchange],
    *,
    amount: str = "1",
    unit: str = "t",
    mass: str = "1000",
    price: str = "4000",
    co: tuple[CoProduct, ...] = (),
    pid: uuid.UUID | None = None,
) -> Process:
    return Process(
        id=pid or uuid.uuid4(),
        organization_id=owner,
        site_id=None,
        name="p",
        reference_product="product",
        reference_amount=D(amount),
        unit=unit,
        reference_mass_kg=D(mass),
        reference_price_cny=D(price),
        region_code="320500",
        period_start=START,
        period_end=END,
        exchanges=tuple(exchanges),
        co_products=co,
    )


def _chain() -> tuple[Process, Process]:
    steel = _process(
        STEEL_FIRM,
        [
            _x(ExchangeKind.VIRGIN_MATERIAL, "1.2", "iron_ore"),
            _x(ExchangeKind.SECONDARY_MATERIAL, "0.3", "steel"),
            _x(ExchangeKind.ELECTRICITY, "500"),
            _x(ExchangeKind.TRANSPORT, "50", "road_truck"),
            _x(ExchangeKind.EMISSION, "1500", "co2_fossil"),
            _x(ExchangeKind.EMISSION, "1", "ch4_fossil"),
            _x(ExchangeKind.WASTE, "0.2", "slag", route="landfill", waste_code="900-099-S59"),
        ],
    )
    part = _process(
        STAMPER,
        [
            _x(ExchangeKind.TECHNOSPHERE, "0.25", source_process_id=steel.id),
            _x(ExchangeKind.ELECTRICITY, "100"),
            _x(ExchangeKind.EMISSION, "5", "co2_biogenic"),
        ],
        amount="10",
        unit="piece",
        mass="200",
    )
    return steel, part


def test_a_two_tier_chain_matches_the_hand_solution() -> None:
    steel, part = _chain()
    model = ProductModel({p.id: p for p in (steel, part)}, _book(), Allocation.MASS)
    # Steel per t: 1.2×100 + 500×0.5 + 50×0.1 + 1500 + 1×29.8 + 0.2×10 = 1906.8 kg CO2e.
    coil = model.assess(steel.id, D(1))
    assert coil.total_kg == pytest.approx(1906.8, rel=1e-12)
    # A piece: 0.025 t of coil (47.67) + 10 kWh (5) + 0.5 kg biogenic CO2 = 53.17.
    piece = model.assess(part.id, D(1))
    assert piece.total_kg == pytest.approx(53.17, rel=1e-12)
    assert piece.biogenic_kg == pytest.approx(0.5, rel=1e-12)
    assert piece.fossil_kg == pytest.approx(52.67, rel=1e-12)
    assert piece.by_process[steel.id] == pytest.approx(47.67, rel=1e-12)
    assert piece.by_process[part.id] == pytest.approx(5.5, rel=1e-12)
    assert sum(piece.by_process.values()) == pytest.approx(piece.total_kg, rel=1e-12)
    # Direct (firm-entered) emissions: 0.025 × 1529.8 + 0.5 = 38.745 of 53.17.
    assert piece.primary_data_share == pytest.approx(38.745 / 53.17, rel=1e-12)
    assert "inventory/electricity/grid/-/CN/2024" in piece.factor_refs
    assert len(piece.factor_refs) == 4


def test_recycled_content_is_the_cut_off_mass_share() -> None:
    steel, part = _chain()
    model = ProductModel({p.id: p for p in (steel, part)}, _book(), Allocation.MASS)
    # A piece (20 kg) draws 0.025 t of coil and so 0.0075 t of scrap: 7.5 / 20 = 0.375 (ISO
    # 14021 7.8, recycled mass over product mass); the scrap itself carries nothing.
    assert model.assess(part.id, D(1)).recycled_content_share == pytest.approx(0.375)
    massless = _process(STAMPER, list(part.exchanges), amount="10", unit="piece", mass="0")
    over_inputs = ProductModel({p.id: p for p in (steel, massless)}, _book(), Allocation.MASS)
    # Without a product mass: scrap over the cradle's material, 0.3 / (0.3 + 1.2) = 0.2.
    assert over_inputs.assess(massless.id, D(1)).recycled_content_share == pytest.approx(0.2)
    without_scrap = _process(STEEL_FIRM, [_x(ExchangeKind.VIRGIN_MATERIAL, "1.2", "iron_ore")])
    alone = ProductModel({without_scrap.id: without_scrap}, _book(), Allocation.MASS)
    assert alone.assess(without_scrap.id, D(1)).recycled_content_share == 0
    assert alone.assess(without_scrap.id, D(1)).total_kg == pytest.approx(120)


def _two_outputs() -> Process:
    by = CoProduct("by", D("0.5"), "t", D("500"), D("200"))
    return _process(
        STEEL_FIRM,
        [_x(ExchangeKind.EMISSION, "900", "co2_fossil")],
        price="300",
        co=(by,),
    )


def test_mass_allocation_by_hand() -> None:
    process = _two_outputs()
    model = ProductModel({process.id: process}, _book(), Allocation.MASS)
    # 1000 kg of 1500 kg: 2/3 × 900 = 600 per t; the 0.5 t co-product gets 300, 600 per t.
    assert model.assess(process.id, D(1)).total_kg == pytest.approx(600)
    by_column = model.system.demand_vector({column_key(process.id, 1): 1.0})
    assert model.solver.solve(by_column).score == pytest.approx(600)


def test_economic_allocation_by_hand() -> None:
    process = _two_outputs()
    model = ProductModel({process.id: process}, _book(), Allocation.ECONOMIC)
    # Values 300 (1 t × 300) and 100 (0.5 t × 200): 3/4 × 900 = 675; the co-product 225 / 0.5.
    assert model.assess(process.id, D(1)).total_kg == pytest.approx(675)
    by_column = model.system.demand_vector({column_key(process.id, 1): 1.0})
    assert model.solver.solve(by_column).score == pytest.approx(450)


def test_allocated_inputs_split_between_products() -> None:
    by = CoProduct("by", D("1"), "t", D("1000"), D("1"))
    process = _process(STEEL_FIRM, [_x(ExchangeKind.ELECTRICITY, "1000")], co=(by,), mass="1000")
    model = ProductModel({process.id: process}, _book(), Allocation.MASS)
    assert model.assess(process.id, D(2)).total_kg == pytest.approx(2 * 250)


def test_monte_carlo_is_seeded_and_brackets_the_score() -> None:
    steel, part = _chain()
    lognormal = Distribution(DistributionKind.LOGNORMAL, spread=1.5)
    model = ProductModel({p.id: p for p in (steel, part)}, _book(lognormal), Allocation.MASS)
    first = model.monte_carlo(part.id, D(1), 300, seed=7)
    again = model.monte_carlo(part.id, D(1), 300, seed=7)
    assert (first == again).all()
    low, high = model.interval_95(part.id, D(1), 300, seed=7)
    assert low < 53.17 < high
    fixed = ProductModel({p.id: p for p in (steel, part)}, _book(), Allocation.MASS)
    assert fixed.interval_95(part.id, D(1), 50, seed=1) == pytest.approx((53.17, 53.17))


def test_entered_amount_uncertainty_moves_every_product_column_together() -> None:
    by = CoProduct("by", D("1"), "t", D("1000"), D("1"))
    spread = Distribution(DistributionKind.UNIFORM, low=800, high=1200)
    emission = Exchange(ExchangeKind.EMISSION, D(1000), "co2_fossil", distribution=spread)
    process = _process(STEEL_FIRM, [emission], co=(by,))
    model = ProductModel({process.id: process}, _book(), Allocation.MASS)
    draws = model.monte_carlo(process.id, D(1), 400, seed=3)
    assert draws.min() >= 400
    assert draws.max() <= 600
    assert draws.std() > 10


def test_a_missing_factor_names_the_subject() -> None:
    process = _process(STEEL_FIRM, [_x(ExchangeKind.FUEL, "3", "hydrogen")])
    with pytest.raises(FactorNotFound) as caught:
        ProductModel({process.id: process}, _book(), Allocation.MASS)
    assert caught.value.field == "subject"


def test_an_input_from_outside_the_system_is_refused() -> None:
    part = _process(STAMPER, [_x(ExchangeKind.TECHNOSPHERE, "1", source_process_id=uuid.uuid4())])
    with pytest.raises(InvalidInput) as caught:
        ProductModel({part.id: part}, _book(), Allocation.MASS)
    assert caught.value.field == "source"


@pytest.mark.parametrize(
    ("kind", "subject", "kw", "field"),
    [
        (ExchangeKind.EMISSION, "sf6", {}, "subject"),
        (ExchangeKind.WASTE, "slag", {"route": "burying"}, "route"),
        (ExchangeKind.TECHNOSPHERE, "", {}, "source"),
        (ExchangeKind.TRANSPORT, "", {}, "subject"),
    ],
)
def test_bad_exchanges_name_their_field(
    kind: ExchangeKind, subject: str, kw: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        Exchange(kind, D(1), subject, **kw)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        Exchange(ExchangeKind.ELECTRICITY, D(-1))
    assert caught.value.field == "amount"


def test_economic_allocation_needs_a_price() -> None:
    by = CoProduct("by", D("1"), "t", D("1"), D("1"))
    process = _process(STEEL_FIRM, [], price="0", co=(by,))
    with pytest.raises(InvalidInput) as caught:
        process.shares(Allocation.ECONOMIC)
    assert caught.value.field == "reference_price_cny"


def test_a_process_is_usable_by_its_owner_and_the_firms_it_is_shared_with() -> None:
    steel, _ = _chain()
    assert may_use(steel, STEEL_FIRM, set())
    assert not may_use(steel, STAMPER, set())
    assert may_use(steel, STAMPER, {STAMPER})


def test_an_uncertain_input_line_merges_with_a_fixed_one_at_its_position() -> None:
    spread = Distribution(DistributionKind.UNIFORM, low=80, high=120)
    lines = [
        Exchange(ExchangeKind.ELECTRICITY, D(100), distribution=spread),
        _x(ExchangeKind.ELECTRICITY, "300"),
    ]
    process = _process(STEEL_FIRM, lines)
    model = ProductModel({process.id: process}, _book(), Allocation.MASS)
    assert model.assess(process.id, D(1)).total_kg == pytest.approx(200)  # 400 kWh × 0.5
    draws = model.monte_carlo(process.id, D(1), 300, seed=5)
    # 380..420 kWh: 190..210 kg CO2e, and spread across it.
    assert draws.min() >= 190 - 1e-9
    assert draws.max() <= 210 + 1e-9
    assert draws.max() - draws.min() > 10


def test_two_uncertain_lines_at_one_position_are_refused() -> None:
    spread = Distribution(DistributionKind.UNIFORM, low=80, high=120)
    line = Exchange(ExchangeKind.ELECTRICITY, D(100), distribution=spread)
    process = _process(STEEL_FIRM, [line, line])
    model = ProductModel({process.id: process}, _book(), Allocation.MASS)
    with pytest.raises(InvalidDistribution) as caught:
        model.monte_carlo(process.id, D(1), 10, seed=1)
    assert caught.value.field == "distribution"
