"""Registry rules a manifest step must pass at its own date: parties, sites, codes, permits."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.batches import BatchStatus
from zerowaste.domain.manifests import ManifestTerms
from zerowaste.domain.pages import MAX_PAGE_SIZE, PageRequest
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.domain.sites import Site
from zerowaste.errors import (
    BatchNotHeld,
    InsufficientMass,
    InvalidInput,
    NotFound,
    PermitDoesNotCover,
    SiteNotOfOrganization,
    TransporterNotLicensed,
    UnknownBatch,
    UnknownOrganization,
    UnknownSite,
    UnknownWasteCode,
)
from zerowaste.services.capture_checks import GENERAL_SOLID_WASTE_CLASS
from zerowaste.services.catalog import CatalogService


class ManifestRules:
    """Checks against the registry, catalog and batches, inside the caller's unit of work."""

    def __init__(self, uow: UnitOfWork, catalog: CatalogService) -> None:
        self._uow = uow
        self._catalog = catalog

    def organization(self, organization_id: uuid.UUID, field: str) -> None:
        """Refuse an unregistered organization."""
        if self._uow.organizations.get(organization_id) is None:
            raise UnknownOrganization(f"no organization {organization_id}", field=field)

    def site_of(self, site_id: uuid.UUID, organization_id: uuid.UUID, field: str) -> Site:
        """The site, if registered and of the organization."""
        site = self._uow.sites.get(site_id)
        if site is None:
            raise UnknownSite(f"no site {site_id}", field=field)
        if site.organization_id != organization_id:
            raise SiteNotOfOrganization(
                f"site {site_id} belongs to another organization", field=field
            )
        return site

    def waste_code(self, code: str, on: date, field: str) -> str:
        """A full hazardous waste code of the catalog edition in force, normalized.

        A general industrial solid waste class (`SW02`) of the catalog is accepted too: its
        transfers travel on manifests, without the hazardous-waste licence checks.
        """
        if GENERAL_SOLID_WASTE_CLASS.match(code):
            try:
                return self._catalog.solid_waste_class(code).code
            except NotFound:
                raise UnknownWasteCode(
                    f"{code} is not a general solid waste class", field=field
                ) from None
        normalized = self._catalog.validate_code_or_category(code, on, field)
        try:
            self._catalog.get(normalized, on)
        except NotFound:
            raise UnknownWasteCode(
                f"{normalized} is a category; a manifest line carries a full code", field=field
            ) from None
        return normalized

    def _permits(self, organization_id: uuid.UUID, kind: PermitKind) -> list[Permit]:
        page = self._uow.permits.find(
            PageRequest(limit=MAX_PAGE_SIZE), organization_id=organization_id, kind=kind
        )
        return page.items

    def receiver_permit(
        self,
        receiver_id: uuid.UUID,
        site_id: uuid.UUID,
        codes: list[str],
        activity: PermitActivity,
        on: date,
        field: str = "receiver_id",
    ) -> None:
        """Refuse unless a business licence in force covers every code and the activity."""
        permits = [
            p
            for p in self._permits(receiver_id, PermitKind.HAZARDOUS_WASTE_BUSINESS)
            if p.in_force(on) and activity in p.activities and p.site_id in (None, site_id)
        ]
        for code in codes:
            if GENERAL_SOLID_WASTE_CLASS.match(code):
                continue  # general solid waste needs no hazardous waste business licence
            if not any(self._catalog.covers(p.waste_codes, code) for p in permits):
                raise PermitDoesNotCover(
                    f"no hazardous waste business licence of the receiver covers {code} "
                    f"for {activity} at that site on {on}",
                    field=field,
                )

    @staticmethod
    def carries_hazardous(terms: ManifestTerms) -> bool:
        """Whether any line is a hazardous waste (carriers then need a dangerous-goods permit)."""
        return any(not GENERAL_SOLID_WASTE_CLASS.match(x.waste_code) for x in terms.lines)

    def transporter_licensed(self, transporter_id: uuid.UUID, on: date, field: str) -> None:
        """Refuse a carrier without a dangerous-goods transport permit in force on `on`."""
        if not any(
            p.in_force(on) and PermitActivity.TRANSPORT in p.activities
            for p in self._permits(transporter_id, PermitKind.DANGEROUS_GOODS_TRANSPORT)
        ):
            raise TransporterNotLicensed(
                f"transporter {transporter_id} holds no dangerous-goods transport permit "
                f"in force on {on}",
                field=field,
            )

    def terms(self, terms: ManifestTerms, on: date) -> tuple[ManifestTerms, Site, Site]:
        """Check issued or corrected terms; the terms with codes normalized and both sites."""
        origin = self.site_of(terms.generator_site_id, terms.generator_id, "generator_site_id")
        self.organization(terms.receiver_id, "receiver_id")
        destination = self.site_of(terms.receiver_site_id, terms.receiver_id, "receiver_site_id")
        hazardous = self.carries_hazardous(terms)
        for index, transporter in enumerate(terms.transporter_ids):
            field = f"transporters[{index}]"
            self.organization(transporter, field)
            if hazardous:
                self.transporter_licensed(transporter, on, field)
        held = self._uow.events.batches_by_id(line.batch_id for line in terms.lines)
        lines = []
        for index, line in enumerate(terms.lines):
            path = f"lines[{index}]."
            code = self.waste_code(line.waste_code, on, f"{path}waste_code")
            batch = held.get(line.batch_id)
            if batch is None:
                raise UnknownBatch(f"no batch {line.batch_id}", field=f"{path}batch")
            if batch.status is not BatchStatus.HELD or batch.holder_id != terms.generator_id:
                raise BatchNotHeld(
                    f"batch {line.batch_id} is {batch.status}, not held by the generator",
                    field=f"{path}batch",
                )
            if batch.site_id != terms.generator_site_id:
                raise BatchNotHeld("the batch is stored at another site", field=f"{path}batch")
            if batch.waste_code != code:
                raise InvalidInput(
                    f"batch {line.batch_id} is {batch.waste_code}, not {code}",
                    field=f"{path}waste_code",
                )
            if line.mass_kg > batch.mass_kg:
                raise InsufficientMass(
                    f"declares {line.mass_kg} kg of a batch holding {batch.mass_kg} kg",
                    field=f"{path}quantity",
                )
            lines.append(replace(line, waste_code=code))
        normalized = replace(terms, lines=tuple(lines))
        self.receiver_permit(
            terms.receiver_id,
            terms.receiver_site_id,
            [x.waste_code for x in lines],
            terms.activity,
            on,
        )
        return normalized, origin, destination
