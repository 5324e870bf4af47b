"""Demo CBAM reports: ironworks, integrated steel works, cement kiln, aluminium foundry.

Every activity figure here is ILLUSTRATIVE: chosen to be plausible for the plant's size and
route (e.g. coke about 0.35 t per t of hot metal, clinker calcination near 0.525 t CO2 per t of
clinker, clinker share of cement about 0.74), not any real plant's data. Fuel and grid factors
come from the factor library. China's national ETS covers steel, cement and aluminium smelting
from the 2024 emissions year (Ministry of Ecology and Environment, Work Plan for the national
carbon market to cover the steel, cement and aluminium smelting industries, 26 March 2025; 2024
allocation equal to verified emissions, slightly tightened in 2025-2026); a die-casting foundry
is not covered, so its report declares no carbon price.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from zerowaste.demo.model import DemoCity, DemoFirm
from zerowaste.domain.access import Principal
from zerowaste.domain.cbam_report import CbamReport
from zerowaste.services.cbam import CbamService

ILLUSTRATIVE = "ZeroWaste Chain demo: illustrative operator figure, not a real plant's data"
ETS_SOURCE = (
    "MEE Work Plan for the national carbon emission trading market to cover the steel, cement "
    "and aluminium smelting industries (26 March 2025): covered from the 2024 emissions year; "
    "price and free-allocation share here are illustrative"
)


def reporting_quarter(as_of: date) -> str:
    """The last calendar quarter that has ended by `as_of` (`2026-Q2` for 30 June 2026)."""
    after = as_of + timedelta(days=1)
    quarter = (after.month - 1) // 3  # quarters fully before `after`, this year
    if quarter == 0:
        return f"{after.year - 1}-Q4"
    return f"{after.year}-Q{quarter}"


def _ets(price: int, free_share_percent: int) -> dict[str, Any]:
    return {
        "instrument": "China national ETS (全国碳排放权交易市场)",
        "country_code": "CN",
        "price_per_t_co2e": price,
        "rebate_per_t_co2e": str(price * free_share_percent / 100),
        "currency": "CNY",
        "source": ETS_SOURCE,
    }


def _emission(label: str, co2e_t: int) -> dict[str, Any]:
    return {"label": label, "co2e_t": co2e_t, "source": ILLUSTRATIVE}


def _ironworks(site_id: str, period: str) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "period": period,
        "note": "Illustrative demo data: merchant pig iron from sinter and a blast furnace.",
        "processes": [
            {
                "name": "Sinter plant",
                "route": "sintering",
                "goods": [{"cn_code": "2601 12 00", "quantity_t": 450_000}],
                "fuels": [{"fuel": "coke", "energy_gj": 810_000}],
                "electricity": [{"energy_mwh": 18_000}],
            },
            {
                "name": "Blast furnace 1",
                "route": "blast_furnace",
                "goods": [{"cn_code": "7201", "quantity_t": 300_000}],
                "fuels": [
                    {"fuel": "coke", "energy_gj": 2_970_000},
                    {"fuel": "coal", "energy_gj": 1_260_000},
                ],
                "electricity": [{"energy_mwh": 30_000}],
                "precursors": [
                    {
                        "cn_code": "2601 12 00",
                        "quantity_t": 450_000,
                        "origin": "own_installation",
                        "process": "Sinter plant",
                    }
                ],
            },
        ],
        "carbon_price": _ets(90, 97),
    }


def _steel_works(
    site_id: str, period: str, pig_iron: dict[str, str], supplier: str
) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "period": period,
        "note": "Illustrative demo data: integrated BF-BOF works with a hot strip mill.",
        "processes": [
            {
                "name": "Sinter plant",
                "route": "sintering",
                "goods": [{"cn_code": "2601 12 00", "quantity_t": 1_050_000}],
                "fuels": [{"fuel": "coke", "energy_gj": 1_890_000}],
                "electricity": [{"energy_mwh": 42_000}],
            },
            {
                "name": "Blast furnaces",
                "route": "blast_furnace",
                "goods": [{"cn_code": "7201", "quantity_t": 700_000}],
                "fuels": [
                    {"fuel": "coke", "energy_gj": 6_930_000},
                    {"fuel": "coal", "energy_gj": 2_940_000},
                ],
                "electricity": [{"energy_mwh": 70_000}],
                "precursors": [
                    {
                        "cn_code": "2601 12 00",
                        "quantity_t": 1_050_000,
                        "origin": "own_installation",
                        "process": "Sinter plant",
                    }
                ],
            },
            {
                "name": "BOF shop",
                "route": "bf_bof",
                "goods": [{"cn_code": "7207 11", "quantity_t": 1_000_000}],
                "fuels": [{"fuel": "natural_gas", "energy_gj": 500_000}],
                "process_emissions": [_emission("Lime and dolomite flux, decarburisation", 40_000)],
                "electricity": [{"energy_mwh": 60_000}],
                "precursors": [
                    {
                        "cn_code": "7201",
                        "quantity_t": 700_000,
                        "origin": "own_installation",
                        "process": "Blast furnaces",
                    },
                    {
                        "cn_code": "7201",
                        "quantity_t": 200_000,
                        "origin": "supplier",
                        "see_direct_t": pig_iron["see_direct"],
                        "see_indirect_t": pig_iron["see_indirect"],
                        "source": f"declared by {supplier} (its CBAM report, this quarter)",
                    },
                ],
            },
            {
                "name": "Hot strip mill",
                "route": "steel_products",
                "goods": [{"cn_code": "7208 10 00", "quantity_t": 950_000}],
                "fuels": [{"fuel": "natural_gas", "energy_gj": 1_140_000}],
                "electricity": [
                    {"energy_mwh": 84_500},
                    {
                        "energy_mwh": 20_000,
                        "supply": "own_generation",
                        "factor_kg_per_kwh": "0.02",
                        "factor_source": "Rooftop solar with storage losses: " + ILLUSTRATIVE,
                    },
                ],
                "precursors": [
                    {
                        "cn_code": "7207 11",
                        "quantity_t": 980_000,
                        "origin": "own_installation",
                        "process": "BOF shop",
                    }
                ],
            },
        ],
        "carbon_price": _ets(90, 97),
    }


def _cement(site_id: str, period: str) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "period": period,
        "note": "Illustrative demo data: dry-process grey clinker kiln and cement mill.",
        "processes": [
            {
                "name": "Kiln line 1",
                "route": "grey_clinker",
                "goods": [{"cn_code": "2523 10 00", "quantity_t": 300_000}],
                "fuels": [{"fuel": "coal", "energy_gj": 990_000}],
                "process_emissions": [_emission("Raw meal carbonate calcination", 157_500)],
                "electricity": [{"energy_mwh": 9_000}],
            },
            {
                "name": "Cement mill",
                "route": "cement_grinding",
                "goods": [{"cn_code": "2523 29 00", "quantity_t": 380_000}],
                "electricity": [{"energy_mwh": 13_300}],
                "precursors": [
                    {
                        "cn_code": "2523 10 00",
                        "quantity_t": 280_000,
                        "origin": "own_installation",
                        "process": "Kiln line 1",
                    }
                ],
            },
        ],
        "carbon_price": _ets(90, 98),
    }


def _foundry(site_id: str, period: str) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "period": period,
        "note": "Illustrative demo data: aluminium die castings remelted mostly from scrap "
        "(scrap carries no embedded emissions); not covered by the national ETS.",
        "processes": [
            {
                "name": "Remelting and die casting",
                "route": "secondary_remelting",
                "goods": [{"cn_code": "7616 99", "quantity_t": 6_000}],
                "fuels": [{"fuel": "natural_gas", "energy_gj": 27_000}],
                "electricity": [{"energy_mwh": 3_600}],
                "precursors": [
                    {
                        "cn_code": "7601",
                        "quantity_t": 1_200,
                        "origin": "supplier",
                        "see_direct_t": "1.8",
                        "see_indirect_t": "9.0",
                        "source": "Ingot supplier's declaration: " + ILLUSTRATIVE,
                    }
                ],
            },
        ],
    }


def _first(city: DemoCity, archetype: str) -> DemoFirm | None:
    return next((firm for firm in city.firms if firm.archetype == archetype), None)


def seed_cbam(
    cbam: CbamService,
    actor: Principal,
    city: DemoCity,
    site_ids: dict[Any, Any],
) -> list[CbamReport]:
    """Submit one report per CBAM installation of the city for the last ended quarter."""
    period = reporting_quarter(city.as_of)
    reports: list[CbamReport] = []

    def site(firm: DemoFirm) -> str:
        return str(site_ids[firm.sites[0].ref])

    ironworks = _first(city, "steel.ironworks")
    works = _first(city, "steel.works")
    if ironworks is not None:
        merchant = cbam.submit(actor, _ironworks(site(ironworks), period))
        reports.append(merchant)
        if works is not None:
            pig_iron = next(g for g in merchant.results["goods"] if g["cn_code"] == "7201")
            document = _steel_works(site(works), period, pig_iron, ironworks.organization.name)
            reports.append(cbam.submit(actor, document))
    for archetype, make in (("building.cement", _cement), ("automotive.casting", _foundry)):
        firm = _first(city, archetype)
        if firm is not None:
            reports.append(cbam.submit(actor, make(site(firm), period)))
    return reports
