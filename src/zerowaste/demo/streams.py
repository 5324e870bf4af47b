"""How much of each waste a demo firm generates, how often it books it, and in which months.

The yearly tonnages are plausible orders of magnitude for a firm of typical size in its
industry, invented for the demo (they are not statistics). They are scaled by the firm's
output value against its archetype's typical output. The monthly profiles are invented too;
their shape follows the Spring Festival dip and the year-end push seen in China's monthly
industrial output releases (National Bureau of Statistics, January and February reported
together), the winter-heating and summer-cooling peaks of coal power, and the summer peak of
municipal solid waste.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zerowaste.demo.archetypes import Archetype, Chain

#: Monthly factors, January to December; each profile is normalized to a mean of 1.
_PROFILES: dict[str, tuple[float, ...]] = {
    "manufacturing": (0.92, 0.62, 1.02, 1.03, 1.04, 1.03, 0.98, 0.97, 1.05, 1.04, 1.10, 1.20),
    "steel": (0.98, 0.90, 1.02, 1.04, 1.05, 1.00, 0.96, 0.95, 1.02, 1.00, 1.02, 1.06),
    "pharmaceutical": (1.00, 0.75, 1.00, 1.05, 1.05, 1.00, 0.95, 0.95, 1.05, 1.05, 1.05, 1.10),
    "power": (1.18, 1.00, 0.95, 0.85, 0.88, 1.00, 1.18, 1.20, 1.00, 0.86, 0.92, 1.10),
    "municipal": (1.02, 1.05, 0.95, 0.96, 1.00, 1.03, 1.06, 1.07, 1.00, 0.97, 0.94, 0.95),
}

_PROFILE_OF_CHAIN = {
    Chain.STEEL: "steel",
    Chain.PHARMACEUTICAL: "pharmaceutical",
    Chain.POWER: "power",
    Chain.MUNICIPAL: "municipal",
}


def season(chain: Chain) -> tuple[float, ...]:
    """The twelve monthly factors (mean 1) of a chain's generation."""
    raw = _PROFILES[_PROFILE_OF_CHAIN.get(chain, "manufacturing")]
    mean = sum(raw) / len(raw)
    return tuple(value / mean for value in raw)


_K = 1_000
#: Tonnes a year a typical firm of each archetype generates, per waste code or class.
RATES_T: dict[str, dict[str, tuple[float, float]]] = {
    "automotive.oem": {
        "SW17": (40 * _K, 60 * _K), "900-252-12": (800, 1500), "900-214-08": (100, 200),
        "900-218-08": (60, 150), "900-404-06": (300, 600), "336-064-17": (150, 300),
        "900-039-49": (50, 150), "900-041-49": (200, 400),
    },
    "automotive.engine": {
        "SW17": (3 * _K, 8 * _K), "900-006-09": (300, 800), "900-214-08": (50, 150),
        "900-218-08": (30, 80), "900-041-49": (30, 80),
    },
    "automotive.stamping": {
        "SW17": (800, 4 * _K), "900-218-08": (5, 20), "900-006-09": (5, 30),
        "900-041-49": (2, 8),
    },
    "automotive.casting": {
        "SW01": (1.5 * _K, 5 * _K), "SW59": (3 * _K, 10 * _K), "900-006-09": (5, 20),
        "900-041-49": (2, 6),
    },
    "automotive.painting": {
        "900-252-12": (60, 250), "900-404-06": (20, 80), "336-064-17": (15, 60),
        "900-039-49": (5, 20), "900-041-49": (5, 20),
    },
    "automotive.parts": {
        "SW17": (300, 1.5 * _K), "900-006-09": (10, 40), "900-214-08": (3, 10),
        "900-041-49": (2, 8),
    },
    "steel.works": {
        "SW01": (900 * _K, 1300 * _K), "SW59": (150 * _K, 250 * _K), "SW06": (40 * _K, 80 * _K),
        "312-001-23": (10 * _K, 25 * _K), "900-214-08": (300, 800), "900-218-08": (200, 500),
    },
    "steel.ironworks": {
        "SW01": (400 * _K, 700 * _K), "SW59": (60 * _K, 120 * _K), "SW06": (15 * _K, 30 * _K),
        "900-218-08": (80, 200),
    },
    "steel.rolling": {
        "SW59": (3 * _K, 15 * _K), "SW17": (2 * _K, 8 * _K), "900-300-34": (2 * _K, 8 * _K),
        "900-218-08": (20, 80),
    },
    "pharma.api": {
        "271-001-02": (200, 800), "271-002-02": (300, 1500), "271-003-02": (100, 400),
        "900-402-06": (300, 1200), "900-404-06": (100, 500), "900-039-49": (30, 150),
        "271-006-50": (5, 30), "900-047-49": (2, 10), "SW07": (500, 2 * _K),
    },
    "pharma.formulation": {
        "900-002-03": (5, 40), "900-039-49": (5, 30), "900-041-49": (10, 40),
        "900-047-49": (1, 5),
    },
    "electronics.pcb": {
        "900-045-49": (200, 1.5 * _K), "398-004-22": (500, 3 * _K), "398-005-22": (300, 1.5 * _K),
        "336-063-17": (200, 1 * _K), "398-005-34": (200, 1 * _K), "900-041-49": (20, 80),
        "SW07": (300, 1.5 * _K),
    },
    "electronics.devices": {
        "900-045-49": (30, 300), "900-041-49": (5, 30), "900-404-06": (5, 30),
        "SW17": (50, 500),
    },
    "machinery.metalwork": {
        "SW17": (200, 2 * _K), "900-006-09": (5, 40), "900-214-08": (2, 10),
        "900-041-49": (1, 6),
    },
    "power.coal": {
        "SW02": (150 * _K, 400 * _K), "SW06": (60 * _K, 150 * _K), "SW03": (20 * _K, 50 * _K),
        "900-214-08": (20, 60), "772-007-50": (50, 200),
    },
    "municipal.incineration": {"772-002-18": (12 * _K, 25 * _K), "SW03": (120 * _K, 200 * _K)},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """One waste a firm generates: yearly tonnes and the months between two booked batches."""

    waste_code: str
    tonnes_per_year: float
    cadence_months: int


def cadence_months(tonnes_per_year: float) -> int:
    """Months between two booked batches: big streams monthly, small ones half-yearly.

    Small streams accumulate in drums and bags until there is a truckload to send (hazardous
    waste may be stored up to a year).
    """
    if tonnes_per_year >= 20_000:
        return 1
    if tonnes_per_year >= 2_000:
        return 2
    if tonnes_per_year >= 100:
        return 3
    return 6


def size_factor(kind: Archetype, output_value_cny: float) -> float:
    """A firm's output against its archetype's typical (geometric mid) output, in 0.1-10."""
    low, high = kind.output_cny
    typical = math.sqrt(low * high)
    return min(10.0, max(0.1, output_value_cny / typical))
