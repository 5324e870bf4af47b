"""Avoided and inventory emissions of flows: the WARM switch by hand, transport, routes, MC."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest

from zerowaste.carbon.accounting import Accountant, FlowResult
from zerowaste.carbon.aggregate import (
    Granularity,
    SetTotal,
    by_material,
    by_period,
    by_route,
    group_by,
    period_of,
    total_of,
)
from zerowaste.carbon.flows import (
    BaselineRule,
    Unaccounted,
    WasteFlow,
    baseline_for,
    great_circle_km,
    road_km,
    route_of,
)
from zerowaste.carbon.materials import KeyKind, MaterialClass, WasteMaterials, parse_materials_csv
from zerowaste.carbon.uncertainty import FactorDraws
from zerowaste.domain.events import DisposalMethod, EventType
from zerowaste.domain.factors import (
    Distribution,
    DistributionKind,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
    Verification,
    WasteRoute,
)
from zerowaste.lca.sampling import sample_columns

#: One short ton (2,000 lb × 0.45359237 kg/lb) in tonnes, exactly.
SHORT_TON_T = Decimal("0.90718474")
#: One metric ton of CO2e (MTCO2E) in kg.
MTCO2E_KG = Decimal(1000)
WARM = "US EPA WARM v16 (shared/reference/warm_v16_factors.csv), aluminum cans"


def per_tonne(mtco2e_per_short_ton: str) -> Decimal:
    """A WARM factor (MTCO2E per short ton) in kg CO2e per tonne."""
    return Decimal(mtco2e_per_short_ton) * MTCO2E_KG / SHORT_TON_T


def factor(
    factor_set: FactorSet,
    subject: str,
    route: str,
    value: Decimal,
    distribution: Distribution | None = None,
) -> Factor:
    category = FactorCategory.WASTE_ROUTE if route else FactorCategory.TRANSPORT
    return Factor(
        factor_set,
        category,
        subject,
        route,
        "",
        2023,
        value,
        distribution or Distribution(),
        WARM if route else "test transport factor",
        "test",
        Verification.ILLUSTRATIVE,
    )


def book(distribution: Distribution | None = None) -> FactorBook:
    avoided, inventory = FactorSet.AVOIDED, FactorSet.INVENTORY
    return FactorBook(
        [
            factor(avoided, "aluminium", "recycling", per_tonne("-9.13"), distribution),
            factor(avoided, "aluminium", "landfill", per_tonne("0.02")),
            factor(avoided, "road_truck", "", Decimal("0.1")),
            factor(inventory, "aluminium", "recycling", Decimal("250")),
            factor(inventory, "aluminium", "landfill", Decimal("20")),
            factor(inventory, "road_truck", "", Decimal("0.08")),
        ]
    )


MATERIALS = WasteMaterials(
    [
        MaterialClass("SW17", KeyKind.CLASS, "aluminium", WasteRoute.LANDFILL, "cans", "test"),
        MaterialClass("HW08", KeyKind.CATEGORY, "waste_oil", WasteRoute.INCINERATION, "oil", "t"),
    ]
)


def flow(
    mass_kg: str = "907.18474",
    route: WasteRoute | None = WasteRoute.RECYCLING,
    distance_km: str = "0",
    when: datetime = datetime(2025, 3, 31, 17, tzinfo=UTC),
    code: str = "SW17",
) -> WasteFlow:
    org = uuid.uuid4()
    return WasteFlow(
        event_id=uuid.uuid4(),
        event_type=EventType.TRANSFORMED if route is WasteRoute.RECYCLING else EventType.DISPOSED,
        batch_id=uuid.uuid4(),
        organization_id=org,
        generator_id=org,
        region_code="320505",
        site_id=None,
        event_time=when,
        waste_code=code,
        material=MATERIALS.material_of(code),
        route=route,
        mass_kg=Decimal(mass_kg),
        distance_km=Decimal(distance_km),
    )


def test_warm_switch_of_one_short_ton_of_aluminium_cans_by_hand() -> None:
    # WARM: recycling −9.13, landfilling +0.02 MTCO2E per short ton; the switch landfill →
    # recycling changes emissions by −9.13 − 0.02 = −9.15 MTCO2E per short ton, i.e.
    # −9.15 × 1000 / 0.90718474 = −10,086.15 kg CO2e per tonne. One short ton saves 9,150 kg.
    result = Accountant(book(), MATERIALS).account(flow())
    assert result.baseline is WasteRoute.LANDFILL
    assert result.avoided.co2e_kg is not None
    assert result.avoided.co2e_kg == pytest.approx(Decimal(9150), abs=Decimal("1e-20"))
    per_t = (per_tonne("0.02") - per_tonne("-9.13")).quantize(Decimal("0.01"))
    assert per_t == Decimal("10086.15")
    assert set(result.avoided.refs) == {
        "avoided/waste_route/aluminium/recycling/GLO/2023",
        "avoided/waste_route/aluminium/landfill/GLO/2023",
    }


def test_transport_is_subtracted_from_avoided_and_added_to_inventory() -> None:
    result = Accountant(book(), MATERIALS).account(flow("2000", distance_km="50"))
    saving = Decimal(2) * (per_tonne("0.02") - per_tonne("-9.13"))
    assert result.avoided.co2e_kg == saving - Decimal(2) * 50 * Decimal("0.1")
    assert result.inventory.co2e_kg == Decimal(2) * 250 + Decimal(2) * 50 * Decimal("0.08")
    assert "avoided/transport/road_truck/-/GLO/2023" in result.avoided.refs
    assert "inventory/transport/road_truck/-/GLO/2023" in result.inventory.refs


def test_no_figure_mixes_the_two_sets() -> None:
    accountant = Accountant(book(), MATERIALS)
    results = [accountant.account(flow("1000", distance_km="10")) for _ in range(3)]
    for result in results:
        assert all(r.startswith("avoided/") for r in result.avoided.refs)
        assert all(r.startswith("inventory/") for r in result.inventory.refs)
    total = total_of(results)
    assert all(r.startswith("avoided/") for r in total.avoided.refs)
    assert all(r.startswith("inventory/") for r in total.inventory.refs)
    with pytest.raises(ValueError, match="cannot join"):
        SetTotal(FactorSet.AVOIDED).add(results[0].inventory, Decimal(1))


def test_without_an_avoided_road_factor_the_carriage_is_subtracted_at_its_inventory_emission() -> (
    None
):
    no_avoided_road = FactorBook(
        f for f in book() if not (f.factor_set is FactorSet.AVOIDED and f.subject == "road_truck")
    )
    result = Accountant(no_avoided_road, MATERIALS).account(flow("2000", distance_km="50"))
    saving = Decimal(2) * (per_tonne("0.02") - per_tonne("-9.13"))
    assert result.avoided.co2e_kg == saving - Decimal(2) * 50 * Decimal("0.08")
    routes = [r for r in result.avoided.refs if "/waste_route/" in r]
    assert routes
    assert all(r.startswith("avoided/") for r in routes)
    assert "inventory/transport/road_truck/-/GLO/2023" in result.avoided.refs
    assert all(r.startswith("inventory/") for r in result.inventory.refs)


def test_disposal_at_the_baseline_route_avoids_nothing_but_costs_its_transport() -> None:
    result = Accountant(book(), MATERIALS).account(
        flow("1000", WasteRoute.LANDFILL, distance_km="20")
    )
    assert result.avoided.co2e_kg == Decimal(-2)
    assert result.inventory.co2e_kg == Decimal(20) + Decimal("1.6")


def test_routes_of_events() -> None:
    assert route_of(EventType.TRANSFORMED, None) is WasteRoute.RECYCLING
    assert route_of(EventType.DISPOSED, DisposalMethod.LANDFILL) is WasteRoute.LANDFILL
    assert route_of(EventType.DISPOSED, DisposalMethod.INCINERATION) is WasteRoute.INCINERATION
    assert route_of(EventType.DISPOSED, DisposalMethod.CO_PROCESSING) is WasteRoute.CO_PROCESSING
    assert route_of(EventType.DISPOSED, DisposalMethod.OTHER) is None
    with pytest.raises(ValueError, match="neither"):
        route_of(EventType.SHIPPED, None)


def test_other_disposal_and_missing_factors_are_counted_not_guessed() -> None:
    accountant = Accountant(book(), MATERIALS)
    other = accountant.account(flow("500", None))
    assert other.avoided.co2e_kg is None
    assert other.avoided.unaccounted is Unaccounted.DISPOSAL_OTHER
    oil = accountant.account(flow("300", WasteRoute.INCINERATION, code="900-214-08"))
    assert oil.avoided.unaccounted is Unaccounted.MISSING_FACTOR
    assert "waste_oil" in oil.avoided.detail
    unknown = accountant.account(flow("100", WasteRoute.RECYCLING, code="900-999-77"))
    assert unknown.avoided.unaccounted is Unaccounted.UNKNOWN_MATERIAL
    good = accountant.account(flow("1000"))
    total = total_of([other, oil, unknown, good])
    assert total.flows == 4
    assert total.avoided.unaccounted == {
        Unaccounted.DISPOSAL_OTHER: 1,
        Unaccounted.MISSING_FACTOR: 1,
        Unaccounted.UNKNOWN_MATERIAL: 1,
    }
    assert total.avoided.unaccounted_kg == Decimal(900)
    assert total.avoided.co2e_kg == good.avoided.co2e_kg


def test_region_baselines_override_the_default() -> None:
    f = flow()
    rules = [
        BaselineRule("32", "aluminium", WasteRoute.INCINERATION),
        BaselineRule("3205", "aluminium", WasteRoute.CO_PROCESSING),
        BaselineRule("3205", "SW17", WasteRoute.LANDFILL),
        BaselineRule("33", "SW17", WasteRoute.COMPOSTING),
    ]
    assert baseline_for(f, rules[:1], WasteRoute.LANDFILL) is WasteRoute.INCINERATION
    assert baseline_for(f, rules[:2], WasteRoute.LANDFILL) is WasteRoute.CO_PROCESSING
    assert baseline_for(f, rules, WasteRoute.RECYCLING) is WasteRoute.LANDFILL
    assert baseline_for(f, rules[3:], WasteRoute.RECYCLING) is WasteRoute.RECYCLING


def test_great_circle_and_road_distance() -> None:
    # One degree of latitude on the mean sphere: 2πR/360 = 111.195 km.
    assert great_circle_km(31.0, 120.0, 32.0, 120.0) == pytest.approx(111.19508, rel=1e-6)
    assert great_circle_km(31.3, 120.6, 31.3, 120.6) == 0
    assert road_km((31.0, 120.0), (32.0, 120.0)) == Decimal("133.434")


def test_periods_follow_china_time() -> None:
    late = datetime(2025, 3, 31, 17, tzinfo=UTC)  # 01:00 on 1 April in China
    assert period_of(late, Granularity.MONTH) == "2025-04"
    assert period_of(late, Granularity.QUARTER) == "2025-Q2"
    assert period_of(late, Granularity.YEAR) == "2025"


def test_groups_by_period_route_and_material() -> None:
    accountant = Accountant(book(), MATERIALS)
    results = [
        accountant.account(flow("1000", when=datetime(2025, 1, 5, tzinfo=UTC))),
        accountant.account(flow("1000", when=datetime(2025, 2, 5, tzinfo=UTC))),
        accountant.account(
            flow("1000", WasteRoute.LANDFILL, when=datetime(2025, 2, 9, tzinfo=UTC))
        ),
    ]
    months = group_by(results, by_period(Granularity.MONTH))
    assert [g.key for g in months] == ["2025-01", "2025-02"]
    assert [g.flows for g in months] == [1, 2]
    routes = {g.key: g for g in group_by(results, by_route)}
    assert routes["landfill"].avoided.co2e_kg == 0
    assert {g.key for g in group_by(results, by_material)} == {"aluminium"}


def _draws(accountant: Accountant, iterations: int, seed: int) -> FactorDraws:
    refs = sorted(accountant.factors)
    chosen = [accountant.factors[r] for r in refs]
    rng = np.random.default_rng(seed)
    values = sample_columns(
        [f.distribution for f in chosen], [float(f.value) for f in chosen], rng, iterations
    )
    return FactorDraws(refs, values)


def test_monte_carlo_is_reproducible_and_contains_the_deterministic_value() -> None:
    spread = Distribution(DistributionKind.LOGNORMAL, spread=1.2)
    accountant = Accountant(book(spread), MATERIALS)
    results: list[FlowResult] = [accountant.account(flow("1000", distance_km="30"))] * 4
    total = total_of(results)
    first = _draws(accountant, 1000, 7).interval(total.avoided)
    again = _draws(accountant, 1000, 7).interval(total.avoided)
    assert first == again
    assert total.avoided.co2e_kg is not None
    assert first.low_kg < float(total.avoided.co2e_kg) < first.high_kg
    assert first.high_kg - first.low_kg > 1000  # the spread is real
    fixed = _draws(accountant, 1000, 7).interval(total.inventory)
    assert fixed.low_kg == pytest.approx(float(total.inventory.co2e_kg))
    assert fixed.high_kg == pytest.approx(fixed.low_kg)


def test_the_shipped_material_table_parses_and_covers_the_demo_codes() -> None:
    from importlib.resources import files

    from zerowaste.demo.routes import ROUTES

    text = (files("zerowaste.data.carbon") / "waste_materials.csv").read_text("utf-8")
    table = parse_materials_csv(text)
    for code in ROUTES:
        row = table.lookup(code)
        assert row is not None, code
        assert row.key_kind in (KeyKind.CODE, KeyKind.CLASS), code
    assert table.material_of("900-299-08") == "waste_oil"  # category fallback
    assert table.material_of("SW04") == "mixed_industrial_solid"  # general default


def test_material_table_rejects_unknown_materials() -> None:
    from zerowaste.errors import InvalidInput

    bad = "key,key_kind,material,baseline_route,name,source\nSW01,class,unobtainium,landfill,x,y\n"
    with pytest.raises(InvalidInput, match="unobtainium"):
        parse_materials_csv(bad)


def test_a_chain_is_its_master_and_suppliers() -> None:
    from zerowaste.domain.chains import Chain, ChainMember
    from zerowaste.errors import InvalidInput

    master, supplier = uuid.uuid4(), uuid.uuid4()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    chain = Chain(master, (ChainMember(master, supplier, at, None),))
    assert chain.organization_ids == {master, supplier}
    with pytest.raises(InvalidInput, match="own supplier"):
        ChainMember(master, master, at, None)
