"""Identifiers: UUIDs inside, URNs outside."""

from __future__ import annotations

import uuid


def new_id() -> uuid.UUID:
    """Return a fresh random identifier."""
    return uuid.uuid4()


def urn(kind: str, identifier: uuid.UUID) -> str:
    """Return the public URN of a thing, e.g. `urn:zerowaste:batch:<uuid>`."""
    return f"urn:zerowaste:{kind}:{identifier}"
