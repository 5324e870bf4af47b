"""The packaged market economics (`data/market/economics.csv`): parse, check and load it."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files

from zerowaste.domain.factors import Verification, WasteRoute
from zerowaste.domain.market_economics import (
    GENERAL_DEFAULT,
    HAZARDOUS_DEFAULT,
    KIND_UNITS,
    DisposalCost,
    EconomicsKind,
    HazardClass,
    MarketEconomics,
)
from zerowaste.errors import InvalidInput

#: The columns of the economics file, in order.
COLUMNS = ("kind", "key", "route", "method", "value", "unit", "source", "verification", "note")
_DISPOSAL_KEY = re.compile(r"(HW\d{2}|SW\d{2})")
#: Bounds that catch typing errors, per kind (inclusive).
_BOUNDS = {
    EconomicsKind.DISPOSAL: (0.0, 100_000.0),
    EconomicsKind.FREIGHT: (0.0, 100.0),
    EconomicsKind.CARBON_PRICE: (0.0, 10_000.0),
    EconomicsKind.CROSS_PROVINCE: (0.0, 100_000.0),
    EconomicsKind.ROAD_FACTOR: (1.0, 3.0),
}
_SINGLE = (EconomicsKind.CARBON_PRICE, EconomicsKind.CROSS_PROVINCE, EconomicsKind.ROAD_FACTOR)


def _value(row: Mapping[str, str], kind: EconomicsKind, field: str) -> float:
    text = row["value"]
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a number", field=f"{field}.value") from None
    low, high = _BOUNDS[kind]
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInput(
            f"{text} is outside {low:g}..{high:g} for a {kind} row", field=f"{field}.value"
        )
    return value


def _check_row(row: Mapping[str, str], field: str) -> EconomicsKind:
    try:
        kind = EconomicsKind(row["kind"])
    except ValueError:
        raise InvalidInput(f"{row['kind']!r} is not a row kind", field=f"{field}.kind") from None
    if row["unit"] != KIND_UNITS[kind]:
        raise InvalidInput(
            f"{kind} rows are in {KIND_UNITS[kind]}, not {row['unit']!r}", field=f"{field}.unit"
        )
    if not row["source"]:
        raise InvalidInput("every row needs its source", field=f"{field}.source")
    if row["verification"] not in set(Verification):
        raise InvalidInput(
            f"{row['verification']!r} is not verified, transcribed or illustrative",
            field=f"{field}.verification",
        )
    return kind


def _disposal(row: Mapping[str, str], field: str, value: float) -> DisposalCost:
    key = row["key"]
    if key not in (HAZARDOUS_DEFAULT, GENERAL_DEFAULT) and not _DISPOSAL_KEY.fullmatch(key):
        raise InvalidInput(
            f"{key!r} is not an HW category, an SW class, hazardous or general",
            field=f"{field}.key",
        )
    try:
        route = WasteRoute(row["route"])
    except ValueError:
        raise InvalidInput(
            f"{row['route']!r} is not a waste route", field=f"{field}.route"
        ) from None
    if not row["method"]:
        raise InvalidInput("name the disposal method", field=f"{field}.method")
    return DisposalCost(key, route, row["method"], value, row["source"])


def parse_economics_csv(text: str) -> MarketEconomics:
    """Read the economics file, checking every row.

    Raises:
        InvalidInput: On the first bad row, `field` naming `rows[<n>].<column>` (n counts data
            rows from 1); `header` for missing columns; `rows` for a required row missing.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InvalidInput(f"missing columns: {', '.join(missing)}", field="header")
    disposal: dict[str, DisposalCost] = {}
    freight: dict[str, float] = {}
    single: dict[EconomicsKind, float] = {}
    for number, raw in enumerate(reader, start=1):
        field = f"rows[{number}]"
        if None in raw:
            raise InvalidInput("more cells than columns", field=field)
        row = {key.strip(): (cell or "").strip() for key, cell in raw.items() if key}
        if not any(row.values()):
            continue
        kind = _check_row(row, field)
        value = _value(row, kind, field)
        key = row["key"]
        if kind is EconomicsKind.DISPOSAL:
            if key in disposal:
                raise InvalidInput(f"disposal of {key} is given twice", field=f"{field}.key")
            disposal[key] = _disposal(row, field, value)
        elif kind is EconomicsKind.FREIGHT:
            if key not in set(HazardClass):
                raise InvalidInput(f"{key!r} is not a hazard class", field=f"{field}.key")
            if key in freight:
                raise InvalidInput(f"freight of {key} is given twice", field=f"{field}.key")
            freight[key] = value
        else:
            if kind in single:
                raise InvalidInput(f"{kind} is given twice", field=f"{field}.kind")
            single[kind] = value
    for default in (HAZARDOUS_DEFAULT, GENERAL_DEFAULT):
        if default not in disposal:
            raise InvalidInput(f"the {default} disposal default is missing", field="rows")
    if absent := sorted(set(HazardClass) - set(freight)):
        raise InvalidInput(f"no freight rate for {', '.join(absent)}", field="rows")
    for kind in _SINGLE:
        if kind not in single:
            raise InvalidInput(f"the {kind} row is missing", field="rows")
    return MarketEconomics(
        disposal=disposal,
        freight_cny_per_tkm=freight,
        carbon_price_cny_per_t=single[EconomicsKind.CARBON_PRICE],
        cross_province_cny_per_t=single[EconomicsKind.CROSS_PROVINCE],
        road_factor=single[EconomicsKind.ROAD_FACTOR],
    )


@cache
def load_market_economics() -> MarketEconomics:
    """The packaged economics file (read once)."""
    text = (files("zerowaste.data.market") / "economics.csv").read_text("utf-8")
    return parse_economics_csv(text)
