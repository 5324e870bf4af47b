"""EPCIS 2.0 JSON-LD export of waste events (DESIGN.md section 5): one event or a whole document.

Batches are class-level objects: every mass is a `quantityList` element whose `epcClass` is the
batch URN, in KGM. Sites are read points and business locations, organizations are parties,
the transfer manifest and the contract are business transactions, and what CBV cannot say
(waste code, output kind, declared loss, disposal method) travels as `zw:` extension members.
See docs/ledger.md, section "EPCIS 2.0", for the full table and the reasons behind it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from zerowaste.adapters.exporters.epcis_vocabulary import (
    CONTRACT,
    INCORRECT_DATA,
    LOCATION,
    OWNING_PARTY,
    SCHEMA_VERSION,
    SHAPES,
    TRANSFER_MANIFEST,
    EventShape,
    json_ld_context,
    zw,
)
from zerowaste.domain.events import BatchMass, BatchOutput, EventType, WasteEvent
from zerowaste.domain.ids import urn
from zerowaste.errors import InvalidInput, NotFound

#: EPCIS allows offsets from -14:00 to +14:00 in whole minutes.
_MAX_OFFSET = timedelta(hours=14)
#: Integral masses up to this bound are exported as JSON integers (exact in a double).
_EXACT_INTEGER = Decimal(2**53)
UNIT = "KGM"


@dataclass(frozen=True, slots=True)
class ManifestParties:
    """Who hands over and who takes over the waste on a transfer manifest (转移联单)."""

    origin_organization_id: uuid.UUID
    destination_organization_id: uuid.UUID
    origin_site_id: uuid.UUID | None = None
    destination_site_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What the mapping needs to know beyond the event itself; the caller loads it.

    Attributes:
        manifests: Parties of each manifest, by manifest id: the other end of a shipment or
            receipt (its `sourceList` / `destinationList`).
        events: Earlier events by id; a `corrected` event re-exports the one it names.
        waste_codes: Current waste code of each batch, by batch id, for events that name a
            batch without its code (stored, shipped, received, disposed, split outputs).
        corrective_event_ids: Events that carry the corrected facts, by the id of the
            `corrected` event; they become the error declaration's `correctiveEventIDs`.
    """

    manifests: Mapping[uuid.UUID, ManifestParties] = field(default_factory=dict)
    events: Mapping[uuid.UUID, WasteEvent] = field(default_factory=dict)
    waste_codes: Mapping[uuid.UUID, str] = field(default_factory=dict)
    corrective_event_ids: Mapping[uuid.UUID, tuple[uuid.UUID, ...]] = field(default_factory=dict)


def epcis_event(event: WasteEvent, *, context: ExportContext) -> dict[str, Any]:
    """One waste event as a standalone EPCIS 2.0 event (with its own `@context`).

    Args:
        event: The event to export.
        context: Lookups beyond the event (manifest parties, corrected events, waste codes).

    Returns:
        A JSON-ready dict that validates against the EPCIS 2.0 JSON schema.

    Raises:
        NotFound: A `corrected` event names an event the context does not hold.
        InvalidInput: The event cannot be expressed (a correction of a correction, or a time
            zone offset EPCIS cannot carry).
    """
    return {"@context": json_ld_context(), **_event_body(event, context)}


def epcis_document(
    events: Iterable[WasteEvent], *, context: ExportContext, creation_date: datetime
) -> dict[str, Any]:
    """An EPCISDocument carrying `events` in the order given.

    Args:
        events: The events to export.
        context: Lookups beyond the events, as for `epcis_event`.
        creation_date: When the document is made (time zone aware; the caller's clock).

    Returns:
        A JSON-ready EPCISDocument dict.

    Raises:
        InvalidInput: `creation_date` has no time zone, or an event cannot be expressed.
        NotFound: A `corrected` event names an event the context does not hold.
    """
    if creation_date.tzinfo is None:
        raise InvalidInput("needs a time zone offset (RFC 3339)", field="creation_date")
    return {
        "@context": json_ld_context(),
        "type": "EPCISDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": creation_date.isoformat(),
        "epcisBody": {"eventList": [_event_body(event, context) for event in events]},
    }


def quantity_number(mass_kg: Decimal) -> int | float:
    """A mass as the JSON number EPCIS needs: an integer when whole, else the nearest double.

    Doubles keep about 15 significant digits; the exact decimal stays in the signed
    `zerowaste.event/1` document, which is the record of reference.
    """
    if mass_kg == mass_kg.to_integral_value() and abs(mass_kg) < _EXACT_INTEGER:
        return int(mass_kg)
    return float(mass_kg)


def time_zone_offset(moment: datetime) -> str:
    """The `eventTimeZoneOffset` of an aware datetime, `+HH:MM` or `-HH:MM`."""
    offset = moment.utcoffset()
    if offset is None:
        raise InvalidInput("needs a time zone offset (RFC 3339)", field="event_time")
    if offset % timedelta(minutes=1) or abs(offset) > _MAX_OFFSET:
        raise InvalidInput(
            f"offset {offset} is not whole minutes within ±14:00, as EPCIS requires",
            field="event_time",
        )
    minutes = int(abs(offset).total_seconds()) // 60
    sign = "-" if offset < timedelta(0) else "+"
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _event_body(event: WasteEvent, context: ExportContext) -> dict[str, Any]:
    if event.event_type is EventType.CORRECTED:
        return _error_declaration(event, context)
    shape = SHAPES[event.event_type]
    body: dict[str, Any] = {
        "type": shape.epcis_type,
        "eventTime": event.event_time.isoformat(),
        "eventTimeZoneOffset": time_zone_offset(event.event_time),
        "eventID": _event_id(event.event_id),
    }
    if shape.action is not None:
        body["action"] = shape.action
    body.update(_what(event, shape))
    body["bizStep"] = shape.biz_step
    if shape.disposition is not None:
        body["disposition"] = shape.disposition
    body.update(_where(event))
    if transactions := _transactions(event):
        body["bizTransactionList"] = transactions
    body.update(_transfer(event, context))
    if ilmd := _ilmd(event, context):
        body["ilmd"] = ilmd
    body.update(_extensions(event, shape, context))
    return body


def _event_id(event_id: uuid.UUID) -> str:
    return f"urn:uuid:{event_id}"


def _quantity(batch_id: uuid.UUID, mass_kg: Decimal) -> dict[str, Any]:
    return {"epcClass": urn("batch", batch_id), "quantity": quantity_number(mass_kg), "uom": UNIT}


def _inputs(lines: tuple[BatchMass, ...]) -> list[dict[str, Any]]:
    return [_quantity(line.batch_id, line.mass_kg) for line in lines]


def _outputs(outputs: tuple[BatchOutput, ...]) -> list[dict[str, Any]]:
    return [_quantity(output.batch_id, output.mass_kg) for output in outputs]


def _what(event: WasteEvent, shape: EventShape) -> dict[str, Any]:
    """The batches and masses: a quantity list, or input and output lists."""
    if shape.epcis_type == "TransformationEvent":
        return {
            "inputQuantityList": _inputs(event.inputs),
            "outputQuantityList": _outputs(event.outputs),
        }
    lines = _outputs(event.outputs) if event.event_type is EventType.GENERATED else []
    lines += _inputs(event.inputs)
    # An inspection that counted nothing still needs one of the lists: an empty epcList.
    return {"quantityList": lines} if lines else {"epcList": []}


def _where(event: WasteEvent) -> dict[str, Any]:
    """Read point and business location: the site; none after shipping or destroying."""
    if event.site_id is None:
        return {}
    site = {"id": urn("site", event.site_id)}
    if event.event_type in (EventType.SHIPPED, EventType.DISPOSED):
        return {"readPoint": site}
    return {"readPoint": site, "bizLocation": dict(site)}


def _transactions(event: WasteEvent) -> list[dict[str, str]]:
    transactions = []
    if event.manifest_id is not None:
        manifest = urn("manifest", event.manifest_id)
        transactions.append({"type": TRANSFER_MANIFEST, "bizTransaction": manifest})
    if event.contract_id is not None:
        contract = urn("contract", event.contract_id)
        transactions.append({"type": CONTRACT, "bizTransaction": contract})
    return transactions


def _ends(
    key: str, organization_id: uuid.UUID | None, site_id: uuid.UUID | None
) -> list[dict[str, str]]:
    ends = []
    if organization_id is not None:
        ends.append({"type": OWNING_PARTY, key: urn("organization", organization_id)})
    if site_id is not None:
        ends.append({"type": LOCATION, key: urn("site", site_id)})
    return ends


def _transfer(event: WasteEvent, context: ExportContext) -> dict[str, Any]:
    """Source and destination of a shipment or receipt: owning parties and locations."""
    if event.event_type not in (EventType.SHIPPED, EventType.RECEIVED):
        return {}
    parties = context.manifests.get(event.manifest_id) if event.manifest_id else None
    if event.event_type is EventType.SHIPPED:
        source = _ends("source", event.organization_id, event.site_id)
        destination = _ends(
            "destination",
            parties.destination_organization_id if parties else None,
            event.destination_site_id or (parties.destination_site_id if parties else None),
        )
    else:
        source = (
            _ends("source", parties.origin_organization_id, parties.origin_site_id)
            if parties
            else []
        )
        destination = _ends("destination", event.organization_id, event.site_id)
    lists: dict[str, Any] = {}
    if source:
        lists["sourceList"] = source
    if destination:
        lists["destinationList"] = destination
    return lists


def _output_data(output: BatchOutput, context: ExportContext) -> dict[str, Any]:
    data: dict[str, Any] = {zw("outputKind"): output.kind.value}
    code = output.waste_code or context.waste_codes.get(output.batch_id)
    if code:
        data[zw("wasteCode")] = code
    if output.description:
        data[zw("description")] = output.description
    if output.composition is not None:
        data[zw("composition")] = output.composition.document()
    return data


def _ilmd(event: WasteEvent, context: ExportContext) -> dict[str, Any]:
    """Master data of the batches an event creates (only ADD and transformations may carry it)."""
    if event.event_type is EventType.GENERATED:
        return _output_data(event.outputs[0], context)
    if SHAPES[event.event_type].epcis_type != "TransformationEvent":
        return {}
    described = [
        {zw("batch"): urn("batch", output.batch_id), **_output_data(output, context)}
        for output in event.outputs
    ]
    return {zw("outputs"): described}


def _extensions(event: WasteEvent, shape: EventShape, context: ExportContext) -> dict[str, Any]:
    members: dict[str, Any] = {zw("organization"): urn("organization", event.organization_id)}
    if shape.epcis_type == "ObjectEvent" and len(event.inputs) == 1:
        code = context.waste_codes.get(event.inputs[0].batch_id)
        if code:
            members[zw("wasteCode")] = code
    if event.disposal_method is not None:
        members[zw("disposalMethod")] = event.disposal_method.value
    if event.declared_loss_kg:
        members[zw("declaredLoss")] = {
            zw("quantity"): quantity_number(event.declared_loss_kg),
            zw("uom"): UNIT,
        }
    if event.note:
        members[zw("note")] = event.note
    if event.composition is not None:
        members[zw("composition")] = event.composition.document()
    if event.extensions:
        members[zw("extensions")] = dict(event.extensions)
    return members


def _error_declaration(event: WasteEvent, context: ExportContext) -> dict[str, Any]:
    """The corrected event re-exported under its own eventID, with an errorDeclaration."""
    corrected_id = event.corrects_event_id
    original = context.events.get(corrected_id) if corrected_id else None
    if original is None:
        raise NotFound(
            f"event {corrected_id} (corrected by {event.event_id}) is not in the export context",
            field="corrects_event_id",
        )
    if original.event_type is EventType.CORRECTED:
        raise InvalidInput(
            "EPCIS cannot declare an error in an error declaration; correct the original event",
            field="corrects_event_id",
        )
    body = _event_body(original, context)
    declaration: dict[str, Any] = {
        "declarationTime": event.event_time.isoformat(),
        "reason": INCORRECT_DATA,
    }
    if corrective := context.corrective_event_ids.get(event.event_id):
        declaration["correctiveEventIDs"] = [_event_id(item) for item in corrective]
    declaration[zw("declarationEventID")] = _event_id(event.event_id)
    declaration[zw("organization")] = urn("organization", event.organization_id)
    declaration[zw("note")] = event.note
    body["errorDeclaration"] = declaration
    return body
