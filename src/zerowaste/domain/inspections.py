"""Inspections: an inspector's counted stock at a site against the ledger's, and what was seen."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from zerowaste.domain.batches import Batch, BatchStatus
from zerowaste.domain.events import EventType, WasteEvent
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.regions import in_jurisdiction
from zerowaste.domain.sites import Site


@dataclass(frozen=True, slots=True)
class InspectionLine:
    """One count: a batch or a waste code, the counted and the ledger stock at the site, in kg."""

    batch_id: uuid.UUID | None
    waste_code: str | None
    counted_kg: Decimal
    ledger_kg: Decimal

    @property
    def gap_kg(self) -> Decimal:
        """Counted minus ledger stock: negative when less was found than the ledger says."""
        return self.counted_kg - self.ledger_kg


@dataclass(frozen=True, slots=True)
class Inspection:
    """The projection of one `inspected` event."""

    event_id: uuid.UUID
    site_id: uuid.UUID
    site_organization_id: uuid.UUID
    inspector_id: uuid.UUID
    inspected_at: datetime
    conditions: tuple[str, ...]
    note: str
    user_id: uuid.UUID | None
    lines: tuple[InspectionLine, ...]

    @property
    def total_gap_kg(self) -> Decimal:
        """The sum of the gaps of every line."""
        return sum((line.gap_kg for line in self.lines), Decimal(0))


def oversees(regulator: Organization | None, region_code: str) -> bool:
    """Whether an organization is a regulator whose jurisdiction covers `region_code`."""
    return (
        regulator is not None
        and OrganizationRole.REGULATOR in regulator.roles
        and regulator.jurisdiction_code is not None
        and in_jurisdiction(region_code, regulator.jurisdiction_code)
    )


def may_sign_inspection(signer: Organization | None, site: Site) -> bool:
    """Whether `signer` may sign an inspection of `site`.

    The site's own firm may (self-inspection, 自查); so may a regulator organization whose
    jurisdiction covers the site's region (offline verification, 线下核查).
    """
    if signer is None:
        return False
    return site.organization_id == signer.id or oversees(signer, site.region_code)


def ledger_stock(batch: Batch | None, site_id: uuid.UUID) -> Decimal:
    """What the ledger says a batch holds at a site: its mass if held there, else nothing."""
    if batch is None or batch.status is not BatchStatus.HELD or batch.site_id != site_id:
        return Decimal(0)
    return batch.mass_kg


def inspection_of(
    event: WasteEvent,
    site_organization_id: uuid.UUID,
    counted_batches: dict[uuid.UUID, Batch],
    held_at_site: Iterable[Batch],
    user_id: uuid.UUID | None = None,
) -> Inspection:
    """Compare an inspection's counts with the ledger stock at its site.

    Args:
        event: An `inspected` event (its site is set).
        site_organization_id: The firm the site belongs to.
        counted_batches: The projected state of the batches counted one by one.
        held_at_site: Every batch held at the site (for counts per waste code).
        user_id: The human user who submitted it.
    """
    assert event.event_type is EventType.INSPECTED
    assert event.site_id is not None
    site = event.site_id
    by_code: dict[str | None, Decimal] = {}
    for batch in held_at_site:
        by_code[batch.waste_code] = by_code.get(batch.waste_code, Decimal(0)) + batch.mass_kg
    lines = [
        InspectionLine(
            line.batch_id,
            None,
            line.mass_kg,
            ledger_stock(counted_batches.get(line.batch_id), site),
        )
        for line in event.inputs
    ]
    lines.extend(
        InspectionLine(None, c.waste_code, c.mass_kg, by_code.get(c.waste_code, Decimal(0)))
        for c in event.counted
    )
    return Inspection(
        event_id=event.event_id,
        site_id=site,
        site_organization_id=site_organization_id,
        inspector_id=event.organization_id,
        inspected_at=event.event_time,
        conditions=event.conditions,
        note=event.note,
        user_id=user_id,
        lines=tuple(lines),
    )
