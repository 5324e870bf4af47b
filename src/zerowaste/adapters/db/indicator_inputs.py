"""Set-based reads of the indicator inputs outside the ledger facts: economics, contracts, flags.

Each read takes a subject (firms by id, or a region prefix) and a period, and costs one or
two queries whatever the number of firms.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, or_, select

from zerowaste.adapters.db.contract_tables import market_contracts
from zerowaste.adapters.db.footprint_tables import product_footprints
from zerowaste.adapters.db.indicator_facts import SubjectFilter
from zerowaste.adapters.db.tables import economic_records, epcis_events, manifests, organizations
from zerowaste.domain.contracts import ContractState
from zerowaste.indicators.figures import ContractFigure, FirmFlags

#: Contract states that count: signed by both parties (drafts and half-signed ones do not).
SIGNED_STATES = (
    ContractState.ACTIVE.value,
    ContractState.COMPLETED.value,
    ContractState.TERMINATED.value,
)
#: Where EPCIS events captured through the EPCIS interface are marked (not platform-made).
EPCIS_CAPTURED = "epcis"


def _firms(subject: SubjectFilter, column: Any) -> Any:
    if subject.organization_ids is not None:
        return column.in_(sorted(subject.organization_ids, key=str))
    assert subject.region_prefix is not None
    return column.in_(
        select(organizations.c.id).where(
            organizations.c.region_code.startswith(subject.region_prefix, autoescape=True)
        )
    )


class IndicatorInputsReader:
    """Reads economics, contracts and digital-record flags inside the caller's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def economics(
        self, subject: SubjectFilter, year: int
    ) -> tuple[int, Decimal | None, Decimal | None]:
        """(records, summed output value, summed industrial added value) of the year, CNY."""
        e = economic_records.c
        query = select(e.output_value_cny, e.industrial_added_value_cny).where(
            e.year == year, _firms(subject, e.organization_id)
        )
        rows = self._connection.execute(query).all()
        if not rows:
            return 0, None, None
        return (
            len(rows),
            sum((r.output_value_cny for r in rows), Decimal(0)),
            sum((r.industrial_added_value_cny for r in rows), Decimal(0)),
        )

    def contracts(
        self, start: date, end: date, subject: SubjectFilter | None
    ) -> list[ContractFigure]:
        """The signed contracts whose term overlaps `[start, end)`, of the subject (or all).

        A subject of firms counts contracts they supply or buy under; a region counts those
        whose supplier is in it.
        """
        m = market_contracts.c
        query = select(m.supplier_id, m.supplier_region_code, m.terms).where(
            m.state.in_(SIGNED_STATES), m.start_on < end, m.end_on >= start
        )
        ids = subject.organization_ids if subject else None
        if subject is not None and ids is not None:
            query = query.where(or_(_firms(subject, m.supplier_id), _firms(subject, m.buyer_id)))
        elif subject is not None:
            assert subject.region_prefix is not None
            query = query.where(
                m.supplier_region_code.startswith(subject.region_prefix, autoescape=True)
            )
        found = []
        for row in self._connection.execute(query):
            terms = row.terms
            supplies = ids is None or row.supplier_id in ids
            found.append(
                ContractFigure(
                    waste_code=str(terms["waste_code"]),
                    quantity_t=Decimal(str(terms["quantity_t_per_month"])),
                    price_cny_per_t=Decimal(str(terms["price_cny_per_t"])),
                    revenue_share=Decimal(str(terms.get("revenue_share") or "0")),
                    subject_supplies=supplies,
                )
            )
        return found

    def flags(
        self, start: datetime, end: datetime, organization_ids: set[uuid.UUID]
    ) -> dict[uuid.UUID, FirmFlags]:
        """Each firm's digital records of `[start, end)`: EPCIS capture, manifests, footprints."""
        if not organization_ids:
            return {}
        ids = sorted(organization_ids, key=str)
        ep = epcis_events.c
        epcis = {
            r[0]
            for r in self._connection.execute(
                select(ep.organization_id)
                .where(
                    ep.organization_id.in_(ids),
                    ep.source == EPCIS_CAPTURED,
                    ep.event_time >= start,
                    ep.event_time < end,
                )
                .distinct()
            )
        }
        mf = manifests.c
        issued = {
            r[0]
            for r in self._connection.execute(
                select(mf.generator_id)
                .where(mf.generator_id.in_(ids), mf.issued_at >= start, mf.issued_at < end)
                .distinct()
            )
        }
        pf = product_footprints.c
        footprints = {
            r[0]
            for r in self._connection.execute(
                select(pf.organization_id).where(pf.organization_id.in_(ids)).distinct()
            )
        }
        return {i: FirmFlags(i in epcis, i in issued, i in footprints) for i in organization_ids}
