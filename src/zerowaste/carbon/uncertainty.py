"""Monte Carlo intervals of report totals, linear in the factors: one factor draw per iteration.

The draws themselves come from `zerowaste.lca.sampling` (seeded), taken by the service layer:
the layer contract keeps the engines `carbon` and `lca` independent of each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zerowaste.carbon.aggregate import SetTotal

#: Iterations of a report unless asked otherwise.
DEFAULT_ITERATIONS = 1000
#: The most iterations a report may ask for.
MAX_ITERATIONS = 20_000
#: The seed of the generator, so a report is reproducible.
DEFAULT_SEED = 20_240_601


@dataclass(frozen=True, slots=True)
class Interval:
    """A central 95 % interval of a total in kg CO2e, with the Monte Carlo mean."""

    low_kg: float
    high_kg: float
    mean_kg: float
    iterations: int


class FactorDraws:
    """Draws of every factor a report used: one row per iteration, one column per factor.

    Args:
        refs: The factors' references, one per column of `draws`.
        draws: An (iterations × factors) array of sampled factor values.
    """

    def __init__(self, refs: Sequence[str], draws: NDArray[np.float64]) -> None:
        if draws.ndim != 2 or draws.shape[1] != len(refs):
            raise ValueError("draws need one column per factor reference")
        self.refs = tuple(refs)
        self.column = {ref: k for k, ref in enumerate(self.refs)}
        self.draws = draws
        self.iterations = int(draws.shape[0])

    def samples(self, total: SetTotal) -> NDArray[np.float64]:
        """The total's value in each iteration (kg CO2e)."""
        weights = np.zeros(len(self.refs), dtype=np.float64)
        for ref, coefficient in total.coefficients.items():
            weights[self.column[ref]] += float(coefficient)
        result: NDArray[np.float64] = self.draws @ weights
        return result

    def interval(self, total: SetTotal, coverage: float = 0.95) -> Interval:
        """The central interval of a total holding `coverage` of the iterations."""
        values = self.samples(total)
        if not self.iterations:
            return Interval(0.0, 0.0, 0.0, 0)
        tail = (1 - coverage) / 2 * 100
        low, high = np.percentile(values, [tail, 100 - tail])
        return Interval(float(low), float(high), float(values.mean()), self.iterations)
