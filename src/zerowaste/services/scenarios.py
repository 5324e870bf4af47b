"""Scenario baselines from the ledger and their projections, priced with the platform's data.

A baseline's streams can be a single firm's waste, so baselines and scenarios are for admins
and regulators over the region (the planners of a zero-waste city). Emission factors are the
active factor dataset's inventory waste-route and road-transport factors (region and year
resolved as the factor book does); costs are `data/market/economics.csv`: a stream's own
disposal row where its route is the fate's, else the mean of the file's rows of that route
for the same hazard class (hazardous or general), stated as derived; utilization has no row
(unpriced unless the scenario gives `costs.utilization`). Freight is the file's general or
hazardous rate per t.km.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zerowaste.adapters.db.generation_series import StreamFates
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.carbon.materials import WasteMaterials, category_of, is_hazardous_code
from zerowaste.domain.access import Principal
from zerowaste.domain.factors import FactorBook, FactorCategory, FactorSet, WasteRoute
from zerowaste.domain.indicators import Period
from zerowaste.domain.market_economics import HAZARDOUS_DEFAULT, MarketEconomics
from zerowaste.domain.regions import is_region_code, region_prefix
from zerowaste.errors import NotAuthenticated
from zerowaste.errors.evaluation import ScenarioInvalid, SeriesTooShort
from zerowaste.evaluation.forecast import MAX_HORIZON, add_months
from zerowaste.evaluation.scenarios import (
    FATE_ROUTES,
    Baseline,
    FactorUse,
    Fate,
    Projection,
    ScenarioFactors,
    StreamBaseline,
    parse_spec,
    project,
)
from zerowaste.indicators.formulas import KG_PER_TONNE
from zerowaste.services.authorization import require_oversight
from zerowaste.services.forecasts import ForecastService, SeriesLevel

#: Routes counted as utilization (综合利用) besides recycling.
UTILIZING_ROUTES = {
    WasteRoute.RECYCLING.value,
    WasteRoute.COMPOSTING.value,
    WasteRoute.ANAEROBIC_DIGESTION.value,
}
_FATE_OF_ROUTE = {route.value: fate for fate, route in FATE_ROUTES.items()}
ECONOMICS_FILE = "data/market/economics.csv"


def fate_of(route: str | None) -> Fate | None:
    """The fate a waste route counts to; None for an unaccounted disposal (`other`)."""
    if route is None:
        return None
    if route in UTILIZING_ROUTES:
        return Fate.UTILIZATION
    return _FATE_OF_ROUTE.get(route)


class ScenarioService:
    """Builds baselines and runs scenarios against them."""

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        forecasts: ForecastService,
        factor_book: Callable[[], FactorBook],
        materials: Callable[[], WasteMaterials],
        economics: Callable[[], MarketEconomics],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = uow
        self._forecasts = forecasts
        self._factor_book = factor_book
        self._materials = materials
        self._economics = economics
        self._clock = clock

    def default_year(self) -> int:
        """The last complete China calendar year."""
        return self._clock().year - 1

    def baseline(self, actor: Principal | None, region: str, year: int) -> Baseline:
        """The region's streams in `year` (generation, fate shares, mean distance).

        Raises:
            NotAuthenticated: No one is signed in.
            ScenarioInvalid: The region or year is malformed (field `region` or `year`).
            Forbidden: The actor is neither an admin nor a regulator over the region.
        """
        if actor is None:
            raise NotAuthenticated("sign in to build a scenario baseline")
        if not is_region_code(region):
            raise ScenarioInvalid(f"{region!r} is not a six-digit region code", field="region")
        if not 1990 <= year <= 2100:
            raise ScenarioInvalid("the year must lie within 1990-2100", field="year")
        require_oversight(actor, region, field="region")
        start, end = Period.year(year).instants()
        prefix = region_prefix(region)
        with self._uow() as uow:
            generated = uow.generation_series.stream_kg(start, end, prefix)
            fates = uow.generation_series.stream_fates(start, end, prefix)
        materials = self._materials()
        streams, notes = [], []
        unaccounted = Decimal(0)
        for code, sector in sorted(generated):
            kg = generated[(code, sector)]
            stream_fates = fates.get((code, sector))
            shares, missing = self._shares(code, stream_fates, materials)
            unaccounted += missing
            moved_t = (
                sum(stream_fates.kg_by_route.values(), Decimal(0)) / KG_PER_TONNE
                if stream_fates
                else Decimal(0)
            )
            distance = float(stream_fates.tonne_km / moved_t) if stream_fates and moved_t else 0.0
            if stream_fates is None or not any(
                v for r, v in stream_fates.kg_by_route.items() if r is not None
            ):
                notes.append(
                    f"{code}/{sector or '-'}: no fate recorded in {year}; its default route "
                    "from the material table is assumed"
                )
            streams.append(
                StreamBaseline(
                    stream=code,
                    sector=sector,
                    generated_t=float(kg / KG_PER_TONNE),
                    shares=shares,
                    distance_km=distance,
                    material=materials.material_of(code),
                    hazardous=is_hazardous_code(code),
                )
            )
        if unaccounted:
            notes.append(
                f"{float(unaccounted / KG_PER_TONNE):.3f} t disposed by 'other' methods are left "
                "out of the fate shares"
            )
        skipped = len(set(fates) - set(generated))
        if skipped:
            notes.append(f"{skipped} stream(s) met a fate in {year} but were generated earlier")
        return Baseline(region, year, tuple(streams), tuple(notes))

    @staticmethod
    def _shares(
        code: str, fates: StreamFates | None, materials: WasteMaterials
    ) -> tuple[dict[Fate, float], Decimal]:
        """The fate shares of a stream, and the kilograms disposed by `other` left out."""
        kg = dict.fromkeys(Fate, Decimal(0))
        missing = Decimal(0)
        for route, mass in (fates.kg_by_route if fates else {}).items():
            fate = fate_of(route)
            if fate is None:
                missing += mass
            else:
                kg[fate] += mass
        total = sum(kg.values(), Decimal(0))
        if total <= 0:
            row = materials.lookup(code)
            default = fate_of(row.baseline_route.value) if row else None
            shares = dict.fromkeys(Fate, 0.0)
            shares[default or Fate.LANDFILL] = 1.0
            return shares, missing
        shares = {fate: float(v / total) for fate, v in kg.items()}
        # Float rounding must not break the sum-to-one check.
        largest = max(shares, key=lambda f: shares[f])
        shares[largest] += 1.0 - sum(shares.values())
        return shares, missing

    def factors(self, baseline: Baseline) -> ScenarioFactors:
        """The emission factors, costs and freight rates the baseline's streams use."""
        book, economics = self._factor_book(), self._economics()
        emission: dict[tuple[str, Fate], FactorUse] = {}
        cost: dict[tuple[str, Fate], FactorUse] = {}
        for stream in baseline.streams:
            for fate, route in FATE_ROUTES.items():
                if stream.material:
                    factor = book.find(
                        FactorSet.INVENTORY,
                        FactorCategory.WASTE_ROUTE,
                        stream.material,
                        route=route.value,
                        region_code=baseline.region,
                        year=baseline.year,
                    )
                    if factor is not None:
                        emission[(stream.material, fate)] = FactorUse(
                            factor.ref,
                            float(factor.value),
                            factor.unit,
                            f"{factor.source} ({factor.verification.value})",
                        )
                price = _cost(economics, stream.stream, stream.hazardous, route)
                if price is not None:
                    cost[(stream.stream, fate)] = price
        road = book.find(
            FactorSet.INVENTORY,
            FactorCategory.TRANSPORT,
            "road_truck",
            region_code=baseline.region,
            year=baseline.year,
        )
        transport = (
            FactorUse(
                road.ref, float(road.value), road.unit, f"{road.source} ({road.verification.value})"
            )
            if road
            else None
        )
        freight = {
            hazardous: FactorUse(
                f"economics/freight/{key}",
                economics.freight_cny_per_tkm[key],
                "CNY/t.km",
                f"{ECONOMICS_FILE}, freight row '{key}' (illustrative; see SOURCES.md)",
            )
            for hazardous, key in ((True, "hazardous"), (False, "general"))
            if key in economics.freight_cny_per_tkm
        }
        return ScenarioFactors(emission, cost, transport, freight)

    def growth(
        self, actor: Principal, baseline: Baseline, horizon: int
    ) -> tuple[list[tuple[date, float]], str]:
        """Each projected month's generation multiplier, and how it was obtained."""
        first = date(baseline.year + 1, 1, 1)
        months = [add_months(first, i) for i in range(horizon)]
        base_t = sum(s.generated_t for s in baseline.streams) / 12
        if base_t <= 0:
            return [(m, 1.0) for m in months], "no generation in the base year: growth held at 1"
        try:
            # The city's series up to the end of the base year (from its first data).
            _, result = self._forecasts.forecast(
                actor, SeriesLevel.CITY, baseline.region, min(horizon, MAX_HORIZON), end=first
            )
        except SeriesTooShort as exc:
            return [(m, 1.0) for m in months], (
                f"generation held at the base year's monthly mean: {exc.detail}"
            )
        chosen = result.chosen
        growth = [v / base_t for v in chosen.mean]
        growth += [growth[-1]] * (horizon - len(growth))
        how = (
            f"growth from the {chosen.model} forecast of {baseline.region}'s generation "
            f"(chosen by backtest MAE) over the base year's monthly mean {base_t:.3f} t"
        )
        if horizon > MAX_HORIZON:
            how += f"; months after the {MAX_HORIZON}th keep its last growth"
        return list(zip(months, growth, strict=True)), how

    def run(self, actor: Principal | None, raw: Any, *, use_forecast: bool = True) -> Projection:
        """Parse the JSON scenario, build its baseline and project both over its horizon.

        Raises:
            NotAuthenticated, Forbidden: As `baseline`.
            ScenarioInvalid: The scenario is malformed or names an unknown stream or sector.
        """
        if actor is None:
            raise NotAuthenticated("sign in to run a scenario")
        spec = parse_spec(raw, default_year=self.default_year())
        baseline = self.baseline(actor, spec.region, spec.year)
        if use_forecast:
            growth, how = self.growth(actor, baseline, spec.horizon)
        else:
            first = date(spec.year + 1, 1, 1)
            growth = [(add_months(first, i), 1.0) for i in range(spec.horizon)]
            how = "generation held at the base year's monthly mean (no forecast asked for)"
        with_note = Baseline(
            baseline.region, baseline.year, baseline.streams, (*baseline.notes, how)
        )
        return project(with_note, spec, self.factors(baseline), growth)


def _cost(
    economics: MarketEconomics, stream: str, hazardous: bool, route: WasteRoute
) -> FactorUse | None:
    """The disposal cost of a stream by a route (see the module docstring), None if none."""
    key = category_of(stream) if hazardous else stream.upper()
    own = economics.disposal_of(key, hazardous)
    if own.route is route:
        return FactorUse(f"economics/disposal/{own.key}", own.cost_cny_per_t, "CNY/t", own.source)
    same = [
        row
        for row in economics.disposal.values()
        if row.route is route
        and (row.key.startswith("HW") or row.key == HAZARDOUS_DEFAULT) == hazardous
    ]
    if not same:
        return None
    mean = sum(row.cost_cny_per_t for row in same) / len(same)
    kind = "hazardous" if hazardous else "general"
    return FactorUse(
        f"economics/disposal/mean-{kind}-{route.value}",
        mean,
        "CNY/t",
        f"derived: mean of {len(same)} {kind} {route.value} rows of {ECONOMICS_FILE}",
    )
