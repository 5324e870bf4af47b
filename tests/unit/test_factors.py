"""The factor library without a database: the packaged dataset, CSV parsing, book lookups."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tests.conftest import SHARED
from zerowaste.adapters.factor_files import (
    COLUMNS,
    factors_csv,
    load_default_book,
    load_default_dataset,
    parse_factors_csv,
)
from zerowaste.domain.factor_datasets import FactorFilter, check_dataset_label, parse_ref
from zerowaste.domain.factors import (
    CHINA,
    GLOBAL,
    Distribution,
    DistributionKind,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
    Verification,
    WasteRoute,
)
from zerowaste.errors import FactorNotFound, InvalidInput

AVOIDED, INVENTORY = FactorSet.AVOIDED, FactorSet.INVENTORY
WR, GRID = FactorCategory.WASTE_ROUTE, FactorCategory.ELECTRICITY
SHORT_TON_T = Decimal("0.90718474")
#: The material keys the waste-material table (data/carbon/waste_materials.csv) maps wastes to.
SUBJECTS = (
    *("steel", "aluminium", "copper", "precious_metals", "slag", "fly_ash", "bottom_ash"),
    *("gypsum", "sludge", "mixed_industrial_solid", "waste_oil", "solvent", "paint_sludge"),
    *("activated_carbon", "plastics", "organic_hazardous", "inorganic_hazardous"),
    *("packaging_contaminated", "glass", "paper", "concrete"),
)
HEADER = ",".join(COLUMNS)
GOOD = (
    "inventory,transport,road_truck,,CN,2022,0.11,kg CO2e/t.km,triangular,,0.06,0.2,"
    "Somebody 2022,1st,illustrative,a note"
)


@pytest.fixture(scope="module")
def book() -> FactorBook:
    return load_default_book()


def kg_per_tonne(mtco2e_per_short_ton: str) -> Decimal:
    return Decimal(mtco2e_per_short_ton) * 1000 / SHORT_TON_T


def test_default_dataset_is_labelled_and_covers_every_subject(book: FactorBook) -> None:
    assert book.dataset == "zerowaste-default 2026.1"
    assert len(book) == len(load_default_dataset().factors) > 150
    for subject in SUBJECTS:
        for factor_set in (AVOIDED, INVENTORY):
            routes = {
                f.route
                for f in book
                if (f.factor_set, f.category, f.subject) == (factor_set, WR, subject)
            }
            assert routes, (factor_set, subject)
            assert routes <= set(WasteRoute)
    for category in FactorCategory:
        assert any(f.category is category for f in book), category


def test_every_factor_has_provenance_and_a_consistent_interval(book: FactorBook) -> None:
    for factor in book:
        assert factor.source.strip(), factor.ref
        assert factor.edition.strip(), factor.ref
        assert factor.note.strip(), factor.ref
        assert factor.distribution.kind is not DistributionKind.FIXED, factor.ref
        low, high = factor.distribution.interval_95(float(factor.value))
        assert low <= float(factor.value) <= high, factor.ref
    verification = {f.verification for f in book}
    assert verification == set(Verification)


def test_avoided_set_holds_waste_routes_and_the_carriage_they_subtract(book: FactorBook) -> None:
    assert {f.category for f in book if f.factor_set is AVOIDED} == {WR, FactorCategory.TRANSPORT}
    road = book.get(AVOIDED, FactorCategory.TRANSPORT, "road_truck", region_code="320506")
    inventory_road = book.get(
        FactorSet.INVENTORY, FactorCategory.TRANSPORT, "road_truck", region_code="320506"
    )
    assert road.value == inventory_road.value
    assert road.ref != inventory_road.ref


def test_every_warm_row_is_converted_to_kg_per_tonne(book: FactorBook) -> None:
    path = SHARED / "reference" / "warm_v16_factors.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    warm = [
        f
        for f in book
        if f.factor_set is AVOIDED
        and f.edition.startswith("WARM v16")
        and f.verification is Verification.TRANSCRIBED
    ]
    expected = sum(
        1 for row in rows for column, value in row.items() if value and column != "material"
    )
    assert len(warm) == expected == 35
    steel = book.get(AVOIDED, WR, "steel", route="recycling", region_code=GLOBAL)
    assert steel.value == kg_per_tonne("-1.83").quantize(Decimal("0.0001"))
    assert steel.verification is Verification.TRANSCRIBED
    fly_ash = book.get(AVOIDED, WR, "fly_ash", route="recycling")
    assert fly_ash.value == Decimal("-959.0108")  # -0.87 x 1102.3113


def test_warm_switch_landfill_to_recycling_matches_hand_computation(book: FactorBook) -> None:
    # EPA's own example: recycling a short ton of aluminum cans instead of landfilling it.
    recycled = book.get(AVOIDED, WR, "aluminium", route="recycling").value
    landfilled = book.get(AVOIDED, WR, "aluminium", route="landfill").value
    per_tonne = recycled - landfilled
    assert per_tonne == pytest.approx(Decimal("-9.15") * 1000 / SHORT_TON_T, abs=Decimal("0.001"))
    ten_tonnes_saving_kg = per_tonne * 10
    assert ten_tonnes_saving_kg == pytest.approx(Decimal("-100861.5"), abs=Decimal("0.1"))


def test_grid_factor_falls_back_from_county_to_province_to_china(book: FactorBook) -> None:
    suzhou = book.get(INVENTORY, GRID, "grid", region_code="320506")
    assert (suzhou.region, suzhou.value) == ("320000", Decimal("0.5617"))
    assert book.get(INVENTORY, GRID, "grid", region_code="340100").value == Decimal("0.6782")
    assert book.get(INVENTORY, GRID, "grid", region_code=CHINA).value == Decimal("0.5366")
    assert book.get(INVENTORY, GRID, "grid", region_code=CHINA, year=2021).value == Decimal(
        "0.5568"
    )
    # A province with only 2022 answers 2021 with its earliest year, not China's 2021 value.
    assert book.get(INVENTORY, GRID, "grid", region_code="320000", year=2021).year == 2022
    assert book.find(INVENTORY, GRID, "grid", region_code=GLOBAL) is None
    with pytest.raises(FactorNotFound):
        book.get(INVENTORY, GRID, "grid", region_code=GLOBAL)


def test_transport_prefers_china_then_the_global_default(book: FactorBook) -> None:
    road = FactorCategory.TRANSPORT
    assert book.get(INVENTORY, road, "road_truck", region_code="320506").value == Decimal("0.11")
    assert book.get(INVENTORY, road, "road_truck", region_code=GLOBAL).value == Decimal("0.0903")
    assert book.get(INVENTORY, road, "waterway", region_code="320506").region == GLOBAL


def test_csv_round_trips_exactly(book: FactorBook) -> None:
    text = factors_csv(book)
    assert text.splitlines()[0] == HEADER
    assert parse_factors_csv(text) == list(book)


def test_refs_parse_back_to_keys(book: FactorBook) -> None:
    for factor in book:
        assert parse_ref(factor.ref) == factor.key
    assert parse_ref("/inventory/fuel/coal/-/GLO/2006/").region == GLOBAL


def error_field(text: str) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        parse_factors_csv(text)
    return caught.value.field


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (GOOD.replace("inventory,", "both,", 1), "rows[2].set"),
        (GOOD.replace(",transport,", ",ship,", 1), "rows[2].category"),
        (GOOD.replace(",0.11,", ",lots,", 1), "rows[2].value"),
        (GOOD.replace(",0.11,", ",NaN,", 1), "rows[2].value"),
        (GOOD.replace("kg CO2e/t.km", "g CO2e/t.km"), "rows[2].unit"),
        (GOOD.replace(",CN,", ",Jiangsu,", 1), "rows[2].region"),
        (GOOD.replace(",2022,", ",22,", 1), "rows[2].year"),
        (GOOD.replace(",2022,", ",1850,", 1), "rows[2].year"),
        (GOOD.replace(",road_truck,,", ",road_truck,landfill,", 1), "rows[2].route"),
        (GOOD.replace(",0.06,0.2,", ",0.2,0.3,", 1), "rows[2].distribution"),
        (GOOD.replace(",0.06,", ",low,", 1), "rows[2].low"),
        (GOOD.replace("Somebody 2022", ""), "rows[2].source"),
        (GOOD.replace(",illustrative,", ",checked,", 1), "rows[2].verification"),
        (GOOD.replace(",road_truck,", ",,", 1), "rows[2].subject"),
        (GOOD + ",extra", "rows[2]"),
        (GOOD.replace("road_truck", "waterway"), "rows[2]"),  # the same factor as row 1
    ],
)
def test_a_bad_row_is_named_by_row_and_column(row: str, field: str) -> None:
    first = GOOD.replace("road_truck", "waterway")
    assert error_field("\n".join([HEADER, first, row])) == field


def test_bad_headers_and_empty_files() -> None:
    assert error_field(HEADER.replace(",value", "") + "\n" + GOOD) == "header"
    assert error_field(HEADER + ",colour\n" + GOOD + ",red") == "header"
    assert error_field(HEADER + "\n\n") == "rows"
    assert error_field("") == "header"


def test_a_lognormal_needs_a_gsd_and_waste_routes_need_a_route() -> None:
    lognormal = GOOD.replace("triangular,,0.06,0.2", "lognormal,0.9,,")
    assert error_field(HEADER + "\n" + lognormal) == "rows[1].distribution"
    route_missing = (
        "avoided,waste_route,steel,,GLO,2023,-2017,kg CO2e/t,lognormal,1.5,,,WARM,v16,transcribed,"
    )
    assert error_field(HEADER + "\n" + route_missing) == "rows[1].route"


def test_optional_columns_may_be_left_out_and_bom_is_ignored() -> None:
    header = "set,category,subject,year,value,unit,distribution,source,verification"
    text = "\ufeff" + header + "\ninventory,fuel,coal,2006,94.6,kg CO2e/GJ,fixed,IPCC,transcribed\n"
    (factor,) = parse_factors_csv(text)
    assert factor == Factor(
        INVENTORY,
        FactorCategory.FUEL,
        "coal",
        "",
        GLOBAL,
        2006,
        Decimal("94.6"),
        Distribution(),
        "IPCC",
        "",
        Verification.TRANSCRIBED,
    )


def test_filters_and_labels_name_their_field() -> None:
    for kwargs, field in (
        ({"factor_set": "net"}, "set"),
        ({"category": "x"}, "category"),
        ({"route": "dumping"}, "route"),
        ({"region": "Suzhou"}, "region"),
    ):
        with pytest.raises(InvalidInput) as caught:
            FactorFilter.parse(**kwargs)
        assert caught.value.field == field
    chosen = FactorFilter.parse(factor_set="avoided", region="GLO")
    assert chosen.region == GLOBAL
    book = load_default_book()
    assert {f.factor_set for f in book if chosen.matches(f)} == {AVOIDED}
    for name, version, field in (
        ("", "1", "name"),
        ("x", " ", "version"),
        ("x" * 101, "1", "name"),
    ):
        with pytest.raises(InvalidInput) as caught:
            check_dataset_label(name, version, "")
        assert caught.value.field == field
    for bad in ("a/b", "inventory/fuel/coal/-/GLO/year", "net/fuel/coal/-/GLO/2006"):
        with pytest.raises(InvalidInput):
            parse_ref(bad)
