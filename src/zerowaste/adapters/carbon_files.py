"""The packaged carbon data: the waste material table (`data/carbon/waste_materials.csv`)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from zerowaste.carbon.materials import WasteMaterials, parse_materials_csv


@cache
def load_waste_materials() -> WasteMaterials:
    """The material and default baseline route of each waste code or class (read once)."""
    text = (files("zerowaste.data.carbon") / "waste_materials.csv").read_text("utf-8")
    return parse_materials_csv(text)
