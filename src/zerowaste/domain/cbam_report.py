"""A computed CBAM report: its JSON document and its CSV rows, one per good."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zerowaste.domain.cbam import CarbonPrice, CbamSubmission
from zerowaste.domain.cbam_emissions import GoodResult, ProcessResult

#: 2023/1773: SEE in t CO2e per t of goods, at most five digits after the decimal point.
SEE_PLACES = Decimal("0.00001")

METHODOLOGY_NOTES: tuple[str, ...] = (
    "Specific embedded emissions (SEE) per Regulation (EU) 2023/956 Annex IV and Implementing "
    "Regulation (EU) 2023/1773 Annex III: per production process, (attributed emissions + sum of "
    "precursor mass x precursor SEE) / activity level, direct and indirect apart.",
    "Direct: fuels (GJ x kg CO2e/GJ) plus process emissions given by the operator. Indirect: "
    "electricity consumed (MWh) x emission factor (t CO2e/MWh); the factor's source is shown.",
    "Precursors from the same installation take the SEE computed for their process in this "
    "report; others take the supplier's declared SEE or a Commission default value, as stated.",
    "SEE are rounded to five decimals for display and export; totals use unrounded values. "
    "Carbon price due is rounded to 0.0001 per tonne and to 0.01 in total.",
    "Carbon price due applies to the installation's own direct emissions (its processes and own "
    "precursors), times the covered share, at price less rebate per t CO2e; a carbon price paid "
    "upstream for bought precursors is not entered here.",
)


@dataclass(frozen=True, slots=True)
class Installation:
    """The installation a report is for: a registered site and its operator."""

    site_id: uuid.UUID
    name: str
    organization_id: uuid.UUID
    organization_name: str
    address: str
    region_code: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CbamReport:
    """A stored report: who, where, when, the inputs as submitted and the computed document."""

    id: uuid.UUID
    organization_id: uuid.UUID
    site_id: uuid.UUID
    region_code: str
    period: str
    version: int
    inputs: dict[str, Any]
    results: dict[str, Any]
    created_by: uuid.UUID | None
    created_at: datetime


def see(value: Decimal) -> str:
    """A SEE as reported: five decimals, half up."""
    return format(value.quantize(SEE_PLACES, rounding=ROUND_HALF_UP), "f")


def money(value: Decimal, places: str = "0.01") -> str:
    """An amount of money, rounded half up (to cents unless `places` says otherwise)."""
    return format(value.quantize(Decimal(places), rounding=ROUND_HALF_UP), "f")


def exact(value: Decimal) -> str:
    """A decimal in plain notation, trailing zeros dropped."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def document(
    submission: CbamSubmission,
    installation: Installation,
    processes: tuple[ProcessResult, ...],
    goods: tuple[GoodResult, ...],
) -> dict[str, Any]:
    """The report's computed document (JSON-ready: decimals as strings)."""
    price = submission.carbon_price
    return {
        "reporting_period": str(submission.period),
        "installation": {
            "site_id": str(installation.site_id),
            "name": installation.name,
            "organization_id": str(installation.organization_id),
            "operator": installation.organization_name,
            "address": installation.address,
            "region_code": installation.region_code,
            "latitude": installation.latitude,
            "longitude": installation.longitude,
            "country_code": "CN",
        },
        "goods": [_good(good, price) for good in goods],
        "processes": [_process(process) for process in processes],
        "carbon_price": None if price is None else _price(price),
        "note": submission.note,
        "methodology_notes": list(METHODOLOGY_NOTES),
    }


def _good(good: GoodResult, price: CarbonPrice | None) -> dict[str, Any]:
    per_t = good.carbon_price_per_t
    return {
        "cn_code": good.cn_code,
        "good": good.good.description,
        "sector": good.good.sector.value,
        "goods_category": good.good.category,
        "quantity_t": exact(good.quantity_t),
        "process": good.process,
        "production_route": good.route,
        "see_direct": see(good.see_direct),
        "see_indirect": see(good.see_indirect),
        "see_total": see(good.see_total),
        "embedded_direct_t": exact(good.embedded_direct_t),
        "embedded_indirect_t": exact(good.embedded_indirect_t),
        "embedded_total_t": exact(good.embedded_direct_t + good.embedded_indirect_t),
        "carbon_price_due_per_t": None if per_t is None else money(per_t, "0.0001"),
        "carbon_price_due_total": None if per_t is None else money(per_t * good.quantity_t),
        "carbon_price_currency": None if price is None else price.currency,
    }


def _process(p: ProcessResult) -> dict[str, Any]:
    return {
        "name": p.name,
        "production_route": p.route,
        "goods_category": p.category,
        "activity_t": exact(p.activity_t),
        "attributed_direct_t": exact(p.attributed_direct_t),
        "process_emissions_t": exact(p.process_emissions_t),
        "indirect_t": exact(p.indirect_t),
        "see_direct": see(p.see_direct),
        "see_indirect": see(p.see_indirect),
        "fuels": [
            {
                "fuel": f.fuel,
                "energy_gj": exact(f.energy_gj),
                "factor_kg_per_gj": exact(f.factor_kg_per_gj),
                "factor_ref": f.factor_ref,
                "factor_source": f.factor_source,
                "co2e_t": exact(f.co2e_t),
            }
            for f in p.fuels
        ],
        "electricity": [
            {
                "energy_mwh": exact(e.energy_mwh),
                "supply": e.supply.value,
                "factor_kg_per_kwh": exact(e.factor_kg_per_kwh),
                "factor_ref": e.factor_ref,
                "factor_source": e.factor_source,
                "co2e_t": exact(e.co2e_t),
            }
            for e in p.electricity
        ],
        "precursors": [
            {
                "cn_code": r.cn_code,
                "good": r.description,
                "goods_category": r.category,
                "quantity_t": exact(r.quantity_t),
                "origin": r.origin.value,
                "process": r.process,
                "see_direct": see(r.see_direct),
                "see_indirect": see(r.see_indirect),
                "source": r.source,
                "embedded_direct_t": exact(r.embedded_direct_t),
                "embedded_indirect_t": exact(r.embedded_indirect_t),
            }
            for r in p.precursors
        ],
    }


def _price(price: CarbonPrice) -> dict[str, Any]:
    return {
        "instrument": price.instrument,
        "country_code": price.country_code,
        "price_per_t_co2e": exact(price.price_per_t_co2e),
        "rebate_per_t_co2e": exact(price.rebate_per_t_co2e),
        "net_per_t_co2e": exact(price.net_per_t_co2e),
        "covered_share": exact(price.covered_share),
        "currency": price.currency,
        "source": price.source,
    }


CSV_COLUMNS: tuple[str, ...] = (
    "report_id", "version", "reporting_period", "cn_code", "good", "sector", "goods_category",
    "quantity_t", "installation", "site_id", "operator", "address", "latitude", "longitude",
    "region_code", "production_route", "process", "see_direct", "see_indirect", "see_total",
    "embedded_direct_t", "embedded_indirect_t", "embedded_total_t", "precursors",
    "electricity_mwh", "electricity_factors", "carbon_price_instrument", "carbon_price_net_per_t",
    "carbon_price_currency", "carbon_price_due_per_t", "carbon_price_due_total",
    "methodology_notes",
)  # fmt: skip


def csv_rows(report: CbamReport) -> list[dict[str, str]]:
    """One row per good; precursors and electricity factors of its process joined with `; `."""
    doc = report.results
    place = doc["installation"]
    processes = {p["name"]: p for p in doc["processes"]}
    price = doc["carbon_price"] or {}
    rows = []
    for good in doc["goods"]:
        process = processes[good["process"]]
        rows.append(
            {
                "report_id": str(report.id),
                "version": str(report.version),
                "reporting_period": doc["reporting_period"],
                "cn_code": good["cn_code"],
                "good": good["good"],
                "sector": good["sector"],
                "goods_category": good["goods_category"],
                "quantity_t": good["quantity_t"],
                "installation": place["name"],
                "site_id": place["site_id"],
                "operator": place["operator"],
                "address": place["address"],
                "latitude": str(place["latitude"]),
                "longitude": str(place["longitude"]),
                "region_code": place["region_code"],
                "production_route": good["production_route"],
                "process": good["process"],
                "see_direct": good["see_direct"],
                "see_indirect": good["see_indirect"],
                "see_total": good["see_total"],
                "embedded_direct_t": good["embedded_direct_t"],
                "embedded_indirect_t": good["embedded_indirect_t"],
                "embedded_total_t": good["embedded_total_t"],
                "precursors": "; ".join(
                    f"{r['cn_code']} {r['quantity_t']} t SEE {r['see_direct']}/{r['see_indirect']}"
                    f" ({r['origin']}: {r['source']})"
                    for r in process["precursors"]
                ),
                "electricity_mwh": exact(
                    sum((Decimal(e["energy_mwh"]) for e in process["electricity"]), Decimal(0))
                ),
                "electricity_factors": "; ".join(
                    f"{e['factor_kg_per_kwh']} kg CO2e/kWh [{e['factor_ref'] or e['supply']}]"
                    f" {e['factor_source']}"
                    for e in process["electricity"]
                ),
                "carbon_price_instrument": price.get("instrument", ""),
                "carbon_price_net_per_t": price.get("net_per_t_co2e", ""),
                "carbon_price_currency": price.get("currency", ""),
                "carbon_price_due_per_t": good["carbon_price_due_per_t"] or "",
                "carbon_price_due_total": good["carbon_price_due_total"] or "",
                "methodology_notes": " | ".join(doc["methodology_notes"]),
            }
        )
    return rows
