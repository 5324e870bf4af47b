"""Firm-entered processes, their shares and product systems; ledger totals to link them to."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, select

from zerowaste.adapters.db.fact_reader import batch_of, quantity_of
from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.product_system_tables import (
    carbon_process_shares,
    carbon_processes,
    carbon_product_systems,
)
from zerowaste.adapters.db.tables import batches, events
from zerowaste.domain.factors import Distribution, DistributionKind
from zerowaste.domain.footprints import Allocation
from zerowaste.domain.product_systems import (
    CoProduct,
    Exchange,
    ExchangeKind,
    Process,
    ProcessShare,
    ProductSystem,
)

_SECONDARY = "secondary_raw_material"
_PROCESSES = in_list(carbon_processes.c.process_id, carbon_processes)
_BATCH_KINDS = in_list(batches.c.batch_id, batches.c.batch_id, batches.c.kind)


def exchange_json(exchange: Exchange) -> dict[str, Any]:
    """The stored (and API) form of an exchange."""
    d = exchange.distribution
    return {
        "kind": exchange.kind.value,
        "amount": str(exchange.amount),
        "subject": exchange.subject,
        "source_process_id": str(exchange.source_process_id)
        if exchange.source_process_id
        else None,
        "route": exchange.route,
        "from_ledger": exchange.from_ledger,
        "waste_code": exchange.waste_code,
        "comment": exchange.comment,
        "distribution": {"kind": d.kind.value, "spread": d.spread, "low": d.low, "high": d.high},
    }


def exchange_of(item: dict[str, Any]) -> Exchange:
    """An exchange from its stored form."""
    d = item.get("distribution") or {}
    source = item.get("source_process_id")
    return Exchange(
        kind=ExchangeKind(item["kind"]),
        amount=Decimal(item["amount"]),
        subject=item.get("subject", ""),
        source_process_id=uuid.UUID(source) if source else None,
        route=item.get("route", ""),
        from_ledger=bool(item.get("from_ledger", False)),
        distribution=Distribution(
            DistributionKind(d.get("kind", "fixed")), d.get("spread"), d.get("low"), d.get("high")
        ),
        waste_code=item.get("waste_code", ""),
        comment=item.get("comment", ""),
    )


def _process(row: Any) -> Process:
    return Process(
        id=row.process_id,
        organization_id=row.organization_id,
        site_id=row.site_id,
        name=row.name,
        reference_product=row.reference_product,
        reference_amount=row.reference_amount,
        unit=row.unit,
        reference_mass_kg=row.reference_mass_kg,
        reference_price_cny=row.reference_price_cny,
        region_code=row.region_code,
        period_start=row.period_start,
        period_end=row.period_end,
        exchanges=tuple(exchange_of(item) for item in row.exchanges),
        co_products=tuple(
            CoProduct(
                c["name"],
                Decimal(c["amount"]),
                c["unit"],
                Decimal(c["mass_kg"]),
                Decimal(c["price_cny"]),
            )
            for c in row.co_products
        ),
        created=row.created,
    )


def _system(row: Any) -> ProductSystem:
    return ProductSystem(
        id=row.product_system_id,
        organization_id=row.organization_id,
        product_id=row.product_id,
        name=row.name,
        top_process_id=row.top_process_id,
        declared_unit=row.declared_unit,
        unit_amount=row.unit_amount,
        reference_flow=row.reference_flow,
        product_mass_per_unit_kg=row.product_mass_per_unit_kg,
        allocation=Allocation(row.allocation),
        classification=row.classification,
        comment=row.comment,
        created=row.created,
    )


class ProductSystemRepository:
    """Reads and writes of processes, shares and product systems on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_process(self, process: Process, created: datetime) -> None:
        """Store a new process."""
        self._connection.execute(
            carbon_processes.insert().values(
                process_id=process.id,
                organization_id=process.organization_id,
                site_id=process.site_id,
                name=process.name,
                reference_product=process.reference_product,
                reference_amount=process.reference_amount,
                unit=process.unit,
                reference_mass_kg=process.reference_mass_kg,
                reference_price_cny=process.reference_price_cny,
                region_code=process.region_code,
                period_start=process.period_start,
                period_end=process.period_end,
                exchanges=[exchange_json(x) for x in process.exchanges],
                co_products=[
                    {
                        "name": c.name,
                        "amount": str(c.amount),
                        "unit": c.unit,
                        "mass_kg": str(c.mass_kg),
                        "price_cny": str(c.price_cny),
                    }
                    for c in process.co_products
                ],
                created=created,
            )
        )

    def process(self, process_id: uuid.UUID) -> Process | None:
        """One process, if any."""
        row = self._connection.execute(
            select(carbon_processes).where(carbon_processes.c.process_id == process_id)
        ).first()
        return _process(row) if row else None

    def processes(self, process_ids: set[uuid.UUID]) -> dict[uuid.UUID, Process]:
        """The stored processes among `process_ids`."""
        rows = rows_in(self._connection, _PROCESSES, process_ids)
        return {row.process_id: _process(row) for row in rows}

    def list_processes(self, organization_id: uuid.UUID | None) -> list[Process]:
        """Processes, of one firm or all, by name."""
        query = select(carbon_processes)
        if organization_id is not None:
            query = query.where(carbon_processes.c.organization_id == organization_id)
        rows = self._connection.execute(query.order_by(carbon_processes.c.name))
        return [_process(row) for row in rows]

    def remove_process(self, process_id: uuid.UUID) -> None:
        """Delete a process and its shares."""
        self._connection.execute(
            delete(carbon_process_shares).where(carbon_process_shares.c.process_id == process_id)
        )
        self._connection.execute(
            delete(carbon_processes).where(carbon_processes.c.process_id == process_id)
        )

    def users_of(self, process_id: uuid.UUID) -> list[str]:
        """Names of the processes and product systems that draw on a process."""
        found = [
            p.name
            for p in self.list_processes(None)
            if any(x.source_process_id == process_id for x in p.exchanges)
        ]
        rows = self._connection.execute(
            select(carbon_product_systems.c.name).where(
                carbon_product_systems.c.top_process_id == process_id
            )
        )
        return found + [row.name for row in rows]

    def share(self, share: ProcessShare) -> None:
        """Let a firm use a process (again: nothing changes)."""
        self.unshare(share.process_id, share.organization_id)
        self._connection.execute(
            carbon_process_shares.insert().values(
                process_id=share.process_id,
                organization_id=share.organization_id,
                shared_at=share.shared_at,
            )
        )

    def unshare(self, process_id: uuid.UUID, organization_id: uuid.UUID) -> None:
        """Withdraw a share."""
        self._connection.execute(
            delete(carbon_process_shares)
            .where(carbon_process_shares.c.process_id == process_id)
            .where(carbon_process_shares.c.organization_id == organization_id)
        )

    def shares(self, process_id: uuid.UUID) -> list[ProcessShare]:
        """The firms a process is shared with."""
        rows = self._connection.execute(
            select(carbon_process_shares)
            .where(carbon_process_shares.c.process_id == process_id)
            .order_by(carbon_process_shares.c.shared_at)
        )
        return [ProcessShare(r.process_id, r.organization_id, r.shared_at) for r in rows]

    def add_system(self, system: ProductSystem, created: datetime) -> None:
        """Store a new product system."""
        self._connection.execute(
            carbon_product_systems.insert().values(
                product_system_id=system.id,
                organization_id=system.organization_id,
                product_id=system.product_id,
                name=system.name,
                top_process_id=system.top_process_id,
                declared_unit=system.declared_unit,
                unit_amount=system.unit_amount,
                reference_flow=system.reference_flow,
                product_mass_per_unit_kg=system.product_mass_per_unit_kg,
                allocation=system.allocation.value,
                classification=system.classification,
                comment=system.comment,
                created=created,
            )
        )

    def system(self, system_id: uuid.UUID) -> ProductSystem | None:
        """One product system, if any."""
        row = self._connection.execute(
            select(carbon_product_systems).where(
                carbon_product_systems.c.product_system_id == system_id
            )
        ).first()
        return _system(row) if row else None

    def system_of_product(self, product_id: str) -> ProductSystem | None:
        """The product system of a product id, if any."""
        row = self._connection.execute(
            select(carbon_product_systems).where(carbon_product_systems.c.product_id == product_id)
        ).first()
        return _system(row) if row else None

    def list_systems(self, organization_id: uuid.UUID | None) -> list[ProductSystem]:
        """Product systems, of one firm or all, by name."""
        query = select(carbon_product_systems)
        if organization_id is not None:
            query = query.where(carbon_product_systems.c.organization_id == organization_id)
        rows = self._connection.execute(query.order_by(carbon_product_systems.c.name))
        return [_system(row) for row in rows]

    def ledger_totals(
        self,
        organization_id: uuid.UUID,
        site_id: uuid.UUID | None,
        start: datetime,
        end: datetime,
    ) -> tuple[dict[str, Decimal], Decimal]:
        """Waste generated (kg by waste code) and secondary material received (kg) in a period.

        Read from the firm's generated and received events (at one site, if given).
        """
        generated: dict[str, Decimal] = defaultdict(Decimal)
        received: list[tuple[uuid.UUID, Decimal]] = []
        query = (
            select(events.c.event_type, events.c.document)
            .where(events.c.organization_id == organization_id)
            .where(events.c.event_type.in_(("generated", "received")))
            .where(events.c.event_time >= start)
            .where(events.c.event_time < end)
        )
        if site_id is not None:
            query = query.where(events.c.site_id == site_id)
        for row in self._connection.execute(query):
            document = json.loads(row.document)
            if row.event_type == "generated":
                for line in document.get("outputs", []):
                    if line.get("waste_code"):
                        generated[line["waste_code"]] += quantity_of(line)
            else:
                received.extend(
                    (batch_of(line), quantity_of(line)) for line in document.get("inputs", [])
                )
        kinds = {
            row.batch_id: row.kind
            for row in rows_in(self._connection, _BATCH_KINDS, {b for b, _ in received})
        }
        secondary = sum((kg for b, kg in received if kinds.get(b) == _SECONDARY), Decimal(0))
        return dict(generated), secondary
