"""Demo seeding for carbon accounting: the chain master's registered suppliers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol, runtime_checkable

from zerowaste.demo.model import DemoCity
from zerowaste.domain.chains import ChainMember
from zerowaste.services.chains import ChainService


@runtime_checkable
class ChainTarget(Protocol):
    """What the seeding needs of the application context (`bootstrap.Context` fits)."""

    @property
    def chains(self) -> ChainService:
        """Registers chain membership."""
        ...

    @property
    def clock(self) -> Callable[[], datetime]:
        """When the memberships are registered."""
        ...


def seed_chains(
    context: object, city: DemoCity, organization_ids: Mapping[uuid.UUID, uuid.UUID]
) -> int:
    """Register every demo firm that `supplies` a chain master as that master's supplier.

    Args:
        context: The application context (skipped if it has no chain service).
        city: The generated city (`DemoFirm.supplies` holds the master's reference id).
        organization_ids: Stored organization id by reference id.

    Returns:
        How many memberships were registered.
    """
    if not isinstance(context, ChainTarget):
        return 0
    at = context.clock()
    members = [
        ChainMember(organization_ids[firm.supplies], organization_ids[firm.ref], at, None)
        for firm in city.firms
        if firm.supplies is not None
        and firm.supplies in organization_ids
        and firm.ref in organization_ids
        and firm.supplies != firm.ref
    ]
    return context.chains.seed(members)
