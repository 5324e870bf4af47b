"""CBAM activity data of an installation for a quarter: goods, routes, source streams, precursors.

Follows Regulation (EU) 2023/956 (CBAM), Annex I (goods by CN code) and Annex IV (embedded
emissions), and Implementing Regulation (EU) 2023/1773 (transitional-period reporting), Annex II
(aggregated goods categories, production routes) and Annex III (monitoring: production processes,
source streams, attribution, precursors, electricity, carbon price due).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from zerowaste.errors import CbamRouteMismatch, InvalidInput, InvalidPeriod, UnknownCnCode


class CbamSector(StrEnum):
    """The CBAM sectors of Annex I the demo city has (not fertilisers, hydrogen, electricity)."""

    IRON_STEEL = "iron_steel"
    ALUMINIUM = "aluminium"
    CEMENT = "cement"


@dataclass(frozen=True, slots=True)
class CnGood:
    """A CBAM good: CN code (4 to 8 digits), description, sector, aggregated goods category."""

    cn_code: str
    description: str
    sector: CbamSector
    category: str
    source: str


def normalize_cn(raw: str, *, field: str = "cn_code") -> str:
    """The CN code without spaces or dots (`7208 10 00` -> `72081000`), or `InvalidInput`."""
    code = re.sub(r"[\s.]", "", str(raw))
    if not re.fullmatch(r"\d{4}(\d{2}){0,2}", code):
        raise InvalidInput(f"{raw!r} is not a CN code of 4, 6 or 8 digits", field=field)
    return code


class CnCodes:
    """The CBAM goods list; a code resolves to the most specific listed heading it falls under."""

    def __init__(self, goods: Iterable[CnGood]) -> None:
        self._goods = {good.cn_code: good for good in goods}

    def __iter__(self) -> Any:
        """Every listed good, by code."""
        return iter(sorted(self._goods.values(), key=lambda good: good.cn_code))

    def lookup(self, raw: str, *, field: str = "cn_code") -> CnGood:
        """The listed good `raw` falls under, or `UnknownCnCode` naming `field`."""
        code = normalize_cn(raw, field=field)
        for length in (8, 6, 4):
            good = self._goods.get(code[:length])
            if good is not None and len(good.cn_code) <= len(code):
                return good
        raise UnknownCnCode(f"{code} is not a CBAM good of Annex I in this list", field=field)


class ProductionRoute(StrEnum):
    """Production routes of 2023/1773 Annex II, named as a plant knows them."""

    SINTERING = "sintering"
    BLAST_FURNACE = "blast_furnace"
    DIRECT_REDUCTION = "direct_reduction"
    BF_BOF = "bf_bof"
    DRI_EAF = "dri_eaf"
    SCRAP_EAF = "scrap_eaf"
    STEEL_PRODUCTS = "steel_products"
    PRIMARY_HALL_HEROULT = "primary_hall_heroult"
    SECONDARY_REMELTING = "secondary_remelting"
    ALUMINIUM_PRODUCTS = "aluminium_products"
    GREY_CLINKER = "grey_clinker"
    WHITE_CLINKER = "white_clinker"
    CEMENT_GRINDING = "cement_grinding"


#: Which aggregated goods categories each route may produce (2023/1773 Annex II).
ROUTE_CATEGORIES: dict[ProductionRoute, frozenset[str]] = {
    ProductionRoute.SINTERING: frozenset({"sintered_ore"}),
    ProductionRoute.BLAST_FURNACE: frozenset({"pig_iron"}),
    ProductionRoute.DIRECT_REDUCTION: frozenset({"direct_reduced_iron"}),
    ProductionRoute.BF_BOF: frozenset({"crude_steel"}),
    ProductionRoute.DRI_EAF: frozenset({"crude_steel"}),
    ProductionRoute.SCRAP_EAF: frozenset({"crude_steel"}),
    ProductionRoute.STEEL_PRODUCTS: frozenset({"iron_or_steel_products"}),
    ProductionRoute.PRIMARY_HALL_HEROULT: frozenset({"unwrought_aluminium"}),
    ProductionRoute.SECONDARY_REMELTING: frozenset({"unwrought_aluminium", "aluminium_products"}),
    ProductionRoute.ALUMINIUM_PRODUCTS: frozenset({"aluminium_products"}),
    ProductionRoute.GREY_CLINKER: frozenset({"cement_clinker"}),
    ProductionRoute.WHITE_CLINKER: frozenset({"cement_clinker"}),
    ProductionRoute.CEMENT_GRINDING: frozenset({"cement", "aluminous_cement"}),
}


class ElectricitySupply(StrEnum):
    """Where consumed electricity comes from, which decides its emission factor (Annex III)."""

    #: The grid: the factor comes from the library for the site's region and the period's year.
    GRID = "grid"
    #: A power purchase agreement: the factor is entered with its source.
    PPA = "ppa"
    #: Generated in the installation: the factor is entered with its source.
    OWN_GENERATION = "own_generation"


class PrecursorOrigin(StrEnum):
    """Where a precursor's specific embedded emissions come from."""

    #: Made by another production process of this installation: computed in the same report.
    OWN_INSTALLATION = "own_installation"
    #: Declared by the supplying installation (its communication to us).
    SUPPLIER = "supplier"
    #: A default value published by the Commission for the transitional period.
    DEFAULT_VALUE = "default_value"


@dataclass(frozen=True, slots=True)
class FuelUse:
    """A fuel source stream: energy in GJ (net calorific value); the factor from the library.

    An entered `factor_kg_per_gj` (with `factor_source`) replaces the library factor.
    """

    fuel: str
    energy_gj: Decimal
    factor_kg_per_gj: Decimal | None = None
    factor_source: str = ""


@dataclass(frozen=True, slots=True)
class ProcessEmission:
    """Process emissions determined by the operator, e.g. carbonate calcination, in t CO2e."""

    label: str
    co2e_t: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class ElectricityUse:
    """Electricity consumed by the process, in MWh, and where its factor comes from."""

    energy_mwh: Decimal
    supply: ElectricitySupply = ElectricitySupply.GRID
    factor_kg_per_kwh: Decimal | None = None
    factor_source: str = ""


@dataclass(frozen=True, slots=True)
class PrecursorUse:
    """A relevant precursor consumed by the process (2023/1773 Annex II).

    `see_direct_t` and `see_indirect_t` are t CO2e per t of precursor; for an own-installation
    precursor they are computed from `process` instead and must be left out.
    """

    cn_code: str
    quantity_t: Decimal
    origin: PrecursorOrigin
    process: str = ""
    see_direct_t: Decimal | None = None
    see_indirect_t: Decimal | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class GoodOutput:
    """A good the process produced in the period (its activity level, in tonnes)."""

    cn_code: str
    quantity_t: Decimal


@dataclass(frozen=True, slots=True)
class ProductionProcess:
    """A production process of the installation: one aggregated goods category, one route."""

    name: str
    route: ProductionRoute
    goods: tuple[GoodOutput, ...]
    fuels: tuple[FuelUse, ...] = ()
    process_emissions: tuple[ProcessEmission, ...] = ()
    electricity: tuple[ElectricityUse, ...] = ()
    precursors: tuple[PrecursorUse, ...] = ()


@dataclass(frozen=True, slots=True)
class CarbonPrice:
    """A carbon price due in the country of production (2023/956 Art. 35; 2023/1773 recital 2).

    `price_per_t_co2e` is what one tonne of covered emissions costs under `instrument`;
    `rebate_per_t_co2e` what is given back per tonne (free allocation, compensation);
    `covered_share` the share of the direct embedded emissions the instrument covers.
    """

    instrument: str
    country_code: str
    price_per_t_co2e: Decimal
    currency: str
    rebate_per_t_co2e: Decimal = Decimal(0)
    covered_share: Decimal = Decimal(1)
    source: str = ""

    @property
    def net_per_t_co2e(self) -> Decimal:
        """Price less rebate, per tonne of covered emissions."""
        return self.price_per_t_co2e - self.rebate_per_t_co2e


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    """A calendar quarter (`2025-Q3`)."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, raw: str, *, field: str = "period") -> ReportingPeriod:
        """Read `YYYY-Qn`, or `InvalidPeriod` naming `field`."""
        match = re.fullmatch(r"(\d{4})-Q([1-4])", str(raw).strip())
        if match is None or not 2000 <= int(match.group(1)) <= 2100:
            raise InvalidPeriod(f"{raw!r} is not a quarter like 2025-Q3", field=field)
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"


@dataclass(frozen=True, slots=True)
class CbamSubmission:
    """The activity data of one installation (a registered site) for one quarter."""

    site_id: str
    period: ReportingPeriod
    processes: tuple[ProductionProcess, ...]
    carbon_price: CarbonPrice | None = None
    note: str = ""


def check_routes(submission: CbamSubmission, codes: CnCodes) -> None:
    """Each process makes goods of one aggregated category, one its route can make."""
    for p_index, process in enumerate(submission.processes):
        allowed = ROUTE_CATEGORIES[process.route]
        categories = set()
        for g_index, output in enumerate(process.goods):
            field = f"processes[{p_index}].goods[{g_index}].cn_code"
            good = codes.lookup(output.cn_code, field=field)
            if good.category not in allowed:
                raise CbamRouteMismatch(
                    f"route {process.route} does not make {good.category} ({good.cn_code})",
                    field=field,
                )
            categories.add(good.category)
        if len(categories) > 1:
            raise CbamRouteMismatch(
                "a production process makes one aggregated goods category, not "
                + ", ".join(sorted(categories)),
                field=f"processes[{p_index}].goods",
            )
        for r_index, precursor in enumerate(process.precursors):
            codes.lookup(precursor.cn_code, field=f"processes[{p_index}].precursors[{r_index}]")


_E = TypeVar("_E", bound=StrEnum)


def number(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """A finite, non-negative decimal from JSON (number or string), or `InvalidInput`."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput("must be a number", field=field)
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not a number", field=field) from None
    if not result.is_finite() or result < 0:
        raise InvalidInput("must be a finite number, not negative", field=field)
    if positive and result == 0:
        raise InvalidInput("must be more than zero", field=field)
    if result > Decimal("1e12"):
        raise InvalidInput("is implausibly large", field=field)
    return result


def text(value: Any, field: str, *, required: bool = True, max_chars: int = 500) -> str:
    """A stripped string from JSON, or `InvalidInput`."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(
            "must be a non-empty string" if required else "must be text", field=field
        )
    if len(value) > max_chars:
        raise InvalidInput(f"is longer than {max_chars} characters", field=field)
    return value.strip()


def choice(kind: type[_E], value: Any, field: str) -> _E:
    """A member of `kind` by value, or `InvalidInput` listing the choices."""
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not one of {', '.join(item.value for item in kind)}", field=field
        ) from None


def items(
    data: Mapping[str, Any], key: str, field: str, *, required: bool = False
) -> Sequence[Any]:
    """The list under `key` (empty when absent), or `InvalidInput`."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InvalidInput("must be a list", field=field)
    if required and not value:
        raise InvalidInput("must list at least one", field=field)
    if len(value) > 200:
        raise InvalidInput("lists more than 200", field=field)
    return value


def mapping(value: Any, field: str) -> Mapping[str, Any]:
    """A JSON object, or `InvalidInput`."""
    if not isinstance(value, Mapping):
        raise InvalidInput("must be an object", field=field)
    return value
