"""PACT v3 CloudEvents (CloudEvents 1.0, structured JSON mode) as validated models.

The four events of "Action Events": RequestCreated (a recipient asks for footprints matching
the ListFootprints criteria), RequestFulfilled (the footprints, at least one), RequestRejected
(a PACT error) and Published (ids of new or updated footprints). The `type` values are the
OpenAPI's (`org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3`); the shorter spelling of
the specification's prose examples (`...RequestCreated.3`) is accepted and stored as the former.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zerowaste.adapters.exporters.pact_documents import (
    DateTime,
    Error,
    NonEmpty,
    ProductFootprint,
    Urn,
    Uuid,
    invalid,
)
from zerowaste.errors import PactDocumentInvalid

_PREFIX = "org.wbcsd.pact.ProductFootprint."
REQUEST_CREATED = _PREFIX + "RequestCreatedEvent.3"
REQUEST_FULFILLED = _PREFIX + "RequestFulfilledEvent.3"
REQUEST_REJECTED = _PREFIX + "RequestRejectedEvent.3"
PUBLISHED = _PREFIX + "PublishedEvent.3"
_SHORT = {
    _PREFIX + "RequestCreated.3": REQUEST_CREATED,
    _PREFIX + "RequestFulfilled.3": REQUEST_FULFILLED,
    _PREFIX + "RequestRejected.3": REQUEST_REJECTED,
    _PREFIX + "Published.3": PUBLISHED,
}


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class RequestCriteria(_Part):
    """The ListFootprints criteria a RequestCreated event carries."""

    productId: list[Urn] | None = None
    companyId: list[Urn] | None = None
    geography: list[str] | None = None
    classification: list[Urn] | None = None
    validOn: DateTime | None = None
    validAfter: DateTime | None = None
    validBefore: DateTime | None = None
    status: Literal["Active", "Deprecated"] | None = None
    comment: str | None = None


class FulfilledData(_Part):
    """The footprints answering a request."""

    requestEventId: NonEmpty
    pfs: list[ProductFootprint] = Field(min_length=1)


class RejectedData(_Part):
    """Why a request cannot be answered."""

    requestEventId: NonEmpty
    error: Error


class PublishedData(_Part):
    """Ids of footprints published or updated."""

    pfIds: list[Uuid] = Field(default_factory=list)


_DATA: dict[str, type[_Part]] = {
    REQUEST_CREATED: RequestCriteria,
    REQUEST_FULFILLED: FulfilledData,
    REQUEST_REJECTED: RejectedData,
    PUBLISHED: PublishedData,
}


class CloudEvent(_Part):
    """The CloudEvents 1.0 envelope PACT requires."""

    type: NonEmpty
    specversion: Literal["1.0"]
    id: NonEmpty
    source: NonEmpty
    time: DateTime
    data: dict[str, Any]


def parse_event(document: Mapping[str, Any]) -> tuple[CloudEvent, _Part]:
    """Validate a PACT v3 event: the envelope, then the data its type calls for.

    Returns:
        The envelope (its `type` in the OpenAPI spelling) and the parsed `data`.

    Raises:
        PactDocumentInvalid: Not a CloudEvent, an unknown type, or invalid data.
    """
    if not isinstance(document, Mapping):
        raise PactDocumentInvalid("must be a JSON object", field="body")
    try:
        envelope = CloudEvent.model_validate(dict(document))
    except ValidationError as exc:
        raise invalid(exc) from None
    kind = _SHORT.get(envelope.type, envelope.type)
    model = _DATA.get(kind)
    if model is None:
        raise PactDocumentInvalid(f"{envelope.type!r} is not a PACT v3 event type", field="type")
    try:
        data = model.model_validate(envelope.data)
    except ValidationError as exc:
        raise invalid(exc, prefix="data") from None
    return envelope.model_copy(update={"type": kind}), data
