"""Pydantic v2 models of EPCIS 2.0 JSON documents and events, checked at run time.

They follow EPCIS 2.0 (GS1, 2022) section 7 and its JSON schema: the five event types with
their standard fields, sensor elements, error declarations, and extensions as namespaced
members (`prefix:name` or an absolute URI; an unknown bare word is refused). The models only
validate: the stored event is the JSON as sent. `parse_document` and `parse_event` turn the
first fault into `EpcisDocumentInvalid` naming its JSON path, e.g.
`epcisBody.eventList[2].quantityList[0].uom`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from zerowaste.domain.epcis_values import (
    BizStep,
    BizTransactionType,
    Component,
    Disposition,
    ErrorReason,
    HexBinary,
    MeasurementType,
    Number,
    Offset,
    SensorAlertType,
    SourceDestinationType,
    Text,
    Time,
    UniqueUris,
    Uom,
    Uri,
    Version,
    is_uri,
)
from zerowaste.errors import EpcisDocumentInvalid

#: The most events one capture document may carry (GS1-EPCIS-Capture-Limit).
MAX_EVENTS_PER_DOCUMENT = 1000
STANDARD_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
_EXTENDED = "extended"
_EXTENSION_ERROR = "extension_member"


class _Strict(BaseModel):
    """No members beyond the declared ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Extensible(BaseModel):
    """Declared members plus extension members, whose names must be URIs or compact IRIs."""

    model_config = ConfigDict(extra="allow", frozen=True)

    @model_validator(mode="after")
    def _namespaced(self) -> _Extensible:
        for key in self.model_extra or {}:
            if not is_uri(key):
                raise PydanticCustomError(
                    _EXTENSION_ERROR,
                    "unknown member; an extension member needs a namespace prefix (ext:name)",
                    {"key": key},
                )
        return self


class QuantityElement(_Strict):
    """A class-level quantity: an EPC class, optionally a quantity and its unit."""

    epcClass: Uri
    quantity: Number | None = None
    uom: Uom | None = None


class BizTransaction(_Strict):
    """A business transaction the event took part in."""

    type: BizTransactionType | None = None
    bizTransaction: Uri


class Source(_Strict):
    """Where the goods came from (party or location)."""

    type: SourceDestinationType
    source: Uri


class Destination(_Strict):
    """Where the goods go to (party or location)."""

    type: SourceDestinationType
    destination: Uri


class Place(BaseModel):
    """A read point or business location."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: Uri


class PersistentDisposition(_Strict):
    """Dispositions that stay until unset."""

    set: Annotated[list[Disposition], Field(min_length=1)] | None = None
    unset: Annotated[list[Disposition], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one(self) -> PersistentDisposition:
        if self.set is None and self.unset is None:
            raise ValueError("needs `set` or `unset`")
        return self


class ErrorDeclaration(_Extensible):
    """A declaration that an earlier event with the same eventID was in error."""

    declarationTime: Time
    reason: ErrorReason | None = None
    correctiveEventIDs: list[Uri] | None = None


class SensorMetadata(_Extensible):
    """Metadata of a sensor reading."""

    time: Time | None = None
    deviceID: Uri | None = None
    deviceMetadata: Uri | None = None
    rawData: Uri | None = None
    startTime: Time | None = None
    endTime: Time | None = None
    dataProcessingMethod: Uri | None = None
    bizRules: Uri | None = None


class SensorReport(_Extensible):
    """One measurement of a sensor element."""

    type: MeasurementType
    exception: SensorAlertType | None = None
    deviceID: Uri | None = None
    deviceMetadata: Uri | None = None
    rawData: Uri | None = None
    dataProcessingMethod: Uri | None = None
    bizRules: Uri | None = None
    time: Time | None = None
    microorganism: Uri | None = None
    chemicalSubstance: Uri | None = None
    coordinateReferenceSystem: Uri | None = None
    value: Number | None = None
    component: Component | None = None
    stringValue: Text | None = None
    booleanValue: bool | None = Field(default=None, strict=True)
    hexBinaryValue: HexBinary | None = None
    uriValue: Uri | None = None
    minValue: Number | None = None
    maxValue: Number | None = None
    meanValue: Number | None = None
    sDev: Number | None = None
    percRank: Number | None = None
    percValue: Number | None = None
    uom: Text | None = None


class SensorElement(_Extensible):
    """Sensor metadata and its reports."""

    sensorMetadata: SensorMetadata | None = None
    sensorReport: Annotated[list[SensorReport], Field(min_length=1)]


class _Event(_Extensible):
    """What every EPCIS event has."""

    context: Any = Field(default=None, alias="@context")
    eventTime: Time
    recordTime: Time | None = None
    eventTimeZoneOffset: Offset
    eventID: Uri | None = None
    certificationInfo: Uri | list[Uri] | None = None
    errorDeclaration: ErrorDeclaration | None = None


class _Located(_Event):
    """The why and where members shared by the standard event types."""

    bizStep: BizStep | None = None
    disposition: Disposition | None = None
    readPoint: Place | None = None
    bizLocation: Place | None = None
    bizTransactionList: list[BizTransaction] | None = None
    sourceList: list[Source] | None = None
    destinationList: list[Destination] | None = None
    sensorElementList: list[SensorElement] | None = None


class Ilmd(_Extensible):
    """Instance/lot master data: members named by URIs or compact IRIs only."""


class ObjectEvent(_Located):
    """Observation, addition or deletion of objects or quantities."""

    type: Literal["ObjectEvent"]
    action: Literal["OBSERVE", "ADD", "DELETE"]
    epcList: UniqueUris | None = None
    quantityList: list[QuantityElement] | None = None
    persistentDisposition: PersistentDisposition | None = None
    ilmd: Ilmd | None = None


class AggregationEvent(_Located):
    """Objects physically aggregated to (or disaggregated from) a parent."""

    type: Literal["AggregationEvent"]
    action: Literal["OBSERVE", "ADD", "DELETE"]
    parentID: Uri | None = None
    childEPCs: list[Uri] | None = None
    childQuantityList: list[QuantityElement] | None = None


class TransactionEvent(_Located):
    """Objects associated with (or dissociated from) business transactions."""

    type: Literal["TransactionEvent"]
    action: Literal["OBSERVE", "ADD", "DELETE"]
    bizTransactionList: Annotated[list[BizTransaction], Field(min_length=1)]
    parentID: Uri | None = None
    epcList: list[Uri] | None = None
    quantityList: list[QuantityElement] | None = None


class TransformationEvent(_Located):
    """Inputs consumed and outputs produced."""

    type: Literal["TransformationEvent"]
    inputEPCList: UniqueUris | None = None
    inputQuantityList: list[QuantityElement] | None = None
    outputEPCList: UniqueUris | None = None
    outputQuantityList: list[QuantityElement] | None = None
    transformationID: Uri | None = None
    persistentDisposition: PersistentDisposition | None = None
    ilmd: Ilmd | None = None


class AssociationEvent(_Located):
    """Objects associated with (or dissociated from) a parent that is not a container."""

    type: Literal["AssociationEvent"]
    action: Literal["OBSERVE", "ADD", "DELETE"]
    parentID: Uri
    childEPCs: list[Uri] | None = None
    childQuantityList: list[QuantityElement] | None = None


class ExtendedEvent(_Event):
    """An event of a type named by a URI (EPCIS extension event types)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: Uri

    @model_validator(mode="after")
    def _namespaced(self) -> ExtendedEvent:
        return self  # any member: the type's own vocabulary defines them


def _event_tag(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else None
    if kind in STANDARD_TYPES:
        return str(kind)
    return _EXTENDED if is_uri(kind) else None


AnyEvent = Annotated[
    Annotated[ObjectEvent, Tag("ObjectEvent")]
    | Annotated[AggregationEvent, Tag("AggregationEvent")]
    | Annotated[TransactionEvent, Tag("TransactionEvent")]
    | Annotated[TransformationEvent, Tag("TransformationEvent")]
    | Annotated[AssociationEvent, Tag("AssociationEvent")]
    | Annotated[ExtendedEvent, Tag(_EXTENDED)],
    Discriminator(
        _event_tag,
        custom_error_type="event_type",
        custom_error_message="type must be one of the five EPCIS event types or a URI",
    ),
]


class EpcisBody(_Strict):
    """The events of a document."""

    eventList: Annotated[list[AnyEvent], Field(max_length=MAX_EVENTS_PER_DOCUMENT)]


class EpcisDocument(_Extensible):
    """An EPCISDocument (a capture request body)."""

    context: Any = Field(alias="@context")
    id: Uri | None = None
    type: Literal["EPCISDocument"]
    schemaVersion: Version
    creationDate: Time
    instanceIdentifier: Text | None = None
    sender: Text | None = None
    receiver: Text | None = None
    epcisHeader: dict[str, Any] | None = None
    epcisBody: EpcisBody


class _OneEvent(BaseModel):
    event: AnyEvent


_TAGS = {*STANDARD_TYPES, _EXTENDED}


def _path(location: tuple[int | str, ...], error: Any) -> str:
    parts = [p for p in location if p not in _TAGS]
    if error["type"] == _EXTENSION_ERROR:
        parts.append(error["ctx"]["key"])
    if error["type"] == "event_type":
        parts.append("type")
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "$"


def _invalid(exc: ValidationError, prefix: tuple[int | str, ...] = ()) -> EpcisDocumentInvalid:
    first = exc.errors(include_url=False)[0]
    location = tuple(first["loc"])[len(prefix) :]
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "required member missing"
    if first["type"] == "extra_forbidden":
        message = "unknown member"
    others = exc.error_count() - 1
    more = f" (and {others} more fault{'s' if others > 1 else ''})" if others else ""
    return EpcisDocumentInvalid(message + more, field=_path(location, first))


def parse_document(document: Any) -> EpcisDocument:
    """Validate an EPCISDocument.

    Raises:
        EpcisDocumentInvalid: The first fault, its JSON path as `field`.
    """
    if not isinstance(document, dict):
        raise EpcisDocumentInvalid("an EPCISDocument must be a JSON object", field="$")
    try:
        return EpcisDocument.model_validate(document)
    except ValidationError as exc:
        raise _invalid(exc) from None


def parse_event(event: Any) -> AnyEvent:
    """Validate one EPCIS event (with or without its own `@context`).

    Raises:
        EpcisDocumentInvalid: The first fault, its JSON path as `field`.
    """
    if not isinstance(event, dict):
        raise EpcisDocumentInvalid("an EPCIS event must be a JSON object", field="$")
    try:
        return _OneEvent.model_validate({"event": event}).event
    except ValidationError as exc:
        raise _invalid(exc, ("event",)) from None
