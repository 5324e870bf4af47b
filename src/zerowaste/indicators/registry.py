"""Parse the indicator registry and the city targets from their CSV text, checking every cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from zerowaste.domain.indicators import (
    DataOrigin,
    Direction,
    IndicatorDefinition,
    IndicatorFamily,
    IndicatorLevel,
)
from zerowaste.domain.regions import is_region_code
from zerowaste.domain.statistics import StatisticKind
from zerowaste.errors.indicators import IndicatorRegistryInvalid

REGISTRY_COLUMNS = (
    "indicator_id",
    "name_zh",
    "name_en",
    "formula",
    "unit",
    "scope",
    "levels",
    "direction",
    "family",
    "origin",
    "source",
    "statistics",
    "zero_waste_city",
)
TARGET_COLUMNS = ("region_code", "indicator_id", "year", "target", "source")
E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class Target:
    """A city's target for one indicator and year, with where it comes from."""

    region_code: str
    indicator_id: str
    year: int
    value: Decimal
    source: str

    def met_by(self, value: Decimal, direction: Direction) -> bool:
        """Whether `value` reaches the target in the indicator's better direction."""
        if direction is Direction.HIGHER_IS_BETTER:
            return value >= self.value
        return value <= self.value


def _rows(text: str, columns: tuple[str, ...], what: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        raise IndicatorRegistryInvalid(
            f"{what} must have the header {','.join(columns)}", field="row 1: header"
        )
    for number, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise IndicatorRegistryInvalid(
                f"{what} row has the wrong number of cells", field=f"row {number}"
            )
        yield number, {k: v.strip() for k, v in row.items()}


def _enum(kind: Callable[[str], E], value: str, where: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise IndicatorRegistryInvalid(f"{value!r} is not allowed here", field=where) from None


def parse_registry_csv(text: str) -> tuple[IndicatorDefinition, ...]:
    """Every indicator of the registry, in file order.

    Raises:
        IndicatorRegistryInvalid: A bad header, an empty required cell, an unknown level,
            direction, family, origin or statistic, a repeated id, or an origin that
            contradicts the statistics named (`field` is `row N: column`).
    """
    found: dict[str, IndicatorDefinition] = {}
    for n, row in _rows(text, REGISTRY_COLUMNS, "the indicator registry"):
        for column in REGISTRY_COLUMNS[:11]:
            if not row[column]:
                raise IndicatorRegistryInvalid("must not be empty", field=f"row {n}: {column}")
        indicator_id = row["indicator_id"]
        if not indicator_id.replace("_", "").isalnum() or indicator_id.lower() != indicator_id:
            raise IndicatorRegistryInvalid("use snake_case", field=f"row {n}: indicator_id")
        if indicator_id in found:
            raise IndicatorRegistryInvalid("repeats an id", field=f"row {n}: indicator_id")
        levels = tuple(
            _enum(IndicatorLevel, v, f"row {n}: levels") for v in row["levels"].split("|")
        )
        statistics = tuple(
            _enum(StatisticKind, v, f"row {n}: statistics").value
            for v in row["statistics"].split("|")
            if v
        )
        origin = _enum(DataOrigin, row["origin"], f"row {n}: origin")
        if (origin is DataOrigin.PLATFORM) != (not statistics):
            raise IndicatorRegistryInvalid(
                "platform indicators name no statistics; the others name theirs",
                field=f"row {n}: statistics",
            )
        if row["zero_waste_city"] not in ("true", "false"):
            raise IndicatorRegistryInvalid(
                "must be true or false", field=f"row {n}: zero_waste_city"
            )
        found[indicator_id] = IndicatorDefinition(
            indicator_id=indicator_id,
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            formula=row["formula"],
            unit=row["unit"],
            scope=row["scope"],
            levels=levels,
            direction=_enum(Direction, row["direction"], f"row {n}: direction"),
            family=_enum(IndicatorFamily, row["family"], f"row {n}: family"),
            origin=origin,
            source=row["source"],
            statistics=statistics,
            zero_waste_city=row["zero_waste_city"] == "true",
        )
    if not found:
        raise IndicatorRegistryInvalid("the registry lists no indicator", field="row 2")
    return tuple(found.values())


def parse_targets_csv(
    text: str, definitions: tuple[IndicatorDefinition, ...]
) -> tuple[Target, ...]:
    """Every target, checked against the registry (a city indicator, a number, a source).

    Raises:
        IndicatorRegistryInvalid: A bad cell (`field` is `row N: column`) or a repeated
            (region, indicator, year).
    """
    cities = {d.indicator_id for d in definitions if IndicatorLevel.CITY in d.levels}
    found: dict[tuple[str, str, int], Target] = {}
    for n, row in _rows(text, TARGET_COLUMNS, "the targets file"):
        if not is_region_code(row["region_code"]):
            raise IndicatorRegistryInvalid("not a 6-digit code", field=f"row {n}: region_code")
        if row["indicator_id"] not in cities:
            raise IndicatorRegistryInvalid(
                "not a city indicator of the registry", field=f"row {n}: indicator_id"
            )
        if not row["year"].isdigit() or not 1990 <= int(row["year"]) <= 2100:
            raise IndicatorRegistryInvalid("a year 1990-2100", field=f"row {n}: year")
        try:
            value = Decimal(row["target"])
        except InvalidOperation:
            raise IndicatorRegistryInvalid("not a number", field=f"row {n}: target") from None
        if not value.is_finite():
            raise IndicatorRegistryInvalid("not a number", field=f"row {n}: target")
        if not row["source"]:
            raise IndicatorRegistryInvalid("name the target's source", field=f"row {n}: source")
        key = (row["region_code"], row["indicator_id"], int(row["year"]))
        if key in found:
            raise IndicatorRegistryInvalid("repeats a target", field=f"row {n}: indicator_id")
        found[key] = Target(key[0], key[1], key[2], value, row["source"])
    return tuple(found.values())
