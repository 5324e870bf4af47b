"""Read and write factor CSVs, and load the packaged default factor dataset."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import TypeVar

from zerowaste.domain.factors import (
    CATEGORY_UNITS,
    Distribution,
    DistributionKind,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
    Verification,
)
from zerowaste.errors import InvalidInput

#: The package holding the default dataset's CSVs (sources in its SOURCES.md).
DATA_PACKAGE = "zerowaste.data.factors"
#: The files of the default dataset, read in this order.
DEFAULT_FILES = (
    "avoided_waste_route.csv",
    "inventory_waste_route.csv",
    "transport.csv",
    "electricity.csv",
    "virgin_production.csv",
    "fuel.csv",
)
#: Name and version of the packaged default dataset.
DEFAULT_DATASET_NAME = "zerowaste-default"
DEFAULT_DATASET_VERSION = "2026.1"
DEFAULT_DATASET_DESCRIPTION = (
    "Packaged defaults: WARM v16 avoided-emission factors converted to kg CO2e/t, inventory "
    "factors for waste routes, transport, China grid electricity, virgin production and fuels; "
    "each row names its source and verification status."
)

#: The columns of a factor CSV, in order. `unit` is checked against the category's unit.
COLUMNS = (
    "set",
    "category",
    "subject",
    "route",
    "region",
    "year",
    "value",
    "unit",
    "distribution",
    "spread",
    "low",
    "high",
    "source",
    "edition",
    "verification",
    "note",
)
_REQUIRED = frozenset(COLUMNS) - {"note", "spread", "low", "high", "route", "region", "edition"}
_GLOBAL_SPELLINGS = frozenset({"", "GLO", "GLOBAL"})
_E = TypeVar("_E", FactorSet, FactorCategory, DistributionKind, Verification)


@dataclass(frozen=True, slots=True)
class DefaultDataset:
    """The packaged default dataset: its name, version, description and factors."""

    name: str
    version: str
    description: str
    factors: tuple[Factor, ...]

    @property
    def label(self) -> str:
        """`name version`, as a `FactorBook.dataset` label."""
        return f"{self.name} {self.version}"


def load_default_dataset() -> DefaultDataset:
    """Read the packaged default dataset from the package resources.

    Returns:
        The dataset with every factor of its CSV files.

    Raises:
        InvalidInput: If a packaged file is malformed (a packaging bug).
    """
    root = resources.files(DATA_PACKAGE)
    factors: list[Factor] = []
    for name in DEFAULT_FILES:
        text = root.joinpath(name).read_text(encoding="utf-8")
        factors.extend(parse_factors_csv(text))
    return DefaultDataset(
        DEFAULT_DATASET_NAME,
        DEFAULT_DATASET_VERSION,
        DEFAULT_DATASET_DESCRIPTION,
        tuple(factors),
    )


def load_default_book() -> FactorBook:
    """The packaged default dataset as a `FactorBook` labelled `zerowaste-default 2026.1`."""
    dataset = load_default_dataset()
    return FactorBook(dataset.factors, dataset=dataset.label)


def parse_factors_csv(text: str) -> list[Factor]:
    """Parse a factor CSV (header row, then one factor a row).

    Args:
        text: The CSV text, with the columns of `COLUMNS` (any order; `note`, `spread`, `low`,
            `high`, `route`, `region` and `edition` may be left out).

    Returns:
        The factors, in row order.

    Raises:
        InvalidInput: On the first bad row, with `field` naming it and its column as
            `rows[<n>].<column>` (n counts data rows from 1), or `header` for a missing column,
            or `rows` for an empty file or a duplicate factor.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = sorted(_REQUIRED - set(header))
    if missing:
        raise InvalidInput(f"missing columns: {', '.join(missing)}", field="header")
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown:
        raise InvalidInput(f"unknown columns: {', '.join(unknown)}", field="header")
    factors: list[Factor] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=1):
        if None in raw:
            raise InvalidInput("more cells than columns", field=f"rows[{number}]")
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        if not any(row.values()):
            continue
        factor = parse_factor_row(row, number)
        if factor.ref in seen:
            raise InvalidInput(
                f"{factor.ref} repeats row {seen[factor.ref]}", field=f"rows[{number}]"
            )
        seen[factor.ref] = number
        factors.append(factor)
    if not factors:
        raise InvalidInput("the file holds no factors", field="rows")
    return factors


def parse_factor_row(row: Mapping[str, str], number: int) -> Factor:
    """Parse one CSV row (column -> text) into a `Factor`; errors name `rows[number].column`."""

    def field(column: str) -> str:
        return f"rows[{number}].{column}"

    def cell(column: str) -> str:
        return row.get(column, "").strip()

    factor_set = _enum(FactorSet, cell("set"), field("set"))
    category = _enum(FactorCategory, cell("category"), field("category"))
    unit = cell("unit")
    if unit != CATEGORY_UNITS[category]:
        raise InvalidInput(
            f"{category} factors are in {CATEGORY_UNITS[category]}, not {unit!r}",
            field=field("unit"),
        )
    value = _decimal(cell("value"), field("value"))
    distribution = Distribution(
        kind=_enum(DistributionKind, cell("distribution") or "fixed", field("distribution")),
        spread=_float(cell("spread"), field("spread")),
        low=_float(cell("low"), field("low")),
        high=_float(cell("high"), field("high")),
    )
    year_text = cell("year")
    if not year_text.isdigit():
        raise InvalidInput(f"{year_text!r} is not a year", field=field("year"))
    region = cell("region")
    if region.upper() in _GLOBAL_SPELLINGS:
        region = ""
    elif region != "CN" and not (len(region) == 6 and region.isdigit()):
        raise InvalidInput(
            f"{region!r} is not GLO, CN or a six-digit GB/T 2260 code", field=field("region")
        )
    try:
        return Factor(
            factor_set=factor_set,
            category=category,
            subject=cell("subject"),
            route=cell("route"),
            region=region,
            year=int(year_text),
            value=value,
            distribution=distribution,
            source=cell("source"),
            edition=cell("edition"),
            verification=_enum(Verification, cell("verification"), field("verification")),
            note=cell("note"),
        )
    except InvalidInput as error:
        column = error.field or "value"
        raise type(error)(error.detail, field=field(column)) from error


def factors_csv(factors: Iterable[Factor]) -> str:
    """Write factors as CSV text with the `COLUMNS` header; `parse_factors_csv` reads it back."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for factor in factors:
        dist = factor.distribution
        writer.writerow(
            (
                factor.factor_set.value,
                factor.category.value,
                factor.subject,
                factor.route,
                factor.region or "GLO",
                factor.year,
                _plain(factor.value),
                factor.unit,
                dist.kind.value,
                _number(dist.spread),
                _number(dist.low),
                _number(dist.high),
                factor.source,
                factor.edition,
                factor.verification.value,
                factor.note,
            )
        )
    return out.getvalue()


def _enum(kind: type[_E], text: str, field: str) -> _E:
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{text!r} is not one of {allowed}", field=field) from None


def _decimal(text: str, field: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"{text!r} is not a number", field=field) from None
    if not number.is_finite():
        raise InvalidInput("must be a finite number", field=field)
    return number


def _float(text: str, field: str) -> float | None:
    if not text:
        return None
    return float(_decimal(text, field))


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _number(number: float | None) -> str:
    return "" if number is None else repr(number)
