"""Solve a `MatrixSystem`: factorize A once, then answer any number of demands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from zerowaste.errors import InvalidInput
from zerowaste.lca.system import MatrixSystem


@dataclass(frozen=True)
class LcaResult:
    """One demand's answer: supply (activity per process), inventory and the score."""

    supply: NDArray[np.float64]
    inventory: NDArray[np.float64]
    score: float
    #: kg CO2e each process contributes (its direct emissions × its activity); sums to score.
    process_scores: NDArray[np.float64]


class Solver:
    """A factorized technosphere; each demand costs two triangular solves."""

    def __init__(self, system: MatrixSystem) -> None:
        self.system = system
        try:
            self._lu = spla.splu(system.technosphere.tocsc())
        except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
            raise InvalidInput(
                "the technosphere matrix is singular: a product has no producer or a loop "
                "produces nothing net",
                field="technosphere",
            ) from exc
        #: Emissions per unit activity of each process, characterized (c · B).
        self._direct = system.biosphere.T @ system.characterization

    def supply(self, demand: NDArray[np.float64]) -> NDArray[np.float64]:
        """Activity of every process to meet `demand` (A x = f)."""
        return np.asarray(self._lu.solve(demand), dtype=np.float64)

    def solve(self, demand: NDArray[np.float64]) -> LcaResult:
        """Supply, inventory, score and per-process contributions for one demand."""
        supply = self.supply(demand)
        inventory = np.asarray(self.system.biosphere @ supply, dtype=np.float64)
        process_scores = self._direct * supply
        return LcaResult(supply, inventory, float(process_scores.sum()), process_scores)
