"""Registry rules a manifest step must pass at its own date: parties, sites, codes, permits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.batches import Batch, BatchStatus
from zerowaste.domain.manifests import ManifestTerms
from zerowaste.domain.organizations import Organization
from zerowaste.domain.pages import MAX_PAGE_SIZE
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

# One acting check for events and steps; capture_checks keeps it module-private for now.
from zerowaste.services.capture_checks import GENERAL_SOLID_WASTE_CLASS, require_acting
from zerowaste.services.catalog import CatalogService
from zerowaste.services.step_batch import load_missing


class ManifestRules:
    """Checks against the registry, catalog and batches, inside the caller's unit of work.

    What it looks up is kept for the rules' lifetime (one transaction, whose steps change
    neither the registry nor the batches), and `prefetch` loads a batch's look-ups at once.
    """

    def __init__(self, uow: UnitOfWork, catalog: CatalogService) -> None:
        self._uow = uow
        self._catalog = catalog
        self._organizations: dict[uuid.UUID, Organization | None] = {}
        self._sites: dict[uuid.UUID, Site | None] = {}
        self._held_permits: dict[uuid.UUID, list[Permit]] = {}
        self._batches: dict[uuid.UUID, Batch | None] = {}

    def prefetch(
        self,
        *,
        organizations: Iterable[uuid.UUID] = (),
        sites: Iterable[uuid.UUID] = (),
        batches: Iterable[uuid.UUID] = (),
    ) -> None:
        """Load the organizations (with their permits), sites and batches checks will need."""
        uow = self._uow
        wanted = [i for i in dict.fromkeys(organizations) if i not in self._organizations]
        if wanted:
            load_missing(self._organizations, wanted, uow.organizations.many)
            held: dict[uuid.UUID, list[Permit]] = {i: [] for i in wanted}
            for permit in uow.permits.of_organizations(wanted):
                held[permit.organization_id].append(permit)
            self._held_permits.update(held)
        load_missing(self._sites, sites, uow.sites.many)
        load_missing(self._batches, batches, uow.events.batches_by_id)

    def _organization(self, organization_id: uuid.UUID) -> Organization | None:
        load_missing(self._organizations, [organization_id], self._uow.organizations.many)
        return self._organizations[organization_id]

    def acting(self, actor: Principal, organization_id: uuid.UUID) -> Organization:
        """The step's organization, if registered and the actor acts for it (as capture checks)."""
        return require_acting(actor, organization_id, self._organization(organization_id))

    def organization(self, organization_id: uuid.UUID, field: str) -> None:
        """Refuse an unregistered organization."""
        if self._organization(organization_id) is None:
            raise UnknownOrganization(f"no organization {organization_id}", field=field)

    def site(self, site_id: uuid.UUID) -> Site | None:
        """The registered site, or None."""
        load_missing(self._sites, [site_id], self._uow.sites.many)
        return self._sites[site_id]

    def site_of(self, site_id: uuid.UUID, organization_id: uuid.UUID, field: str) -> Site:
        """The site, if registered and of the organization."""
        site = self.site(site_id)
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
        """The organization's permits of a kind: the first page by id, as the API lists them."""
        held = self._held_permits
        if organization_id not in held:
            held[organization_id] = self._uow.permits.of_organizations([organization_id])
        return [p for p in held[organization_id] if p.kind is kind][:MAX_PAGE_SIZE]

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
        load_missing(
            self._batches, (x.batch_id for x in terms.lines), self._uow.events.batches_by_id
        )
        lines = []
        for index, line in enumerate(terms.lines):
            path = f"lines[{index}]."
            code = self.waste_code(line.waste_code, on, f"{path}waste_code")
            batch = self._batches[line.batch_id]
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
