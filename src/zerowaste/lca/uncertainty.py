"""Monte Carlo uncertainty of an LCA score: draw uncertain matrix entries, re-solve, score."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from zerowaste.domain.factors import Distribution
from zerowaste.errors import InvalidInput
from zerowaste.lca.sampling import VectorSampler
from zerowaste.lca.solver import Solver
from zerowaste.lca.system import MatrixSystem

Matrix = Literal["technosphere", "biosphere", "characterization"]
_MATRICES: tuple[Matrix, ...] = ("technosphere", "biosphere", "characterization")

#: Draws held in memory at once (iterations × entries), about 32 MB of float64.
_BLOCK_VALUES = 1 << 22
#: Most iterations solved together (one factor applied to a block of right-hand sides).
_BLOCK_ITERATIONS = 32
#: A draw's supply has converged when its last LU correction is this small against it (∞-norm).
_TOLERANCE = 1e-12
#: The cheap Jacobi sweeps stop when their correction is this small (then LU verifies).
_JACOBI_TOLERANCE = 1e-13
#: Most Jacobi sweeps (one sparse product each) before the LU corrections take over.
_JACOBI_STEPS = 400
#: Sweeps over which the Jacobi stage measures its rate of convergence.
_JACOBI_WINDOW = 10
#: A contraction per sweep slower than this hands over to the LU corrections.
_JACOBI_SLOW = 0.95
#: LU corrections tried before a draw is solved directly by its own LU factorization.
_MAX_STEPS = 60


@dataclass(frozen=True)
class UncertainEntry:
    """One uncertain matrix entry.

    `row` and `column` index the matrix (for the characterization vector `row` is the flow
    index and `column` is ignored, use 0). `distribution` is centred on the matrix's current
    value at that position (see `Distribution` for what its parameters mean).
    """

    matrix: Matrix
    row: int
    column: int
    distribution: Distribution


def monte_carlo(
    system: MatrixSystem,
    demand: NDArray[np.float64],
    entries: Sequence[UncertainEntry],
    iterations: int,
    *,
    seed: int,
) -> NDArray[np.float64]:
    """Scores of `iterations` draws (each draws every entry once, re-solves).

    Raises:
        InvalidInput: `entries` names a position outside the matrices' sparsity pattern, twice
            the same position, or a distribution that does not fit its entry's value;
            `iterations` is negative; `demand` has the wrong length.
    """
    if iterations < 0:
        raise InvalidInput("must not be negative", field="iterations")
    plan = MonteCarlo(system, entries)
    return plan.scores(demand, plan.draws(iterations, seed=seed))


class MonteCarlo:
    """The uncertain entries of a system, located in its matrices, ready to draw and solve.

    Each draw's technosphere A' = D' − N' (production on the diagonal, inputs off it) is solved
    in two stages, a block of draws at a time, starting from the deterministic supply x₀:

    1. Jacobi sweeps x ← x + D'⁻¹(f − A'x), one sparse product each (the Neumann series of a
       productive system, which converges as fast as its loops are weak); they stop when the
       correction is below `_JACOBI_TOLERANCE`, stall, or diverge (then x is reset to x₀).
    2. Iterative refinement with the deterministic factor, x ← x + A⁻¹(f − A'x), until the
       correction, an estimate of the forward error, is below `_TOLERANCE` relative to x. It
       runs at least once, so every draw's answer is checked against the factorized A.

    A draw that does not converge within `_MAX_STEPS` corrections is solved by its own sparse
    LU factorization.
    """

    def __init__(
        self,
        system: MatrixSystem,
        entries: Sequence[UncertainEntry],
        *,
        solver: Solver | None = None,
    ) -> None:
        self.system = system
        self.solver = solver if solver is not None else Solver(system)
        self._a = _canonical_csr(system.technosphere)
        self._b = _canonical_csr(system.biosphere)
        self._c = np.asarray(system.characterization, dtype=np.float64)
        self._diagonal = _diagonal_positions(self._a)
        self._structures: dict[tuple[int, int], tuple[NDArray[np.int64], NDArray[np.int64]]] = {}
        matrices = np.array([_matrix_code(entry.matrix) for entry in entries], dtype=np.int8)
        rows = np.array([entry.row for entry in entries], dtype=np.int64)
        columns = np.array([entry.column for entry in entries], dtype=np.int64)
        self._where: list[NDArray[np.intp]] = []
        self._positions: list[NDArray[np.int64]] = []
        values = np.empty(len(entries), dtype=np.float64)
        for code, name in enumerate(_MATRICES):
            where = np.flatnonzero(matrices == code)
            if name == "characterization":
                positions = _vector_positions(rows[where], self._c.size)
                values[where] = self._c[positions]
            else:
                matrix = self._a if name == "technosphere" else self._b
                positions = _pattern_positions(matrix, rows[where], columns[where], name)
                values[where] = matrix.data[positions]
            if np.unique(positions).size != positions.size:
                raise InvalidInput(f"a {name} position is listed twice", field="entries")
            self._where.append(where)
            self._positions.append(positions)
        self.distributions = [
            entry.distribution.check(float(value), field="entries")
            for entry, value in zip(entries, values, strict=True)
        ]
        self.values = values

    @property
    def size(self) -> int:
        """The number of uncertain entries."""
        return self.values.size

    def draws(self, iterations: int, *, seed: int) -> Iterator[NDArray[np.float64]]:
        """Blocks of draws (rows: iterations, columns: entries), `iterations` rows in all."""
        sampler = VectorSampler(self.distributions, self.values, seed)
        per_block = max(1, min(_BLOCK_ITERATIONS, _BLOCK_VALUES // max(1, self.size)))
        done = 0
        while done < iterations:
            size = min(per_block, iterations - done)
            yield sampler.draw(size)
            done += size

    def scores(
        self, demand: NDArray[np.float64], blocks: Iterator[NDArray[np.float64]]
    ) -> NDArray[np.float64]:
        """The score of every draw in `blocks` (each a block from `draws`)."""
        demand = np.asarray(demand, dtype=np.float64)
        if demand.shape != (self.system.size,):
            raise InvalidInput(f"needs {self.system.size} amounts", field="demand")
        base = self.solver.supply(demand)
        out = [self._block_scores(demand, base, block) for block in blocks]
        return np.concatenate(out) if out else np.empty(0, dtype=np.float64)

    def _block_scores(
        self, demand: NDArray[np.float64], base: NDArray[np.float64], block: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        count = block.shape[0]
        a_data = _data_block(self._a.data, self._positions[0], block[:, self._where[0]])
        b_data = _data_block(self._b.data, self._positions[1], block[:, self._where[1]])
        c_data = _data_block(self._c, self._positions[2], block[:, self._where[2]])
        supply = np.repeat(base[:, None], count, axis=1)
        if self._where[0].size:
            supply = self._refine(demand, supply, a_data)
        inventory = self._block_diagonal(1, b_data) @ supply.ravel(order="F")
        return np.asarray((inventory.reshape(count, -1) * c_data).sum(axis=1), dtype=np.float64)

    def _block_diagonal(self, which: int, data: NDArray[np.float64]) -> sp.csr_matrix:
        """One copy of A's (0) or B's (1) pattern per row of `data` along the diagonal."""
        matrix = self._a if which == 0 else self._b
        count = data.shape[0]
        key = (which, count)
        if key not in self._structures:
            self._structures[key] = _block_structure(matrix, count)
        indices, indptr = self._structures[key]
        shape = (count * matrix.shape[0], count * matrix.shape[1])
        return sp.csr_matrix((data.ravel(), indices, indptr), shape=shape)

    def _refine(
        self, demand: NDArray[np.float64], supply: NDArray[np.float64], a_data: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        count = supply.shape[1]
        technosphere = self._block_diagonal(0, a_data)
        if self._diagonal is not None:
            supply = self._jacobi(demand, supply, technosphere, a_data[:, self._diagonal])
        active = np.arange(count)
        for _ in range(_MAX_STEPS):
            produced = technosphere @ supply.ravel(order="F")
            residual = demand[:, None] - produced.reshape(count, -1).T
            step = self.solver.correction(residual[:, active])
            supply[:, active] += step
            scale = np.abs(supply[:, active]).max(axis=0)
            converged = np.abs(step).max(axis=0) <= _TOLERANCE * np.maximum(scale, 1e-300)
            active = active[~converged]
            if active.size == 0 or not np.isfinite(supply).all():
                break
        for draw in active if np.isfinite(supply).all() else range(count):
            supply[:, draw] = self._direct(demand, a_data[draw])
        return supply

    def _jacobi(
        self,
        demand: NDArray[np.float64],
        start: NDArray[np.float64],
        technosphere: sp.csr_matrix,
        diagonal: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        count = start.shape[1]
        if not (np.isfinite(diagonal).all() and (diagonal != 0).all()):
            return start
        inverse = (1.0 / diagonal).T
        supply = start.copy()
        history: list[NDArray[np.float64]] = []
        for sweep in range(_JACOBI_STEPS):
            produced = (technosphere @ supply.ravel(order="F")).reshape(count, -1).T
            step = (demand[:, None] - produced) * inverse
            supply += step
            change = np.abs(step).max(axis=0) / np.maximum(np.abs(supply).max(axis=0), 1e-300)
            history.append(change)
            if not np.isfinite(change).all() or (change <= _JACOBI_TOLERANCE).all():
                break
            if sweep >= _JACOBI_WINDOW:
                # Average contraction over the window: near 1 is a strong loop, above diverges.
                earlier = history[-1 - _JACOBI_WINDOW]
                ratio = np.divide(change, earlier, out=np.zeros(count), where=earlier > 0)
                rate = ratio ** (1 / _JACOBI_WINDOW)
                if (rate > _JACOBI_SLOW).any():
                    break
        first = history[0] if history else np.zeros(count)
        change = history[-1] if history else np.zeros(count)
        bad = ~np.isfinite(supply).all(axis=0) | ~(change <= np.maximum(first, _TOLERANCE))
        supply[:, bad] = start[:, bad]
        return supply

    def _direct(
        self, demand: NDArray[np.float64], data: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        matrix = sp.csr_matrix((data, self._a.indices, self._a.indptr), shape=self._a.shape)
        try:
            return np.asarray(spla.splu(matrix.tocsc()).solve(demand), dtype=np.float64)
        except RuntimeError as exc:
            raise InvalidInput(
                "a draw made the technosphere matrix singular", field="entries"
            ) from exc


def _matrix_code(name: str) -> int:
    if name not in _MATRICES:
        raise InvalidInput(f"{name!r} is not one of {', '.join(_MATRICES)}", field="entries")
    return _MATRICES.index(name)


def _canonical_csr(matrix: sp.csc_matrix | sp.csr_matrix) -> sp.csr_matrix:
    out: sp.csr_matrix = matrix.tocsr(copy=True)
    out.sum_duplicates()
    out.sort_indices()
    return out


def _pattern_positions(
    matrix: sp.csr_matrix, rows: NDArray[np.int64], columns: NDArray[np.int64], name: str
) -> NDArray[np.int64]:
    """Where each (row, column) sits in `matrix.data`; InvalidInput if not stored."""
    n_rows, n_columns = matrix.shape
    outside = (rows < 0) | (rows >= n_rows) | (columns < 0) | (columns >= n_columns)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise InvalidInput(
            f"({rows[first]}, {columns[first]}) is outside the {name} matrix", field="entries"
        )
    pattern_rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(matrix.indptr))
    pattern = pattern_rows * n_columns + matrix.indices.astype(np.int64)
    wanted = rows * n_columns + columns
    found = np.minimum(np.searchsorted(pattern, wanted), max(0, pattern.size - 1))
    missing = pattern.size == 0 or (pattern[found] != wanted)
    if np.any(missing):
        first = int(np.flatnonzero(np.broadcast_to(missing, wanted.shape))[0])
        raise InvalidInput(
            f"({rows[first]}, {columns[first]}) is not in the {name} sparsity pattern",
            field="entries",
        )
    return np.asarray(found, dtype=np.int64)


def _vector_positions(rows: NDArray[np.int64], size: int) -> NDArray[np.int64]:
    outside = (rows < 0) | (rows >= size)
    if outside.any():
        first = int(rows[np.flatnonzero(outside)[0]])
        raise InvalidInput(f"flow {first} is outside the characterization", field="entries")
    return rows


def _data_block(
    data: NDArray[np.float64], positions: NDArray[np.int64], draws: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Copies of `data`, one row per draw, with the drawn values put at `positions`."""
    out = np.repeat(data[None, :], draws.shape[0], axis=0)
    out[:, positions] = draws
    return out


def _diagonal_positions(matrix: sp.csr_matrix) -> NDArray[np.int64] | None:
    """Where each A[j, j] sits in `matrix.data`, or None if some diagonal entry is not stored."""
    size = matrix.shape[0]
    diagonal = np.arange(size, dtype=np.int64)
    try:
        return _pattern_positions(matrix, diagonal, diagonal, "technosphere")
    except InvalidInput:
        return None


def _block_structure(
    matrix: sp.csr_matrix, count: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR indices and indptr of `count` copies of `matrix`'s pattern along a diagonal."""
    n_columns = matrix.shape[1]
    nnz = matrix.indices.size
    offsets = np.arange(count, dtype=np.int64)
    indices = (matrix.indices[None, :] + (offsets * n_columns)[:, None]).ravel()
    indptr = np.concatenate(
        [(matrix.indptr[:-1][None, :] + (offsets * nnz)[:, None]).ravel(), [count * nnz]]
    )
    return indices, indptr
