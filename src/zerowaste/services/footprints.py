"""Product carbon footprints: firms enter and share processes, build systems, publish PCFs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.factors import FactorBook
from zerowaste.domain.footprints import (
    Contribution,
    FootprintStatus,
    ProductFootprint,
)
from zerowaste.domain.organizations import Organization
from zerowaste.domain.product_systems import (
    Exchange,
    ExchangeKind,
    Process,
    ProcessShare,
    ProductSystem,
    may_use,
)
from zerowaste.errors import Conflict, Forbidden, InvalidInput, NotFound, ProcessNotShared
from zerowaste.lca.assembly import ProductModel
from zerowaste.services.authorization import require_acts_for

STANDARDS = ("ISO 14067:2018", "GB/T 24067-2024", "GHG Protocol Product Standard")
CHARACTERIZATION = "AR6"
BOUNDARY = "cradle-to-gate"
#: Monte Carlo draws behind a published footprint's 95 % interval.
DEFAULT_ITERATIONS = 1000


@dataclass(frozen=True, slots=True)
class LedgerLink:
    """Take a waste output (by waste code) or the secondary material input from the ledger.

    `waste_code` empty means the secondary raw material the firm received; `subject` is the
    material key (factor library) and `route` the waste's treatment.
    """

    subject: str
    waste_code: str = ""
    route: str = ""


@dataclass(frozen=True, slots=True)
class ProductTree:
    """A product system with every process it reaches, top first."""

    system: ProductSystem
    processes: tuple[Process, ...]


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


class FootprintService:
    """Processes, sharing, product systems and footprints for the firms of a chain."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        factor_book: Callable[[], FactorBook],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = unit_of_work
        self._factor_book = factor_book
        self._clock = clock

    # Processes ------------------------------------------------------------------------------

    def add_process(
        self,
        actor: Principal,
        draft: Process,
        *,
        ledger_links: Sequence[LedgerLink] = (),
        period_production: Decimal | None = None,
    ) -> Process:
        """Store a firm's process; `ledger_links` add exchanges read from the ledger.

        A linked amount is the period's recorded mass (t) over `period_production` (the
        reference product made in the period, in its unit), per `reference_amount`.
        """
        with self._uow() as uow:
            organization = _organization(uow, draft.organization_id)
            require_acts_for(actor, organization)
            region = draft.region_code or organization.region_code
            if draft.site_id is not None:
                site = uow.sites.get(draft.site_id)
                if site is None or site.organization_id != organization.id:
                    raise InvalidInput("not a site of this organization", field="site_id")
                region = draft.region_code or site.region_code
            for exchange in draft.exchanges:
                if exchange.source_process_id is not None:
                    self._require_usable(uow, exchange.source_process_id, organization.id)
            linked = self._linked(uow, draft, ledger_links, period_production)
            process = replace(draft, region_code=region, exchanges=(*draft.exchanges, *linked))
            uow.product_systems.add_process(process, self._clock())
            uow.commit()
        return replace(process, created=self._clock())

    @staticmethod
    def _linked(
        uow: UnitOfWork,
        draft: Process,
        links: Sequence[LedgerLink],
        period_production: Decimal | None,
    ) -> list[Exchange]:
        if not links:
            return []
        if period_production is None or period_production <= 0:
            raise InvalidInput(
                "linking to the ledger needs the period's production", field="period_production"
            )
        generated_kg, secondary_kg = uow.product_systems.ledger_totals(
            draft.organization_id, draft.site_id, draft.period_start, draft.period_end
        )
        per_reference = draft.reference_amount / period_production / 1000
        places = Decimal("1e-9")
        found = []
        for link in links:
            if link.waste_code:
                mass_kg = generated_kg.get(link.waste_code, Decimal(0))
                found.append(
                    Exchange(
                        ExchangeKind.WASTE,
                        (mass_kg * per_reference).quantize(places).normalize(),
                        link.subject,
                        route=link.route,
                        from_ledger=True,
                        waste_code=link.waste_code,
                    )
                )
            else:
                found.append(
                    Exchange(
                        ExchangeKind.SECONDARY_MATERIAL,
                        (secondary_kg * per_reference).quantize(places).normalize(),
                        link.subject,
                        from_ledger=True,
                    )
                )
        return found

    def _require_usable(
        self, uow: UnitOfWork, process_id: uuid.UUID, organization_id: uuid.UUID
    ) -> Process:
        source = uow.product_systems.process(process_id)
        if source is None:
            raise NotFound(f"no process {process_id}", field="source_process_id")
        shared = {s.organization_id for s in uow.product_systems.shares(process_id)}
        if not may_use(source, organization_id, shared):
            raise ProcessNotShared(
                f"process {process_id} is not shared with this organization",
                field="source_process_id",
            )
        return source

    def process(self, actor: Principal, process_id: uuid.UUID) -> Process:
        """A process its owner's users, the firms it is shared with, and overseers may read."""
        with self._uow() as uow:
            process = uow.product_systems.process(process_id)
            if process is None:
                raise NotFound(f"no process {process_id}", field="process_id")
            shared = {s.organization_id for s in uow.product_systems.shares(process_id)}
            owner = _organization(uow, process.organization_id)
        if actor.organization_id in shared or actor.acts_for(owner.id, owner.region_code):
            return process
        raise Forbidden("this process is not shared with you", field="process_id")

    def processes(self, actor: Principal, organization_id: uuid.UUID | None) -> list[Process]:
        """A firm's processes (the caller's own firm when none is named; all for an admin)."""
        with self._uow() as uow:
            if organization_id is None and actor.role is UserRole.ADMIN:
                return uow.product_systems.list_processes(None)
            target = organization_id or actor.organization_id
            if target is None:
                raise InvalidInput("name an organization", field="organization_id")
            require_acts_for(actor, _organization(uow, target))
            return uow.product_systems.list_processes(target)

    def remove_process(self, actor: Principal, process_id: uuid.UUID) -> None:
        """The owner deletes a process no other process or product system draws on."""
        with self._uow() as uow:
            self._owned(uow, actor, process_id)
            users = uow.product_systems.users_of(process_id)
            if users:
                raise Conflict(f"still used by {', '.join(sorted(users))}", field="process_id")
            uow.product_systems.remove_process(process_id)
            uow.commit()

    def share(
        self, actor: Principal, process_id: uuid.UUID, organization_id: uuid.UUID
    ) -> list[ProcessShare]:
        """The owner lets another firm use a process in its own processes."""
        with self._uow() as uow:
            process = self._owned(uow, actor, process_id)
            if organization_id == process.organization_id:
                raise InvalidInput(
                    "a firm needs no share of its own process", field="organization_id"
                )
            _organization(uow, organization_id)
            uow.product_systems.share(ProcessShare(process_id, organization_id, self._clock()))
            uow.commit()
            return uow.product_systems.shares(process_id)

    def unshare(
        self, actor: Principal, process_id: uuid.UUID, organization_id: uuid.UUID
    ) -> list[ProcessShare]:
        """Withdraw a share; processes that use it can no longer be computed."""
        with self._uow() as uow:
            self._owned(uow, actor, process_id)
            uow.product_systems.unshare(process_id, organization_id)
            uow.commit()
            return uow.product_systems.shares(process_id)

    def shares(self, actor: Principal, process_id: uuid.UUID) -> list[ProcessShare]:
        """The firms a process is shared with (its owner's view)."""
        with self._uow() as uow:
            self._owned(uow, actor, process_id)
            return uow.product_systems.shares(process_id)

    @staticmethod
    def _owned(uow: UnitOfWork, actor: Principal, process_id: uuid.UUID) -> Process:
        process = uow.product_systems.process(process_id)
        if process is None:
            raise NotFound(f"no process {process_id}", field="process_id")
        require_acts_for(actor, _organization(uow, process.organization_id))
        return process

    # Product systems ------------------------------------------------------------------------

    def add_system(self, actor: Principal, draft: ProductSystem) -> ProductSystem:
        """Declare a firm's product: its top process (own or shared) and declared unit."""
        with self._uow() as uow:
            organization = _organization(uow, draft.organization_id)
            require_acts_for(actor, organization)
            self._require_usable(uow, draft.top_process_id, organization.id)
            if uow.product_systems.system_of_product(draft.product_id) is not None:
                raise Conflict(
                    f"product {draft.product_id!r} has a product system", field="product_id"
                )
            created = self._clock()
            uow.product_systems.add_system(draft, created)
            uow.commit()
        return replace(draft, created=created)

    def tree(self, system_id: uuid.UUID) -> ProductTree:
        """A product system and every process it reaches (public, like its footprints)."""
        with self._uow() as uow:
            system = uow.product_systems.system(system_id)
            if system is None:
                raise NotFound(f"no product system {system_id}", field="product_system_id")
            return ProductTree(system, tuple(_reach(uow, system.top_process_id).values()))

    def systems(self, organization_id: uuid.UUID | None = None) -> list[ProductSystem]:
        """Product systems, of one firm or all."""
        with self._uow() as uow:
            return uow.product_systems.list_systems(organization_id)

    # Footprints -----------------------------------------------------------------------------

    def compute(
        self,
        actor: Principal,
        system_id: uuid.UUID,
        *,
        iterations: int = DEFAULT_ITERATIONS,
        seed: int = 0,
        comment: str = "",
    ) -> ProductFootprint:
        """Solve a product system and publish its footprint as the product's next version."""
        if not 1 <= iterations <= 10_000:
            raise InvalidInput("must be between 1 and 10000", field="iterations")
        with self._uow() as uow:
            system = uow.product_systems.system(system_id)
            if system is None:
                raise NotFound(f"no product system {system_id}", field="product_system_id")
            organization = _organization(uow, system.organization_id)
            require_acts_for(actor, organization)
            processes = _reach(uow, system.top_process_id)
            _check_shares(uow, processes, system.organization_id)
            model = ProductModel(processes, self._factor_book(), system.allocation)
            found = model.assess(system.top_process_id, system.reference_flow)
            low, high = model.interval_95(
                system.top_process_id, system.reference_flow, iterations, seed=seed
            )
            top = processes[system.top_process_id]
            footprint = ProductFootprint(
                id=uuid.uuid4(),
                product_id=system.product_id,
                product_name=system.name,
                organization_id=organization.id,
                company_name=organization.name,
                declared_unit=system.declared_unit,
                unit_amount=system.unit_amount,
                product_mass_per_unit_kg=system.product_mass_per_unit_kg,
                reference_period_start=min(p.period_start for p in processes.values()),
                reference_period_end=max(p.period_end for p in processes.values()),
                geography_region_code=top.region_code,
                boundary=BOUNDARY,
                pcf_excluding_biogenic_uptake_kg=_decimal(found.total_kg),
                fossil_ghg_kg=_decimal(found.fossil_kg),
                biogenic_ghg_kg=_decimal(found.biogenic_kg),
                land_use_change_kg=Decimal(0),
                interval_95_kg=(_decimal(min(low, high)), _decimal(max(low, high))),
                allocation=system.allocation,
                recycled_content_share=_decimal(found.recycled_content_share),
                primary_data_share=_decimal(found.primary_data_share),
                characterization=CHARACTERIZATION,
                standards=STANDARDS,
                factor_sources=found.factor_refs,
                created=self._clock(),
                version=uow.footprints.next_version(system.product_id),
                status=FootprintStatus.ACTIVE,
                contributions=tuple(
                    Contribution(
                        processes[pid].name, processes[pid].organization_id, _decimal(score)
                    )
                    for pid, score in sorted(found.by_process.items(), key=lambda i: -i[1])
                ),
                comment=comment,
                classification=system.classification,
                product_system_id=system.id,
            )
            uow.footprints.add(footprint)
            uow.commit()
        return footprint

    def footprints(
        self,
        *,
        organization_id: uuid.UUID | None = None,
        product_id: str | None = None,
        status: FootprintStatus | None = FootprintStatus.ACTIVE,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ProductFootprint]:
        """Published footprints, newest first (the active ones unless asked otherwise)."""
        with self._uow() as uow:
            return uow.footprints.list(
                organization_id=organization_id,
                product_id=product_id,
                status=status,
                limit=limit,
                offset=offset,
            )

    def footprint(self, footprint_id: uuid.UUID) -> ProductFootprint:
        """One published footprint (public: footprints are published to be read)."""
        with self._uow() as uow:
            footprint = uow.footprints.get(footprint_id)
        if footprint is None:
            raise NotFound(f"no footprint {footprint_id}", field="footprint_id")
        return footprint

    def organization_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names of organizations (suppliers in a contribution chart)."""
        with self._uow() as uow:
            found = {i: uow.organizations.get(i) for i in ids}
        return {i: o.name for i, o in found.items() if o is not None}


def by_supplier(footprint: ProductFootprint) -> dict[uuid.UUID | None, Decimal]:
    """A footprint's process contributions summed per supplier organization."""
    totals: dict[uuid.UUID | None, Decimal] = {}
    for item in footprint.contributions:
        totals[item.organization_id] = totals.get(item.organization_id, Decimal(0)) + item.co2e_kg
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def _organization(uow: UnitOfWork, organization_id: uuid.UUID) -> Organization:
    organization = uow.organizations.get(organization_id)
    if organization is None:
        raise NotFound(f"no organization {organization_id}", field="organization_id")
    return organization


def _reach(uow: UnitOfWork, top_process_id: uuid.UUID) -> dict[uuid.UUID, Process]:
    found: dict[uuid.UUID, Process] = {}
    frontier = {top_process_id}
    while frontier:
        loaded = uow.product_systems.processes(frontier)
        missing = frontier - set(loaded)
        if missing:
            raise NotFound(f"no process {sorted(missing)[0]}", field="source_process_id")
        found.update(loaded)
        frontier = {
            x.source_process_id
            for p in loaded.values()
            for x in p.exchanges
            if x.source_process_id is not None and x.source_process_id not in found
        }
    return found


def _check_shares(
    uow: UnitOfWork, processes: dict[uuid.UUID, Process], organization_id: uuid.UUID
) -> None:
    """Every input a process draws must be its own firm's or shared with that firm."""
    shares = {
        pid: {s.organization_id for s in uow.product_systems.shares(pid)} for pid in processes
    }
    for process in processes.values():
        for exchange in process.exchanges:
            source_id = exchange.source_process_id
            if source_id is None:
                continue
            if not may_use(processes[source_id], process.organization_id, shares[source_id]):
                raise ProcessNotShared(
                    f"{processes[source_id].name} is no longer shared with its user",
                    field="source_process_id",
                )
    top = next(iter(processes.values()))
    if not may_use(top, organization_id, shares[top.id]):
        raise ProcessNotShared(f"{top.name} is no longer shared with this firm", field="top")
