"""Load the waste catalogs from the package's data files into a `Catalog`."""

from __future__ import annotations

import csv
import functools
import io
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable

from zerowaste.domain.catalog import (
    Catalog,
    CatalogEdition,
    CrosswalkEntry,
    Exemption,
    HazardCharacteristic,
    HazardousWaste,
    HazardousWasteCategory,
    SolidWasteClass,
    Verification,
)

#: The package holding the catalog CSVs (written by `scripts/build_catalogs.py`).
DATA_PACKAGE = "zerowaste.data.catalogs"
HAZARDOUS_WASTE_LIST = "hazardous_waste_list"


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Return the catalog held in the package data, read once and then cached.

    Returns:
        The catalog with every hazardous waste list edition, the solid waste classes and the
        EU crosswalk.
    """
    return load_catalog_from(resources.files(DATA_PACKAGE))


def load_catalog_from(root: Traversable) -> Catalog:
    """Read a catalog data folder (package resources or any directory of the same layout).

    Args:
        root: The folder holding `editions.csv` and the files it names.

    An edition row with `available=no` and a `stand_in` naming an edition held as data is
    built with that edition's entries, categories and exemptions (a provisional edition);
    with `available=no` and no stand-in it has no entries.

    Raises:
        ValueError: If a file is inconsistent (a bad code, characteristic, date or count, or a
            stand-in that is not an edition held as data).
    """
    rows = [row for row in _rows(root, "editions.csv") if row["catalog"] == HAZARDOUS_WASTE_LIST]
    held = {row["edition"]: _edition(root, row) for row in rows if row["available"] == "yes"}
    editions = tuple(
        held[row["edition"]] if row["available"] == "yes" else _unavailable_edition(row, held)
        for row in rows
    )
    return Catalog(
        editions=editions,
        solid_waste_classes=tuple(
            _solid_waste_class(row) for row in _rows(root, "solid_waste_classes.csv")
        ),
        crosswalk_entries=tuple(_crosswalk_entry(row) for row in _rows(root, "eu_crosswalk.csv")),
    )


def _rows(root: Traversable, name: str) -> list[dict[str, str]]:
    text = root.joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _dates(row: dict[str, str]) -> tuple[date, date | None]:
    effective_from = date.fromisoformat(row["effective_from"])
    effective_to = date.fromisoformat(row["effective_to"]) if row["effective_to"] else None
    return effective_from, effective_to


def _unavailable_edition(row: dict[str, str], held: dict[str, CatalogEdition]) -> CatalogEdition:
    """Build an edition not held as data: empty, or carrying its stand-in's data."""
    name, stand_in = row["edition"], row["stand_in"] or None
    effective_from, effective_to = _dates(row)
    if stand_in is None:
        return CatalogEdition(
            name,
            effective_from,
            effective_to,
            available=False,
            source=row["source"],
            note=row["note"],
        )
    data = held.get(stand_in)
    if data is None:
        raise ValueError(f"edition {name}: stand-in {stand_in!r} is not an edition held as data")
    return CatalogEdition(
        name,
        effective_from,
        effective_to,
        entries=data.entries,
        categories=data.categories,
        exemptions=data.exemptions,
        available=False,
        stand_in=stand_in,
        source=row["source"],
        note=row["note"],
    )


def _edition(root: Traversable, row: dict[str, str]) -> CatalogEdition:
    """Build an edition held as data from the files its row names."""
    name, source, note = row["edition"], row["source"], row["note"]
    if row["stand_in"]:
        raise ValueError(f"edition {name} is held as data, so it takes no stand-in")
    effective_from, effective_to = _dates(row)
    categories = tuple(
        HazardousWasteCategory(
            code=item["category"], name_zh=item["name_zh"], name_en=item["name_en"]
        )
        for item in _rows(root, row["categories_file"])
    )
    names = {category.code: category for category in categories}
    entries = tuple(_entry(item, names) for item in _rows(root, row["entries_file"]))
    if str(len(entries)) != row["entry_count"]:
        raise ValueError(
            f"{row['entries_file']} holds {len(entries)} entries, "
            f"editions.csv says {row['entry_count']}"
        )
    exemptions = tuple(_exemption(item) for item in _rows(root, row["exemptions_file"]))
    return CatalogEdition(
        name,
        effective_from,
        effective_to,
        entries=entries,
        categories=categories,
        exemptions=exemptions,
        source=source,
        note=note,
    )


def _entry(row: dict[str, str], categories: dict[str, HazardousWasteCategory]) -> HazardousWaste:
    category = categories.get(row["category"])
    if category is None:
        raise ValueError(f"{row['code']}: category {row['category']} is not in the categories file")
    return HazardousWaste(
        code=row["code"],
        category=row["category"],
        category_name_zh=category.name_zh,
        category_name_en=category.name_en,
        industry_source_zh=row["industry_source_zh"],
        description_zh=row["description_zh"],
        characteristics=HazardCharacteristic.parse_many(row["hazard"]),
        notation=row["hazard_notation"],
        source_page=int(row["source_pdf_page"]) if row["source_pdf_page"] else None,
        notes=row["notes"],
    )


def _exemption(row: dict[str, str]) -> Exemption:
    return Exemption(
        item_no=int(row["item_no"]),
        subject=row["code_or_category"],
        description_zh=row["description_zh"],
        stage_zh=row["exempted_stage_zh"],
        conditions_zh=row["conditions_zh"],
        content_zh=row["exemption_content_zh"],
    )


def _solid_waste_class(row: dict[str, str]) -> SolidWasteClass:
    return SolidWasteClass(
        code=row["code"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        level=row["level"],
        parent=row["parent"],
        verification=Verification(row["verified"]),
        source_notes=row["source_notes"],
    )


def _crosswalk_entry(row: dict[str, str]) -> CrosswalkEntry:
    return CrosswalkEntry(
        eu_code=row["eu_low_code"],
        eu_hazardous=row["eu_hazard_status"] == "hazardous",
        eu_description_en=row["eu_low_description_en"],
        waste_type_en=row["waste_type_en"],
        waste_type_zh=row["waste_type_zh"],
        cn_code_type=row["cn_code_type"],
        cn_codes=tuple(code.strip() for code in row["cn_code"].split(";") if code.strip()),
        cn_description_zh=row["cn_description_zh"],
        basel_codes=row["basel_code"],
        confidence=row["confidence"],
        notes=row["notes"],
        cn_verification=Verification(row["cn_code_verified"]),
    )
