"""The packaged indicator registry and city targets (`data/indicators/*.csv`), read once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from zerowaste.domain.indicators import IndicatorDefinition
from zerowaste.indicators.registry import Target, parse_registry_csv, parse_targets_csv


def _text(name: str) -> str:
    return (files("zerowaste.data.indicators") / name).read_text("utf-8")


@cache
def load_indicator_registry() -> tuple[IndicatorDefinition, ...]:
    """Every indicator of `registry.csv`, checked."""
    return parse_registry_csv(_text("registry.csv"))


@cache
def load_indicator_targets() -> tuple[Target, ...]:
    """Every target of `targets.csv`, checked against the registry."""
    return parse_targets_csv(_text("targets.csv"), load_indicator_registry())
