"""Indicator values from a small hand-made ledger on both backends: firm, chain, city, trend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.admission_world import OUTPUT_VALUE_CNY, build_admission_world
from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.indicators import IndicatorLevel, IndicatorValue, Period
from zerowaste.errors import Forbidden, InvalidInput, NotAuthenticated
from zerowaste.errors.indicators import StatisticsFileInvalid, UnknownIndicator
from zerowaste.services.carbon_report import Scope

Y2026, Y2027 = Period.year(2026), Period.year(2027)
STATS = """region_code,year,statistic,value,source
320500,2026,industrial_added_value_cny,2500000000,苏州市统计年鉴 2027 (test figure)
320500,2026,resident_population,12900000,test figure
320500,2026,municipal_solid_waste_t,4708500,test figure
320500,2026,policy_strength,0.75,test checklist
320500,2026,general_iswu_prior_stock_t,1,test figure
"""


def pct(numerator: str, denominator: str) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.000001"))


def by_id(values: list[IndicatorValue]) -> dict[str, IndicatorValue]:
    return {v.indicator_id: v for v in values}


def test_firm_values_match_the_hand_computation(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.indicators
    firm = str(world.supplier_id)
    values = by_id(service.values(world.supplier_user, IndicatorLevel.FIRM, firm, Y2026))
    # general 3 t, hazardous 1.5 t; output 5,000 × 10^4 CNY, added value a quarter of it.
    assert values["solid_waste_per_output"].value == Decimal("0.0009")
    assert values["solid_waste_per_output"].denominator == OUTPUT_VALUE_CNY / 10000
    assert values["general_iswg_intensity"].value == Decimal("0.0024")
    assert values["hazardous_iwg_intensity"].value == Decimal("0.0012")
    # 2,000 kg of the 3,000 kg general waste utilized in 2026, none from earlier stock.
    assert values["general_iswu_rate"].value == pct("2000", "3000")
    assert values["general_iswu_rate"].numerator == Decimal(2000)
    assert values["general_iswu_rate"].denominator == Decimal(3000)
    # 996.5 kg of oil re-refined by the receiver and 500 kg disposed of, of 1,500 kg made.
    assert values["hazardous_utilization_disposal_rate"].value == pct("1496.5", "1500")
    # (996.5 + 2000) of (996.5 + 2000 + 500) met a fate by utilization: 1 − 0.143.
    assert values["lifecycle_recycling_rate"].value == pct("2996.5", "3496.5")
    assert values["landfill_share"].value == Decimal(0)
    reduction = values["hazardous_landfill_reduction"]
    assert reduction.value is None
    assert "previous period" in (reduction.missing or "")
    inputs = {i.name: i for i in values["general_iswu_rate"].inputs}
    assert inputs["general waste generated"].value == Decimal(3000)
    assert inputs["general waste generated"].origin == "ledger"
    later = by_id(service.values(OPERATOR, IndicatorLevel.FIRM, firm, Y2027))
    assert later["general_iswu_rate"].value == Decimal(100)  # 1,000 kg from 2026's stock
    assert later["solid_waste_per_output"].value is None  # no economic record for 2027


def test_the_footprint_equals_the_carbon_accounts_inventory(
    context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    firm = world.supplier_id
    (value,) = context.indicators.values(
        OPERATOR, IndicatorLevel.FIRM, str(firm), Y2026, ["supply_chain_carbon_footprint"]
    )
    results = context.carbon.results(
        OPERATOR, Scope.FIRM, str(firm), date(2026, 1, 1), date(2026, 12, 31)
    )
    figures = [
        r.inventory.co2e_kg
        for r in results
        if r.flow.generator_id == firm and r.inventory.co2e_kg is not None
    ]
    assert figures  # the re-refined oil at least has inventory factors
    assert value.value == (sum(figures, Decimal(0)) / 1000).quantize(Decimal("0.000001"))


def test_chain_and_city_values(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.indicators
    chain = by_id(
        service.values(world.master_user, IndicatorLevel.CHAIN, str(world.master_id), Y2026)
    )
    assert chain["general_iswu_rate"].value == pct("2000", "3000")  # only the supplier has waste
    # Neither supplier is whitelisted: none of the chain's waste is "green" procurement.
    assert chain["green_procurement_intensity"].value == Decimal(0)
    assert chain["supplier_green_capability"].value is not None
    assert Decimal(0) <= chain["supplier_green_capability"].value <= Decimal(100)
    service.import_statistics(OPERATOR, STATS)
    city = by_id(service.values(None, IndicatorLevel.CITY, "320500", Y2026))
    # The receiver's incinerated residue (79.72 kg) is the city's too.
    assert city["lifecycle_recycling_rate"].value == pct("2996.5", "3576.22")
    assert city["general_iswg_intensity"].value == Decimal("0.000012")  # 3 t / 250,000
    assert city["policy_strength"].value == Decimal("0.75")
    # The uploaded prior stock (1 t) replaces the ledger's: 2000 / (3000 + 1000).
    assert city["general_iswu_rate"].value == Decimal(50)
    assert city["general_iswu_rate"].notes
    assert city["msw_per_capita_daily"].value == (
        Decimal(4708500000) / Decimal(12900000) / 365
    ).quantize(Decimal("0.000001"))
    assert city["solid_waste_per_gdp"].value is None  # no GDP uploaded
    elsewhere = by_id(service.values(None, IndicatorLevel.CITY, "330400", Y2026))
    assert elsewhere["general_iswu_rate"].value is None
    trend = service.city_trend("320500", "general_iswu_rate", [Y2026, Y2027])
    assert [v.value for v in trend] == [Decimal(50), Decimal(100)]
    assert [c.region_code for c in service.cities()] == ["320500"]


def test_values_are_access_checked(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.indicators
    firm = str(world.supplier_id)
    with pytest.raises(NotAuthenticated):
        service.values(None, IndicatorLevel.FIRM, firm, Y2026)
    with pytest.raises(Forbidden):
        service.values(world.outsider_user, IndicatorLevel.FIRM, firm, Y2026)
    with pytest.raises(Forbidden):
        service.values(world.supplier_user, IndicatorLevel.CHAIN, str(world.master_id), Y2026)
    with pytest.raises(UnknownIndicator):
        service.values(None, IndicatorLevel.CITY, "320500", Y2026, ["green_procurement_intensity"])
    with pytest.raises(InvalidInput):
        service.values(None, IndicatorLevel.CITY, "3205", Y2026)


def test_statistics_import_is_atomic_and_replaces(context: Context, factory: Factory) -> None:
    service = context.indicators
    assert service.import_statistics(OPERATOR, STATS) == 5
    bad = STATS + "320500,2026,gdp_cny,-5,test\n"
    with pytest.raises(StatisticsFileInvalid) as caught:
        service.import_statistics(OPERATOR, bad.replace("0.75", "0.5"))
    assert caught.value.field == "row 7: value"
    assert {s.kind.value: s.value for s in service.statistics("320500", 2026)}[
        "policy_strength"
    ] == Decimal("0.75")
    assert service.import_statistics(OPERATOR, STATS.replace("0.75", "0.5")) == 5
    stored = service.statistics("320500", 2026)
    assert len(stored) == 5
    assert {s.kind.value: s.value for s in stored}["policy_strength"] == Decimal("0.5")
    outside = factory.user(UserRole.REGULATOR, jurisdiction_code="330400")
    with pytest.raises(Forbidden) as refused:
        service.import_statistics(outside, STATS)
    assert refused.value.field == "row 2: region_code"
    unknown = "region_code,year,statistic,value,source\n999999,2026,gdp_cny,5,x\n"
    with pytest.raises(StatisticsFileInvalid) as caught:
        service.import_statistics(OPERATOR, unknown)
    assert caught.value.field == "row 2: region_code"


def test_corrections_and_new_events_reach_the_facts(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.indicators
    firm = str(world.supplier_id)
    first = by_id(service.values(OPERATOR, IndicatorLevel.FIRM, firm, Y2027))
    assert first["general_iswg_intensity"].inputs[0].value == Decimal(0)
    context.clock.now = context.clock.now.replace(month=2)  # type: ignore[attr-defined]
    world.carbon.world.generate("250", code="SW02")
    again = by_id(service.values(OPERATOR, IndicatorLevel.FIRM, firm, Y2027))
    assert again["general_iswg_intensity"].inputs[0].value == Decimal(250)
    assert service.refresh() == 0
