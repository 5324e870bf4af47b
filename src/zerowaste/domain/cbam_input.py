"""Read a CBAM submission from its JSON form, naming the field of every bad value."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zerowaste.domain.cbam import (
    CarbonPrice,
    CbamSubmission,
    ElectricitySupply,
    ElectricityUse,
    FuelUse,
    GoodOutput,
    PrecursorOrigin,
    PrecursorUse,
    ProcessEmission,
    ProductionProcess,
    ProductionRoute,
    ReportingPeriod,
    choice,
    items,
    mapping,
    normalize_cn,
    number,
    text,
)
from zerowaste.errors import InvalidInput


def parse_submission(data: Any) -> CbamSubmission:
    """The submission in `data` (decoded JSON), or `InvalidInput` naming the bad field."""
    root = mapping(data, "body")
    processes = tuple(
        _process(mapping(raw, f"processes[{i}]"), f"processes[{i}]")
        for i, raw in enumerate(items(root, "processes", "processes", required=True))
    )
    names = [process.name for process in processes]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise InvalidInput(f"two processes are named {name!r}", field=f"processes[{i}].name")
    price = root.get("carbon_price")
    return CbamSubmission(
        site_id=text(root.get("site_id"), "site_id", max_chars=64),
        period=ReportingPeriod.parse(root.get("period", ""), field="period"),
        processes=processes,
        carbon_price=None if price is None else _price(mapping(price, "carbon_price")),
        note=text(root.get("note"), "note", required=False, max_chars=2000),
    )


def _process(raw: Mapping[str, Any], at: str) -> ProductionProcess:
    goods = tuple(
        GoodOutput(
            cn_code=normalize_cn(
                mapping(g, f"{at}.goods[{i}]").get("cn_code", ""), field=f"{at}.goods[{i}].cn_code"
            ),
            quantity_t=number(g.get("quantity_t"), f"{at}.goods[{i}].quantity_t", positive=True),
        )
        for i, g in enumerate(items(raw, "goods", f"{at}.goods", required=True))
    )
    return ProductionProcess(
        name=text(raw.get("name"), f"{at}.name", max_chars=120),
        route=choice(ProductionRoute, raw.get("route"), f"{at}.route"),
        goods=goods,
        fuels=tuple(
            _fuel(mapping(f, f"{at}.fuels[{i}]"), f"{at}.fuels[{i}]")
            for i, f in enumerate(items(raw, "fuels", f"{at}.fuels"))
        ),
        process_emissions=tuple(
            _process_emission(
                mapping(e, f"{at}.process_emissions[{i}]"), f"{at}.process_emissions[{i}]"
            )
            for i, e in enumerate(items(raw, "process_emissions", f"{at}.process_emissions"))
        ),
        electricity=tuple(
            _electricity(mapping(e, f"{at}.electricity[{i}]"), f"{at}.electricity[{i}]")
            for i, e in enumerate(items(raw, "electricity", f"{at}.electricity"))
        ),
        precursors=tuple(
            _precursor(mapping(p, f"{at}.precursors[{i}]"), f"{at}.precursors[{i}]")
            for i, p in enumerate(items(raw, "precursors", f"{at}.precursors"))
        ),
    )


def _optional(raw: Mapping[str, Any], key: str, at: str) -> Decimal | None:
    value = raw.get(key)
    return None if value is None else number(value, f"{at}.{key}")


def _fuel(raw: Mapping[str, Any], at: str) -> FuelUse:
    factor = _optional(raw, "factor_kg_per_gj", at)
    source = text(raw.get("factor_source"), f"{at}.factor_source", required=factor is not None)
    return FuelUse(
        fuel=text(raw.get("fuel"), f"{at}.fuel", max_chars=60),
        energy_gj=number(raw.get("energy_gj"), f"{at}.energy_gj"),
        factor_kg_per_gj=factor,
        factor_source=source,
    )


def _process_emission(raw: Mapping[str, Any], at: str) -> ProcessEmission:
    return ProcessEmission(
        label=text(raw.get("label"), f"{at}.label", max_chars=120),
        co2e_t=number(raw.get("co2e_t"), f"{at}.co2e_t"),
        source=text(raw.get("source"), f"{at}.source"),
    )


def _electricity(raw: Mapping[str, Any], at: str) -> ElectricityUse:
    supply = choice(ElectricitySupply, raw.get("supply", "grid"), f"{at}.supply")
    factor = _optional(raw, "factor_kg_per_kwh", at)
    if supply is ElectricitySupply.GRID and factor is not None:
        raise InvalidInput(
            "grid electricity takes the library's factor; enter a factor only for a PPA or "
            "own generation",
            field=f"{at}.factor_kg_per_kwh",
        )
    if supply is not ElectricitySupply.GRID and factor is None:
        raise InvalidInput(
            f"{supply} electricity needs its factor", field=f"{at}.factor_kg_per_kwh"
        )
    return ElectricityUse(
        energy_mwh=number(raw.get("energy_mwh"), f"{at}.energy_mwh"),
        supply=supply,
        factor_kg_per_kwh=factor,
        factor_source=text(
            raw.get("factor_source"), f"{at}.factor_source", required=factor is not None
        ),
    )


def _precursor(raw: Mapping[str, Any], at: str) -> PrecursorUse:
    origin = choice(PrecursorOrigin, raw.get("origin"), f"{at}.origin")
    own = origin is PrecursorOrigin.OWN_INSTALLATION
    direct = _optional(raw, "see_direct_t", at)
    indirect = _optional(raw, "see_indirect_t", at)
    if own and (direct is not None or indirect is not None):
        raise InvalidInput(
            "an own-installation precursor's SEE is computed from its process; leave it out",
            field=f"{at}.see_direct_t",
        )
    if not own and direct is None:
        raise InvalidInput(f"a {origin} precursor needs its SEE", field=f"{at}.see_direct_t")
    return PrecursorUse(
        cn_code=normalize_cn(raw.get("cn_code", ""), field=f"{at}.cn_code"),
        quantity_t=number(raw.get("quantity_t"), f"{at}.quantity_t"),
        origin=origin,
        process=text(raw.get("process"), f"{at}.process", required=own, max_chars=120),
        see_direct_t=direct,
        see_indirect_t=Decimal(0) if not own and indirect is None else indirect,
        source=text(raw.get("source"), f"{at}.source", required=not own),
    )


def _price(raw: Mapping[str, Any]) -> CarbonPrice:
    at = "carbon_price"
    share = number(raw.get("covered_share", 1), f"{at}.covered_share")
    if share > 1:
        raise InvalidInput("is a share between 0 and 1", field=f"{at}.covered_share")
    price = number(raw.get("price_per_t_co2e"), f"{at}.price_per_t_co2e")
    rebate = number(raw.get("rebate_per_t_co2e", 0), f"{at}.rebate_per_t_co2e")
    if rebate > price:
        raise InvalidInput("exceeds the price", field=f"{at}.rebate_per_t_co2e")
    currency = text(raw.get("currency"), f"{at}.currency", max_chars=3)
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput("must be an ISO 4217 code like CNY", field=f"{at}.currency")
    return CarbonPrice(
        instrument=text(raw.get("instrument"), f"{at}.instrument", max_chars=200),
        country_code=text(raw.get("country_code", "CN"), f"{at}.country_code", max_chars=2),
        price_per_t_co2e=price,
        currency=currency.upper(),
        rebate_per_t_co2e=rebate,
        covered_share=share,
        source=text(raw.get("source"), f"{at}.source"),
    )
