"""Scenario arithmetic against hand computations, and refusals naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zerowaste.errors.evaluation import ScenarioInvalid
from zerowaste.evaluation.scenarios import (
    Baseline,
    FactorUse,
    Fate,
    ScenarioFactors,
    StreamBaseline,
    parse_spec,
    project,
)

SLAG = StreamBaseline(
    stream="SW01",
    sector="31",
    generated_t=120.0,
    shares={Fate.UTILIZATION: 0.5, Fate.LANDFILL: 0.5},
    distance_km=10.0,
    material="slag",
    hazardous=False,
)
BASELINE = Baseline("320500", 2025, (SLAG,))
FACTORS = ScenarioFactors(
    emission={
        ("slag", Fate.LANDFILL): FactorUse("e/landfill", 20.0, "kg CO2e/t", "test"),
        ("slag", Fate.UTILIZATION): FactorUse("e/recycling", 5.0, "kg CO2e/t", "test"),
    },
    cost={("SW01", Fate.LANDFILL): FactorUse("c/landfill", 100.0, "CNY/t", "test")},
    transport=FactorUse("e/road", 0.1, "kg CO2e/t.km", "test"),
    freight={False: FactorUse("c/freight", 0.5, "CNY/t.km", "test")},
)
GROWTH = [(date(2026, 1, 1), 1.0), (date(2026, 2, 1), 1.5)]


def spec(*changes: dict[str, Any], **extra: Any) -> Any:
    return parse_spec(
        {"region": "320500", "year": 2025, "horizon": 2, "changes": list(changes), **extra}
    )


def test_the_baseline_month_is_priced_by_hand() -> None:
    result = project(BASELINE, spec(), FACTORS, GROWTH)
    january = result.months[0].baseline
    # 120 t a year: 10 t in January, half utilized, half landfilled, 10 km each.
    assert january.fates_t[Fate.UTILIZATION] == pytest.approx(5)
    assert january.landfill_t == pytest.approx(5)
    assert january.emissions_t == pytest.approx((5 * 5 + 5 * 20 + 100 * 0.1) / 1000)
    assert january.cost_cny == pytest.approx(5 * 100 + 100 * 0.5)
    assert january.unpriced_cost_t == pytest.approx(5)  # utilization has no cost row
    february = result.months[1].baseline
    assert february.generated_t == pytest.approx(15)
    assert result.baseline_total.landfill_t == pytest.approx(12.5)
    assert result.scenario_total.emissions_t == pytest.approx(result.baseline_total.emissions_t)
    assert {f.key for f in result.factors} == {
        "e/landfill",
        "e/recycling",
        "e/road",
        "c/landfill",
        "c/freight",
    }


def test_utilization_points_and_generation_reduction_by_hand() -> None:
    scenario = spec(
        {"kind": "generation", "reduction_pct": 10},
        {"kind": "utilization", "stream": "SW01", "points": 20},
    )
    january = project(BASELINE, scenario, FACTORS, GROWTH).months[0].scenario
    assert january.generated_t == pytest.approx(9)
    assert january.fates_t[Fate.UTILIZATION] == pytest.approx(6.3)
    assert january.landfill_t == pytest.approx(2.7)
    assert january.emissions_t == pytest.approx((6.3 * 5 + 2.7 * 20 + 90 * 0.1) / 1000)
    assert january.cost_cny == pytest.approx(2.7 * 100 + 90 * 0.5)


def test_a_route_change_moves_mass_at_its_new_distance() -> None:
    scenario = spec(
        {
            "kind": "route",
            "from": "landfill",
            "to": "co_processing",
            "share": 0.5,
            "distance_km": 50,
        }
    )
    result = project(BASELINE, scenario, FACTORS, GROWTH)
    january = result.months[0].scenario
    assert january.landfill_t == pytest.approx(2.5)
    assert january.fates_t[Fate.CO_PROCESSING] == pytest.approx(2.5)
    # 5 t utilized at 10 km, 2.5 landfilled at 10 km, 2.5 co-processed at 50 km.
    assert january.tonne_km == pytest.approx(50 + 25 + 125)
    assert january.unpriced_emissions_t == pytest.approx(2.5)  # no slag co-processing factor here
    assert january.cost_cny == pytest.approx(2.5 * 100 + 200 * 0.5)


def test_a_landfill_ban_and_a_capped_utilization_rise() -> None:
    scenario = spec({"kind": "landfill_ban", "share": 1.0}, {"kind": "utilization", "points": 10})
    result = project(BASELINE, scenario, FACTORS, GROWTH)
    assert result.scenario_total.landfill_t == pytest.approx(0)
    assert result.scenario_total.fates_t[Fate.UTILIZATION] == pytest.approx(25)
    assert any("capped" in note for note in result.notes)


def test_cost_overrides_price_the_utilized_mass() -> None:
    result = project(BASELINE, spec(costs={"utilization": 30}), FACTORS, GROWTH)
    assert result.months[0].baseline.cost_cny == pytest.approx(550 + 5 * 30)
    assert result.months[0].baseline.unpriced_cost_t == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"changes": [{"kind": "utilization", "points": 150}]}, "changes[0].points"),
        (
            {"changes": [{"kind": "route", "from": "landfill", "to": "landfill", "share": 1}]},
            "changes[0].to",
        ),
        (
            {"changes": [{"kind": "route", "from": "burial", "to": "landfill", "share": 1}]},
            "changes[0].from",
        ),
        ({"changes": [{"kind": "landfill_ban", "share": 1.5}]}, "changes[0].share"),
        ({"changes": [{"kind": "tax"}]}, "changes[0].kind"),
        ({"changes": [{"kind": "generation", "reduction_pct": 5, "extra": 1}]}, "changes[0].extra"),
        ({"horizon": 0}, "horizon"),
        ({"region": "3205"}, "region"),
        ({"costs": {"landfill": -1}}, "costs.landfill"),
    ],
)
def test_bad_scenarios_name_the_field(body: dict[str, Any], field: str) -> None:
    raw = {"region": "320500", "year": 2025, **body}
    with pytest.raises(ScenarioInvalid) as refused:
        parse_spec(raw)
    assert refused.value.field == field


def test_an_unknown_stream_or_sector_is_refused() -> None:
    with pytest.raises(ScenarioInvalid) as refused:
        project(
            BASELINE, spec({"kind": "utilization", "stream": "SW02", "points": 5}), FACTORS, GROWTH
        )
    assert refused.value.field == "changes[0].stream"
    with pytest.raises(ScenarioInvalid) as refused:
        project(
            BASELINE, spec({"kind": "utilization", "sector": "26", "points": 5}), FACTORS, GROWTH
        )
    assert refused.value.field == "changes[0].sector"


def test_shares_outside_the_unit_interval_are_refused() -> None:
    with pytest.raises(ScenarioInvalid):
        StreamBaseline("SW01", "", 1.0, {Fate.LANDFILL: 1.2}, 0.0, None, False)
