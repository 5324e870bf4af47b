"""Supply chains: a chain master registers its suppliers; chain views count their flows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.chains import Chain, ChainMember
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.errors import (
    AlreadyChainMember,
    Forbidden,
    NotChainMaster,
    NotChainMember,
    NotFound,
)
from zerowaste.services.authorization import require_acts_for


class ChainService:
    """Register, remove and list a chain master's suppliers."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._clock = clock

    def _master(self, chain_master_id: uuid.UUID) -> Organization:
        with self._uow() as uow:
            master = uow.organizations.get(chain_master_id)
        if master is None:
            raise NotFound(f"no organization {chain_master_id}", field="chain_master_id")
        if OrganizationRole.CHAIN_MASTER not in master.roles:
            raise NotChainMaster(
                f"{master.name} is not registered as a chain master", field="chain_master_id"
            )
        return master

    @staticmethod
    def _require_master_user(actor: Principal, master: Organization) -> None:
        if actor.role is not UserRole.ADMIN and actor.organization_id != master.id:
            raise Forbidden("only the chain master's users or administrators change its chain")

    def chain(self, actor: Principal, chain_master_id: uuid.UUID) -> Chain:
        """The chain: for its master's users, regulators over its region and admins."""
        master = self._master(chain_master_id)
        require_acts_for(actor, master)
        return self.chain_of(chain_master_id)

    def chain_of(self, chain_master_id: uuid.UUID) -> Chain:
        """The chain, unchecked (for services that checked access themselves)."""
        with self._uow() as uow:
            return uow.chains.chain(chain_master_id)

    def add(
        self, actor: Principal, chain_master_id: uuid.UUID, supplier_id: uuid.UUID
    ) -> ChainMember:
        """Register a supplier in the chain (the master's users or admins).

        Raises:
            NotChainMaster: The master lacks the chain-master role.
            NotFound: No such supplier.
            AlreadyChainMember: The supplier is registered already.
        """
        master = self._master(chain_master_id)
        self._require_master_user(actor, master)
        member = ChainMember(chain_master_id, supplier_id, self._clock(), actor.user_id)
        with self._uow() as uow:
            if uow.organizations.get(supplier_id) is None:
                raise NotFound(f"no organization {supplier_id}", field="supplier_id")
            if uow.chains.get(chain_master_id, supplier_id) is not None:
                raise AlreadyChainMember(
                    "this supplier is already in the chain", field="supplier_id"
                )
            uow.chains.add(member)
            uow.commit()
        return member

    def remove(self, actor: Principal, chain_master_id: uuid.UUID, supplier_id: uuid.UUID) -> None:
        """Remove a supplier from the chain (the master's users or admins).

        Raises:
            NotChainMember: The firm is not in the chain.
        """
        master = self._master(chain_master_id)
        self._require_master_user(actor, master)
        with self._uow() as uow:
            if not uow.chains.remove(chain_master_id, supplier_id):
                raise NotChainMember("this firm is not in the chain", field="supplier_id")
            uow.commit()

    def seed(self, members: list[ChainMember]) -> int:
        """Register memberships in bulk, skipping ones already there (the demo's seeding)."""
        added = 0
        with self._uow() as uow:
            for member in members:
                if uow.chains.get(member.chain_master_id, member.supplier_id) is None:
                    uow.chains.add(member)
                    added += 1
            uow.commit()
        return added
