"""The facts the detectors read: plain rows the database reader aggregates from the store."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class HeldBatch:
    """A held waste batch old enough to be looked at by the storage rules.

    Attributes:
        batch_id: The batch.
        waste_code: Its code (a hazardous `III-SSS-CC` code or a general `SWnn` class).
        holder_id: Who holds it.
        site_id: Where it is held.
        mass_kg: What it holds now.
        created_at: When the event that made it happened.
        stored_since: Since when it has been held at this site.
        last_event_at: The time of its latest event.
        moves: How many of its events are other than its making (stored, shipped …).
        stored: Whether a `stored` event ever put it into storage.
        event_ids: Its events, oldest first (the evidence).
    """

    batch_id: uuid.UUID
    waste_code: str | None
    holder_id: uuid.UUID
    site_id: uuid.UUID | None
    mass_kg: Decimal
    created_at: datetime
    stored_since: datetime
    last_event_at: datetime
    moves: int
    stored: bool
    event_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class Receipt:
    """A `received` event on a manifest, with what the manifest says of it.

    Attributes:
        event_id: The receipt.
        manifest_id: Its manifest.
        generator_id: The manifest's generator (the shipper).
        receiver_id: Who received (the event's organization).
        site_id: Where it was received.
        event_time: When.
        batch_id: The batch received.
        waste_code: Its code.
        received_kg: The mass received of this batch (one row per line of the event).
        discrepancy_kg: The event's received minus shipped, over all its lines.
        activity: The manifest's activity (`utilize`, `dispose` …).
    """

    event_id: uuid.UUID
    manifest_id: uuid.UUID
    generator_id: uuid.UUID
    receiver_id: uuid.UUID
    site_id: uuid.UUID | None
    event_time: datetime
    batch_id: uuid.UUID
    waste_code: str | None
    received_kg: Decimal
    discrepancy_kg: Decimal | None
    activity: str | None


@dataclass(frozen=True, slots=True)
class Transfer:
    """A manifest that has left its generator, with its shipped events.

    Attributes:
        manifest_id: The manifest.
        number: Its number.
        state: Its state.
        generator_id: The generator.
        receiver_id: The receiver.
        approval_id: The cross-province approval it draws on, if any.
        origin_region_code: The generator site's region.
        destination_region_code: The receiver site's region.
        shipped_at: The earliest shipped event's time.
        site_id: Where it was shipped from.
        shipped_kg: The mass shipped.
        waste_codes: The codes carried.
        transporter_ids: The carriers.
        event_ids: The shipped events.
        batch_ids: The batches shipped.
    """

    manifest_id: uuid.UUID
    number: str
    state: str
    generator_id: uuid.UUID
    receiver_id: uuid.UUID
    approval_id: uuid.UUID | None
    origin_region_code: str
    destination_region_code: str
    shipped_at: datetime
    site_id: uuid.UUID | None
    shipped_kg: Decimal
    waste_codes: tuple[str, ...]
    transporter_ids: tuple[uuid.UUID, ...]
    event_ids: tuple[uuid.UUID, ...]
    batch_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class ApprovalFact:
    """A cross-province approval's state, period and draw-down."""

    approval_id: uuid.UUID
    number: str
    state: str
    cap_kg: Decimal
    used_kg: Decimal
    valid_from: date
    valid_to: date


@dataclass(frozen=True, slots=True)
class Generation:
    """What one organization declared it generated in one year, and its output that year.

    Attributes:
        organization_id: The firm.
        year: The calendar year (of the event times, UTC+8).
        generated_kg: The mass of waste its generated events declare.
        product_output: Its product output that year.
        by_code: The same mass per waste code (or general solid waste class).
        product_unit: The unit of that output.
        industry_code: Its industry (GB/T 4754 code), if registered.
        event_ids: Its generated events of that year.
        site_id: Its main site (where most of its waste was generated), if any.
    """

    organization_id: uuid.UUID
    year: int
    generated_kg: Decimal
    product_output: Decimal
    product_unit: str
    industry_code: str | None
    event_ids: tuple[uuid.UUID, ...] = ()
    site_id: uuid.UUID | None = None
    by_code: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SignedEvent:
    """An event signed by a registered key, with the key's validity."""

    event_id: uuid.UUID
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    recorded_at: datetime
    key_id: str
    valid_from: datetime
    valid_to: datetime | None


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """An event's two times: when it happened and when it was recorded."""

    event_id: uuid.UUID
    event_type: str
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    event_time: datetime
    recorded_at: datetime
    batch_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class Transformation:
    """A transformed event's masses: drawn, made and declared lost."""

    event_id: uuid.UUID
    organization_id: uuid.UUID
    site_id: uuid.UUID | None
    event_time: datetime
    inputs_kg: Decimal
    outputs_kg: Decimal
    loss_kg: Decimal
    batch_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class InspectionLine:
    """One line of an inspection: what the inspector counted against the ledger."""

    event_id: uuid.UUID
    line_no: int
    site_id: uuid.UUID
    organization_id: uuid.UUID
    inspected_at: datetime
    batch_id: uuid.UUID | None
    waste_code: str | None
    counted_kg: Decimal
    ledger_kg: Decimal
    gap_kg: Decimal
