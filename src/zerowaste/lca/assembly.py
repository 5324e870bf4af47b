"""Turn firm-entered processes into a `MatrixSystem` and solve product footprints from it.

Each (process, product) is one column after allocation: a multi-output process's exchanges are
shared among its products by mass or value (ISO 14044:2006 4.3.4.2), each column per one unit
of its product. Every background factor used is a column of its own emitting `co2e_background`
(kg CO2e per unit: t, kWh, t.km, GJ); direct emissions are flows per gas, characterized with
IPCC AR6 GWP100. Secondary material is burden-free (cut-off) and only counted for the recycled
content share. One `Solver` factorizes the technosphere once for every product of the system.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from zerowaste.domain.factors import (
    Distribution,
    DistributionKind,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
)
from zerowaste.domain.footprints import Allocation
from zerowaste.domain.product_systems import (
    BIOGENIC_GASES,
    GWP100_AR6,
    Exchange,
    ExchangeKind,
    Gas,
    Process,
)
from zerowaste.errors import InvalidInput
from zerowaste.lca.sampling import interval, sample
from zerowaste.lca.solver import Solver
from zerowaste.lca.system import MatrixSystem, Triplet

BACKGROUND_FLOW = "co2e_background"
FLOWS: tuple[str, ...] = (*(gas.value for gas in Gas), BACKGROUND_FLOW)
CHARACTERIZATION: dict[str, float] = {
    **{gas.value: float(GWP100_AR6[gas]) for gas in Gas},
    BACKGROUND_FLOW: 1.0,
}
_BACKGROUND: dict[ExchangeKind, FactorCategory] = {
    ExchangeKind.VIRGIN_MATERIAL: FactorCategory.VIRGIN_PRODUCTION,
    ExchangeKind.ELECTRICITY: FactorCategory.ELECTRICITY,
    ExchangeKind.TRANSPORT: FactorCategory.TRANSPORT,
    ExchangeKind.FUEL: FactorCategory.FUEL,
    ExchangeKind.WASTE: FactorCategory.WASTE_ROUTE,
}


#: (matrix "A" or "B", row key, column key, multiplier of the parameter's value).
Entry = tuple[str, str, str, float]


@dataclass(frozen=True, slots=True)
class UncertainParameter:
    """One uncertain entered amount or factor value and the matrix entries it sets.

    An exchange of a multi-output process sets one entry per product column (its value times
    the allocation scale), so all of them move together in a Monte Carlo draw.
    """

    value: float
    distribution: Distribution
    entries: tuple[Entry, ...]


def column_key(process_id: uuid.UUID, product: int = 0) -> str:
    """The column of a process's product: 0 is the reference product, k the k-th co-product."""
    return str(process_id) if product == 0 else f"{process_id}/{product}"


@dataclass(frozen=True, slots=True)
class Assessment:
    """A product's footprint per declared unit, before it is published."""

    total_kg: float
    fossil_kg: float
    biogenic_kg: float
    #: kg CO2e of each process (its direct emissions and its background inputs).
    by_process: dict[uuid.UUID, float]
    #: Secondary material drawn through the system (cut-off: burden-free) over the product's
    #: mass (ISO 14021:2016 7.8), at most 1.
    recycled_content_share: float
    primary_data_share: float
    factor_refs: tuple[str, ...]


class ProductModel:
    """The assembled system of a set of processes and its factorized solver."""

    def __init__(
        self,
        processes: Mapping[uuid.UUID, Process],
        factors: FactorBook,
        allocation: Allocation,
    ) -> None:
        self.processes = dict(processes)
        self.allocation = allocation
        self._columns: list[str] = []
        self._owner: dict[str, uuid.UUID] = {}
        self._background: dict[str, Factor] = {}
        self._virgin: set[str] = set()
        self._secondary_t: dict[str, float] = {}
        technosphere: list[Triplet] = []
        biosphere: list[Triplet] = []
        self.parameters: list[UncertainParameter] = []
        for process in self.processes.values():
            shares = process.shares(allocation)
            amounts = [process.reference_amount, *(co.amount for co in process.co_products)]
            for product, (share, amount) in enumerate(zip(shares, amounts, strict=True)):
                key = column_key(process.id, product)
                self._columns.append(key)
                self._owner[key] = process.id
                technosphere.append((key, key, 1.0))
                scale = float(share / amount)
                for exchange in process.exchanges:
                    self._add(process, exchange, key, scale, factors, technosphere, biosphere)
        for ref, factor in self._background.items():
            technosphere.append((ref, ref, 1.0))
            biosphere.append((BACKGROUND_FLOW, ref, float(factor.value)))
            self.parameters.append(
                UncertainParameter(
                    float(factor.value), factor.distribution, (("B", BACKGROUND_FLOW, ref, 1.0),)
                )
            )
        self.system = MatrixSystem.from_triplets(
            [*self._columns, *self._background],
            FLOWS,
            technosphere,
            biosphere,
            CHARACTERIZATION,
        )
        self.solver = Solver(self.system)
        self._index = {key: i for i, key in enumerate(self.system.process_keys)}

    def _add(
        self,
        process: Process,
        exchange: Exchange,
        key: str,
        scale: float,
        factors: FactorBook,
        technosphere: list[Triplet],
        biosphere: list[Triplet],
    ) -> None:
        amount = float(exchange.amount) * scale
        kind = exchange.kind
        if kind is ExchangeKind.SECONDARY_MATERIAL:
            self._secondary_t[key] = self._secondary_t.get(key, 0.0) + amount
            return
        if kind is ExchangeKind.EMISSION:
            entry: Entry = ("B", exchange.subject, key, scale)
            biosphere.append((exchange.subject, key, amount))
        elif kind is ExchangeKind.TECHNOSPHERE:
            assert exchange.source_process_id is not None
            if exchange.source_process_id not in self.processes:
                raise InvalidInput(
                    f"process {exchange.source_process_id} is not in the product system",
                    field="source",
                )
            supplier = column_key(exchange.source_process_id)
            entry = ("A", supplier, key, -scale)
            technosphere.append((supplier, key, -amount))
        else:
            factor = _factor(factors, process, exchange)
            ref = "bg:" + factor.ref
            self._background[ref] = factor
            if kind is ExchangeKind.VIRGIN_MATERIAL:
                self._virgin.add(ref)
            entry = ("A", ref, key, -scale)
            technosphere.append((ref, key, -amount))
        self.parameters.append(
            UncertainParameter(float(exchange.amount), exchange.distribution, (entry,))
        )

    def assess(self, top_process_id: uuid.UUID, reference_flow: Decimal) -> Assessment:
        """The footprint of `reference_flow` of a process's reference product."""
        demand = self.system.demand_vector({column_key(top_process_id): float(reference_flow)})
        result = self.solver.solve(demand)
        supply = result.supply
        inventory = result.inventory
        flows = {key: i for i, key in enumerate(FLOWS)}
        biogenic = sum(
            inventory[flows[g.value]] * CHARACTERIZATION[g.value] for g in BIOGENIC_GASES
        )
        by_process = self._by_process(supply, result.process_scores)
        secondary_t = sum(supply[self._index[k]] * t for k, t in self._secondary_t.items())
        virgin_t = sum(supply[self._index[ref]] for ref in self._virgin)
        top = self.processes[top_process_id]
        product_t = float(top.reference_mass_kg / top.reference_amount * reference_flow) / 1000
        # ISO 14021:2016 7.8: recycled material over the product's mass; without a mass, over
        # the material drawn from the cradle (virgin and secondary).
        materials_t = product_t if product_t > 0 else secondary_t + virgin_t
        direct = sum(result.process_scores[self._index[k]] for k in self._columns)
        used = sorted(
            self._background[ref].ref
            for ref in self._background
            if abs(supply[self._index[ref]]) > 0
        )
        return Assessment(
            total_kg=result.score,
            fossil_kg=result.score - float(biogenic),
            biogenic_kg=float(biogenic),
            by_process=by_process,
            recycled_content_share=_share(secondary_t, materials_t),
            primary_data_share=_share(float(direct), result.score),
            factor_refs=tuple(used),
        )

    def _by_process(
        self, supply: NDArray[np.float64], process_scores: NDArray[np.float64]
    ) -> dict[uuid.UUID, float]:
        """Each firm column's direct score plus the background it draws, summed per process."""
        a = self.system.technosphere.tocsc()
        background_score = {ref: process_scores[self._index[ref]] for ref in self._background}
        background_supply = {ref: supply[self._index[ref]] for ref in self._background}
        totals: dict[uuid.UUID, float] = dict.fromkeys(self.processes, 0.0)
        for key in self._columns:
            j = self._index[key]
            score = float(process_scores[j])
            column = a.getcol(j).tocoo()
            for i, value in zip(column.row, column.data, strict=True):
                ref = self.system.process_keys[i]
                if ref in self._background and background_supply[ref] != 0:
                    drawn = -float(value) * float(supply[j])
                    score += drawn / float(background_supply[ref]) * float(background_score[ref])
            totals[self._owner[key]] += score
        return totals

    def monte_carlo(
        self, top_process_id: uuid.UUID, reference_flow: Decimal, iterations: int, *, seed: int
    ) -> NDArray[np.float64]:
        """Scores of `iterations` draws of every uncertain amount and factor (seeded)."""
        if iterations < 1:
            raise InvalidInput("must be at least 1", field="iterations")
        uncertain = [
            p for p in self.parameters if p.distribution.kind is not DistributionKind.FIXED
        ]
        demand = self.system.demand_vector({column_key(top_process_id): float(reference_flow)})
        base = self.solver.solve(demand).score
        if not uncertain:
            return np.full(iterations, base, dtype=np.float64)
        rng = np.random.default_rng(seed)
        draws = [sample(p.distribution, p.value, rng, iterations) for p in uncertain]
        a = self.system.technosphere.tolil()
        b = self.system.biosphere.tolil()
        flows = {key: i for i, key in enumerate(FLOWS)}
        fixed: dict[tuple[str, int, int], float] = {}
        placed: list[list[tuple[tuple[str, int, int], float]]] = []
        for p in uncertain:
            spots = []
            for matrix, row, column, k in p.entries:
                rows = self._index if matrix == "A" else flows
                spot = (matrix, rows[row], self._index[column])
                current = (a if matrix == "A" else b)[spot[1], spot[2]]
                fixed[spot] = fixed.get(spot, float(current)) - p.value * k
                spots.append((spot, k))
            placed.append(spots)
        scores = np.empty(iterations, dtype=np.float64)
        for n in range(iterations):
            values = dict(fixed)
            for parameter, spots in enumerate(placed):
                for spot, k in spots:
                    values[spot] += draws[parameter][n] * k
            for (matrix, i, j), value in values.items():
                (a if matrix == "A" else b)[i, j] = value
            system = MatrixSystem(
                a.tocsc(),
                b.tocsr(),
                self.system.characterization,
                self.system.process_keys,
                self.system.flow_keys,
            )
            scores[n] = Solver(system).solve(demand).score
        return scores

    def interval_95(
        self, top_process_id: uuid.UUID, reference_flow: Decimal, iterations: int, *, seed: int
    ) -> tuple[float, float]:
        """The central 95 % Monte Carlo interval of the score."""
        return interval(self.monte_carlo(top_process_id, reference_flow, iterations, seed=seed))


def _factor(factors: FactorBook, process: Process, exchange: Exchange) -> Factor:
    category = _BACKGROUND[exchange.kind]
    region = process.region_code
    subject = exchange.subject
    if exchange.kind is ExchangeKind.ELECTRICITY:
        region, subject = exchange.subject or process.region_code, "grid"
    return factors.get(
        FactorSet.INVENTORY,
        category,
        subject,
        route=exchange.route,
        region_code=region,
        year=process.period_start.year,
    )


def _share(part: float, whole: float) -> float:
    if whole <= 0:
        return 0.0
    return min(1.0, max(0.0, part / whole))
