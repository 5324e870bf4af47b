"""The registry's formulas: from a subject's aggregated figures to values with their inputs.

Each formula returns an `IndicatorValue` naming every figure it used (with where it came
from), the numerator and denominator of a ratio, or why it cannot be computed. Values are
kept to `PLACES`; percentages are ratios × 100.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from zerowaste.domain.indicators import (
    IndicatorDefinition,
    IndicatorInput,
    IndicatorLevel,
    IndicatorValue,
    Period,
)
from zerowaste.domain.statistics import StatisticKind
from zerowaste.indicators.figures import ZERO, Figures

KG_PER_TONNE = Decimal(1000)
CNY_PER_10K = Decimal(10000)
HUNDRED = Decimal(100)
#: Values are kept to this many decimal places (far below any sensible threshold's step).
PLACES = Decimal("0.000001")
LEDGER, ECONOMICS, STATISTICS, CONTRACTS = "ledger", "economic records", "statistics", "contracts"


def ratio(numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    """`numerator ÷ denominator` to `PLACES`; None without a positive denominator."""
    if denominator is None or denominator <= 0:
        return None
    return (numerator / denominator).quantize(PLACES)


def intensity(mass_kg: Decimal, value_cny: Decimal | None) -> Decimal | None:
    """Tonnes per 10,000 CNY; None without a positive value."""
    if value_cny is None:
        return None
    return ratio(mass_kg / KG_PER_TONNE, value_cny / CNY_PER_10K)


def tonnes(kg: Decimal) -> Decimal:
    """Kilograms as tonnes, to `PLACES`."""
    return (kg / KG_PER_TONNE).quantize(PLACES)


class Computation:
    """Builds one value: collects inputs, then `done` (a value) or `missing` (why not)."""

    def __init__(
        self, definition: IndicatorDefinition, level: IndicatorLevel, subject: str, period: Period
    ) -> None:
        self.definition = definition
        self.level = level
        self.subject = subject
        self.period = period
        self.inputs: list[IndicatorInput] = []
        self.notes: list[str] = []

    def use(self, name: str, value: Decimal | None, unit: str, origin: str) -> Decimal | None:
        """Record an input and return its value."""
        self.inputs.append(IndicatorInput(name, value, unit, origin))
        return value

    def done(
        self,
        value: Decimal,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> IndicatorValue:
        """The computed value."""
        return self._value(value.quantize(PLACES), None, numerator, denominator)

    def percent(self, numerator: Decimal, denominator: Decimal, why_not: str) -> IndicatorValue:
        """`numerator ÷ denominator × 100`, or missing with `why_not` for a zero denominator."""
        if denominator <= 0:
            return self.missing(why_not, numerator, denominator)
        return self.done(numerator / denominator * HUNDRED, numerator, denominator)

    def missing(
        self,
        why: str,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
    ) -> IndicatorValue:
        """A value that cannot be computed, and why."""
        return self._value(None, why, numerator, denominator)

    def _value(
        self,
        value: Decimal | None,
        missing: str | None,
        numerator: Decimal | None,
        denominator: Decimal | None,
    ) -> IndicatorValue:
        return IndicatorValue(
            indicator_id=self.definition.indicator_id,
            level=self.level,
            subject=self.subject,
            period=self.period,
            value=value,
            inputs=tuple(self.inputs),
            numerator=numerator,
            denominator=denominator,
            missing=missing,
            notes=tuple(self.notes),
        )


Formula = Callable[[Computation, Figures], IndicatorValue]
NO_FATE = "no waste of the subject met a fate (utilized or disposed) in the period"


def _whole_year(c: Computation, what: str) -> str | None:
    if c.period.whole_year is None:
        return f"{what} are yearly: ask for a whole calendar year"
    return None


def _economic_denominator(c: Computation, f: Figures, column: str, label: str) -> Decimal | None:
    """The summed economic-record figure named `column` (output or added value), as recorded."""
    c.use("firms with economic records", Decimal(f.economic_records), "firms", ECONOMICS)
    value = f.output_value_cny if column == "output" else f.industrial_added_value_cny
    return c.use(label, value, "CNY", ECONOMICS)


def solid_waste_per_output(c: Computation, f: Figures) -> IndicatorValue:
    """All waste generated (t) ÷ output value (10^4 CNY)."""
    kg = c.use("waste generated", f.tally.generated_kg, "kg", LEDGER)
    if why := _whole_year(c, "economic records"):
        return c.missing(why)
    value = _economic_denominator(c, f, "output", "output value")
    result = intensity(kg or ZERO, value)
    if result is None:
        return c.missing("no output value recorded for the year")
    assert value is not None
    return c.done(result, tonnes(kg or ZERO), value / CNY_PER_10K)


def _added_value(c: Computation, f: Figures) -> tuple[Decimal | None, str | None]:
    """Industrial added value: the city's statistic, or the firms' economic records."""
    if why := _whole_year(c, "added values"):
        return None, why
    if c.level is IndicatorLevel.CITY:
        stat = f.statistics.get(StatisticKind.INDUSTRIAL_ADDED_VALUE_CNY)
        if stat is None:
            c.use("industrial added value", None, "CNY", STATISTICS)
            return None, "no industrial_added_value_cny statistic uploaded for the city and year"
        return c.use(
            "industrial added value", stat.value, "CNY", f"statistics: {stat.source}"
        ), None
    value = _economic_denominator(c, f, "added", "industrial added value")
    if value is None:
        return None, "no industrial added value recorded for the year"
    return value, None


def _generation_intensity(hazardous: bool) -> Formula:
    def formula(c: Computation, f: Figures) -> IndicatorValue:
        name = (
            "hazardous waste generated" if hazardous else "general industrial solid waste generated"
        )
        kg = c.use(name, f.tally.hazardous_kg if hazardous else f.tally.general_kg, "kg", LEDGER)
        value, why = _added_value(c, f)
        if why:
            return c.missing(why)
        result = intensity(kg or ZERO, value)
        if result is None or value is None:
            return c.missing("the industrial added value is zero")
        return c.done(result, tonnes(kg or ZERO), value / CNY_PER_10K)

    return formula


def lifecycle_recycling_rate(c: Computation, f: Figures) -> IndicatorValue:
    """Utilized ÷ (utilized + disposed) × 100."""
    used = c.use("waste utilized", f.tally.utilized_kg, "kg", LEDGER) or ZERO
    gone = c.use("waste disposed of", f.tally.disposed_kg, "kg", LEDGER) or ZERO
    return c.percent(used, used + gone, NO_FATE)


def general_iswu_rate(c: Computation, f: Figures) -> IndicatorValue:
    """Utilized ÷ (generated + prior-year stock utilized) × 100, general waste only."""
    t = f.tally
    used = c.use("general waste utilized", t.general_utilized_kg, "kg", LEDGER) or ZERO
    made = c.use("general waste generated", t.general_kg, "kg", LEDGER) or ZERO
    stat = f.statistics.get(StatisticKind.GENERAL_ISWU_PRIOR_STOCK_T)
    if c.level is IndicatorLevel.CITY and stat is not None:
        prior = (
            c.use(
                "prior-year stock utilized",
                stat.value * KG_PER_TONNE,
                "kg",
                f"statistics: {stat.source}",
            )
            or ZERO
        )
        c.notes.append("the prior-year stock term is the uploaded statistic, not the ledger's")
    else:
        prior = (
            c.use("prior-year stock utilized", t.general_utilized_prior_kg, "kg", LEDGER) or ZERO
        )
    return c.percent(used, made + prior, "nothing generated and no prior stock utilized")


def hazardous_utilization_disposal_rate(c: Computation, f: Figures) -> IndicatorValue:
    """(Hazardous utilized + disposed) ÷ (generated + prior stock utilized or disposed) × 100."""
    t = f.tally
    used = c.use("hazardous waste utilized", t.hazardous_utilized_kg, "kg", LEDGER) or ZERO
    gone = c.use("hazardous waste disposed of", t.hazardous_disposed_kg, "kg", LEDGER) or ZERO
    made = c.use("hazardous waste generated", t.hazardous_kg, "kg", LEDGER) or ZERO
    prior = c.use("prior-year stock utilized or disposed", t.hazardous_prior_kg, "kg", LEDGER)
    return c.percent(used + gone, made + (prior or ZERO), "no hazardous waste generated or held")


def landfill_share(c: Computation, f: Figures) -> IndicatorValue:
    """Landfilled ÷ (utilized + disposed) × 100."""
    t = f.tally
    land = c.use("waste landfilled", t.landfill_kg, "kg", LEDGER) or ZERO
    used = c.use("waste utilized", t.utilized_kg, "kg", LEDGER) or ZERO
    gone = c.use("waste disposed of", t.disposed_kg, "kg", LEDGER) or ZERO
    return c.percent(land, used + gone, NO_FATE)


def hazardous_landfill_reduction(c: Computation, f: Figures) -> IndicatorValue:
    """(Previous − this period's hazardous landfill) ÷ previous × 100."""
    now = c.use("hazardous waste landfilled", f.tally.hazardous_landfill_kg, "kg", LEDGER) or ZERO
    before = f.previous.hazardous_landfill_kg if f.previous is not None else None
    c.use(f"hazardous waste landfilled in {c.period.previous().label}", before, "kg", LEDGER)
    if not before:
        return c.missing("no hazardous waste was landfilled in the previous period")
    return c.percent(before - now, before, "no hazardous waste landfilled before")


def supply_chain_carbon_footprint(c: Computation, f: Figures) -> IndicatorValue:
    """The inventory emissions of the subject's waste flows."""
    c.use("waste flows accounted", Decimal(f.emission_flows), "flows", LEDGER)
    if f.emissions_t is None:
        return c.missing("no inventory factors apply to the subject's flows")
    c.use("inventory emissions", f.emissions_t, "t CO2e", "carbon accounting (inventory set)")
    return c.done(f.emissions_t)


def green_procurement_intensity(c: Computation, f: Figures) -> IndicatorValue:
    """Waste of whitelisted suppliers ÷ waste of all suppliers × 100."""
    rows = f.supplier_generation or ()
    green = sum((kg for listed, kg in rows if listed), ZERO)
    total = sum((kg for _, kg in rows), ZERO)
    c.use("suppliers", Decimal(len(rows)), "firms", "chain members")
    c.use(
        "suppliers whitelisted",
        Decimal(sum(1 for listed, _ in rows if listed)),
        "firms",
        "whitelist",
    )
    c.use("waste generated by whitelisted suppliers", green, "kg", LEDGER)
    c.use("waste generated by all suppliers", total, "kg", LEDGER)
    return c.percent(green, total, "the chain's suppliers generated no waste in the period")


def supplier_green_capability(c: Computation, f: Figures) -> IndicatorValue:
    """The mean over suppliers of (whitelisted + utilization rate + (1 − risk)) ÷ 3 × 100."""
    scores = []
    for part in f.capabilities or ():
        terms = [Decimal(int(part.whitelisted))]
        if part.utilization_rate is not None:
            terms.append(min(part.utilization_rate, Decimal(1)))
        if part.risk_score is not None:
            terms.append(Decimal(1) - part.risk_score)
        scores.append(sum(terms, ZERO) / len(terms))
    c.use("firms scored", Decimal(len(scores)), "firms", "whitelist, ledger, risk scores")
    if len(scores) == 1 and f.capabilities:
        part = f.capabilities[0]
        c.use("whitelisted", Decimal(int(part.whitelisted)), "0/1", "whitelist (now)")
        c.use("utilization rate", part.utilization_rate, "ratio", LEDGER)
        c.use("risk score", part.risk_score, "0-1", "oversight risk score (now)")
    if not scores:
        return c.missing("no supplier to score")
    return c.done(sum(scores, ZERO) / len(scores) * HUNDRED)


def policy_strength(c: Computation, f: Figures) -> IndicatorValue:
    """The uploaded policy strength of the city and year."""
    if why := _whole_year(c, "statistics"):
        return c.missing(why)
    stat = f.statistics.get(StatisticKind.POLICY_STRENGTH)
    if stat is None:
        c.use("policy strength", None, "index 0-1", STATISTICS)
        return c.missing("no policy_strength statistic uploaded for the city and year")
    c.use("policy strength", stat.value, "index 0-1", f"statistics: {stat.source}")
    return c.done(stat.value)


def informatization_level(c: Computation, f: Figures) -> IndicatorValue:
    """The mean over firms of the share of the three digital records present × 100."""
    flags = f.flags or ()
    c.use("firms", Decimal(len(flags)), "firms", LEDGER)
    for name, count in (
        ("firms capturing EPCIS events", sum(1 for x in flags if x.epcis_events)),
        ("firms issuing electronic manifests", sum(1 for x in flags if x.electronic_manifests)),
        ("firms with product footprints", sum(1 for x in flags if x.product_footprints)),
    ):
        c.use(name, Decimal(count), "firms", LEDGER)
    if not flags:
        return c.missing("no firm to assess")
    return c.done(sum((x.score for x in flags), ZERO) / len(flags) * HUNDRED)


def revenue_sharing_share(c: Computation, f: Figures) -> IndicatorValue:
    """Contracts with a revenue share ÷ all contracts × 100."""
    contracts = f.contracts or ()
    shared = Decimal(sum(1 for x in contracts if x.revenue_share > 0))
    c.use("contracts", Decimal(len(contracts)), "contracts", CONTRACTS)
    c.use("contracts with a revenue share", shared, "contracts", CONTRACTS)
    return c.percent(shared, Decimal(len(contracts)), "no contract in the period")


def green_premium(c: Computation, f: Figures) -> IndicatorValue:
    """Σ q (p − p̄ of the code) ÷ Σ q over the subject's contracts as supplier."""
    prices = f.market_prices or {}
    mine = [x for x in (f.contracts or ()) if x.subject_supplies and x.waste_code in prices]
    quantity = sum((x.quantity_t for x in mine), ZERO)
    premium = sum((x.quantity_t * (x.price_cny_per_t - prices[x.waste_code]) for x in mine), ZERO)
    c.use("contracts as supplier", Decimal(len(mine)), "contracts", CONTRACTS)
    c.use("contracted quantity", quantity, "t", CONTRACTS)
    c.use("quantity-weighted premium", premium, "CNY", CONTRACTS)
    for code in sorted({x.waste_code for x in mine}):
        c.use(f"platform mean price of {code}", prices[code].quantize(PLACES), "CNY/t", CONTRACTS)
    value = ratio(premium, quantity)
    if value is None:
        return c.missing("no contract as supplier in the period")
    return c.done(value, premium, quantity)


def msw_per_capita_daily(c: Computation, f: Figures) -> IndicatorValue:
    """Municipal solid waste (kg) ÷ resident population ÷ days of the year."""
    if why := _whole_year(c, "statistics"):
        return c.missing(why)
    waste = f.statistics.get(StatisticKind.MUNICIPAL_SOLID_WASTE_T)
    people = f.statistics.get(StatisticKind.RESIDENT_POPULATION)
    for label, stat, unit in (
        ("municipal solid waste", waste, "t"),
        ("resident population", people, "persons"),
    ):
        c.use(
            label,
            stat.value if stat else None,
            unit,
            f"statistics: {stat.source}" if stat else STATISTICS,
        )
    days = Decimal((c.period.end - c.period.start).days)
    c.use("days", days, "days", "calendar")
    if waste is None or people is None:
        return c.missing("needs municipal_solid_waste_t and resident_population statistics")
    if people.value == 0:
        return c.missing("the resident population is zero")
    kg = waste.value * KG_PER_TONNE
    return c.done(kg / people.value / days, kg, people.value * days)


def solid_waste_per_gdp(c: Computation, f: Figures) -> IndicatorValue:
    """All waste generated (t) ÷ GDP (10^4 CNY)."""
    kg = c.use("waste generated", f.tally.generated_kg, "kg", LEDGER) or ZERO
    if why := _whole_year(c, "statistics"):
        return c.missing(why)
    gdp = f.statistics.get(StatisticKind.GDP_CNY)
    c.use(
        "GDP", gdp.value if gdp else None, "CNY", f"statistics: {gdp.source}" if gdp else STATISTICS
    )
    if gdp is None:
        return c.missing("no gdp_cny statistic uploaded for the city and year")
    result = intensity(kg, gdp.value)
    if result is None:
        return c.missing("the GDP is zero")
    return c.done(result, tonnes(kg), gdp.value / CNY_PER_10K)


FORMULAS: dict[str, Formula] = {
    "solid_waste_per_output": solid_waste_per_output,
    "lifecycle_recycling_rate": lifecycle_recycling_rate,
    "supply_chain_carbon_footprint": supply_chain_carbon_footprint,
    "green_procurement_intensity": green_procurement_intensity,
    "supplier_green_capability": supplier_green_capability,
    "policy_strength": policy_strength,
    "informatization_level": informatization_level,
    "revenue_sharing_share": revenue_sharing_share,
    "green_premium": green_premium,
    "general_iswg_intensity": _generation_intensity(hazardous=False),
    "hazardous_iwg_intensity": _generation_intensity(hazardous=True),
    "general_iswu_rate": general_iswu_rate,
    "hazardous_utilization_disposal_rate": hazardous_utilization_disposal_rate,
    "landfill_share": landfill_share,
    "hazardous_landfill_reduction": hazardous_landfill_reduction,
    "msw_per_capita_daily": msw_per_capita_daily,
    "solid_waste_per_gdp": solid_waste_per_gdp,
}


def compute(
    definition: IndicatorDefinition,
    level: IndicatorLevel,
    subject: str,
    period: Period,
    figures: Figures,
) -> IndicatorValue:
    """The value of one indicator for one subject and period.

    Raises:
        KeyError: The registry names an indicator without a formula (a packaging fault).
    """
    return FORMULAS[definition.indicator_id](
        Computation(definition, level, subject, period), figures
    )
