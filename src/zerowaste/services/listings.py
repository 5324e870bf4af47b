"""Market listings: create, edit, withdraw, read and search, with owner, code and permit checks."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.batches import Batch
from zerowaste.domain.catalog import (
    covers,
    is_hazardous_waste_category,
    is_hazardous_waste_code,
    normalize_code_or_category,
)
from zerowaste.domain.ids import new_id
from zerowaste.domain.listings import (
    ComponentRange,
    DemandTerms,
    Listing,
    ListingSide,
    ListingState,
    NewListing,
    SupplyTerms,
)
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.regions import region_prefix
from zerowaste.domain.sites import Site
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    ListingNotFound,
    ListingNotOpen,
    NotFound,
    PermitDoesNotCover,
    SiteNotOfOrganization,
    UnknownBatch,
    UnknownSite,
    UnknownWasteCode,
)
from zerowaste.services.capture_checks import GENERAL_SOLID_WASTE_CLASS, acting_organization
from zerowaste.services.catalog import CatalogService


def is_hazardous(code: str) -> bool:
    """Whether a code or category is a hazardous waste one (`900-214-08`, `HW08`)."""
    normalized = normalize_code_or_category(code)
    return is_hazardous_waste_code(normalized) or is_hazardous_waste_category(normalized)


def composition_range(batches: Sequence[Batch]) -> tuple[ComponentRange, ...]:
    """Min..max of each component every batch's lab composition reports, sorted by name.

    Raises:
        InvalidInput: No batch is given, or one has no lab composition (`supply.batch_ids[i]`).
    """
    if not batches:
        raise InvalidInput("name at least one batch", field="supply.batch_ids")
    values: dict[str, list[Decimal]] | None = None
    for index, batch in enumerate(batches):
        if batch.composition is None:
            detail = f"batch {batch.batch_id} has no lab composition"
            raise InvalidInput(detail, field=f"supply.batch_ids[{index}]")
        fractions = dict(batch.composition.fractions)
        if values is None:
            values = {name: [value] for name, value in fractions.items()}
        else:
            values = {n: [*v, fractions[n]] for n, v in values.items() if n in fractions}
    assert values is not None
    return tuple(ComponentRange(n, min(v), max(v)) for n, v in sorted(values.items()))


class ListingService:
    """Listings of the resource market; firms manage their own, every signed-in user reads.

    Visibility: a listing that is open (and not past its expiry day) is visible to every
    signed-in user; a firm also sees its own listings in any state; a regulator sees every
    listing of its jurisdiction and an admin every listing. Anonymous callers see none: the
    market is for registered firms.
    """

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        catalog: CatalogService,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._catalog = catalog
        self._clock = clock

    def _today(self) -> date:
        return self._clock().date()

    # --- writes -------------------------------------------------------------------------

    def create(self, actor: Principal, new: NewListing) -> Listing:
        """List a supply or demand for an organization the actor acts for.

        Raises:
            UnknownOrganization, Forbidden: Not an organization the actor acts for.
            UnknownSite, SiteNotOfOrganization: The site is not the organization's (`site_id`).
            UnknownWasteCode: A code is unknown (`supply.waste_code`, `demand.accepted_codes[i]`).
            InvalidInput, UnknownBatch: Batches that are not the firm's or lack lab results.
            PermitDoesNotCover: A hazardous accepted code no named permit covers.
        """
        now = self._clock()
        with self._uow() as uow:
            terms, site = self._checked(uow, actor, new)
            listing = Listing(
                id=new_id(),
                version=1,
                state=ListingState.OPEN,
                terms=terms,
                created_at=now,
                updated_at=now,
                created_by=actor.user_id,
                region_code=site.region_code,
                latitude=site.latitude,
                longitude=site.longitude,
            )
            uow.listings.add(listing)
            uow.commit()
        return listing

    def edit(
        self, actor: Principal, listing_id: uuid.UUID, version: int, new: NewListing
    ) -> Listing:
        """Replace an open listing's terms; `version` must be the stored one.

        Raises:
            ListingNotFound: No such listing the actor may see.
            Forbidden: It is another organization's.
            ListingNotOpen: It is withdrawn or expired.
            ListingVersionConflict: `version` is not the newest (`version`).
            InvalidInput: The organization or side changes, or a create check fails.
        """
        with self._uow() as uow:
            current = self._own_open(uow, actor, listing_id)
            if new.organization_id != current.terms.organization_id:
                raise InvalidInput("a listing stays with its organization", field="organization_id")
            if new.side is not current.terms.side:
                raise InvalidInput("a listing keeps its side", field="side")
            terms, site = self._checked(uow, actor, new)
            changed = replace(
                current,
                terms=terms,
                updated_at=self._clock(),
                region_code=site.region_code,
                latitude=site.latitude,
                longitude=site.longitude,
            )
            stored = uow.listings.update(changed, version)
            uow.commit()
        return stored

    def withdraw(
        self, actor: Principal, listing_id: uuid.UUID, version: int | None = None
    ) -> Listing:
        """Withdraw an open listing of the actor's organization (kept, never matched again)."""
        with self._uow() as uow:
            self._own_open(uow, actor, listing_id)
            uow.listings.set_state(listing_id, ListingState.WITHDRAWN, self._clock(), version)
            stored = uow.listings.get(listing_id)
            uow.commit()
        assert stored is not None
        return stored

    def expire_due(self) -> int:
        """Mark open listings past their expiry day as expired (a housekeeping sweep)."""
        with self._uow() as uow:
            count = uow.listings.expire_before(self._today(), self._clock())
            uow.commit()
        return count

    # --- reads --------------------------------------------------------------------------

    def get(self, actor: Principal, listing_id: uuid.UUID) -> Listing:
        """A listing the actor may see, its state read on today (an overdue one reads expired).

        Raises:
            ListingNotFound: No such listing, or one the actor may not see.
        """
        with self._uow() as uow:
            listing = uow.listings.get(listing_id)
        if listing is None or not self.may_see(actor, listing):
            raise ListingNotFound(f"no listing {listing_id}", field="listing_id")
        return self._as_of_today(listing)

    def get_many(self, listing_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Listing]:
        """Listings by id, unchecked (for services that already decided the caller may see them)."""
        with self._uow() as uow:
            return uow.listings.many(listing_ids)

    def open_in(self, region_code: str | None, start: date, end: date) -> list[Listing]:
        """Open listings of a region (code and everything under it) available in [start, end]."""
        prefix = region_prefix(region_code) if region_code else None
        with self._uow() as uow:
            return uow.listings.open_in(prefix, start, end)

    def may_see(self, actor: Principal, listing: Listing) -> bool:
        """Whether the actor may read the listing (see the class docstring)."""
        if listing.is_open_on(self._today()):
            return True
        return actor.acts_for(listing.terms.organization_id, listing.region_code)

    def may_edit(self, actor: Principal, listing: Listing) -> bool:
        """Whether the actor acts for the listing's organization (its own firm or oversight)."""
        return actor.acts_for(listing.terms.organization_id, listing.region_code)

    def find(
        self,
        actor: Principal,
        page: PageRequest,
        *,
        side: ListingSide | None = None,
        organization_id: uuid.UUID | None = None,
        code: str | None = None,
        region_code: str | None = None,
        state: ListingState | None = None,
    ) -> Page[Listing]:
        """A page of the listings the actor may see, by id; `state` is read on today."""
        today = self._today()
        kwargs: dict[str, object] = {}
        if state is ListingState.OPEN:
            kwargs["open_on"] = today
        elif state is ListingState.EXPIRED:
            kwargs["expired_on"] = today
        elif state is ListingState.WITHDRAWN:
            kwargs["state"] = state
        if actor.role is not UserRole.ADMIN:
            kwargs["visible_on"] = today
            kwargs["own_organization"] = actor.organization_id
            if actor.role is UserRole.REGULATOR and actor.jurisdiction_code:
                kwargs["oversees_prefix"] = region_prefix(actor.jurisdiction_code)
        with self._uow() as uow:
            found = uow.listings.find(
                page,
                side=side,
                organization_id=organization_id,
                code=code.strip() if code else None,
                region_prefix=region_prefix(region_code) if region_code else None,
                **kwargs,  # type: ignore[arg-type]
            )
        return Page([self._as_of_today(item) for item in found.items], found.next_after)

    def composition_from_batches(
        self, actor: Principal, organization_id: uuid.UUID, batch_ids: Sequence[uuid.UUID]
    ) -> tuple[ComponentRange, ...]:
        """Component ranges (min..max across batches) from the lab results of a firm's batches."""
        with self._uow() as uow:
            acting_organization(uow, actor, organization_id)
            return composition_range(self._batches(uow, organization_id, batch_ids))

    # --- checks -------------------------------------------------------------------------

    def _as_of_today(self, listing: Listing) -> Listing:
        state = listing.state_on(self._today())
        return listing if state is listing.state else replace(listing, state=state)

    def _own_open(self, uow: UnitOfWork, actor: Principal, listing_id: uuid.UUID) -> Listing:
        listing = uow.listings.get(listing_id)
        if listing is None or not self.may_see(actor, listing):
            raise ListingNotFound(f"no listing {listing_id}", field="listing_id")
        if not self.may_edit(actor, listing):
            raise Forbidden("only the listing's organization changes it", field="listing_id")
        state = listing.state_on(self._today())
        if state is not ListingState.OPEN:
            raise ListingNotOpen(f"the listing is {state}", field="listing_id")
        return listing

    def _checked(
        self, uow: UnitOfWork, actor: Principal, new: NewListing
    ) -> tuple[NewListing, Site]:
        acting_organization(uow, actor, new.organization_id)
        site = uow.sites.get(new.site_id)
        if site is None:
            raise UnknownSite(f"no site {new.site_id}", field="site_id")
        if site.organization_id != new.organization_id:
            raise SiteNotOfOrganization("the site is another organization's", field="site_id")
        if new.expires_on < self._today():
            raise InvalidInput("the listing would already be expired", field="expires_on")
        if new.supply is not None:
            return replace(new, supply=self._checked_supply(uow, new)), site
        assert new.demand is not None
        return replace(new, demand=self._checked_demand(uow, new, new.demand)), site

    def _code(self, raw: str, field: str) -> str:
        normalized = normalize_code_or_category(raw)
        if GENERAL_SOLID_WASTE_CLASS.fullmatch(normalized):
            try:
                return self._catalog.solid_waste_class(normalized).code
            except NotFound:
                detail = f"{raw!r} is not a general solid waste class"
                raise UnknownWasteCode(detail, field=field) from None
        return self._catalog.validate_code_or_category(raw, None, field)

    def _checked_supply(self, uow: UnitOfWork, new: NewListing) -> SupplyTerms:
        supply = new.supply
        assert supply is not None
        code = self._code(supply.waste_code, "supply.waste_code")
        supply = replace(supply, waste_code=code)
        if supply.batch_ids:
            batches = self._batches(uow, new.organization_id, supply.batch_ids)
            for index, batch in enumerate(batches):
                if batch.waste_code and not covers([code], batch.waste_code):
                    detail = f"batch {batch.batch_id} is {batch.waste_code}, not {code}"
                    raise InvalidInput(detail, field=f"supply.batch_ids[{index}]")
            if not supply.composition:
                supply = replace(
                    supply, composition=composition_range(batches), composition_source="lab"
                )
        elif supply.composition_source == "lab":
            raise InvalidInput("lab compositions come from batches", field="supply.batch_ids")
        return supply

    def _checked_demand(self, uow: UnitOfWork, new: NewListing, demand: DemandTerms) -> DemandTerms:
        codes = tuple(
            self._code(c, f"demand.accepted_codes[{i}]")
            for i, c in enumerate(demand.accepted_codes)
        )
        if len(set(codes)) != len(codes):
            raise InvalidInput("a code is named twice", field="demand.accepted_codes")
        permits = []
        for index, permit_id in enumerate(demand.permit_ids):
            permit = uow.permits.get(permit_id)
            if permit is None or permit.organization_id != new.organization_id:
                detail = f"no permit {permit_id} of this organization"
                raise InvalidInput(detail, field=f"demand.permit_ids[{index}]")
            permits.append(permit)
        on = max(new.available_from, self._today())
        for code in (c for c in codes if is_hazardous(c)):
            if not any(
                p.in_force(on) and demand.activity in p.activities and covers(p.waste_codes, code)
                for p in permits
            ):
                raise PermitDoesNotCover(
                    f"no named permit in force on {on} covers {code} for {demand.activity}",
                    field="demand.permit_ids",
                )
        return replace(demand, accepted_codes=codes)

    def _batches(
        self, uow: UnitOfWork, organization_id: uuid.UUID, batch_ids: Sequence[uuid.UUID]
    ) -> list[Batch]:
        found = uow.events.batches_by_id(batch_ids)
        batches = []
        for index, batch_id in enumerate(batch_ids):
            batch = found.get(batch_id)
            if batch is None or batch.holder_id != organization_id:
                detail = f"no batch {batch_id} held by this organization"
                raise UnknownBatch(detail, field=f"supply.batch_ids[{index}]")
            batches.append(batch)
        return batches
