"""The firm desk's read side: the batches a firm holds, has in transit or has finished with."""

from __future__ import annotations

import uuid

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.batches import Batch
from zerowaste.errors import NotFound
from zerowaste.services.authorization import require_acts_for

#: The most batches the firm desk lists (newest first).
MAX_HOLDINGS = 500


class HoldingsService:
    """Batches by holder, for the firm's own users, its regulators and admins."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def batches(
        self, actor: Principal, organization_id: uuid.UUID, *, limit: int = MAX_HOLDINGS
    ) -> list[Batch]:
        """The batches the organization holds or last held, newest first.

        In-transit batches stay with their shipper until received; consumed and disposed ones
        stay with the organization that used them up.

        Raises:
            NotFound: No such organization.
            Forbidden: The actor does not act for it.
        """
        with self._uow() as uow:
            organization = uow.organizations.get(organization_id)
            if organization is None:
                raise NotFound(f"no organization {organization_id}", field="organization_id")
            require_acts_for(actor, organization)
            return uow.events.batches_of_holder(organization_id, min(limit, MAX_HOLDINGS))
