"""A validated firm × city × year panel: CSV parsing, variable names, balance."""

from __future__ import annotations

import csv
import io
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from zerowaste.errors.evaluation import DatasetInvalid, ModelSpecificationInvalid

#: The identifying columns every panel has, in this order.
KEYS = ("firm", "city", "year")
#: A variable name: safe inside a model formula (letters, digits, underscores).
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
MAX_ROWS = 1_000_000
MAX_VARIABLES = 60
MAX_KEY_LENGTH = 80
FIRST_YEAR, LAST_YEAR = 1900, 2100
#: Cells read as missing values.
MISSING = frozenset({"", "na", "nan", "null", "."})


@dataclass(frozen=True, slots=True)
class Balance:
    """How complete the panel is: units, years, and whether every unit has every year."""

    firms: int
    cities: int
    years: int
    first_year: int
    last_year: int
    rows: int
    balanced: bool


@dataclass(frozen=True, slots=True)
class DatasetSummary:
    """A stored dataset's description: name, where it came from, its variables and size."""

    id: uuid.UUID
    name: str
    source: str
    created_by: uuid.UUID | None
    created_at: datetime
    variables: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Panel:
    """Rows keyed by (firm, year), each with its city and numeric variables (NaN: missing)."""

    frame: pd.DataFrame
    variables: tuple[str, ...]

    @property
    def balance(self) -> Balance:
        """Counts and whether the panel is balanced (each firm observed in every year)."""
        f = self.frame
        years = int(f["year"].nunique()) if len(f) else 0
        firms = int(f["firm"].nunique()) if len(f) else 0
        return Balance(
            firms=firms,
            cities=int(f["city"].nunique()) if len(f) else 0,
            years=years,
            first_year=int(f["year"].min()) if len(f) else 0,
            last_year=int(f["year"].max()) if len(f) else 0,
            rows=len(f),
            balanced=len(f) == firms * years,
        )

    def require(self, names: Sequence[str], field: str) -> None:
        """Raise ModelSpecificationInvalid naming `field` if a name is not a numeric variable."""
        for name in names:
            if name not in self.variables:
                raise ModelSpecificationInvalid(
                    f"the dataset has no numeric variable {name!r}", field=field
                )

    def to_csv(self) -> str:
        """The panel as CSV text (the format `parse_csv` reads), rows in key order."""
        out = io.StringIO()
        self.frame.to_csv(out, index=False, lineterminator="\n", na_rep="")
        return out.getvalue()


def check_name(name: str, field: str) -> str:
    """A variable name, or DatasetInvalid naming `field`."""
    if not NAME.match(name):
        raise DatasetInvalid(
            f"{name!r} is not a variable name (a letter, then letters, digits or _; ≤ 40)",
            field=field,
        )
    return name


def _number(raw: str, row: int, column: str) -> float:
    text = raw.strip()
    if text.lower() in MISSING:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise DatasetInvalid(f"{text!r} is not a number", field=f"row {row}: {column}") from None
    if not math.isfinite(value):
        raise DatasetInvalid(f"{text!r} is not a finite number", field=f"row {row}: {column}")
    return value


def _numbers(cells: list[str], row: int, variables: tuple[str, ...]) -> list[float]:
    """A row's variables: plain finite numbers at once, anything else cell by cell."""
    try:
        found = [float(c) for c in cells]
    except ValueError:
        found = []
    total = math.fsum(found) if found else math.nan
    if math.isfinite(total):
        return found
    return [_number(c, row, v) for c, v in zip(cells, variables, strict=True)]


def _key(raw: str, row: int, column: str) -> str:
    text = raw.strip()
    if not text:
        raise DatasetInvalid("a key cell is empty", field=f"row {row}: {column}")
    if len(text) > MAX_KEY_LENGTH:
        raise DatasetInvalid(
            f"longer than {MAX_KEY_LENGTH} characters", field=f"row {row}: {column}"
        )
    return text


def _year(raw: str, row: int) -> int:
    text = raw.strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not (
        FIRST_YEAR <= int(text) <= LAST_YEAR
    ):
        raise DatasetInvalid(
            f"{text!r} is not a year {FIRST_YEAR}-{LAST_YEAR}", field=f"row {row}: year"
        )
    return int(text)


def _header(header: list[str]) -> tuple[str, ...]:
    names = [h.strip() for h in header]
    if [n.lower() for n in names[:3]] != list(KEYS):
        raise DatasetInvalid("the first columns must be firm, city, year", field="row 1: header")
    variables = names[3:]
    if not variables:
        raise DatasetInvalid("no variable columns after firm, city, year", field="row 1: header")
    if len(variables) > MAX_VARIABLES:
        raise DatasetInvalid(f"more than {MAX_VARIABLES} variables", field="row 1: header")
    seen: set[str] = set()
    for name in variables:
        check_name(name, f"row 1: {name or '(empty)'}")
        if name.lower() in seen or name.lower() in KEYS:
            raise DatasetInvalid(f"column {name!r} given twice", field=f"row 1: {name}")
        seen.add(name.lower())
    return tuple(variables)


def parse_csv(text: str) -> Panel:
    """Read a panel from CSV: header firm,city,year,var1,… then one row per firm-year.

    Rows are counted as in a spreadsheet (the header is row 1). A firm-year may appear
    once; a firm keeps one city per year (it may move between years). Empty cells, `NA`
    and `.` are missing values.

    Raises:
        DatasetInvalid: The field names the row and column, e.g. `row 7: capital`.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetInvalid("the file is empty", field="row 1: header") from None
    except csv.Error as exc:
        raise DatasetInvalid(str(exc), field="row 1: header") from None
    variables = _header(header)
    width = 3 + len(variables)
    firms: list[str] = []
    cities: list[str] = []
    years: list[int] = []
    values: list[list[float]] = []
    seen: set[tuple[str, int]] = set()
    row = 1
    try:
        for cells in reader:
            row += 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != width:
                raise DatasetInvalid(
                    f"{len(cells)} cells where the header has {width}", field=f"row {row}: cells"
                )
            if len(firms) >= MAX_ROWS:
                raise DatasetInvalid(f"more than {MAX_ROWS} rows", field=f"row {row}: cells")
            firm = _key(cells[0], row, "firm")
            city = _key(cells[1], row, "city")
            year = _year(cells[2], row)
            if (firm, year) in seen:
                raise DatasetInvalid(
                    f"firm {firm!r} appears twice in {year}", field=f"row {row}: year"
                )
            seen.add((firm, year))
            firms.append(firm)
            cities.append(city)
            years.append(year)
            values.append(_numbers(cells[3:], row, variables))
    except csv.Error as exc:
        raise DatasetInvalid(str(exc), field=f"row {row}: cells") from None
    if not firms:
        raise DatasetInvalid("the file has a header but no rows", field="row 2: cells")
    return from_columns(firms, cities, years, variables, values)


def from_columns(
    firms: Sequence[str],
    cities: Sequence[str],
    years: Sequence[int],
    variables: Sequence[str],
    values: Sequence[Sequence[float]],
) -> Panel:
    """A panel from already-checked columns, sorted by firm and year."""
    matrix = np.asarray(values, dtype=float).reshape(len(firms), len(variables))
    frame = pd.DataFrame({"firm": list(firms), "city": list(cities), "year": list(years)})
    for j, name in enumerate(variables):
        frame[name] = matrix[:, j]
    frame["year"] = frame["year"].astype("int64")
    frame = frame.sort_values(["firm", "year"], kind="stable").reset_index(drop=True)
    return Panel(frame, tuple(variables))


def join(panel: Panel, covariates: Panel, on: str) -> Panel:
    """`panel` with the covariates' variables added, matched on (firm, year) or (city, year).

    Matching on city takes each city-year's first row of `covariates` (a city-level dataset
    has one row per city-year; its `firm` column is then just a label). Unmatched rows get
    missing values; a variable already in `panel` is not replaced.

    Raises:
        DatasetInvalid: `on` is neither firm nor city (field `on`).
    """
    if on not in ("firm", "city"):
        raise DatasetInvalid("join on firm or city", field="on")
    extra = [v for v in covariates.variables if v not in panel.variables]
    right = covariates.frame[[on, "year", *extra]].drop_duplicates([on, "year"], keep="first")
    merged = panel.frame.merge(right, on=[on, "year"], how="left", validate="many_to_one")
    return Panel(merged.reset_index(drop=True), (*panel.variables, *extra))
