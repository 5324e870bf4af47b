"""The signed JSON form of a waste event (`zerowaste.event/1`) and its strict parser.

A client signs the RFC 8785 canonical bytes of this document, so the parser accepts exactly the
documented fields, names the JSON path of anything wrong, and never rounds: quantities are
decimal strings with a UN/CEFACT unit, normalized to kilograms in the parsed event.

Example::

    {"format": "zerowaste.event/1", "event_id": "6f1c…", "event_type": "shipped",
     "event_time": "2026-03-01T08:00:00+08:00", "organization_id": "…", "site_id": "…",
     "inputs": [{"batch": "urn:zerowaste:batch:…", "quantity": "1.2", "unit": "TNE"}],
     "manifest_id": "…"}
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from zerowaste.domain.composition import Composition, parse_composition
from zerowaste.domain.events import (
    MASS_DECIMALS_KG,
    BatchMass,
    BatchOutput,
    CodeCount,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
    counted_mass,
    positive_mass,
)
from zerowaste.domain.ids import urn
from zerowaste.domain.quantities import parse_decimal, to_kilograms
from zerowaste.errors import InvalidInput, InvalidQuantity

EVENT_FORMAT = "zerowaste.event/1"
BATCH_URN_PREFIX = "urn:zerowaste:batch:"
_OPTIONAL_IDS = (
    "site_id",
    "manifest_id",
    "contract_id",
    "destination_site_id",
    "corrects_event_id",
)
_KNOWN = {
    "format",
    "event_id",
    "event_type",
    "event_time",
    "organization_id",
    "inputs",
    "outputs",
    "disposal_method",
    "declared_loss",
    "note",
    "extensions",
    "composition",
    "counted",
    "conditions",
    "corrected_mass",
    *_OPTIONAL_IDS,
}
_OUTPUT_KNOWN = {"batch", "quantity", "unit", "kind", "waste_code", "description", "composition"}
_LINE_KNOWN = {"batch", "quantity", "unit"}
MAX_CONDITIONS = 50
T = TypeVar("T")


def _optional_text(document: Mapping[str, Any], key: str, path: str = "") -> str | None:
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidInput("must be a string", field=f"{path}{key}")
    return value


def _text(document: Mapping[str, Any], key: str, path: str = "") -> str:
    value = _optional_text(document, key, path)
    if value is None:
        raise InvalidInput("is required", field=f"{path}{key}")
    return value


def _parsed(text: str, parse: Callable[[str], T], field: str, what: str) -> T:
    try:
        return parse(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not {what}", field=field) from None


def _uuid(document: Mapping[str, Any], key: str) -> uuid.UUID:
    return _parsed(_text(document, key), uuid.UUID, key, "a UUID")


def _optional_uuid(document: Mapping[str, Any], key: str) -> uuid.UUID | None:
    text = _optional_text(document, key)
    return None if text is None else _parsed(text, uuid.UUID, key, "a UUID")


def _batch(line: Mapping[str, Any], path: str) -> uuid.UUID:
    text = _text(line, "batch", path)
    if not text.startswith(BATCH_URN_PREFIX):
        raise InvalidInput(f"must start with {BATCH_URN_PREFIX}", field=f"{path}batch")
    return _parsed(text.removeprefix(BATCH_URN_PREFIX), uuid.UUID, f"{path}batch", "a batch URN")


def _mass_kg(line: Mapping[str, Any], path: str, *, zero: bool = False) -> Decimal:
    amount = parse_decimal(_text(line, "quantity", path), field=f"{path}quantity")
    kilograms = to_kilograms(amount, _text(line, "unit", path), field=f"{path}unit")
    if kilograms.normalize().as_tuple().exponent < -MASS_DECIMALS_KG:  # type: ignore[operator]
        raise InvalidQuantity(
            f"finer than a microgram ({MASS_DECIMALS_KG} decimals of a kilogram)",
            field=f"{path}quantity",
        )
    check = counted_mass if zero else positive_mass
    return check(kilograms, field=f"{path}quantity")


def _no_stray(line: Mapping[str, Any], known: set[str], path: str) -> None:
    if stray := sorted(set(line) - known):
        raise InvalidInput(f"unknown field(s) {', '.join(stray)}", field=f"{path}{stray[0]}")


def _optional_composition(document: Mapping[str, Any], path: str) -> Composition | None:
    raw = document.get("composition")
    return None if raw is None else parse_composition(raw, f"{path}composition")


def _input(line: Mapping[str, Any], path: str, zero: bool) -> BatchMass:
    _no_stray(line, _LINE_KNOWN, path)
    return BatchMass(_batch(line, path), _mass_kg(line, path, zero=zero))


def _counted(document: Mapping[str, Any]) -> tuple[CodeCount, ...]:
    counts = []
    for i, line in enumerate(_lines(document, "counted")):
        path = f"counted[{i}]."
        _no_stray(line, {"waste_code", "quantity", "unit"}, path)
        code = _text(line, "waste_code", path)
        counts.append(CodeCount(code, _mass_kg(line, path, zero=True)))
    return tuple(counts)


def _conditions(document: Mapping[str, Any]) -> tuple[str, ...]:
    raw = document.get("conditions", [])
    if not isinstance(raw, list) or not all(isinstance(c, str) and c.strip() for c in raw):
        raise InvalidInput("must be a list of non-empty strings", field="conditions")
    if len(raw) > MAX_CONDITIONS or any(len(c) > 500 for c in raw):
        detail = f"at most {MAX_CONDITIONS} conditions of 500 characters"
        raise InvalidInput(detail, field="conditions")
    return tuple(raw)


def _corrected_mass(document: Mapping[str, Any]) -> BatchMass | None:
    raw = document.get("corrected_mass")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        detail = "must be an object with batch, quantity and unit"
        raise InvalidInput(detail, field="corrected_mass")
    return _input(raw, "corrected_mass.", zero=False)


def _lines(document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput("must be a list of objects", field=key)
    return value


def _output(line: Mapping[str, Any], path: str) -> BatchOutput:
    _no_stray(line, _OUTPUT_KNOWN, path)
    kind = _optional_text(line, "kind", path) or OutputKind.WASTE.value
    return BatchOutput(
        composition=_optional_composition(line, path),
        batch_id=_batch(line, path),
        mass_kg=_mass_kg(line, path),
        kind=_parsed(kind, OutputKind, f"{path}kind", "an output kind"),
        waste_code=_optional_text(line, "waste_code", path),
        description=_optional_text(line, "description", path) or "",
    )


def parse_event(document: Mapping[str, Any]) -> WasteEvent:
    """Parse and check a `zerowaste.event/1` document; errors name the JSON path at fault."""
    if not isinstance(document, Mapping):
        raise InvalidInput("an event is a JSON object", field="$")
    if stray := sorted(set(document) - _KNOWN):
        raise InvalidInput(f"unknown field(s) {', '.join(stray)}", field=stray[0])
    if document.get("format") != EVENT_FORMAT:
        raise InvalidInput(f"must be {EVENT_FORMAT!r}", field="format")
    event_time = _parsed(
        _text(document, "event_time"), datetime.fromisoformat, "event_time", "an RFC 3339 time"
    )
    disposal = _optional_text(document, "disposal_method")
    extensions = document.get("extensions", {})
    if not isinstance(extensions, dict) or not all(isinstance(v, str) for v in extensions.values()):
        raise InvalidInput("must map names to strings", field="extensions")
    ids = {key: _optional_uuid(document, key) for key in _OPTIONAL_IDS}
    event_type = _parsed(_text(document, "event_type"), EventType, "event_type", "an event type")
    zero = event_type is EventType.INSPECTED
    return WasteEvent(
        event_id=_uuid(document, "event_id"),
        event_type=event_type,
        event_time=event_time,
        organization_id=_uuid(document, "organization_id"),
        inputs=tuple(
            _input(line, f"inputs[{i}].", zero) for i, line in enumerate(_lines(document, "inputs"))
        ),
        outputs=tuple(
            _output(line, f"outputs[{i}].") for i, line in enumerate(_lines(document, "outputs"))
        ),
        disposal_method=(
            None
            if disposal is None
            else _parsed(disposal, DisposalMethod, "disposal_method", "a disposal method")
        ),
        declared_loss_kg=_declared_loss(document),
        note=_optional_text(document, "note") or "",
        extensions=dict(extensions),
        site_id=ids["site_id"],
        manifest_id=ids["manifest_id"],
        contract_id=ids["contract_id"],
        destination_site_id=ids["destination_site_id"],
        corrects_event_id=ids["corrects_event_id"],
        composition=_optional_composition(document, ""),
        counted=_counted(document),
        conditions=_conditions(document),
        corrected_mass=_corrected_mass(document),
    )


def _declared_loss(document: Mapping[str, Any]) -> Decimal:
    loss = document.get("declared_loss")
    if loss is None:
        return Decimal(0)
    if not isinstance(loss, dict):
        raise InvalidInput("must be an object with quantity and unit", field="declared_loss")
    return _mass_kg(loss, "declared_loss.")


def _quantity(mass_kg: Decimal) -> dict[str, str]:
    return {"quantity": str(mass_kg), "unit": "KGM"}


def event_document(event: WasteEvent) -> dict[str, Any]:
    """The `zerowaste.event/1` document of an event (masses in KGM), ready to canonicalize."""
    document: dict[str, Any] = {
        "format": EVENT_FORMAT,
        "event_id": str(event.event_id),
        "event_type": event.event_type.value,
        "event_time": event.event_time.isoformat(),
        "organization_id": str(event.organization_id),
    }
    for key in _OPTIONAL_IDS:
        value = getattr(event, key)
        if value is not None:
            document[key] = str(value)
    if event.inputs:
        document["inputs"] = [
            {"batch": urn("batch", line.batch_id), **_quantity(line.mass_kg)}
            for line in event.inputs
        ]
    if event.outputs:
        document["outputs"] = [_output_document(output) for output in event.outputs]
    if event.disposal_method is not None:
        document["disposal_method"] = event.disposal_method.value
    if event.declared_loss_kg:
        document["declared_loss"] = _quantity(event.declared_loss_kg)
    if event.note:
        document["note"] = event.note
    if event.extensions:
        document["extensions"] = dict(event.extensions)
    if event.composition is not None:
        document["composition"] = event.composition.document()
    if event.counted:
        document["counted"] = [
            {"waste_code": c.waste_code, **_quantity(c.mass_kg)} for c in event.counted
        ]
    if event.conditions:
        document["conditions"] = list(event.conditions)
    if event.corrected_mass is not None:
        fix = event.corrected_mass
        document["corrected_mass"] = {"batch": urn("batch", fix.batch_id), **_quantity(fix.mass_kg)}
    return document


def _output_document(output: BatchOutput) -> dict[str, Any]:
    line: dict[str, Any] = {"batch": urn("batch", output.batch_id), **_quantity(output.mass_kg)}
    line["kind"] = output.kind.value
    if output.waste_code:
        line["waste_code"] = output.waste_code
    if output.description:
        line["description"] = output.description
    if output.composition is not None:
        line["composition"] = output.composition.document()
    return line
