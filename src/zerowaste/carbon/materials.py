"""Which material each waste code or class is, and its default baseline route when not utilized."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum

from zerowaste.domain.factors import WasteRoute
from zerowaste.errors import InvalidInput

#: Material subject keys the factor library uses for waste-route factors.
MATERIALS = frozenset(
    {
        "steel",
        "aluminium",
        "copper",
        "precious_metals",
        "slag",
        "fly_ash",
        "bottom_ash",
        "gypsum",
        "sludge",
        "mixed_industrial_solid",
        "waste_oil",
        "solvent",
        "paint_sludge",
        "activated_carbon",
        "plastics",
        "organic_hazardous",
        "inorganic_hazardous",
        "packaging_contaminated",
        "glass",
        "paper",
        "concrete",
    }
)


class KeyKind(StrEnum):
    """What a row of the material table names: one code, a category or class, or a default."""

    CODE = "code"
    CATEGORY = "category"
    CLASS = "class"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class MaterialClass:
    """A waste's material subject and default baseline route, with the row's justification."""

    key: str
    key_kind: KeyKind
    material: str
    baseline_route: WasteRoute
    name: str
    source: str


def is_hazardous_code(code: str) -> bool:
    """Whether a waste code is a hazardous waste code (`900-041-49`) rather than a class (SW01)."""
    return "-" in code


def category_of(code: str) -> str:
    """The HW category of a hazardous waste code (`900-252-12` → `HW12`)."""
    return f"HW{code[-2:]}"


class WasteMaterials:
    """The material table: exact codes first, then the HW category, then a default."""

    def __init__(self, rows: list[MaterialClass]) -> None:
        self.rows = tuple(rows)
        self._by_key = {(row.key_kind, row.key): row for row in rows}

    def lookup(self, waste_code: str | None) -> MaterialClass | None:
        """The row for a waste code or class, falling back to its category or the default."""
        if not waste_code:
            return None
        code = waste_code.strip()
        if is_hazardous_code(code):
            return (
                self._by_key.get((KeyKind.CODE, code))
                or self._by_key.get((KeyKind.CATEGORY, category_of(code)))
                or self._by_key.get((KeyKind.DEFAULT, "hazardous"))
            )
        return self._by_key.get((KeyKind.CLASS, code.upper())) or self._by_key.get(
            (KeyKind.DEFAULT, "general")
        )

    def material_of(self, waste_code: str | None) -> str | None:
        """The material subject of a waste code, if the table knows it."""
        row = self.lookup(waste_code)
        return row.material if row else None


def parse_materials_csv(text: str) -> WasteMaterials:
    """Read the material table (`data/carbon/waste_materials.csv`), checking every row.

    Raises:
        InvalidInput: A row names an unknown material, route or key kind, or lacks a source.
    """
    rows = []
    for number, raw in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        field = f"row {number}"
        material = raw["material"].strip()
        if material not in MATERIALS:
            raise InvalidInput(f"unknown material {material!r}", field=f"{field}.material")
        try:
            route = WasteRoute(raw["baseline_route"].strip())
            kind = KeyKind(raw["key_kind"].strip())
        except ValueError as exc:
            raise InvalidInput(str(exc), field=field) from exc
        if not raw["source"].strip():
            raise InvalidInput("every row needs its source", field=f"{field}.source")
        rows.append(
            MaterialClass(
                raw["key"].strip(), kind, material, route, raw["name"].strip(), raw["source"]
            )
        )
    return WasteMaterials(rows)
