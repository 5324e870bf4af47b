"""The aggregated figures indicator formulas read: one subject's ledger tallies and the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zerowaste.domain.statistics import RegionStatistic, StatisticKind

ZERO = Decimal(0)


@dataclass(slots=True)
class Tally:
    """The ledger's waste figures of one subject and period, in kilograms (after corrections).

    Generation counts the `generated` events at the subject's sites; fates count the
    utilizations (`transformed`) and disposals of waste the subject generated, wherever they
    happened. `*_prior_kg` are the parts of fates from batches made before the period.
    """

    general_kg: Decimal = ZERO
    hazardous_kg: Decimal = ZERO
    generated_lines: int = 0
    general_utilized_kg: Decimal = ZERO
    general_utilized_prior_kg: Decimal = ZERO
    general_disposed_kg: Decimal = ZERO
    hazardous_utilized_kg: Decimal = ZERO
    hazardous_disposed_kg: Decimal = ZERO
    hazardous_utilized_prior_kg: Decimal = ZERO
    hazardous_disposed_prior_kg: Decimal = ZERO
    landfill_kg: Decimal = ZERO
    hazardous_landfill_kg: Decimal = ZERO

    @property
    def generated_kg(self) -> Decimal:
        """Every waste generated."""
        return self.general_kg + self.hazardous_kg

    @property
    def hazardous_prior_kg(self) -> Decimal:
        """Hazardous waste from batches made before the period, utilized or disposed of."""
        return self.hazardous_utilized_prior_kg + self.hazardous_disposed_prior_kg

    @property
    def utilized_prior_kg(self) -> Decimal:
        """Every waste utilized from batches made before the period."""
        return self.general_utilized_prior_kg + self.hazardous_utilized_prior_kg

    @property
    def utilized_kg(self) -> Decimal:
        """Every waste utilized."""
        return self.general_utilized_kg + self.hazardous_utilized_kg

    @property
    def disposed_kg(self) -> Decimal:
        """Every waste disposed of."""
        return self.general_disposed_kg + self.hazardous_disposed_kg


@dataclass(frozen=True, slots=True)
class ContractFigure:
    """One market contract as the contract indicators read it."""

    waste_code: str
    quantity_t: Decimal
    price_cny_per_t: Decimal
    revenue_share: Decimal
    subject_supplies: bool


@dataclass(frozen=True, slots=True)
class FirmFlags:
    """What the informatization indicator checks of one firm in a period."""

    epcis_events: bool
    electronic_manifests: bool
    product_footprints: bool

    @property
    def score(self) -> Decimal:
        """The share of the three present, 0 to 1."""
        return (
            Decimal(sum((self.epcis_events, self.electronic_manifests, self.product_footprints)))
            / 3
        )


@dataclass(frozen=True, slots=True)
class Capability:
    """One supplier's green capability parts: whitelist, utilization rate, risk (0-1 or None)."""

    whitelisted: bool
    utilization_rate: Decimal | None
    risk_score: Decimal | None


@dataclass(slots=True)
class Figures:
    """Everything the formulas of one subject and period may read; parts not read stay None.

    `output_value_cny` and `industrial_added_value_cny` sum the economic records of the
    subject's firms for a whole-year period (None without any record or for other periods);
    `statistics` are the city's uploaded statistics of that year.
    """

    tally: Tally
    previous: Tally | None = None
    economic_records: int = 0
    output_value_cny: Decimal | None = None
    industrial_added_value_cny: Decimal | None = None
    statistics: dict[StatisticKind, RegionStatistic] = field(default_factory=dict)
    emissions_t: Decimal | None = None
    emission_flows: int = 0
    contracts: tuple[ContractFigure, ...] | None = None
    market_prices: dict[str, Decimal] | None = None
    flags: tuple[FirmFlags, ...] | None = None
    capabilities: tuple[Capability, ...] | None = None
    supplier_generation: tuple[tuple[bool, Decimal], ...] | None = None
