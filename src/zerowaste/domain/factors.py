"""Emission factors with provenance and uncertainty, and the book that resolves lookups.

Two factor sets are kept apart and never summed together (GHG Protocol Scope 3 Standard,
ch. 9, and its category 5 and 12 guidance): *inventory* factors say what managing a waste (or
moving it, or making electricity) emits; *avoided* factors are system-expansion credits against
a baseline (US EPA WARM style), where a negative value is an emission avoided.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zerowaste.errors import FactorNotFound, InvalidDistribution, InvalidInput


class FactorSet(StrEnum):
    """Which accounting a factor belongs to; the two are never added together."""

    INVENTORY = "inventory"
    AVOIDED = "avoided"


class FactorCategory(StrEnum):
    """What a factor is per: a tonne of waste managed by a route, a tonne-km, a kWh."""

    WASTE_ROUTE = "waste_route"
    TRANSPORT = "transport"
    ELECTRICITY = "electricity"
    VIRGIN_PRODUCTION = "virgin_production"
    FUEL = "fuel"


#: The one unit of each category; factors are converted to it when imported.
CATEGORY_UNITS: dict[FactorCategory, str] = {
    FactorCategory.WASTE_ROUTE: "kg CO2e/t",
    FactorCategory.TRANSPORT: "kg CO2e/t.km",
    FactorCategory.ELECTRICITY: "kg CO2e/kWh",
    FactorCategory.VIRGIN_PRODUCTION: "kg CO2e/t",
    FactorCategory.FUEL: "kg CO2e/GJ",
}


class WasteRoute(StrEnum):
    """How a waste is managed, as waste-route factors name it (WARM's practices and China's)."""

    SOURCE_REDUCTION = "source_reduction"
    RECYCLING = "recycling"
    LANDFILL = "landfill"
    INCINERATION = "incineration"
    CO_PROCESSING = "co_processing"
    COMPOSTING = "composting"
    ANAEROBIC_DIGESTION = "anaerobic_digestion"


class Verification(StrEnum):
    """How far a factor's value has been checked against its publisher."""

    #: Checked against the publisher's own document.
    VERIFIED = "verified"
    #: Taken from a public secondary copy; not checked against the publisher.
    TRANSCRIBED = "transcribed"
    #: An illustrative default chosen for the demo: replace before relying on it.
    ILLUSTRATIVE = "illustrative"


class DistributionKind(StrEnum):
    """Shapes of a factor's uncertainty."""

    FIXED = "fixed"
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    TRIANGULAR = "triangular"
    UNIFORM = "uniform"


@dataclass(frozen=True, slots=True)
class Distribution:
    """A factor's uncertainty, relative to its central value.

    - fixed: no uncertainty.
    - normal: `spread` is the standard deviation, in the factor's unit.
    - lognormal: `spread` is the geometric standard deviation (GSD >= 1, ecoinvent style); the
      central value is the median, and a negative value keeps its sign (-lognormal(|value|)).
    - triangular, uniform: `low` and `high` bound the value, in the factor's unit.
    """

    kind: DistributionKind = DistributionKind.FIXED
    spread: float | None = None
    low: float | None = None
    high: float | None = None

    def check(self, value: float, *, field: str = "distribution") -> Distribution:
        """Return self if it describes a distribution around `value`, else `InvalidDistribution`."""
        kind = self.kind
        if kind is DistributionKind.NORMAL and not _positive(self.spread):
            raise InvalidDistribution("a normal needs a positive standard deviation", field=field)
        if kind is DistributionKind.LOGNORMAL:
            if self.spread is None or not math.isfinite(self.spread) or self.spread < 1:
                raise InvalidDistribution("a lognormal needs a GSD of 1 or more", field=field)
            if value == 0:
                raise InvalidDistribution("a lognormal cannot be centred on zero", field=field)
        if kind in (DistributionKind.TRIANGULAR, DistributionKind.UNIFORM):
            low, high = self.low, self.high
            if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
                raise InvalidDistribution(f"a {kind} needs finite low and high", field=field)
            if not low <= value <= high or low == high:
                raise InvalidDistribution(
                    f"needs low < high around the value {value}, got {low}..{high}", field=field
                )
        return self

    def interval_95(self, value: float) -> tuple[float, float]:
        """An approximate central 95 % interval, for display next to the value."""
        kind = self.kind
        if kind is DistributionKind.NORMAL and self.spread is not None:
            return value - 1.96 * self.spread, value + 1.96 * self.spread
        if kind is DistributionKind.LOGNORMAL and self.spread is not None:
            bounds = sorted((value / self.spread**1.96, value * self.spread**1.96))
            return bounds[0], bounds[1]
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return value, value


def _positive(number: float | None) -> bool:
    return number is not None and math.isfinite(number) and number > 0


#: Region of a factor that applies anywhere (a global default).
GLOBAL = ""
#: Region of a factor for the whole of China.
CHINA = "CN"


@dataclass(frozen=True, slots=True)
class FactorKey:
    """What a factor answers: set, category, subject, route, region and year."""

    factor_set: FactorSet
    category: FactorCategory
    subject: str
    route: str
    region: str
    year: int

    @property
    def ref(self) -> str:
        """A stable, readable reference (`avoided/waste_route/steel/recycling/CN/2023`)."""
        region = self.region or "GLO"
        route = self.route or "-"
        return f"{self.factor_set}/{self.category}/{self.subject}/{route}/{region}/{self.year}"


@dataclass(frozen=True, slots=True)
class Factor:
    """One emission factor with its provenance.

    `subject` is a material key for waste-route and virgin-production factors, a transport mode
    (`road_truck`, `rail`, `waterway`), a grid (`grid`) or a fuel. `route` is a `WasteRoute` for
    waste-route factors and empty otherwise. `region` is `GLOBAL`, `CHINA` or a six-digit GB/T
    2260 code (a province ends in 0000). `value` is in `CATEGORY_UNITS[category]`.
    """

    factor_set: FactorSet
    category: FactorCategory
    subject: str
    route: str
    region: str
    year: int
    value: Decimal
    distribution: Distribution
    source: str
    edition: str
    verification: Verification
    note: str = ""

    def __post_init__(self) -> None:
        if not self.subject.strip():
            raise InvalidInput("must not be empty", field="subject")
        if self.category is FactorCategory.WASTE_ROUTE:
            if self.route not in set(WasteRoute):
                raise InvalidInput(f"{self.route!r} is not a waste route", field="route")
        elif self.route:
            raise InvalidInput(
                f"only waste-route factors have a route, not {self.category}", field="route"
            )
        if not self.value.is_finite():
            raise InvalidInput("must be a finite number", field="value")
        if not 1900 <= self.year <= 2100:
            raise InvalidInput(f"{self.year} is not a plausible year", field="year")
        if not self.source.strip():
            raise InvalidInput("every factor needs its source", field="source")
        self.distribution.check(float(self.value))

    @property
    def key(self) -> FactorKey:
        """What this factor answers."""
        return FactorKey(
            self.factor_set, self.category, self.subject, self.route, self.region, self.year
        )

    @property
    def ref(self) -> str:
        """The stable reference pages and reports link to."""
        return self.key.ref

    @property
    def unit(self) -> str:
        """The factor's unit."""
        return CATEGORY_UNITS[self.category]


def region_fallbacks(region_code: str) -> tuple[str, ...]:
    """The regions to try for a site in `region_code`, most specific first.

    A county (`320506`) falls back to its prefecture (`320500`), its province (`320000`),
    China and then the global default.
    """
    if not region_code or region_code in (CHINA, GLOBAL):
        return (region_code, GLOBAL) if region_code == CHINA else (GLOBAL,)
    chain = [region_code, region_code[:4] + "00", region_code[:2] + "0000", CHINA, GLOBAL]
    return tuple(dict.fromkeys(chain))


class FactorBook:
    """The factors of one dataset version, resolving lookups by region and year."""

    def __init__(self, factors: Iterable[Factor], *, dataset: str = "") -> None:
        self.dataset = dataset
        self._by_subject: dict[tuple[FactorSet, FactorCategory, str, str], list[Factor]] = {}
        for factor in factors:
            key = (factor.factor_set, factor.category, factor.subject, factor.route)
            self._by_subject.setdefault(key, []).append(factor)

    def __iter__(self) -> Iterator[Factor]:
        """Every factor, in no particular order."""
        for group in self._by_subject.values():
            yield from group

    def __len__(self) -> int:
        return sum(len(group) for group in self._by_subject.values())

    def find(
        self,
        factor_set: FactorSet,
        category: FactorCategory,
        subject: str,
        *,
        route: str = "",
        region_code: str = CHINA,
        year: int | None = None,
    ) -> Factor | None:
        """The factor for a subject (and route) in the most specific region that has one.

        Within a region the newest year not after `year` wins; if every year is later, the
        earliest. `year` None takes the newest.
        """
        group = self._by_subject.get((factor_set, category, subject, route), [])
        for region in region_fallbacks(region_code):
            candidates = [factor for factor in group if factor.region == region]
            if candidates:
                return _nearest_year(candidates, year)
        return None

    def get(
        self,
        factor_set: FactorSet,
        category: FactorCategory,
        subject: str,
        *,
        route: str = "",
        region_code: str = CHINA,
        year: int | None = None,
    ) -> Factor:
        """Like `find`, but a missing factor raises `FactorNotFound`."""
        factor = self.find(
            factor_set, category, subject, route=route, region_code=region_code, year=year
        )
        if factor is None:
            what = f"{factor_set} {category} factor for {subject!r}" + (
                f" by {route}" if route else ""
            )
            raise FactorNotFound(f"no {what} in {region_code or 'any region'}", field="subject")
        return factor


def _nearest_year(candidates: list[Factor], year: int | None) -> Factor:
    ordered = sorted(candidates, key=lambda factor: factor.year)
    if year is None:
        return ordered[-1]
    earlier = [factor for factor in ordered if factor.year <= year]
    return earlier[-1] if earlier else ordered[0]
