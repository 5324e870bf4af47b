"""The pure indicator layer: registry and targets parsing, formulas, statistics CSV checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zerowaste.adapters.indicator_files import load_indicator_registry, load_indicator_targets
from zerowaste.domain.indicators import Direction, IndicatorLevel, Period
from zerowaste.domain.statistics import RegionStatistic, StatisticKind
from zerowaste.errors.indicators import IndicatorRegistryInvalid, StatisticsFileInvalid
from zerowaste.indicators.figures import Capability, ContractFigure, Figures, FirmFlags, Tally
from zerowaste.indicators.formulas import FORMULAS, compute
from zerowaste.indicators.registry import REGISTRY_COLUMNS, parse_registry_csv, parse_targets_csv
from zerowaste.indicators.statistics_csv import parse_statistics_csv

REGISTRY = load_indicator_registry()
BY_ID = {d.indicator_id: d for d in REGISTRY}
Y2026 = Period.year(2026)
HEADER = "region_code,year,statistic,value,source\n"


def value(indicator: str, figures: Figures, level: IndicatorLevel = IndicatorLevel.CITY):  # type: ignore[no-untyped-def]
    return compute(BY_ID[indicator], level, "320500", Y2026, figures)


def stat(kind: StatisticKind, amount: str) -> RegionStatistic:
    return RegionStatistic("320500", 2026, kind, Decimal(amount), "test bureau")


def test_the_packaged_registry_covers_the_issue() -> None:
    assert set(FORMULAS) == set(BY_ID)
    families = {d.family.value for d in REGISTRY}
    assert {"outcome", "driver", "mediator", "city_system"} <= families
    for required in (
        "solid_waste_per_output",
        "lifecycle_recycling_rate",
        "supply_chain_carbon_footprint",
        "green_procurement_intensity",
        "supplier_green_capability",
        "policy_strength",
        "informatization_level",
        "revenue_sharing_share",
        "green_premium",
        "general_iswg_intensity",
        "general_iswu_rate",
        "hazardous_utilization_disposal_rate",
        "landfill_share",
    ):
        assert required in BY_ID
    assert sum(d.zero_waste_city for d in REGISTRY) >= 5
    assert all(d.source for d in REGISTRY)
    assert BY_ID["policy_strength"].statistics == ("policy_strength",)
    targets = load_indicator_targets()
    assert all("illustrative" in t.source for t in targets)


def _registry_row(**changes: str) -> str:
    row = {
        "indicator_id": "x_rate",
        "name_zh": "某率",
        "name_en": "Some rate",
        "formula": "a ÷ b",
        "unit": "%",
        "scope": "all",
        "levels": "firm|city",
        "direction": "higher_is_better",
        "family": "outcome",
        "origin": "platform",
        "source": "test",
        "statistics": "",
        "zero_waste_city": "false",
    } | changes
    return ",".join(row[c] for c in REGISTRY_COLUMNS)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"levels": "firm|town"}, "row 2: levels"),
        ({"direction": "up"}, "row 2: direction"),
        ({"name_en": ""}, "row 2: name_en"),
        ({"origin": "statistics"}, "row 2: statistics"),
        ({"statistics": "happiness", "origin": "combined"}, "row 2: statistics"),
        ({"zero_waste_city": "maybe"}, "row 2: zero_waste_city"),
        ({"indicator_id": "Bad-Id"}, "row 2: indicator_id"),
    ],
)
def test_registry_errors_name_row_and_column(changes: dict[str, str], field: str) -> None:
    text = ",".join(REGISTRY_COLUMNS) + "\n" + _registry_row(**changes) + "\n"
    with pytest.raises(IndicatorRegistryInvalid) as caught:
        parse_registry_csv(text)
    assert caught.value.field == field


def test_registry_refuses_repeats_and_bad_headers() -> None:
    head = ",".join(REGISTRY_COLUMNS) + "\n"
    with pytest.raises(IndicatorRegistryInvalid) as caught:
        parse_registry_csv(head + _registry_row() + "\n" + _registry_row() + "\n")
    assert caught.value.field == "row 3: indicator_id"
    with pytest.raises(IndicatorRegistryInvalid):
        parse_registry_csv("id,name\n")
    (one,) = parse_registry_csv(head + _registry_row() + "\n")
    assert one.levels == (IndicatorLevel.FIRM, IndicatorLevel.CITY)


def test_targets_are_checked_against_the_registry() -> None:
    head = "region_code,indicator_id,year,target,source\n"
    (target,) = parse_targets_csv(head + "320500,landfill_share,2026,10,plan\n", REGISTRY)
    assert target.met_by(Decimal(9), Direction.LOWER_IS_BETTER)
    assert not target.met_by(Decimal(11), Direction.LOWER_IS_BETTER)
    for row, field in (
        ("3205,landfill_share,2026,10,plan", "row 2: region_code"),
        ("320500,green_procurement_intensity,2026,10,plan", "row 2: indicator_id"),
        ("320500,landfill_share,20x6,10,plan", "row 2: year"),
        ("320500,landfill_share,2026,ten,plan", "row 2: target"),
        ("320500,landfill_share,2026,10,", "row 2: source"),
    ):
        with pytest.raises(IndicatorRegistryInvalid) as caught:
            parse_targets_csv(head + row + "\n", REGISTRY)
        assert caught.value.field == field


def test_utilization_rate_uses_the_statistical_convention() -> None:
    tally = Tally(general_kg=Decimal(800), general_utilized_kg=Decimal(900))
    tally.general_utilized_prior_kg = Decimal(200)
    v = value("general_iswu_rate", Figures(tally=tally), IndicatorLevel.FIRM)
    assert v.value == Decimal(90)  # 900 / (800 + 200)
    assert (v.numerator, v.denominator) == (Decimal(900), Decimal(1000))
    stock = stat(StatisticKind.GENERAL_ISWU_PRIOR_STOCK_T, "0.2")
    figures = Figures(tally=tally, statistics={stock.kind: stock})
    city = value("general_iswu_rate", figures)
    assert city.value == Decimal(90)  # the uploaded 0.2 t stands in for the ledger's 200 kg
    assert city.notes
    assert "statistics: test bureau" in {i.origin for i in city.inputs}
    empty = value("general_iswu_rate", Figures(tally=Tally()))
    assert empty.value is None
    assert empty.missing


def test_intensities_need_added_value_of_a_whole_year() -> None:
    tally = Tally(general_kg=Decimal(5000), hazardous_kg=Decimal(250))
    added = stat(StatisticKind.INDUSTRIAL_ADDED_VALUE_CNY, "2000000")
    figures = Figures(tally=tally, statistics={added.kind: added})
    assert value("general_iswg_intensity", figures).value == Decimal("0.025")  # 5 t / 200
    assert value("hazardous_iwg_intensity", figures).value == Decimal("0.00125")
    no_stat = value("general_iswg_intensity", Figures(tally=tally))
    assert "industrial_added_value_cny" in (no_stat.missing or "")
    quarter = compute(
        BY_ID["general_iswg_intensity"],
        IndicatorLevel.CITY,
        "320500",
        Period.parse("2026-Q1"),
        figures,
    )
    assert "whole calendar year" in (quarter.missing or "")
    firm = Figures(tally=tally, economic_records=1, industrial_added_value_cny=Decimal(1_000_000))
    assert value("general_iswg_intensity", firm, IndicatorLevel.FIRM).value == Decimal("0.05")


def test_fate_shares_and_landfill_reduction() -> None:
    tally = Tally(
        general_utilized_kg=Decimal(600),
        general_disposed_kg=Decimal(300),
        hazardous_utilized_kg=Decimal(50),
        hazardous_disposed_kg=Decimal(50),
        hazardous_kg=Decimal(80),
        hazardous_utilized_prior_kg=Decimal(20),
        landfill_kg=Decimal(250),
        hazardous_landfill_kg=Decimal(30),
    )
    before = Tally(hazardous_landfill_kg=Decimal(40))
    figures = Figures(tally=tally, previous=before)
    assert value("lifecycle_recycling_rate", figures).value == Decimal(65)
    assert value("landfill_share", figures).value == Decimal(25)
    assert value("hazardous_utilization_disposal_rate", figures).value == Decimal(100)
    assert value("hazardous_landfill_reduction", figures).value == Decimal(25)
    assert value("landfill_share", Figures(tally=Tally())).value is None


def test_statistics_indicators() -> None:
    people = stat(StatisticKind.RESIDENT_POPULATION, "1000")
    waste = stat(StatisticKind.MUNICIPAL_SOLID_WASTE_T, "365")
    policy = stat(StatisticKind.POLICY_STRENGTH, "0.4")
    figures = Figures(tally=Tally(), statistics={s.kind: s for s in (people, waste, policy)})
    assert value("msw_per_capita_daily", figures).value == Decimal(1)  # 365 t / 1000 / 365 d
    assert value("policy_strength", figures).value == Decimal("0.4")
    assert value("policy_strength", Figures(tally=Tally())).value is None


def test_mediators_and_drivers() -> None:
    contracts = (
        ContractFigure("HW08", Decimal(10), Decimal(1200), Decimal("0.05"), True),
        ContractFigure("HW08", Decimal(30), Decimal(1000), Decimal(0), True),
        ContractFigure("SW02", Decimal(5), Decimal(50), Decimal(0), False),
    )
    prices = {"HW08": Decimal(1100), "SW02": Decimal(50)}
    figures = Figures(tally=Tally(), contracts=contracts, market_prices=prices)
    share = value("revenue_sharing_share", figures, IndicatorLevel.FIRM)
    assert share.value == (Decimal(100) / 3).quantize(Decimal("0.000001"))
    premium = value("green_premium", figures, IndicatorLevel.FIRM)
    assert premium.value == Decimal(-50)  # (10 × 100 + 30 × −100) / 40
    flags = (FirmFlags(True, True, False), FirmFlags(False, False, False))
    info = value("informatization_level", Figures(tally=Tally(), flags=flags))
    assert info.value == (Decimal(2) / 3 / 2 * 100).quantize(Decimal("0.000001"))
    parts = (Capability(True, Decimal("0.5"), Decimal("0.5")), Capability(False, None, None))
    capability = value(
        "supplier_green_capability",
        Figures(tally=Tally(), capabilities=parts),
        IndicatorLevel.CHAIN,
    )
    assert capability.value == Decimal("33.333333")  # mean of (1 + 0.5 + 0.5) / 3 and 0
    generation = ((True, Decimal(300)), (False, Decimal(100)))
    procurement = value(
        "green_procurement_intensity",
        Figures(tally=Tally(), supplier_generation=generation),
        IndicatorLevel.CHAIN,
    )
    assert procurement.value == Decimal(75)


def test_statistics_csv_is_checked_cell_by_cell() -> None:
    rows = parse_statistics_csv(HEADER + "320500,2026,gdp_cny,2.5e11,统计年鉴\n")
    assert rows[0].value == Decimal("2.5e11")
    for body, field in (
        ("320500,2026,gdp_cny,-1,x", "row 2: value"),
        ("32050,2026,gdp_cny,1,x", "row 2: region_code"),
        ("320500,1890,gdp_cny,1,x", "row 2: year"),
        ("320500,2026,gdp,1,x", "row 2: statistic"),
        ("320500,2026,gdp_cny,1,", "row 2: source"),
        ("320500,2026,policy_strength,1.5,x", "row 2: value"),
        ("320500,2026,zero_waste_pilot,0.5,x", "row 2: value"),
        ("320500,2026,gdp_cny,1", "row 2"),
        ("320500,2026,gdp_cny,1,x\n320500,2026,gdp_cny,2,x", "row 3: statistic"),
    ):
        with pytest.raises(StatisticsFileInvalid) as caught:
            parse_statistics_csv(HEADER + body + "\n")
        assert caught.value.field == field, body
    with pytest.raises(StatisticsFileInvalid) as caught:
        parse_statistics_csv("region,year\n")
    assert caught.value.field == "row 1: header"
    with pytest.raises(StatisticsFileInvalid):
        parse_statistics_csv(HEADER)


def test_periods_reach_the_formulas() -> None:
    v = compute(
        BY_ID["landfill_share"],
        IndicatorLevel.CITY,
        "320500",
        Period.parse("2026-03"),
        Figures(tally=Tally(landfill_kg=Decimal(1), general_disposed_kg=Decimal(4))),
    )
    assert v.period.label == "2026-03"
    assert v.value == Decimal(25)
    reduction = compute(
        BY_ID["hazardous_landfill_reduction"],
        IndicatorLevel.CITY,
        "320500",
        Period.parse("2026-Q2"),
        Figures(tally=Tally(), previous=Tally()),
    )
    assert "2026-Q1" in {i.name.rsplit(" ", 1)[-1] for i in reduction.inputs}


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("2026", "2025"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026-01", "2025-12"),
        ("2026-03", "2026-02"),
        ("2026-03-10/2026-03-20", "2026-02-28/2026-03-10"),
    ],
)
def test_the_previous_period_follows_the_calendar(text: str, before: str) -> None:
    assert Period.parse(text).previous().label == before
