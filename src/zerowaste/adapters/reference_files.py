"""Read the GB/T 2260 region and GB/T 4754 industry tables shipped in `zerowaste.data`."""

from __future__ import annotations

import csv
from importlib.resources import files

from zerowaste.domain.regions import Industry, IndustryLevel, Region, RegionLevel


def _rows(name: str) -> list[dict[str, str]]:
    text = (files("zerowaste.data") / "reference" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def read_regions() -> list[Region]:
    """Every administrative division in the shipped table."""
    return [
        Region(r["code"], r["name_zh"], RegionLevel(r["level"]), r["parent_code"] or None)
        for r in _rows("regions.csv")
    ]


def read_industries() -> list[Industry]:
    """Every GB/T 4754-2017 industry in the shipped table."""
    return [
        Industry(r["code"], r["name_zh"], IndustryLevel(r["level"]), r["parent_code"] or None)
        for r in _rows("industries.csv")
    ]
