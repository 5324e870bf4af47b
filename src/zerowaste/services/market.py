"""Market matching: region-wide allocation runs (stored, explained) and top-k recommendations.

Who may do what:

- A region-wide allocation names every firm's pairings in the region, so only regulators over
  the region and administrators run and read them. A chain master is a firm: it has no say
  over firms outside its chain, so it gets no region-wide runs (it sees its own listings'
  recommendations like any firm).
- Recommendations for one listing are for the listing's own firm, regulators over the
  listing's region and administrators; they are computed when asked and not stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.carbon.materials import WasteMaterials
from zerowaste.domain.access import Principal
from zerowaste.domain.factors import FactorBook
from zerowaste.domain.listings import Listing, ListingSide
from zerowaste.domain.market_allocations import (
    AllocationPeriod,
    AllocationRecord,
)
from zerowaste.domain.market_economics import MarketEconomics
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.regions import region_prefix
from zerowaste.errors import (
    AllocationNotFound,
    Forbidden,
    InvalidInput,
    ListingNotFound,
)
from zerowaste.optimize.matching.allocate import allocate as solve
from zerowaste.optimize.matching.model import (
    MatchingProblem,
    Recommendation,
    Window,
)
from zerowaste.optimize.matching.recommend import recommend as rank
from zerowaste.services.authorization import require_admin, require_oversight
from zerowaste.services.catalog import CatalogService
from zerowaste.services.market_problem import CarbonBasis, default_disposal, problem_for
from zerowaste.services.market_runs import (
    MAX_K,
    check_carbon_price,
    examples_of,
    line_records,
    period_of,
    region_code_of,
)


@dataclass(frozen=True, slots=True)
class ListingRecommendations:
    """The top-k partners of one listing over a period, and what the filters removed.

    Attributes:
        partners: Partner listing id (text) → the stored listing, for titles and links.
    """

    listing: Listing
    period: AllocationPeriod
    carbon_price: float
    items: tuple[Recommendation, ...]
    filtered_counts: dict[str, int]
    filtered: list[dict[str, str]]
    partners: dict[str, Listing] = field(default_factory=dict)


class MarketService:
    """Builds matching problems from stored listings, runs the engine, stores and serves runs."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        catalog: CatalogService,
        factor_book: Callable[[], FactorBook],
        materials: Callable[[], WasteMaterials],
        economics: Callable[[], MarketEconomics],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._factor_book = factor_book
        self._materials = materials
        self._economics = economics
        self._clock = clock

    def economics(self) -> MarketEconomics:
        """The economic defaults the problems are built with (public data)."""
        return self._economics()

    def _problem(
        self,
        uow: UnitOfWork,
        listings: list[Listing],
        region_code: str,
        period: AllocationPeriod,
        carbon_price: float | None,
    ) -> MatchingProblem:
        sites = uow.sites.many({listing.terms.site_id for listing in listings})
        organizations = {listing.terms.organization_id for listing in listings}
        permits = {permit.id: permit for permit in uow.permits.of_organizations(organizations)}
        carbon = CarbonBasis(self._factor_book(), self._materials(), region_code)
        return problem_for(
            listings,
            sites,
            permits,
            self._catalog,
            self._economics(),
            carbon,
            Window(period.start, period.end),
            carbon_price=carbon_price,
        )

    # Region-wide runs ---------------------------------------------------------------------

    @staticmethod
    def _region_listings(
        uow: UnitOfWork, region_code: str, period: AllocationPeriod
    ) -> list[Listing]:
        """The region's open supplies and every open demand, wherever it is.

        A buyer outside the region (a neighbouring province's recycler) may be the best use of
        a region's waste; the engine's distance, permit and province rules decide whether it
        can take it.
        """
        prefix = region_prefix(region_code)
        supplies = [
            listing
            for listing in uow.listings.open_in(prefix, period.start, period.end)
            if listing.terms.side is ListingSide.SUPPLY
        ]
        demands = [
            listing
            for listing in uow.listings.open_in(None, period.start, period.end)
            if listing.terms.side is ListingSide.DEMAND
        ]
        return supplies + demands

    def allocate(
        self,
        actor: Principal,
        region_code: str,
        period: str | AllocationPeriod,
        carbon_price: float | None = None,
    ) -> AllocationRecord:
        """Allocate every open listing of the region over the period; store and return the run.

        Args:
            actor: A regulator over the region or an administrator.
            region_code: `32`, `3205` or a six-digit code; listings whose site lies under it.
            period: `YYYY`, `YYYY-MM`, `YYYY-Qn`, `YYYY-MM-DD/YYYY-MM-DD`, or a parsed period.
            carbon_price: CNY per t CO2e; None takes the economics file's default.

        Raises:
            InvalidInput: A bad region code (`region_code`) or carbon price
                (`carbon_price_cny_per_t`).
            InvalidAllocationPeriod: A malformed, reversed or over-long period (`period`).
            Forbidden: The region is outside the actor's jurisdiction.
        """
        code = region_code_of(region_code)
        chosen = period_of(period)
        price = check_carbon_price(carbon_price)
        require_oversight(actor, code)
        with self._uow() as uow:
            if uow.regions.get(code) is None:
                raise InvalidInput(f"no region {code}", field="region_code")
            listings = self._region_listings(uow, code, chosen)
            problem = self._problem(uow, listings, code, chosen, price)
        allocation = solve(problem)
        lines = line_records(allocation)
        matched = sum(line.quantity_t for line in lines if not line.disposed)
        run = AllocationRecord(
            id=uuid.uuid4(),
            region_code=code,
            period_start=chosen.start,
            period_end=chosen.end,
            carbon_price=problem.economics.carbon_price_cny_per_t,
            params={
                "period": chosen.label,
                "carbon_price_given": price is not None,
                "factor_dataset": self._factor_book().dataset,
                "supplies": len(problem.supplies),
                "demands": len(problem.demands),
                "filtered_total": sum(allocation.filtered_counts.values()),
            },
            objective_cny=allocation.objective_cny,
            matched_t=matched,
            disposed_t=sum(line.quantity_t for line in lines if line.disposed),
            avoided_co2e_kg=sum(line.avoided_co2e_kg for line in lines),
            solver=allocation.solver,
            candidates=allocation.candidates,
            filtered_counts={str(r): n for r, n in allocation.filtered_counts.items() if n},
            filtered=examples_of(allocation.filtered),
            timings={stage: float(s) for stage, s in allocation.timings_s.items()},
            created_at=self._clock(),
            created_by=actor.user_id,
            lines=lines,
        )
        with self._uow() as uow:
            uow.allocations.add(run)
            uow.commit()
        return run

    def allocation(self, actor: Principal, allocation_id: uuid.UUID) -> AllocationRecord:
        """A stored run with its lines.

        Raises:
            AllocationNotFound: No run has this id.
            Forbidden: The run's region is outside the actor's jurisdiction.
        """
        with self._uow() as uow:
            run = uow.allocations.get(allocation_id)
        if run is None:
            raise AllocationNotFound(f"no allocation {allocation_id}", field="allocation_id")
        require_oversight(actor, run.region_code, field="allocation_id")
        return run

    def allocations(
        self, actor: Principal, page: PageRequest | None = None, region: str | None = None
    ) -> Page[AllocationRecord]:
        """Stored runs newest first (without lines): an admin's all, a regulator's its region's.

        Raises:
            InvalidInput: A bad region code or cursor.
            Forbidden: A region outside the actor's jurisdiction, or a firm user.
        """
        page = page or PageRequest()
        if region:
            code = region_code_of(region)
            require_oversight(actor, code, field="region")
            scope: str | None = code
        elif actor.jurisdiction_code is not None and actor.oversees(actor.jurisdiction_code):
            scope = actor.jurisdiction_code
        else:
            require_admin(actor)
            scope = None
        try:
            offset = int(page.after) if page.after else 0
        except ValueError:
            raise InvalidInput("not a cursor this API gave out", field="cursor") from None
        if offset < 0:
            raise InvalidInput("not a cursor this API gave out", field="cursor")
        prefix = region_prefix(scope) if scope else None
        with self._uow() as uow:
            found = uow.allocations.recent(
                region_prefix=prefix, limit=page.limit + 1, offset=offset
            )
        more = len(found) > page.limit
        return Page(found[: page.limit], str(offset + page.limit) if more else None)

    def listings_of(self, run: AllocationRecord) -> dict[uuid.UUID, Listing]:
        """The listings a run's lines name (for their titles and codes), by id."""
        ids = {line.supply_listing_id for line in run.lines} | {
            line.demand_listing_id for line in run.lines if line.demand_listing_id is not None
        }
        with self._uow() as uow:
            return uow.listings.many(ids)

    def disposal_routes(self, listings: dict[uuid.UUID, Listing]) -> dict[uuid.UUID, str]:
        """The default disposal route of each supply listing among `listings`."""
        economics = self._economics()
        return {
            listing_id: default_disposal(listing.terms.supply.waste_code, economics).route.value
            for listing_id, listing in listings.items()
            if listing.terms.supply is not None
        }

    # Recommendations ----------------------------------------------------------------------

    def recommend(
        self,
        actor: Principal,
        listing_id: uuid.UUID,
        k: int = 5,
        period: str | AllocationPeriod | None = None,
        carbon_price: float | None = None,
    ) -> ListingRecommendations:
        """The best `k` partners of a listing among the open listings of the other side.

        Every open listing of the other side whose window overlaps the period is a candidate
        (the engine's distance, permit and province filters then apply). The period defaults
        to the listing's availability, at most a year from its start.

        Raises:
            ListingNotFound: No listing has this id.
            Forbidden: Not the listing's firm, a regulator over its region or an admin.
            InvalidInput: `k` outside 1..50 or a bad carbon price.
            InvalidAllocationPeriod: A bad period.
        """
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k is 1 to {MAX_K}", field="k")
        price = check_carbon_price(carbon_price)
        with self._uow() as uow:
            listing = uow.listings.get(listing_id)
            if listing is None:
                raise ListingNotFound(f"no listing {listing_id}", field="listing_id")
            site = uow.sites.get(listing.terms.site_id)
            region = site.region_code if site is not None else listing.region_code
            if not actor.acts_for(listing.terms.organization_id, region):
                raise Forbidden("recommendations are for the listing's own firm")
            chosen = self._default_period(listing) if period is None else period_of(period)
            others = [
                other
                for other in uow.listings.open_in(None, chosen.start, chosen.end)
                if other.terms.side is not listing.terms.side and other.id != listing.id
            ]
            problem = self._problem(uow, [listing, *others], region, chosen, price)
        found = rank(problem, str(listing.id), k)
        by_id = {str(other.id): other for other in others}
        return ListingRecommendations(
            listing=listing,
            period=chosen,
            carbon_price=problem.economics.carbon_price_cny_per_t,
            items=tuple(found.items),
            filtered_counts={str(r): n for r, n in found.filtered_counts.items() if n},
            filtered=examples_of(tuple(found.filtered)),
            partners={
                item.partner_id: by_id[item.partner_id]
                for item in found.items
                if item.partner_id in by_id
            },
        )

    @staticmethod
    def _default_period(listing: Listing) -> AllocationPeriod:
        start = listing.terms.available_from
        end = min(listing.terms.available_to, start + timedelta(days=365))
        return AllocationPeriod.between(start, end)
