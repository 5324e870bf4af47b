"""Avoided and inventory emissions of the ledger's flows, per scope and period, and baselines."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.carbon.accounting import Accountant, FlowResult
from zerowaste.carbon.aggregate import (
    CHINA_TIME,
    Granularity,
    by_material,
    by_period,
    by_route,
    group_by,
    total_of,
)
from zerowaste.carbon.flows import BaselineRule, WasteFlow
from zerowaste.carbon.materials import MATERIALS, MaterialClass, WasteMaterials
from zerowaste.carbon.uncertainty import DEFAULT_ITERATIONS, DEFAULT_SEED, MAX_ITERATIONS
from zerowaste.domain.access import Principal
from zerowaste.domain.factors import FactorBook, WasteRoute
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.regions import in_jurisdiction, is_region_code, region_prefix
from zerowaste.errors import Forbidden, InvalidInput, InvalidReportScope, NotAuthenticated
from zerowaste.services.authorization import require_acts_for, require_admin, require_oversight
from zerowaste.services.carbon_report import (
    CarbonReport,
    Scope,
    draw_factors,
    report_row,
)
from zerowaste.services.chains import ChainService


@dataclass(frozen=True, slots=True)
class Baselines:
    """The default baseline of each waste code or class, and the regional overrides."""

    defaults: tuple[MaterialClass, ...]
    regional: list[BaselineRule]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), CHINA_TIME)


def _scope_id(scope: Scope, raw: str | None) -> uuid.UUID | str | None:
    """The parsed id of a scope: a region code for a city (optional), else a UUID."""
    if scope is Scope.CITY:
        if raw is None or raw == "":
            return None
        if not is_region_code(raw):
            raise InvalidReportScope(f"{raw!r} is not a six-digit region code", field="id")
        return raw
    if not raw:
        raise InvalidReportScope(f"a {scope} report needs the {scope}'s id", field="id")
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InvalidReportScope(f"{raw!r} is not a {scope} id (a UUID)", field="id") from None


class CarbonService:
    """Reports of avoided emissions (with inventory beside) and the regional baselines."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        chains: ChainService,
        factor_book: Callable[[], FactorBook],
        materials: Callable[[], WasteMaterials],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = uow
        self._chains = chains
        self._factor_book = factor_book
        self._materials = materials
        self._clock = clock

    # Reports ------------------------------------------------------------------------------

    def _read(
        self,
        uow: UnitOfWork,
        actor: Principal | None,
        scope: Scope,
        scope_id: uuid.UUID | str | None,
        period_from: date | None,
        period_to: date | None,
    ) -> list[WasteFlow]:
        """The scope's flows, once the actor's access to the scope is checked."""
        if period_from and period_to and period_to < period_from:
            raise InvalidReportScope("the period ends before it starts", field="to")
        start = _day_start(period_from) if period_from else None
        end = _day_start(period_to + timedelta(days=1)) if period_to else None
        read = uow.carbon_flows.flows
        if scope is Scope.CITY:
            flows = read(period_from=start, period_to=end)
            if isinstance(scope_id, str):
                flows = [f for f in flows if in_jurisdiction(f.region_code, scope_id)]
            return flows
        assert isinstance(scope_id, uuid.UUID)
        if actor is None:
            raise NotAuthenticated(f"sign in to see a {scope}'s figures")
        if scope in (Scope.FIRM, Scope.CHAIN):
            organization = uow.organizations.get(scope_id)
            if organization is None:
                raise InvalidReportScope(f"no organization {scope_id}", field="id")
            require_acts_for(actor, organization)
            members = (
                {scope_id}
                if scope is Scope.FIRM
                else set(uow.chains.chain(scope_id).organization_ids)
            )
            return read(period_from=start, period_to=end, organization_ids=members)
        if scope is Scope.EVENT:
            flows = read(period_from=start, period_to=end, event_ids=[scope_id])
        else:
            flows = read(period_from=start, period_to=end, batch_id=scope_id)
        for flow in flows:
            if not (
                actor.organization_id in (flow.organization_id, flow.generator_id)
                or actor.oversees(flow.region_code)
            ):
                raise Forbidden(f"this {scope}'s figures are not yours to see")
        return flows

    def _account(
        self, uow: UnitOfWork, flows: list[WasteFlow]
    ) -> tuple[Accountant, list[FlowResult]]:
        materials = self._materials()
        accountant = Accountant(self._factor_book(), materials, uow.carbon_baselines.all())
        resolved = [
            f if f.material else _with_material(f, materials.material_of(f.waste_code))
            for f in flows
        ]
        return accountant, accountant.account_all(resolved)

    def results(
        self,
        actor: Principal | None,
        scope: Scope,
        scope_id: str | None = None,
        period_from: date | None = None,
        period_to: date | None = None,
    ) -> list[FlowResult]:
        """Every flow of the scope with its baseline, avoided and inventory figures."""
        parsed = _scope_id(scope, scope_id)
        with self._uow() as uow:
            flows = self._read(uow, actor, scope, parsed, period_from, period_to)
            return self._account(uow, flows)[1]

    def avoided(
        self,
        actor: Principal | None,
        scope: Scope,
        scope_id: str | None = None,
        period_from: date | None = None,
        period_to: date | None = None,
        granularity: Granularity = Granularity.MONTH,
        iterations: int = DEFAULT_ITERATIONS,
        seed: int = DEFAULT_SEED,
    ) -> CarbonReport:
        """The scope's avoided emissions by period, route and material, with intervals.

        City figures are public (aggregates); a firm's are for its users, regulators over its
        region and admins; a chain's for its master's users, regulators and admins; a batch's
        or an event's for the firms that recorded or generated it, regulators and admins.

        Raises:
            InvalidReportScope: A bad scope id, an inverted period, or too many iterations.
        """
        if not 0 <= iterations <= MAX_ITERATIONS:
            raise InvalidReportScope(
                f"iterations must be 0 to {MAX_ITERATIONS}", field="iterations"
            )
        parsed = _scope_id(scope, scope_id)
        with self._uow() as uow:
            flows = self._read(uow, actor, scope, parsed, period_from, period_to)
            accountant, results = self._account(uow, flows)
        draws = draw_factors(accountant.factors, iterations, seed)
        factors = [accountant.factors[r] for r in sorted(accountant.factors)]
        return CarbonReport(
            scope=scope,
            scope_id=str(parsed) if parsed is not None else None,
            period_from=period_from,
            period_to=period_to,
            granularity=granularity,
            iterations=iterations,
            seed=seed,
            dataset=accountant.book.dataset,
            total=report_row(total_of(results), draws),
            by_period=[report_row(g, draws) for g in group_by(results, by_period(granularity))],
            by_route=[report_row(g, draws) for g in group_by(results, by_route)],
            by_material=[report_row(g, draws) for g in group_by(results, by_material)],
            factors=factors,
            organization_ids=tuple(sorted({f.organization_id for f in flows}, key=str)),
        )

    def flows(
        self,
        actor: Principal | None,
        scope: Scope,
        scope_id: str | None = None,
        period_from: date | None = None,
        period_to: date | None = None,
        page: PageRequest | None = None,
    ) -> Page[FlowResult]:
        """One page of the scope's flows (per event and batch), in time order.

        Flows name firms: a city's are for regulators over the city and admins; the other
        scopes follow `avoided`.
        """
        page = page or PageRequest()
        if scope is Scope.CITY:
            if actor is None:
                raise NotAuthenticated("sign in to see a city's flows")
            if not scope_id:
                require_admin(actor)
            else:
                require_oversight(actor, scope_id, field="id")
        results = self.results(actor, scope, scope_id, period_from, period_to)
        try:
            offset = int(page.after) if page.after else 0
        except ValueError:
            raise InvalidInput("not a cursor this API gave out", field="cursor") from None
        items = results[offset : offset + page.limit]
        more = offset + page.limit < len(results)
        return Page(items, str(offset + page.limit) if more else None)

    # Baselines ----------------------------------------------------------------------------

    def baselines(self) -> Baselines:
        """The default baselines (the material table) and every regional override (public)."""
        with self._uow() as uow:
            regional = uow.carbon_baselines.all()
        return Baselines(self._materials().rows, regional)

    def set_baseline(
        self, actor: Principal, region_code: str, subject: str, route: WasteRoute | None
    ) -> BaselineRule | None:
        """Set (or with `route` None, clear) a region's baseline route for a material or code.

        Regulators over the region and admins only.

        Raises:
            InvalidInput: Not a region code, or a subject the material table does not know.
        """
        if not is_region_code(region_code):
            raise InvalidInput(
                f"{region_code!r} is not a six-digit region code", field="region_code"
            )
        require_oversight(actor, region_code)
        subject = subject.strip()
        known = {row.key for row in self._materials().rows if row.key_kind != "default"}
        if subject not in MATERIALS and subject not in known:
            raise InvalidInput(
                f"{subject!r} is neither a material nor a listed waste code", field="subject"
            )
        prefix = region_prefix(region_code)
        with self._uow() as uow:
            if route is None:
                uow.carbon_baselines.remove(prefix, subject)
                uow.commit()
                return None
            rule = BaselineRule(prefix, subject, route, actor.user_id, self._clock())
            uow.carbon_baselines.put(rule)
            uow.commit()
        return rule


def _with_material(flow: WasteFlow, material: str | None) -> WasteFlow:
    return replace(flow, material=material)
