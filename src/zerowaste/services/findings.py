"""Reading inspections of a site: counted stock against the ledger, per batch and waste code."""

from __future__ import annotations

import uuid

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.inspections import Inspection
from zerowaste.errors import NotFound
from zerowaste.services.authorization import require_acts_for

#: The most inspections one listing returns (newest first).
MAX_INSPECTIONS = 200


class FindingsService:
    """Inspections as projected at capture, for the site's firm, its regulators and admins."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def inspections(
        self, actor: Principal, site_id: uuid.UUID, *, limit: int = MAX_INSPECTIONS
    ) -> list[Inspection]:
        """The site's inspections, newest first, each line with its counted-minus-ledger gap.

        Raises:
            NotFound: No such site.
            Forbidden: The actor does not act for the site's firm (nor oversee it).
        """
        with self._uow() as uow:
            site = uow.sites.get(site_id)
            if site is None:
                raise NotFound(f"no site {site_id}", field="site_id")
            organization = uow.organizations.get(site.organization_id)
            if organization is None:
                raise NotFound(f"no organization {site.organization_id}", field="site_id")
            require_acts_for(actor, organization)
            return uow.findings.inspections_at_site(site_id, min(limit, MAX_INSPECTIONS))
