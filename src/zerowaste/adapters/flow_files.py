"""The packaged material-flow data: heavy-metal concentrations (`data/flows/compositions.csv`)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from zerowaste.flows.compositions import Compositions, parse_compositions_csv


@cache
def load_compositions() -> Compositions:
    """The typical concentrations of Pb, Cd, Cr and Zn by waste code or class (read once)."""
    text = (files("zerowaste.data.flows") / "compositions.csv").read_text("utf-8")
    return parse_compositions_csv(text)
