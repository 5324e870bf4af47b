"""Turn firm-entered processes into a `MatrixSystem` and solve product footprints from it.

Each entered amount is one matrix entry, as entered: a process's activity column makes its
`reference_amount`; a multi-output process's activity is shared among one column per product by
mass or value (ISO 14044:2006 4.3.4.2). Every background factor used is a column of its own
emitting `co2e_background` (kg CO2e per unit: t, kWh, t.km, GJ); direct emissions are flows per
gas, characterized with IPCC AR6 GWP100. Secondary material is burden-free (cut-off) and only
counted for the recycled content. One `Solver` factorizes the technosphere once for every
product of the system and its Monte Carlo (`lca.uncertainty.MonteCarlo`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
from zerowaste.errors import InvalidDistribution, InvalidInput
from zerowaste.lca.sampling import interval
from zerowaste.lca.solver import Solver
from zerowaste.lca.system import MatrixSystem, Triplet
from zerowaste.lca.uncertainty import MonteCarlo, UncertainEntry

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


#: (matrix "technosphere" or "biosphere", row key, column key): one matrix position.
Position = tuple[str, str, str]


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
        self._flows = {key: i for i, key in enumerate(FLOWS)}
        #: Every entered amount or factor value at its position (repeated lines merge).
        self._entries: dict[Position, list[tuple[float, Distribution]]] = {}
        for process in self.processes.values():
            activity = self._columns_of(process)
            for exchange in process.exchanges:
                self._add(process, exchange, activity, factors)
        for ref, factor in self._background.items():
            self._put(("technosphere", ref, ref), 1.0, Distribution())
            self._put(("biosphere", BACKGROUND_FLOW, ref), float(factor.value), factor.distribution)
        triplets: dict[str, list[Triplet]] = {"technosphere": [], "biosphere": []}
        for (matrix, row, column), values in self._entries.items():
            triplets[matrix].append((row, column, sum(value for value, _ in values)))
        self.system = MatrixSystem.from_triplets(
            [*self._columns, *self._background],
            FLOWS,
            triplets["technosphere"],
            triplets["biosphere"],
            CHARACTERIZATION,
        )
        self.solver = Solver(self.system)
        self._index = {key: i for i, key in enumerate(self.system.process_keys)}

    def _columns_of(self, process: Process) -> str:
        """Add a process's columns; return the one its exchanges go in (its activity).

        A single-output process is one column making `reference_amount` per activity. A
        multi-output one gets an activity column making one unit of activity, and one column
        per product making `amount_k` of it from `share_k` of the activity.
        """
        key = column_key(process.id)
        if not process.co_products:
            self._column(key, process.id)
            self._put(("technosphere", key, key), float(process.reference_amount), Distribution())
            return key
        activity = f"{process.id}#activity"
        self._column(activity, process.id)
        self._put(("technosphere", activity, activity), 1.0, Distribution())
        amounts = [process.reference_amount, *(co.amount for co in process.co_products)]
        shares = process.shares(self.allocation)
        for product, (share, amount) in enumerate(zip(shares, amounts, strict=True)):
            key = column_key(process.id, product)
            self._column(key, process.id)
            self._put(("technosphere", key, key), float(amount), Distribution())
            self._put(("technosphere", activity, key), -float(share), Distribution())
        return activity

    def _column(self, key: str, process_id: uuid.UUID) -> None:
        self._columns.append(key)
        self._owner[key] = process_id

    def _put(self, position: Position, value: float, distribution: Distribution) -> None:
        self._entries.setdefault(position, []).append((value, distribution))

    def _add(
        self, process: Process, exchange: Exchange, activity: str, factors: FactorBook
    ) -> None:
        amount = float(exchange.amount)
        kind = exchange.kind
        if kind is ExchangeKind.SECONDARY_MATERIAL:
            self._secondary_t[activity] = self._secondary_t.get(activity, 0.0) + amount
            return
        spread = exchange.distribution if amount else Distribution()
        if kind is ExchangeKind.EMISSION:
            self._put(("biosphere", exchange.subject, activity), amount, spread)
            return
        if kind is ExchangeKind.TECHNOSPHERE:
            assert exchange.source_process_id is not None
            if exchange.source_process_id not in self.processes:
                raise InvalidInput(
                    f"process {exchange.source_process_id} is not in the product system",
                    field="source",
                )
            row = column_key(exchange.source_process_id)
        else:
            factor = _factor(factors, process, exchange)
            row = "bg:" + factor.ref
            self._background[row] = factor
            if kind is ExchangeKind.VIRGIN_MATERIAL:
                self._virgin.add(row)
        self._put(("technosphere", row, activity), -amount, _negated(spread))

    def assess(self, top_process_id: uuid.UUID, reference_flow: Decimal) -> Assessment:
        """The footprint of `reference_flow` of a process's reference product."""
        demand = self.system.demand_vector({column_key(top_process_id): float(reference_flow)})
        result = self.solver.solve(demand)
        supply = result.supply
        inventory = result.inventory
        flows = self._flows
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

    def uncertain_entries(self) -> list[UncertainEntry]:
        """The uncertain matrix entries: factor values and entered amounts, one per position.

        Lines repeated at one position (two electricity lines of a process) merge; at most one
        of them may be uncertain, its distribution shifted by the others' fixed amounts.
        """
        entries = []
        for (matrix, row, column), values in self._entries.items():
            uncertain = [(v, d) for v, d in values if d.kind is not DistributionKind.FIXED]
            if not uncertain:
                continue
            if len(uncertain) > 1:
                raise InvalidDistribution(
                    f"{column} has two uncertain amounts of {row}: enter them as one line",
                    field="distribution",
                )
            value, distribution = uncertain[0]
            offset = sum(v for v, _ in values) - value
            if matrix == "technosphere":
                entry = UncertainEntry(
                    "technosphere",
                    self._index[row],
                    self._index[column],
                    _shifted(distribution, offset),
                )
            else:
                entry = UncertainEntry(
                    "biosphere",
                    self._flows[row],
                    self._index[column],
                    _shifted(distribution, offset),
                )
            entries.append(entry)
        return entries

    def monte_carlo(
        self, top_process_id: uuid.UUID, reference_flow: Decimal, iterations: int, *, seed: int
    ) -> NDArray[np.float64]:
        """Scores of `iterations` seeded draws of every uncertain amount and factor.

        Drawn by `lca.uncertainty.MonteCarlo`, reusing this model's factorized technosphere.
        """
        if iterations < 1:
            raise InvalidInput("must be at least 1", field="iterations")
        demand = self.system.demand_vector({column_key(top_process_id): float(reference_flow)})
        entries = self.uncertain_entries()
        if not entries:
            return np.full(iterations, self.solver.solve(demand).score, dtype=np.float64)
        plan = MonteCarlo(self.system, entries, solver=self.solver)
        return plan.scores(demand, plan.draws(iterations, seed=seed))

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


def _negated(distribution: Distribution) -> Distribution:
    """The distribution of -x for x ~ `distribution` (inputs are negative in A)."""
    if distribution.low is None or distribution.high is None:
        return distribution  # fixed, normal, lognormal: the sampler keeps the value's sign
    return replace(distribution, low=-distribution.high, high=-distribution.low)


def _shifted(distribution: Distribution, offset: float) -> Distribution:
    """The distribution of x + `offset` (other fixed lines at the same position)."""
    if offset == 0 or distribution.kind is DistributionKind.NORMAL:
        return distribution
    if distribution.low is None or distribution.high is None:
        raise InvalidDistribution(
            "a lognormal amount cannot share its position with another line: merge them",
            field="distribution",
        )
    return replace(distribution, low=distribution.low + offset, high=distribution.high + offset)


def _share(part: float, whole: float) -> float:
    if whole <= 0:
        return 0.0
    return min(1.0, max(0.0, part / whole))
