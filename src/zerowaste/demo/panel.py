"""A synthetic firm × city × year research panel with planted effects, for the evaluation workbench.

The data-generating process (all coefficients in `PanelTruth`):

- Cities join the zero-waste city pilot in staggered cohorts; some never do.
  `pilot = 1` from the joining year on.
- Treatment D, `green_procurement` (share of purchases from certified green suppliers, 0-1):
  firm effect + common year trend + `procurement_on_log_output` · log_output
  + θ(e) after the city joins (e = years since joining, θ = `pilot_profile`) + noise.
- Mediator M, `informatization` (index 0-100):
  firm effect + year effect + a · D + `informatization_on_log_employees` · log(employees) + noise.
- Outcome Y, `waste_intensity` (t of solid waste per 10^4 CNY of output, lower is better):
  firm effect + year effect + c′ · D + b · M + `waste_on_log_output` · log_output + noise.

So the effect of D on Y is c = c′ + a·b (direct plus through M), the pilot moves Y only
through D (event-time effect θ(e)·c on Y), and there are no effects before joining. Every
noise term is a Gaussian cut at ±3 standard deviations, so no variable leaves its range and
nothing is clipped. Firm names are invented (`F0001`…); cities are real prefecture codes the
caller passes in. Nothing here is observed data.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from zerowaste.demo.geography import (
    HOME_PREFECTURE,
    HOME_PROVINCE,
    NEIGHBOUR_PREFECTURE,
    NEIGHBOUR_PROVINCE,
)
from zerowaste.domain.regions import Region, RegionLevel
from zerowaste.errors import InvalidInput

#: The panel's columns, in this order.
PANEL_HEADER = (
    "firm",
    "city",
    "year",
    "waste_intensity",
    "green_procurement",
    "informatization",
    "pilot",
    "log_output",
    "employees",
)
#: Default years of the panel.
PANEL_YEARS = tuple(range(2014, 2026))
#: Default number of firms.
PANEL_FIRMS = 400
#: Default number of cities.
PANEL_CITIES = 20
#: Cohorts (first pilot year) cities are dealt to; `None` never joins.
PANEL_COHORTS: tuple[int | None, ...] = (2017, 2019, 2021, 2023, None)

#: One row: the firm and city codes as text, year, pilot and employees as int, the rest float.
PanelRow = dict[str, str | int | float]


@dataclass(frozen=True, slots=True)
class PanelTruth:
    """The values planted in a research panel, kept apart from the rows.

    Attributes:
        seed: The random seed.
        a: Effect of D (green procurement share) on M (informatization points).
        b: Effect of M on Y (t/10^4 CNY per point).
        c_prime: Direct effect of D on Y.
        waste_on_log_output: Effect of log_output on Y.
        procurement_on_log_output: Effect of log_output on D.
        informatization_on_log_employees: Effect of log(employees) on M.
        pilot_profile: θ(e): the pilot's effect on D e = 0, 1, … years after joining; the
            last value holds for every later year. Zero before joining.
        cohorts: Each city's first pilot year, None if it never joins.
        noise_sd: Standard deviation of the noise of Y, D and M (before the ±3 sd cut).
        firms: Number of firms.
        years: The panel's years.
    """

    seed: int
    a: float
    b: float
    c_prime: float
    waste_on_log_output: float
    procurement_on_log_output: float
    informatization_on_log_employees: float
    pilot_profile: tuple[float, ...]
    cohorts: dict[str, int | None]
    noise_sd: dict[str, float]
    firms: int
    years: tuple[int, ...]

    @property
    def indirect(self) -> float:
        """The mediated effect a·b of D on Y."""
        return self.a * self.b

    @property
    def c(self) -> float:
        """The total effect of D on Y, c = c′ + a·b."""
        return self.c_prime + self.a * self.b

    def pilot_effect(self, event_time: int, variable: str = "waste_intensity") -> float:
        """The planted effect of the pilot on `variable` `event_time` years after joining.

        Args:
            event_time: Year minus the city's joining year (negative: before joining).
            variable: `green_procurement`, `informatization` or `waste_intensity`.
        """
        if event_time < 0:
            return 0.0
        theta = self.pilot_profile[min(event_time, len(self.pilot_profile) - 1)]
        per_unit_of_d = {
            "green_procurement": 1.0,
            "informatization": self.a,
            "waste_intensity": self.c,
        }
        if variable not in per_unit_of_d:
            raise KeyError(variable)
        return theta * per_unit_of_d[variable]


@dataclass(frozen=True, slots=True)
class ResearchPanel:
    """The rows (`PANEL_HEADER` keys, ordered by firm then year) and the planted truth."""

    rows: tuple[PanelRow, ...]
    truth: PanelTruth

    def csv(self) -> str:
        """The rows as CSV text with `PANEL_HEADER`."""
        return panel_csv(self.rows)


def panel_cities(regions: Iterable[Region], count: int = PANEL_CITIES) -> tuple[str, ...]:
    """`count` prefecture codes for the panel from the reference regions, demo cities first.

    The demo's two prefectures come first, then the other prefectures of their provinces, then
    the rest, each group in code order.

    Raises:
        InvalidInput: If `count` is below 1 or there are fewer prefectures (field `count`).
    """
    provinces = (HOME_PROVINCE[:2], NEIGHBOUR_PROVINCE[:2])
    demo = (HOME_PREFECTURE, NEIGHBOUR_PREFECTURE)
    codes = sorted(
        {r.code for r in regions if r.level is RegionLevel.PREFECTURE},
        key=lambda code: (code not in demo, code[:2] not in provinces, code),
    )
    if not 1 <= count <= len(codes):
        raise InvalidInput(f"must be between 1 and {len(codes)}", field="count")
    return tuple(codes[:count])


def research_panel(
    cities: Sequence[str],
    seed: int = 7,
    *,
    firms: int = PANEL_FIRMS,
    years: Sequence[int] = PANEL_YEARS,
    cohorts: Mapping[str, int | None] | None = None,
) -> ResearchPanel:
    """A balanced synthetic panel of `firms` firms over `years`; same arguments, same panel.

    Args:
        cities: Prefecture codes (GB/T 2260) to place firms in, e.g. about 20 taken from the
            reference regions; each is dealt a pilot cohort (`PANEL_COHORTS`) in turn after
            a seeded shuffle, so every cohort has cities when there are at least five.
        seed: The random seed.
        firms: Number of firms (every city gets at least one).
        years: Consecutive calendar years (at least 4).
        cohorts: First pilot years (None: never) that override the dealt ones for the cities
            they name, e.g. the demo prefectures' years from `statistics.pilot_years`, so
            both data sets agree on them.

    Raises:
        InvalidInput: If `cities` is empty, repeats or holds a malformed code (field
            `cities`), `firms` is not between len(cities) and 10,000 (field `firms`),
            `years` are not 4 to 40 consecutive years (field `years`), or `cohorts` names
            another city or a year outside 1990-2100 (field `cohorts`).
    """
    _check(cities, firms, years, cohorts or {})
    rng = random.Random(f"panel:{seed}")
    truth = _truth(seed, cities, rng, firms, tuple(years), cohorts or {})
    homes = list(cities) + [rng.choice(cities) for _ in range(firms - len(cities))]
    rng.shuffle(homes)
    rows: list[PanelRow] = []
    for number, city in enumerate(homes, start=1):
        rows += _firm_rows(rng, truth, f"F{number:04d}", city)
    return ResearchPanel(tuple(rows), truth)


def panel_csv(rows: Sequence[PanelRow]) -> str:
    """Panel rows as CSV text with `PANEL_HEADER`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, PANEL_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _check(
    cities: Sequence[str], firms: int, years: Sequence[int], cohorts: Mapping[str, int | None]
) -> None:
    if not cities or len(set(cities)) != len(cities):
        raise InvalidInput("name at least one city, each once", field="cities")
    if any(len(code) != 6 or not code.isdigit() for code in cities):
        raise InvalidInput("cities must be 6-digit GB/T 2260 codes", field="cities")
    if not len(cities) <= firms <= 10_000:
        raise InvalidInput(f"must be between {len(cities)} and 10000", field="firms")
    span = list(years)
    if not 4 <= len(span) <= 40 or span != list(range(span[0], span[0] + len(span))):
        raise InvalidInput("must be 4 to 40 consecutive years", field="years")
    if span[0] < 1990 or span[-1] > 2100:
        raise InvalidInput("must lie within 1990-2100", field="years")
    if not set(cohorts) <= set(cities):
        raise InvalidInput("cohorts may only name the panel's cities", field="cohorts")
    if any(year is not None and not 1990 <= year <= 2100 for year in cohorts.values()):
        raise InvalidInput("first pilot years must lie within 1990-2100", field="cohorts")


def _truth(
    seed: int,
    cities: Sequence[str],
    rng: random.Random,
    firms: int,
    years: tuple[int, ...],
    pinned: Mapping[str, int | None],
) -> PanelTruth:
    order = list(cities)
    rng.shuffle(order)
    dealt = {city: PANEL_COHORTS[i % len(PANEL_COHORTS)] for i, city in enumerate(order)}
    cohorts = {city: pinned[city] if city in pinned else dealt[city] for city in cities}
    return PanelTruth(
        seed=seed,
        a=20.0,
        b=-0.004,
        c_prime=-0.15,
        waste_on_log_output=-0.05,
        procurement_on_log_output=0.10,
        informatization_on_log_employees=2.0,
        pilot_profile=(0.03, 0.06, 0.08, 0.10, 0.11, 0.12),
        cohorts=cohorts,
        noise_sd={"waste_intensity": 0.02, "green_procurement": 0.03, "informatization": 3.0},
        firms=firms,
        years=years,
    )


def _noise(rng: random.Random, sd: float) -> float:
    """A Gaussian draw cut at ±3 standard deviations (redrawn beyond; mean stays zero)."""
    while True:
        z = rng.gauss(0.0, 1.0)
        if abs(z) <= 3.0:
            return z * sd


def _firm_rows(rng: random.Random, truth: PanelTruth, firm: str, city: str) -> list[PanelRow]:
    """One firm's rows: its effects, then year by year."""
    first = truth.years[0]
    joins = truth.cohorts[city]
    sd = truth.noise_sd
    size = rng.uniform(math.log(2_000), math.log(200_000))  # log output, 10^4 CNY, first year
    growth = rng.uniform(-0.02, 0.10)
    log_employees_gap = rng.uniform(-0.3, 0.3)
    d_level = rng.uniform(0.13, 0.30)
    m_level = rng.uniform(15.0, 45.0)
    y_level = rng.uniform(0.55, 1.40)
    rows: list[PanelRow] = []
    for year in truth.years:
        t = year - first
        log_output = size + growth * t + rng.uniform(-0.05, 0.05)
        employees = max(20, round(math.exp(0.75 * log_output - 1.2 + log_employees_gap)))
        pilot = int(joins is not None and year >= joins)
        theta = truth.pilot_effect(year - joins, "green_procurement") if joins is not None else 0.0
        d = (
            d_level
            + 0.01 * t
            + truth.procurement_on_log_output * (log_output - size)
            + theta
            + _noise(rng, sd["green_procurement"])
        )
        m = (
            m_level
            + 1.5 * t
            + truth.a * (d - d_level)
            + truth.informatization_on_log_employees * math.log(employees / 100)
            + _noise(rng, sd["informatization"])
        )
        y = (
            y_level
            - 0.012 * t
            + truth.c_prime * (d - d_level)
            + truth.b * (m - m_level)
            + truth.waste_on_log_output * (log_output - size)
            + _noise(rng, sd["waste_intensity"])
        )
        rows.append(
            {
                "firm": firm,
                "city": city,
                "year": year,
                "waste_intensity": round(y, 6),
                "green_procurement": round(d, 6),
                "informatization": round(m, 4),
                "pilot": pilot,
                "log_output": round(log_output, 6),
                "employees": employees,
            }
        )
    return rows
