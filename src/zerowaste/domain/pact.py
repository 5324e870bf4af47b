"""PACT v3 exchange: the data recipients a firm admits, their filters and the events they post.

A `PactClient` is a data recipient holding OAuth2 client credentials (RFC 6749 4.4) issued by
one data owner: it may read that firm's footprints and nobody else's. `FootprintFilter` is the
ListFootprints / RequestCreatedEvent criteria of PACT v3: OR within a criterion, AND across
criteria, text matched case-insensitively.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PactClient:
    """A data recipient's credentials for one data owner (the secret is never kept)."""

    client_id: str
    organization_id: uuid.UUID
    name: str
    created_at: datetime
    created_by: uuid.UUID | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the client may still obtain and use tokens."""
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class PactEvent:
    """A CloudEvent a data recipient posted to `/pact/3/events`, as it was received."""

    id: uuid.UUID
    client_id: str
    organization_id: uuid.UUID
    event_type: str
    event_id: str
    source: str
    event_time: datetime
    document: dict[str, Any]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class FootprintFacets:
    """What the PACT filters look at in one exported footprint."""

    product_ids: tuple[str, ...]
    company_ids: tuple[str, ...]
    geographies: tuple[str, ...]
    classifications: tuple[str, ...]
    status: str
    valid_from: datetime
    valid_until: datetime


def _any(wanted: tuple[str, ...], have: tuple[str, ...]) -> bool:
    if not wanted:
        return True
    present = {h.casefold() for h in have}
    return any(w.casefold() in present for w in wanted)


@dataclass(frozen=True, slots=True)
class FootprintFilter:
    """The ListFootprints criteria; an empty criterion matches everything."""

    product_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    geographies: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    status: str | None = None
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None

    def matches(self, facets: FootprintFacets) -> bool:
        """Whether a footprint passes every criterion (at least one value of each)."""
        if not (
            _any(self.product_ids, facets.product_ids)
            and _any(self.company_ids, facets.company_ids)
            and _any(self.geographies, facets.geographies)
            and _any(self.classifications, facets.classifications)
        ):
            return False
        if self.status is not None and self.status.casefold() != facets.status.casefold():
            return False
        if self.valid_on is not None and not (
            facets.valid_from <= self.valid_on <= facets.valid_until
        ):
            return False
        if self.valid_after is not None and not facets.valid_from > self.valid_after:
            return False
        return self.valid_before is None or facets.valid_until < self.valid_before
