"""The indicator registry served: values per firm, chain or city and period, statistics upload.

City values are public (the public dashboard shows aggregates only); a firm's values are for
its users, regulators over its region and admins; a chain's for its master's users,
regulators over the master's region and admins. Values are computed from the indicator facts
(`adapters/db/indicator_facts.py`), refreshed from the ledger before each read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.indicator_facts import SubjectFilter
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.carbon.accounting import Accountant
from zerowaste.carbon.flows import WasteFlow
from zerowaste.carbon.materials import WasteMaterials
from zerowaste.domain.access import Principal
from zerowaste.domain.events import EventType
from zerowaste.domain.factors import FactorBook, WasteRoute
from zerowaste.domain.indicators import (
    IndicatorDefinition,
    IndicatorLevel,
    IndicatorValue,
    Period,
)
from zerowaste.domain.regions import is_region_code, region_prefix
from zerowaste.domain.statistics import RegionStatistic
from zerowaste.errors import InvalidInput, NotAuthenticated, NotFound, UnknownRegion
from zerowaste.errors.indicators import StatisticsFileInvalid, UnknownIndicator
from zerowaste.indicators.figures import Capability, ContractFigure, Figures, Tally
from zerowaste.indicators.formulas import KG_PER_TONNE, PLACES, compute, ratio
from zerowaste.indicators.registry import Target
from zerowaste.indicators.statistics_csv import parse_statistics_csv
from zerowaste.services.authorization import require_acts_for, require_oversight
from zerowaste.services.chains import ChainService
from zerowaste.services.risk import scores_of

#: The most periods one trend may ask for.
MAX_TREND_PERIODS = 40
_CONTRACT_IDS = {"revenue_sharing_share", "green_premium"}
_NO_EVENT = uuid.UUID(int=0)


@dataclass(frozen=True, slots=True)
class City:
    """A city (prefecture or any region) with platform data or uploaded statistics."""

    region_code: str
    name_zh: str
    fact_lines: int
    has_statistics: bool


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose values are computed: the level, the subject's id as text and whose facts count."""

    level: IndicatorLevel
    subject: str
    filter: SubjectFilter
    region_code: str
    members: tuple[uuid.UUID, ...] = ()


class IndicatorService:
    """The indicator registry, values computed for any subject and period, and statistics."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        chains: ChainService,
        registry: Callable[[], tuple[IndicatorDefinition, ...]],
        targets: Callable[[], tuple[Target, ...]],
        factor_book: Callable[[], FactorBook],
        materials: Callable[[], WasteMaterials],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = uow
        self._chains = chains
        self._registry = registry
        self._targets = targets
        self._factor_book = factor_book
        self._materials = materials
        self._clock = clock

    # Registry -----------------------------------------------------------------------------

    def definitions(self, level: IndicatorLevel | None = None) -> tuple[IndicatorDefinition, ...]:
        """Every indicator (defined at `level`, if given), in registry order (public)."""
        return tuple(d for d in self._registry() if level is None or level in d.levels)

    def definition(self, indicator_id: str) -> IndicatorDefinition:
        """One indicator.

        Raises:
            UnknownIndicator: No such id in the registry (field `indicator_id`).
        """
        for d in self._registry():
            if d.indicator_id == indicator_id:
                return d
        raise UnknownIndicator(f"no indicator {indicator_id!r}", field="indicator_id")

    def targets(self, region_code: str) -> tuple[Target, ...]:
        """The targets set for `region_code` (public)."""
        return tuple(t for t in self._targets() if t.region_code == region_code)

    def target_for(self, region_code: str, indicator_id: str, period: Period) -> Target | None:
        """The target of the period's last year, else the latest set before it."""
        year = period.years[-1]
        found = [
            t
            for t in self.targets(region_code)
            if t.indicator_id == indicator_id and t.year <= year
        ]
        return max(found, key=lambda t: t.year) if found else None

    def judge(self, value: IndicatorValue) -> tuple[Target | None, bool | None]:
        """A city value's target (None for firms and chains) and whether the value meets it."""
        if value.level is not IndicatorLevel.CITY:
            return None, None
        target = self.target_for(value.subject, value.indicator_id, value.period)
        if target is None or value.value is None:
            return target, None
        return target, target.met_by(value.value, self.definition(value.indicator_id).direction)

    # Values -------------------------------------------------------------------------------

    def refresh(self) -> int:
        """Project the events logged since the last refresh into the facts; how many were read."""
        try:
            with self._uow() as uow:
                read = uow.indicator_facts.refresh()
                uow.commit()
        except IntegrityError:  # a concurrent refresh projected them first
            return 0
        return read

    def values(
        self,
        actor: Principal | None,
        level: IndicatorLevel,
        subject: str,
        period: Period,
        indicator_ids: Sequence[str] | None = None,
    ) -> list[IndicatorValue]:
        """The indicators of `level` (or those named) for one subject and period.

        Raises:
            UnknownIndicator: An id not in the registry or not defined at `level`.
            InvalidInput: A subject that is no region code (city) or organization id.
            NotAuthenticated, Forbidden, NotFound: As the module docstring says.
        """
        definitions = self._chosen(level, indicator_ids)
        who = self._subject(actor, level, subject)
        self.refresh()
        with self._uow() as uow:
            figures = self._figures(uow, who, period, {d.indicator_id for d in definitions})
        return [compute(d, level, who.subject, period, figures) for d in definitions]

    def city_trend(
        self, region_code: str, indicator_id: str, periods: Sequence[Period]
    ) -> list[IndicatorValue]:
        """One city indicator over `periods` (public).

        Raises:
            UnknownIndicator: Not a city indicator.
            InvalidInput: No periods, or more than `MAX_TREND_PERIODS` (field `periods`).
        """
        if not periods or len(periods) > MAX_TREND_PERIODS:
            raise InvalidInput(f"ask for 1 to {MAX_TREND_PERIODS} periods", field="periods")
        definition = self._chosen(IndicatorLevel.CITY, [indicator_id])[0]
        who = self._subject(None, IndicatorLevel.CITY, region_code)
        self.refresh()
        found = []
        with self._uow() as uow:
            for period in periods:
                figures = self._figures(uow, who, period, {indicator_id})
                found.append(compute(definition, who.level, who.subject, period, figures))
        return found

    def cities(self) -> list[City]:
        """Every prefecture with platform facts or uploaded statistics, by code (public)."""
        self.refresh()
        with self._uow() as uow:
            lines: dict[str, int] = {}
            for region, count in uow.indicator_facts.generator_regions().items():
                city = region[:4] + "00"
                lines[city] = lines.get(city, 0) + count
            statistics = uow.statistics.regions()
            found = []
            for code in sorted(set(lines) | statistics):
                known = uow.regions.get(code)
                found.append(
                    City(
                        code,
                        known.name_zh if known else code,
                        lines.get(code, 0),
                        code in statistics,
                    )
                )
        return found

    def _chosen(
        self, level: IndicatorLevel, indicator_ids: Sequence[str] | None
    ) -> list[IndicatorDefinition]:
        if not indicator_ids:
            return list(self.definitions(level))
        chosen = []
        for indicator_id in dict.fromkeys(indicator_ids):
            definition = self.definition(indicator_id)
            if level not in definition.levels:
                raise UnknownIndicator(
                    f"{indicator_id} is not defined for the {level} level", field="indicator_id"
                )
            chosen.append(definition)
        return chosen

    def _subject(self, actor: Principal | None, level: IndicatorLevel, subject: str) -> Subject:
        raw = subject.strip()
        if level is IndicatorLevel.CITY:
            if not is_region_code(raw):
                raise InvalidInput(f"{subject!r} is not a six-digit region code", field="subject")
            with self._uow() as uow:
                if uow.regions.get(raw) is None:
                    raise UnknownRegion(f"no region {raw}", field="subject")
            return Subject(level, raw, SubjectFilter(region_prefix=region_prefix(raw)), raw)
        try:
            organization_id = uuid.UUID(raw)
        except ValueError:
            raise InvalidInput(f"{subject!r} is not an organization id", field="subject") from None
        if actor is None:
            raise NotAuthenticated(f"sign in to see a {level}'s indicators")
        if level is IndicatorLevel.CHAIN:
            chain = self._chains.chain(actor, organization_id)
            with self._uow() as uow:
                master = uow.organizations.get(organization_id)
            assert master is not None
            members = tuple(sorted(chain.organization_ids, key=str))
            suppliers = tuple(m.supplier_id for m in chain.members)
            return Subject(
                level,
                str(organization_id),
                SubjectFilter(organization_ids=frozenset(members)),
                master.region_code,
                suppliers,
            )
        with self._uow() as uow:
            organization = uow.organizations.get(organization_id)
        if organization is None:
            raise NotFound(f"no organization {organization_id}", field="subject")
        require_acts_for(actor, organization)
        return Subject(
            level,
            str(organization_id),
            SubjectFilter(organization_ids=frozenset({organization_id})),
            organization.region_code,
            (organization_id,),
        )

    def _figures(self, uow: UnitOfWork, who: Subject, period: Period, wanted: set[str]) -> Figures:
        start, end = period.instants()
        facts = uow.indicator_facts
        tally = facts.tallies(start, end, who.filter).get(None, Tally())
        figures = Figures(tally=tally)
        if "hazardous_landfill_reduction" in wanted:
            before_start, before_end = period.previous().instants()
            figures.previous = facts.tallies(before_start, before_end, who.filter).get(
                None, Tally()
            )
        year = period.whole_year
        if year is not None:
            records, output, added = uow.indicator_inputs.economics(who.filter, year)
            figures.economic_records = records
            figures.output_value_cny, figures.industrial_added_value_cny = output, added
            if who.level is IndicatorLevel.CITY:
                figures.statistics = {s.kind: s for s in uow.statistics.of(who.region_code, [year])}
        if "supply_chain_carbon_footprint" in wanted:
            figures.emissions_t, figures.emission_flows = self._emissions(uow, who, start, end)
        if wanted & _CONTRACT_IDS:
            figures.contracts = tuple(
                uow.indicator_inputs.contracts(period.start, period.end, who.filter)
            )
            figures.market_prices = _mean_prices(
                uow.indicator_inputs.contracts(period.start, period.end, None)
            )
        if "informatization_level" in wanted:
            firms = (
                set(who.filter.organization_ids or ())
                if who.level is not IndicatorLevel.CITY
                else facts.active_firms(start, end, who.filter)
            )
            figures.flags = tuple(uow.indicator_inputs.flags(start, end, firms).values())
        if "supplier_green_capability" in wanted:
            figures.capabilities = self._capabilities(uow, who.members, start, end)
        if "green_procurement_intensity" in wanted:
            listed = uow.whitelist.of_organizations(who.members)
            made = facts.firms_generation(start, end, who.members)
            figures.supplier_generation = tuple(
                (i in listed and listed[i].listed, made.get(i, Decimal(0))) for i in who.members
            )
        return figures

    def _emissions(
        self, uow: UnitOfWork, who: Subject, start: datetime, end: datetime
    ) -> tuple[Decimal | None, int]:
        """The inventory emissions (t CO2e) of the subject's fates, summed by code and route.

        The inventory figure is linear in mass and in t.km, so one flow per (waste code,
        route, region) with the group's mass and mean distance gives the exact sum.
        """
        groups = uow.indicator_facts.emission_groups(start, end, who.filter)
        if not groups:
            return None, 0
        materials = self._materials()
        accountant = Accountant(self._factor_book(), materials, uow.carbon_baselines.all())
        total, counted, lines = Decimal(0), 0, 0
        for g in groups:
            lines += g.lines
            if g.mass_kg <= 0:
                continue
            route = WasteRoute(g.route) if g.route else None
            flow = WasteFlow(
                event_id=_NO_EVENT,
                event_type=EventType.TRANSFORMED
                if route is WasteRoute.RECYCLING
                else EventType.DISPOSED,
                batch_id=_NO_EVENT,
                organization_id=_NO_EVENT,
                generator_id=_NO_EVENT,
                region_code=g.region_code,
                site_id=None,
                event_time=start,
                waste_code=g.waste_code,
                material=materials.material_of(g.waste_code),
                route=route,
                mass_kg=g.mass_kg,
                distance_km=g.tonne_km / (g.mass_kg / KG_PER_TONNE),
            )
            figure = accountant.account(flow).inventory
            if figure.co2e_kg is not None:
                total += figure.co2e_kg
                counted += 1
        if not counted:
            return None, lines
        return (total / KG_PER_TONNE).quantize(PLACES), lines

    def _capabilities(
        self, uow: UnitOfWork, firms: Iterable[uuid.UUID], start: datetime, end: datetime
    ) -> tuple[Capability, ...]:
        ids = list(firms)
        if not ids:
            return ()
        listed = uow.whitelist.of_organizations(ids)
        tallies = uow.indicator_facts.tallies(
            start, end, SubjectFilter(organization_ids=frozenset(ids)), by_firm=True
        )
        _, scores = scores_of(uow, ids, self._clock())
        found = []
        for i in ids:
            t = tallies.get(i, Tally())
            rate = ratio(t.general_utilized_kg, t.general_kg + t.general_utilized_prior_kg)
            risk = scores.get(i)
            found.append(
                Capability(
                    whitelisted=i in listed and listed[i].listed,
                    utilization_rate=rate,
                    risk_score=Decimal(repr(risk.score)).quantize(PLACES) if risk else None,
                )
            )
        return tuple(found)

    # Statistics ---------------------------------------------------------------------------

    def import_statistics(self, actor: Principal, csv_text: str) -> int:
        """Store every statistic of an uploaded CSV, all or nothing; returns how many.

        Each row replaces the value of its region, year and statistic. Regulators upload
        for regions in their jurisdiction, admins for any.

        Raises:
            StatisticsFileInvalid: A malformed file or row (`field` is `row N: column`), or a
                region not in the GB/T 2260 table.
            Forbidden: A row's region is outside the actor's jurisdiction.
        """
        rows = parse_statistics_csv(csv_text)
        with self._uow() as uow:
            for number, row in enumerate(rows, start=2):
                if uow.regions.get(row.region_code) is None:
                    raise StatisticsFileInvalid(
                        f"no region {row.region_code}", field=f"row {number}: region_code"
                    )
                require_oversight(actor, row.region_code, field=f"row {number}: region_code")
            uow.statistics.replace(rows, actor.user_id, self._clock())
            uow.commit()
        return len(rows)

    def statistics(self, region_code: str, year: int | None = None) -> list[RegionStatistic]:
        """The region's uploaded statistics (of `year` only, if given), public."""
        if not is_region_code(region_code):
            raise InvalidInput(f"{region_code!r} is not a six-digit region code", field="region")
        with self._uow() as uow:
            return uow.statistics.of(region_code, None if year is None else [year])


def _mean_prices(contracts: Iterable[ContractFigure]) -> dict[str, Decimal]:
    """The quantity-weighted mean contract price of each waste code."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for c in contracts:
        code, q, p = c.waste_code, c.quantity_t, c.price_cny_per_t
        quantity, value = sums.get(code, (Decimal(0), Decimal(0)))
        sums[code] = (quantity + q, value + q * p)
    return {code: value / q for code, (q, value) in sums.items() if q > 0}
