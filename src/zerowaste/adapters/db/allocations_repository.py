"""Market allocation runs: store one with its lines, read one, list them newest first."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, func, select

from zerowaste.adapters.db.allocation_tables import market_allocation_lines, market_allocations
from zerowaste.domain.market_allocations import AllocationLineRecord, AllocationRecord

_runs = market_allocations
_lines = market_allocation_lines


def _line(row: Any) -> AllocationLineRecord:
    return AllocationLineRecord(
        line_no=row.line_no,
        supply_listing_id=row.supply_listing_id,
        demand_listing_id=row.demand_listing_id,
        quantity_t=row.quantity_t,
        value={str(k): float(v) for k, v in dict(row.value).items()},
        value_cny=row.value_cny,
        avoided_co2e_kg=row.avoided_co2e_kg,
        distance_km=row.distance_km,
        binding=tuple(row.binding),
        alternative=dict(row.alternative) if row.alternative is not None else None,
    )


def _run(row: Any, lines: tuple[AllocationLineRecord, ...] = ()) -> AllocationRecord:
    return AllocationRecord(
        id=row.id,
        region_code=row.region_code,
        period_start=row.period_start,
        period_end=row.period_end,
        carbon_price=row.carbon_price,
        params=dict(row.params),
        objective_cny=row.objective_cny,
        matched_t=row.matched_t,
        disposed_t=row.disposed_t,
        avoided_co2e_kg=row.avoided_co2e_kg,
        solver=row.solver,
        candidates=row.candidates,
        filtered_counts={str(k): int(v) for k, v in dict(row.filtered_counts).items()},
        filtered=[dict(example) for example in row.filtered_examples],
        timings={str(k): float(v) for k, v in dict(row.timings).items()},
        created_at=row.created_at,
        created_by=row.created_by,
        lines=lines,
    )


class AllocationRepository:
    """Reads and writes of `market_allocations` and `market_allocation_lines`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, run: AllocationRecord) -> None:
        """Store a run and all its lines."""
        self._connection.execute(
            _runs.insert().values(
                id=run.id,
                region_code=run.region_code,
                period_start=run.period_start,
                period_end=run.period_end,
                carbon_price=run.carbon_price,
                params=run.params,
                objective_cny=run.objective_cny,
                matched_t=run.matched_t,
                disposed_t=run.disposed_t,
                avoided_co2e_kg=run.avoided_co2e_kg,
                solver=run.solver,
                candidates=run.candidates,
                filtered_counts=run.filtered_counts,
                filtered_examples=run.filtered,
                timings=run.timings,
                created_at=run.created_at,
                created_by=run.created_by,
            )
        )
        if run.lines:
            self._connection.execute(
                _lines.insert(),
                [
                    {
                        "allocation_id": run.id,
                        "line_no": line.line_no,
                        "supply_listing_id": line.supply_listing_id,
                        "demand_listing_id": line.demand_listing_id,
                        "quantity_t": line.quantity_t,
                        "value": line.value,
                        "value_cny": line.value_cny,
                        "avoided_co2e_kg": line.avoided_co2e_kg,
                        "distance_km": line.distance_km,
                        "binding": list(line.binding),
                        "alternative": line.alternative,
                    }
                    for line in run.lines
                ],
            )

    def get(self, allocation_id: uuid.UUID) -> AllocationRecord | None:
        """The run with this id and its lines in order, if any."""
        row = self._connection.execute(select(_runs).where(_runs.c.id == allocation_id)).first()
        if row is None:
            return None
        lines = self._connection.execute(
            select(_lines).where(_lines.c.allocation_id == allocation_id).order_by(_lines.c.line_no)
        )
        return _run(row, tuple(_line(line) for line in lines))

    def recent(
        self, *, region_prefix: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[AllocationRecord]:
        """Runs newest first (without their lines), maybe only those under a region prefix."""
        query = select(_runs)
        if region_prefix:
            query = query.where(_runs.c.region_code.startswith(region_prefix, autoescape=True))
        query = query.order_by(_runs.c.created_at.desc(), _runs.c.id).limit(limit).offset(offset)
        return [_run(row) for row in self._connection.execute(query)]

    def count(self, *, region_prefix: str | None = None) -> int:
        """How many runs there are, maybe only under a region prefix."""
        query = select(func.count()).select_from(_runs)
        if region_prefix:
            query = query.where(_runs.c.region_code.startswith(region_prefix, autoescape=True))
        return int(self._connection.execute(query).scalar_one())

    def for_listing(self, listing_id: uuid.UUID, limit: int = 20) -> list[uuid.UUID]:
        """Ids of the runs that have a line of this listing, newest first."""
        query = (
            select(_runs.c.id)
            .join(_lines, _lines.c.allocation_id == _runs.c.id)
            .where(
                (_lines.c.supply_listing_id == listing_id)
                | (_lines.c.demand_listing_id == listing_id)
            )
            .group_by(_runs.c.id, _runs.c.created_at)
            .order_by(_runs.c.created_at.desc())
            .limit(limit)
        )
        return [row.id for row in self._connection.execute(query)]
