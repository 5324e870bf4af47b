"""A seeded synthetic LCA system shaped like ecoinvent, as COO arrays for both engines.

ecoinvent 3.x cut-off has about 20–25k activities, ~300k technosphere non-zeros (11–13 per
column, diagonal included) and one large strongly connected component: electricity, transport,
fuels, chemicals and metals all supply each other (IterativeLCA's docstring in bw2calc 3.1
quotes 23,523 × 23,523 with 293k non-zeros for 3.10.1). This fixture reproduces that shape:

- column j takes on average `inputs_per_column` inputs; most come from "earlier" (more basic)
  processes, favouring a small set of hubs (electricity, transport, heat markets), and a
  fraction `feedback` come from anywhere, which closes loops and makes a big SCC;
- the diagonal is 1 (one unit of reference product per unit of activity); each column's input
  coefficients, measured in a common unit, sum to at most `input_share` < 1 so the system is
  productive; then each product gets its own unit (a lognormal scale spanning orders of
  magnitude, like kg, MJ, kWh and t·km), A ← S A S⁻¹, which keeps the spectrum but scales the
  entries the way real data are scaled;
- about 20 elementary flows per column out of 2,000, the common ones (CO2, CH4, N2O, …) far
  more often; one GWP-like characterization vector on a tenth of the flows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from zerowaste.domain.factors import Distribution, DistributionKind
from zerowaste.lca.system import MatrixSystem
from zerowaste.lca.uncertainty import UncertainEntry


@dataclass(frozen=True)
class Fixture:
    """COO arrays of A (diagonal included), B and the characterization vector c."""

    processes: int
    flows: int
    a_rows: NDArray[np.int64]
    a_cols: NDArray[np.int64]
    a_data: NDArray[np.float64]
    b_rows: NDArray[np.int64]
    b_cols: NDArray[np.int64]
    b_data: NDArray[np.float64]
    characterization: NDArray[np.float64]

    @property
    def off_diagonal(self) -> NDArray[np.bool_]:
        """Which technosphere entries are inputs (not the reference products)."""
        return self.a_rows != self.a_cols


def build(
    processes: int = 20_000,
    flows: int = 2_000,
    *,
    inputs_per_column: float = 14.0,
    flows_per_column: float = 20.0,
    market_share: float = 0.45,
    market_exponent: float = 1.7,
    background_share: float = 0.45,
    input_share: float = 0.6,
    seed: int = 2026,
) -> Fixture:
    """The seeded synthetic system (see the module docstring)."""
    rng = np.random.default_rng(seed)
    markets = processes // 10
    cluster = 100
    producers = processes - markets
    background_end = markets + int(producers * background_share)
    # Market popularity falls off like a power law (the grid and trucks first).
    popularity = 1.0 / np.arange(1, markets + 1) ** market_exponent
    popularity /= popularity.sum()
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    background_clusters = max(1, (background_end - markets) // cluster)
    for market in range(markets):
        # A market buys from a few producers of its product, all in one background sector.
        first = markets + (market % background_clusters) * cluster
        suppliers = rng.integers(first, min(first + cluster, background_end), rng.integers(2, 7))
        rows.append(np.unique(suppliers))
        cols.append(np.full(rows[-1].size, market, dtype=np.int64))
    counts = np.clip(rng.poisson(inputs_per_column, producers), 1, None)
    for offset, count in enumerate(counts):
        column = markets + offset
        from_markets = rng.random(count) < market_share
        bought = rng.choice(markets, int(from_markets.sum()), p=popularity)
        first = markets + (offset // cluster) * cluster
        local = first + ((column - first) * rng.random(int(count - from_markets.sum()))).astype(
            np.int64
        )  # earlier producers of the same sector: no loop
        chosen = np.unique(np.concatenate([bought, local[local < column]]))
        rows.append(chosen)
        cols.append(np.full(chosen.size, column, dtype=np.int64))
    in_rows = np.concatenate(rows)
    in_cols = np.concatenate(cols)
    shares = rng.lognormal(0.0, 1.0, in_rows.size)
    totals = np.bincount(in_cols, weights=shares, minlength=processes)
    column_share = input_share * rng.uniform(0.2, 1.0, processes)
    coefficients = shares / totals[in_cols] * column_share[in_cols]
    units = rng.lognormal(0.0, 2.0, processes)  # each product's own unit
    in_data = -coefficients * units[in_rows] / units[in_cols]
    diagonal = np.arange(processes, dtype=np.int64)
    a_rows = np.concatenate([diagonal, in_rows])
    a_cols = np.concatenate([diagonal, in_cols])
    a_data = np.concatenate([np.ones(processes), in_data])

    popularity = 1.0 / np.arange(1, flows + 1) ** 0.9
    popularity /= popularity.sum()
    b_counts = np.clip(rng.poisson(flows_per_column, processes), 1, flows)
    b_rows_list = [np.unique(rng.choice(flows, int(count), p=popularity)) for count in b_counts]
    b_cols = np.concatenate([np.full(r.size, j, dtype=np.int64) for j, r in enumerate(b_rows_list)])
    b_rows = np.concatenate(b_rows_list).astype(np.int64)
    b_data = rng.lognormal(-3.0, 2.0, b_rows.size) / units[b_cols]
    b_data[rng.random(b_rows.size) < 0.03] *= -1  # a few uptakes (negative emissions)
    characterization = np.zeros(flows)
    characterized = rng.choice(flows, max(1, flows // 10), replace=False)
    characterized[:3] = [0, 1, 2]  # the three most common flows: CO2, CH4, N2O
    characterization[characterized] = rng.lognormal(2.0, 2.0, characterized.size)
    characterization[[0, 1, 2]] = [1.0, 29.8, 273.0]  # IPCC AR6 GWP100 (WG1 ch. 7, table 7.15)
    return Fixture(
        processes, flows, a_rows, a_cols, a_data, b_rows, b_cols, b_data, characterization
    )


def system(fixture: Fixture) -> MatrixSystem:
    """Our `MatrixSystem` from the fixture's arrays (keys are the indices as text)."""
    shape_a = (fixture.processes, fixture.processes)
    shape_b = (fixture.flows, fixture.processes)
    a = sp.csc_matrix((fixture.a_data, (fixture.a_rows, fixture.a_cols)), shape=shape_a)
    b = sp.csr_matrix((fixture.b_data, (fixture.b_rows, fixture.b_cols)), shape=shape_b)
    return MatrixSystem(
        a,
        b,
        fixture.characterization.copy(),
        tuple(f"p{j}" for j in range(fixture.processes)),
        tuple(f"f{k}" for k in range(fixture.flows)),
    )


def entries(fixture: Fixture, gsd: float = 1.2) -> list[UncertainEntry]:
    """Lognormal uncertainty on every technosphere input and every biosphere entry."""
    lognormal = Distribution(DistributionKind.LOGNORMAL, spread=gsd)
    inputs = fixture.off_diagonal
    technosphere = [
        UncertainEntry("technosphere", int(r), int(c), lognormal)
        for r, c in zip(fixture.a_rows[inputs], fixture.a_cols[inputs], strict=True)
    ]
    biosphere = [
        UncertainEntry("biosphere", int(r), int(c), lognormal)
        for r, c in zip(fixture.b_rows, fixture.b_cols, strict=True)
    ]
    return technosphere + biosphere


def demands(fixture: Fixture, count: int, seed: int = 7) -> list[NDArray[np.float64]]:
    """`count` unit demands for products picked at random (seeded)."""
    picks = np.random.default_rng(seed).choice(fixture.processes, count, replace=False)
    out = []
    for pick in picks:
        vector = np.zeros(fixture.processes)
        vector[pick] = 1.0
        out.append(vector)
    return out
