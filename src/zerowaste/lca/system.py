"""A product system as matrices: technosphere A, biosphere B and characterization c."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from zerowaste.errors import InvalidInput

#: (row key, column key, amount): an entry of the technosphere or biosphere matrix.
Triplet = tuple[str, str, float]


@dataclass(frozen=True)
class MatrixSystem:
    """The matrices of a square LCA system (Heijungs & Suh, *The Computational Structure of LCA*).

    Column j is process j, producing one unit of its reference product (row j) per unit of
    activity: A[i, j] > 0 is an output of product i, < 0 an input. B[k, j] is the amount of
    elementary flow k process j emits per unit of activity; c[k] the kg CO2e per unit of flow k.
    The score of a demand f is c · B · A⁻¹ f.
    """

    technosphere: sp.csc_matrix
    biosphere: sp.csr_matrix
    characterization: NDArray[np.float64]
    process_keys: tuple[str, ...]
    flow_keys: tuple[str, ...]

    @classmethod
    def from_triplets(
        cls,
        process_keys: Sequence[str],
        flow_keys: Sequence[str],
        technosphere: Iterable[Triplet],
        biosphere: Iterable[Triplet],
        characterization: Mapping[str, float],
    ) -> MatrixSystem:
        """Build the matrices from keyed entries; repeated entries are summed."""
        processes = {key: index for index, key in enumerate(process_keys)}
        flows = {key: index for index, key in enumerate(flow_keys)}
        if len(processes) != len(process_keys):
            raise InvalidInput("process keys must be unique", field="processes")
        if len(flows) != len(flow_keys):
            raise InvalidInput("flow keys must be unique", field="flows")
        a = _matrix(technosphere, processes, processes, "technosphere")
        b = _matrix(biosphere, flows, processes, "biosphere")
        c = np.zeros(len(flows), dtype=np.float64)
        for key, value in characterization.items():
            if key not in flows:
                raise InvalidInput(f"unknown flow {key!r}", field="characterization")
            c[flows[key]] = value
        return cls(a.tocsc(), b.tocsr(), c, tuple(process_keys), tuple(flow_keys))

    @property
    def size(self) -> int:
        """The number of processes (and reference products)."""
        return len(self.process_keys)

    def demand_vector(self, demand: Mapping[str, float]) -> NDArray[np.float64]:
        """The final-demand vector f for amounts of reference products, keyed by process."""
        index = {key: position for position, key in enumerate(self.process_keys)}
        vector = np.zeros(self.size, dtype=np.float64)
        for key, amount in demand.items():
            if key not in index:
                raise InvalidInput(f"unknown product {key!r}", field="demand")
            vector[index[key]] += amount
        return vector


def _matrix(
    entries: Iterable[Triplet], rows: Mapping[str, int], columns: Mapping[str, int], name: str
) -> sp.coo_matrix:
    row_ids: list[int] = []
    column_ids: list[int] = []
    amounts: list[float] = []
    for row, column, amount in entries:
        if row not in rows:
            raise InvalidInput(f"unknown row {row!r}", field=name)
        if column not in columns:
            raise InvalidInput(f"unknown column {column!r}", field=name)
        if not np.isfinite(amount):
            raise InvalidInput(f"{row}/{column} is not finite", field=name)
        row_ids.append(rows[row])
        column_ids.append(columns[column])
        amounts.append(amount)
    shape = (len(rows), len(columns))
    data = np.asarray(amounts, dtype=np.float64)
    coordinates = (np.asarray(row_ids, dtype=np.int64), np.asarray(column_ids, dtype=np.int64))
    return sp.coo_matrix((data, coordinates), shape=shape, dtype=np.float64)
