"""Solve a `MatrixSystem`: factorize A once, then answer any number of demands.

The technosphere is split by its strongly connected components (Tarjan's algorithm, via
`scipy.sparse.csgraph`). In topological order of the components A is block upper
triangular: the processes that only supply the loops ("early"), the largest loop ("core")
and the processes that only consume from it ("late", the foreground). Only the core needs a
fill-reducing sparse LU (SuperLU with a minimum-degree ordering of AᵀA + A); the early and
late parts are (block) triangular and are factorized in their topological order, which
creates fill only inside their own small loops. A demand then costs three substitutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from zerowaste.errors import InvalidInput
from zerowaste.lca.system import MatrixSystem

#: SuperLU keeps the diagonal pivot unless it is this much smaller than the column's
#: largest entry. Productive technospheres (inputs per unit output < 1 in consistent units)
#: are column diagonally dominant up to a diagonal similarity, where Gaussian elimination
#: without pivoting is stable; the threshold still pivots when a column is not.
DIAGONAL_PIVOT_THRESHOLD = 0.01


@dataclass(frozen=True)
class LcaResult:
    """One demand's answer: supply (activity per process), inventory and the score."""

    supply: NDArray[np.float64]
    inventory: NDArray[np.float64]
    score: float
    #: kg CO2e each process contributes (its direct emissions × its activity); sums to score.
    process_scores: NDArray[np.float64]


class Solver:
    """A factorized technosphere; each demand costs a few triangular solves."""

    def __init__(self, system: MatrixSystem) -> None:
        self.system = system
        self._blocks = _Blocks(system.technosphere)
        self._technosphere = system.technosphere.tocsr()
        #: Emissions per unit activity of each process, characterized (c · B).
        self._direct = system.biosphere.T @ system.characterization

    @property
    def core_size(self) -> int:
        """How many processes are in the largest loop (the block given a sparse LU)."""
        return self._blocks.core.size

    def supply(self, demand: NDArray[np.float64]) -> NDArray[np.float64]:
        """Activity of every process to meet `demand` (A x = f); a 2-D demand is columns.

        One step of iterative refinement follows the substitutions (x += A⁻¹(f − Ax)), which
        brings the forward error of a threshold-pivoted factor down to rounding level.
        """
        demand = np.asarray(demand, dtype=np.float64)
        supply = self._blocks.solve(demand)
        supply += self._blocks.solve(demand - self._technosphere @ supply)
        return supply

    def correction(self, residual: NDArray[np.float64]) -> NDArray[np.float64]:
        """A⁻¹ r by the factors alone, without refinement (a preconditioner for draws near A)."""
        return self._blocks.solve(np.asarray(residual, dtype=np.float64))

    def solve(self, demand: NDArray[np.float64]) -> LcaResult:
        """Supply, inventory, score and per-process contributions for one demand."""
        demand = np.asarray(demand, dtype=np.float64)
        if demand.shape != (self.system.size,):
            raise InvalidInput(f"needs {self.system.size} amounts", field="demand")
        supply = self.supply(demand)
        inventory = np.asarray(self.system.biosphere @ supply, dtype=np.float64)
        process_scores = self._direct * supply
        return LcaResult(supply, inventory, float(process_scores.sum()), process_scores)


class _Blocks:
    """A split into early, core and late processes, each block factorized once."""

    def __init__(self, technosphere: sp.csc_matrix) -> None:
        matrix = sp.csc_matrix(technosphere, dtype=np.float64)
        size = matrix.shape[0]
        count, labels = connected_components(matrix, directed=True, connection="strong")
        component_sizes = np.bincount(labels, minlength=count)
        order = _topological_components(matrix, labels, count)
        largest = int(np.argmax(component_sizes)) if size else -1
        if size and component_sizes[largest] > 1:
            rank = np.empty(count, dtype=np.int64)
            rank[order] = np.arange(count)
            process_rank = rank[labels]
            core_rank = rank[largest]
            sequence = np.argsort(process_rank, kind="stable")
            self.early = sequence[process_rank[sequence] < core_rank]
            self.core = np.flatnonzero(labels == largest)
            self.late = sequence[process_rank[sequence] > core_rank]
        else:
            rank = np.empty(count, dtype=np.int64)
            rank[order] = np.arange(count)
            self.early = np.argsort(rank[labels], kind="stable")
            self.core = np.empty(0, dtype=np.int64)
            self.late = np.empty(0, dtype=np.int64)
        csr = matrix.tocsr()
        self._late = _factor(csr, self.late, "NATURAL")
        self._core = _factor(csr, self.core, "MMD_AT_PLUS_A")
        self._early = _factor(csr, self.early, "NATURAL")
        self._core_late = csr[self.core][:, self.late].tocsr()
        self._early_rest = csr[self.early][:, np.concatenate([self.core, self.late])].tocsr()
        self.size = size

    def solve(self, demand: NDArray[np.float64]) -> NDArray[np.float64]:
        if demand.shape[0] != self.size:
            raise InvalidInput(f"needs {self.size} amounts", field="demand")
        out = np.empty_like(demand)
        late = _apply(self._late, demand[self.late])
        core = _apply(self._core, demand[self.core] - self._core_late @ late)
        rest = np.concatenate([core, late])
        out[self.late] = late
        out[self.core] = core
        out[self.early] = _apply(self._early, demand[self.early] - self._early_rest @ rest)
        return out


def _topological_components(
    matrix: sp.csc_matrix, labels: NDArray[np.int32], count: int
) -> NDArray[np.int64]:
    """Components ordered so that every supplier's comes before its consumers' (Kahn)."""
    coo = matrix.tocoo()
    suppliers, consumers = labels[coo.row], labels[coo.col]
    between = suppliers != consumers
    graph = sp.csr_matrix(
        (np.ones(int(between.sum())), (suppliers[between], consumers[between])),
        shape=(count, count),
    )
    graph.sum_duplicates()
    indegree = np.diff(graph.tocsc().indptr).astype(np.int64)
    order = np.empty(count, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    done = 0
    while frontier.size:
        order[done : done + frontier.size] = frontier
        done += frontier.size
        # Remove the frontier's edges; the components left without suppliers come next.
        starts, ends = graph.indptr[frontier], graph.indptr[frontier + 1]
        lengths = ends - starts
        positions = np.repeat(ends - lengths.cumsum(), lengths) + np.arange(lengths.sum())
        targets = graph.indices[positions]
        np.subtract.at(indegree, targets, 1)
        touched = np.unique(targets)
        frontier = touched[indegree[touched] == 0]
    return order


def _factor(
    csr: sp.csr_matrix, keep: NDArray[np.int64], ordering: Literal["NATURAL", "MMD_AT_PLUS_A"]
) -> spla.SuperLU[np.float64] | None:
    if keep.size == 0:
        return None
    block = csr[keep][:, keep].tocsc()
    options: dict[str, object] = {"SymmetricMode": True}
    try:
        factor: spla.SuperLU[np.float64] = spla.splu(
            block,
            permc_spec=ordering,
            diag_pivot_thresh=DIAGONAL_PIVOT_THRESHOLD,
            options=options,
        )
    except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
        raise InvalidInput(
            "the technosphere matrix is singular: a product has no producer or a loop "
            "produces nothing net",
            field="technosphere",
        ) from exc
    return factor


def _apply(
    factor: spla.SuperLU[np.float64] | None, right: NDArray[np.float64]
) -> NDArray[np.float64]:
    if factor is None:
        return right.copy()
    return np.asarray(factor.solve(right), dtype=np.float64)
