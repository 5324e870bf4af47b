"""CBAM embedded emissions: hand-computed SEE with precursors and electricity, and validation."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zerowaste.adapters.cbam_files import load_cn_codes
from zerowaste.domain.cbam import CbamSector, ReportingPeriod
from zerowaste.domain.cbam_emissions import compute
from zerowaste.domain.cbam_input import parse_submission
from zerowaste.domain.cbam_report import exact, money, see
from zerowaste.domain.factors import (
    CHINA,
    GLOBAL,
    Distribution,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
    Verification,
)
from zerowaste.errors import (
    CbamPrecursorCycle,
    CbamRouteMismatch,
    FactorNotFound,
    InvalidInput,
    UnknownCnCode,
)
from zerowaste.services.demo_cbam import reporting_quarter

D = Decimal


def factor(category: FactorCategory, subject: str, region: str, year: int, value: str) -> Factor:
    return Factor(
        FactorSet.INVENTORY, category, subject, "", region, year, D(value), Distribution(),
        f"test source {subject} {region}", "test 1", Verification.ILLUSTRATIVE,
    )  # fmt: skip


def book() -> FactorBook:
    return FactorBook([
        factor(FactorCategory.ELECTRICITY, "grid", CHINA, 2023, "0.6"),
        factor(FactorCategory.ELECTRICITY, "grid", "320000", 2022, "0.5"),
        factor(FactorCategory.FUEL, "coal", GLOBAL, 2006, "94.6"),
    ])  # fmt: skip


def cement_data() -> dict[str, Any]:
    """Kiln: 200 t clinker; mill: 250 t cement from 150 t own and 50 t bought clinker."""
    return {
        "site_id": "00000000-0000-0000-0000-000000000001",
        "period": "2025-Q3",
        "processes": [
            {
                "name": "Mill",
                "route": "cement_grinding",
                "goods": [{"cn_code": "2523 29 00", "quantity_t": 250}],
                "electricity": [{"energy_mwh": 10, "supply": "ppa", "factor_kg_per_kwh": "0.1",
                                 "factor_source": "PPA with a wind farm, contract 7"}],
                "precursors": [
                    {"cn_code": "25231000", "quantity_t": 150, "origin": "own_installation",
                     "process": "Kiln"},
                    {"cn_code": "25231000", "quantity_t": 50, "origin": "supplier",
                     "see_direct_t": "0.9", "see_indirect_t": "0.04", "source": "Supplier X"},
                ],
            },
            {
                "name": "Kiln",
                "route": "grey_clinker",
                "goods": [{"cn_code": "2523 10 00", "quantity_t": 200}],
                "fuels": [{"fuel": "coal", "energy_gj": 1000}],
                "process_emissions": [{"label": "calcination", "co2e_t": 100, "source": "op"}],
                "electricity": [{"energy_mwh": 20}],
            },
        ],
        "carbon_price": {"instrument": "China national ETS", "price_per_t_co2e": 100,
                         "rebate_per_t_co2e": 60, "covered_share": "0.5", "currency": "cny",
                         "source": "test"},
    }  # fmt: skip


def run(data: dict[str, Any], region_code: str = "320582") -> Any:
    return compute(parse_submission(data), load_cn_codes(), book(), region_code)


def test_see_with_own_and_supplier_precursors_and_electricity_is_exact() -> None:
    processes, goods = run(cement_data())
    mill, kiln = processes
    # Kiln: (1000 GJ x 94.6 kg/GJ = 94.6 t + 100 t) / 200 t; 20 MWh x 0.5 (Jiangsu 2022) / 200 t.
    assert kiln.attributed_direct_t == D("194.6")
    assert kiln.see_direct == D("0.973")
    assert kiln.electricity[0].factor_kg_per_kwh == D("0.5")
    assert kiln.electricity[0].factor_ref == "inventory/electricity/grid/-/320000/2022"
    assert kiln.see_indirect == D("0.05")
    # Mill: (150 x 0.973 + 50 x 0.9) / 250; (10 x 0.1 + 150 x 0.05 + 50 x 0.04) / 250.
    assert mill.see_direct == D("0.7638")
    assert mill.see_indirect == D("0.042")
    assert [p.see_direct for p in mill.precursors] == [D("0.973"), D("0.9")]
    cement = next(g for g in goods if g.cn_code == "25232900")
    assert cement.good.category == "cement"
    assert cement.embedded_direct_t == D("190.95")
    assert cement.embedded_indirect_t == D("10.5")
    assert cement.see_total == D("0.8058")
    # Priced: own emissions only, (150 x 0.973) / 250 = 0.5838, x 0.5 covered x (100 - 60).
    assert cement.carbon_price_per_t == D("11.676")
    clinker = next(g for g in goods if g.cn_code == "25231000")
    assert clinker.carbon_price_per_t == D("19.46")


def test_region_fallback_to_china_and_a_missing_factor_names_the_field() -> None:
    _, goods = run(cement_data(), region_code="110101")
    clinker = next(g for g in goods if g.cn_code == "25231000")
    assert clinker.see_indirect == D("0.06")  # 20 MWh x 0.6 / 200
    data = cement_data()
    data["processes"][1]["fuels"][0]["fuel"] = "peat"
    with pytest.raises(FactorNotFound) as caught:
        run(data)
    assert caught.value.field == "processes[1].fuels[0].fuel"


def test_cn_codes_resolve_to_annex_i_headings() -> None:
    codes = load_cn_codes()
    assert codes.lookup("7208 10 00").category == "iron_or_steel_products"
    assert codes.lookup("7201").category == "pig_iron"
    assert codes.lookup("76169910").sector is CbamSector.ALUMINIUM
    assert codes.lookup("2523 10 00").category == "cement_clinker"
    for outside in ("7615", "7312", "7204", "2523 40 00"):
        with pytest.raises(UnknownCnCode):
            codes.lookup(outside)
    with pytest.raises(InvalidInput):
        codes.lookup("72A8")
    assert all(good.source.startswith("Regulation (EU) 2023/956") for good in codes)


@pytest.mark.parametrize(
    ("path", "value", "field", "error"),
    [
        (("period",), "2025-Q5", "period", InvalidInput),
        (("processes", 1, "route"), "blast_furnace", "processes[1].goods[0].cn_code",
         CbamRouteMismatch),
        (("processes", 1, "goods", 0, "quantity_t"), -1, "processes[1].goods[0].quantity_t",
         InvalidInput),
        (("processes", 1, "goods", 0, "quantity_t"), 0, "processes[1].goods[0].quantity_t",
         InvalidInput),
        (("processes", 1, "goods", 0, "cn_code"), "9999", "processes[1].goods[0].cn_code",
         UnknownCnCode),
        (("processes", 0, "precursors", 0, "process"), "Oven", "processes[0].precursors[0].process",
         InvalidInput),
        (("processes", 0, "precursors", 1, "see_direct_t"), None,
         "processes[0].precursors[1].see_direct_t", InvalidInput),
        (("processes", 0, "electricity", 0, "factor_kg_per_kwh"), None,
         "processes[0].electricity[0].factor_kg_per_kwh", InvalidInput),
        (("processes", 1, "electricity", 0, "factor_kg_per_kwh"), "0.3",
         "processes[1].electricity[0].factor_kg_per_kwh", InvalidInput),
        (("processes", 1, "fuels", 0, "energy_gj"), "lots", "processes[1].fuels[0].energy_gj",
         InvalidInput),
        (("carbon_price", "rebate_per_t_co2e"), 101, "carbon_price.rebate_per_t_co2e",
         InvalidInput),
        (("carbon_price", "covered_share"), "1.5", "carbon_price.covered_share", InvalidInput),
        (("processes", 1, "name"), "Mill", "processes[1].name", InvalidInput),
    ],
)  # fmt: skip
def test_bad_values_name_their_field(
    path: tuple[Any, ...], value: Any, field: str, error: type[Exception]
) -> None:
    data = copy.deepcopy(cement_data())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(error) as caught:
        run(data)
    assert getattr(caught.value, "field", None) == field


def test_two_goods_categories_in_one_process_are_refused() -> None:
    data = cement_data()
    data["processes"][0]["goods"].append({"cn_code": "2523 30 00", "quantity_t": 1})
    with pytest.raises(CbamRouteMismatch) as caught:
        run(data)
    assert caught.value.field == "processes[0].goods"


def test_precursor_cycles_are_refused() -> None:
    data = cement_data()
    data["processes"][1]["route"] = "cement_grinding"
    data["processes"][1]["goods"] = [{"cn_code": "25239000", "quantity_t": 10}]
    data["processes"][0]["precursors"][0]["cn_code"] = "25239000"
    data["processes"][1]["precursors"] = [
        {"cn_code": "25232900", "quantity_t": 1, "origin": "own_installation", "process": "Mill"}
    ]
    with pytest.raises(CbamPrecursorCycle):
        run(data)


def test_own_precursor_must_be_what_its_process_makes() -> None:
    data = cement_data()
    data["processes"][0]["precursors"][0]["cn_code"] = "2523 30 00"
    with pytest.raises(InvalidInput) as caught:
        run(data)
    assert caught.value.field == "processes[0].precursors[0].cn_code"


def test_periods_and_demo_quarters() -> None:
    assert str(ReportingPeriod.parse("2025-Q4")) == "2025-Q4"
    with pytest.raises(InvalidInput):
        ReportingPeriod.parse("2025Q4")
    assert reporting_quarter(date(2026, 6, 30)) == "2026-Q2"
    assert reporting_quarter(date(2026, 6, 29)) == "2026-Q1"
    assert reporting_quarter(date(2026, 2, 1)) == "2025-Q4"
    assert reporting_quarter(date(2025, 12, 31)) == "2025-Q4"


def test_see_is_rounded_to_five_decimals_half_up_and_money_to_cents() -> None:
    assert see(D("0.123455")) == "0.12346"
    assert see(D("2")) == "2.00000"
    assert money(D("11.675")) == "11.68"
    assert money(D("3.2112501"), "0.0001") == "3.2113"
    assert exact(D("190.9500")) == "190.95"
    assert exact(D("1E+3")) == "1000"
