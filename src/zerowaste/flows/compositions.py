"""Typical concentrations of heavy metals by waste code, HW category or SW class, and lookup."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

from zerowaste.flows.substances import SUBSTANCES, Concentration

_HW_CODE = re.compile(r"^\d{3}-\d{3}-(\d{2})$")
_SW_CODE = re.compile(r"^(?:\d{3}-\d{3}-)?S(?:W)?(\d{2})$")
COLUMNS = (
    "waste_key",
    "material_en",
    "material_zh",
    "substance",
    "mg_per_kg",
    "sd_mg_per_kg",
    "verification",
    "source",
)


@dataclass(frozen=True, slots=True)
class CompositionRow:
    """One concentration of one substance in one waste key, with where it comes from."""

    waste_key: str
    material_en: str
    material_zh: str
    substance: str
    concentration: Concentration
    verification: str
    source: str


@dataclass(frozen=True)
class Compositions:
    """The table, looked up by exact code, then HW category, then SW class."""

    rows: tuple[CompositionRow, ...]

    def __post_init__(self) -> None:
        index = {(r.waste_key, r.substance): r for r in self.rows}
        object.__setattr__(self, "_index", index)

    def keys_of(self, waste_code: str) -> tuple[str, ...]:
        """The keys tried for a code, most specific first."""
        keys = [waste_code]
        if m := _HW_CODE.match(waste_code):
            keys.append(f"HW{m[1]}")
        if m := _SW_CODE.match(waste_code):
            keys.append(f"SW{m[1]}")
        return tuple(keys)

    def row(self, waste_code: str, substance: str) -> CompositionRow | None:
        """The row giving `substance` in `waste_code`, None if the table has none."""
        index: dict[tuple[str, str], CompositionRow] = self._index  # type: ignore[attr-defined]
        for key in self.keys_of(waste_code):
            if (found := index.get((key, substance))) is not None:
                return found
        return None

    def mixture(self, masses: dict[str, float], substance: str) -> tuple[Concentration, float]:
        """The mass-weighted concentration of a mix of codes and the share of mass it covers.

        Mass of codes without a row counts as zero concentration (a lower bound); the
        codes' standard deviations are taken as independent.
        """
        total = sum(masses.values())
        if total <= 0:
            return Concentration(0.0, 0.0), 0.0
        mean, variance, covered = 0.0, 0.0, 0.0
        for code, mass in masses.items():
            row = self.row(code, substance)
            if row is None:
                continue
            share = mass / total
            mean += share * row.concentration.mg_per_kg
            variance += (share * row.concentration.sd) ** 2
            covered += share
        return Concentration(mean, math.sqrt(variance)), covered


def parse_compositions_csv(text: str) -> Compositions:
    """Read the compositions table.

    Raises:
        ValueError: A column is missing, a substance unknown, a value negative or a source empty.
    """
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"compositions.csv needs the columns {', '.join(COLUMNS)}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        if raw["substance"] not in SUBSTANCES:
            raise ValueError(f"line {line}: unknown substance {raw['substance']!r}")
        value, sd = float(raw["mg_per_kg"]), float(raw["sd_mg_per_kg"])
        if value < 0 or sd < 0 or not raw["source"].strip():
            raise ValueError(f"line {line}: negative value or missing source")
        rows.append(
            CompositionRow(
                raw["waste_key"],
                raw["material_en"],
                raw["material_zh"],
                raw["substance"],
                Concentration(value, sd),
                raw["verification"],
                raw["source"],
            )
        )
    return Compositions(tuple(rows))
