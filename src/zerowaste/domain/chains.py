"""Supply chains: a chain master firm and the suppliers it has registered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from zerowaste.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ChainMember:
    """A supplier registered in a chain master's chain, since when and by whom."""

    chain_master_id: uuid.UUID
    supplier_id: uuid.UUID
    since: datetime
    added_by: uuid.UUID | None

    def __post_init__(self) -> None:
        if self.chain_master_id == self.supplier_id:
            raise InvalidInput("a chain master is not its own supplier", field="supplier_id")
        if self.since.tzinfo is None:
            raise InvalidInput("needs a time zone offset", field="since")


@dataclass(frozen=True, slots=True)
class Chain:
    """A chain master and its suppliers: the firms whose flows a chain view counts."""

    chain_master_id: uuid.UUID
    members: tuple[ChainMember, ...] = ()

    @property
    def organization_ids(self) -> frozenset[uuid.UUID]:
        """The chain master and every supplier."""
        return frozenset({self.chain_master_id, *(m.supplier_id for m in self.members)})
