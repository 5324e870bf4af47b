"""Statistics the platform cannot observe (added value, population, …), uploaded per region-year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zerowaste.errors import InvalidInput

#: The largest value any statistic may take (a guard against unit slips, e.g. yuan for 万元).
MAX_STATISTIC = Decimal("1e16")


class StatisticKind(StrEnum):
    """A statistic the indicator registry needs from outside the ledger; values carry its unit.

    - `gdp_cny`: regional gross domestic product, yuan.
    - `industrial_added_value_cny`: industrial added value (工业增加值), yuan.
    - `resident_population`: resident population (常住人口), persons.
    - `general_iswu_prior_stock_t`: general industrial solid waste taken from earlier years'
      storage and utilized in the year (综合利用往年贮存量), tonnes, when the statistics
      bureau reports it for the region.
    - `municipal_solid_waste_t`: municipal (household) solid waste collected, tonnes.
    - `policy_strength`: local zero-waste policy strength, an index in [0, 1] the uploader
      defines (e.g. share of a checklist of measures adopted); the seed paper's driver.
    - `zero_waste_pilot`: 1 if the region is a zero-waste city (无废城市) pilot in the year,
      else 0.
    """

    GDP_CNY = "gdp_cny"
    INDUSTRIAL_ADDED_VALUE_CNY = "industrial_added_value_cny"
    RESIDENT_POPULATION = "resident_population"
    GENERAL_ISWU_PRIOR_STOCK_T = "general_iswu_prior_stock_t"
    MUNICIPAL_SOLID_WASTE_T = "municipal_solid_waste_t"
    POLICY_STRENGTH = "policy_strength"
    ZERO_WASTE_PILOT = "zero_waste_pilot"

    @property
    def unit(self) -> str:
        """The unit values of this kind are in."""
        return _UNITS[self]

    @property
    def maximum(self) -> Decimal:
        """The largest value accepted."""
        return Decimal(1) if self in _SHARES else MAX_STATISTIC


_UNITS = {
    StatisticKind.GDP_CNY: "CNY",
    StatisticKind.INDUSTRIAL_ADDED_VALUE_CNY: "CNY",
    StatisticKind.RESIDENT_POPULATION: "persons",
    StatisticKind.GENERAL_ISWU_PRIOR_STOCK_T: "t",
    StatisticKind.MUNICIPAL_SOLID_WASTE_T: "t",
    StatisticKind.POLICY_STRENGTH: "index 0-1",
    StatisticKind.ZERO_WASTE_PILOT: "0/1",
}
_SHARES = {StatisticKind.POLICY_STRENGTH, StatisticKind.ZERO_WASTE_PILOT}


@dataclass(frozen=True, slots=True)
class RegionStatistic:
    """One statistic of one region (GB/T 2260 code) for one calendar year, with its source."""

    region_code: str
    year: int
    kind: StatisticKind
    value: Decimal
    source: str

    def __post_init__(self) -> None:
        if len(self.region_code) != 6 or not self.region_code.isdigit():
            raise InvalidInput(f"{self.region_code!r} is not a 6-digit code", field="region_code")
        if not 1990 <= self.year <= 2100:
            raise InvalidInput(f"{self.year} is outside 1990-2100", field="year")
        if not self.value.is_finite() or self.value < 0:
            raise InvalidInput("must be a non-negative number", field="value")
        if self.value > self.kind.maximum:
            raise InvalidInput(
                f"{self.value} exceeds {self.kind.maximum} {self.kind.unit}", field="value"
            )
        if self.kind is StatisticKind.ZERO_WASTE_PILOT and self.value not in (0, 1):
            raise InvalidInput("zero_waste_pilot must be 0 or 1", field="value")
        if not self.source.strip():
            raise InvalidInput("name where the figure comes from", field="source")
