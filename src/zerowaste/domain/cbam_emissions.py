"""Specific embedded emissions per production process and good (CBAM, transitional period).

Per Regulation (EU) 2023/956 Annex IV (points 2 and 3: simple and complex goods) and
Implementing Regulation (EU) 2023/1773 Annex III (attribution to production processes,
precursors, electricity), for each production process p with activity level AL_p (tonnes
of its goods in the period):

    SEE_dir,p = (AttrEm_dir,p + sum_i M_i * SEE_dir,i) / AL_p
    SEE_ind,p = (Em_el,p      + sum_i M_i * SEE_ind,i) / AL_p

AttrEm_dir,p is the direct emissions attributed to the process: fuel source streams (energy in
GJ times a kg CO2e/GJ factor) plus process emissions given by the operator (e.g. carbonate
calcination). Em_el,p is electricity consumed (MWh) times its emission factor (t CO2e/MWh, equal
to kg CO2e/kWh). M_i is the mass of relevant precursor i consumed and SEE_i its specific embedded
emissions: from another process of the same installation (computed here, processes taken in
dependency order), declared by the supplier, or a Commission default value. Every good of a
process shares its SEE; a good's embedded emissions are its quantity times the SEE. Heat flows
and waste gases between processes are not modelled: their fuels are entered with the process
that burns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zerowaste.domain.cbam import (
    CbamSubmission,
    CnCodes,
    CnGood,
    ElectricitySupply,
    PrecursorOrigin,
    ProductionProcess,
    check_routes,
)
from zerowaste.domain.factors import Factor, FactorBook, FactorCategory, FactorSet
from zerowaste.errors import CbamPrecursorCycle, FactorNotFound, InvalidInput

_KG_PER_T = Decimal(1000)


@dataclass(frozen=True, slots=True)
class FuelLine:
    """A fuel source stream with the factor used and its emissions (t CO2e)."""

    fuel: str
    energy_gj: Decimal
    factor_kg_per_gj: Decimal
    factor_ref: str
    factor_source: str
    co2e_t: Decimal


@dataclass(frozen=True, slots=True)
class ElectricityLine:
    """Electricity consumed, its factor (kg CO2e/kWh = t CO2e/MWh) and source, and emissions."""

    energy_mwh: Decimal
    supply: ElectricitySupply
    factor_kg_per_kwh: Decimal
    factor_ref: str
    factor_source: str
    co2e_t: Decimal


@dataclass(frozen=True, slots=True)
class PrecursorLine:
    """A precursor consumed, its SEE (t CO2e/t) and the emissions it carries in (t CO2e)."""

    cn_code: str
    description: str
    category: str
    quantity_t: Decimal
    origin: PrecursorOrigin
    process: str
    see_direct: Decimal
    see_indirect: Decimal
    source: str
    embedded_direct_t: Decimal
    embedded_indirect_t: Decimal


@dataclass(frozen=True, slots=True)
class ProcessResult:
    """One production process: its emissions, attributed and embedded, and its SEE."""

    name: str
    route: str
    category: str
    activity_t: Decimal
    fuels: tuple[FuelLine, ...]
    process_emissions_t: Decimal
    attributed_direct_t: Decimal
    electricity: tuple[ElectricityLine, ...]
    indirect_t: Decimal
    precursors: tuple[PrecursorLine, ...]
    see_direct: Decimal
    see_indirect: Decimal
    #: Direct t CO2e per t under the carbon price's instrument: own installation's only.
    see_priced: Decimal


@dataclass(frozen=True, slots=True)
class GoodResult:
    """A good produced: its CN code, quantity, SEE and embedded emissions."""

    good: CnGood
    cn_code: str
    quantity_t: Decimal
    process: str
    route: str
    see_direct: Decimal
    see_indirect: Decimal
    carbon_price_per_t: Decimal | None

    @property
    def see_total(self) -> Decimal:
        """Direct plus indirect SEE (reported apart; the sum is shown beside them)."""
        return self.see_direct + self.see_indirect

    @property
    def embedded_direct_t(self) -> Decimal:
        """Direct embedded emissions of the quantity produced, t CO2e."""
        return self.quantity_t * self.see_direct

    @property
    def embedded_indirect_t(self) -> Decimal:
        """Indirect embedded emissions of the quantity produced, t CO2e."""
        return self.quantity_t * self.see_indirect


def order_processes(processes: tuple[ProductionProcess, ...]) -> list[int]:
    """Indexes of the processes, each after those whose goods it consumes; cycles refused."""
    index = {process.name: i for i, process in enumerate(processes)}
    ordered: list[int] = []
    state: dict[int, str] = {}

    def visit(i: int, trail: tuple[str, ...]) -> None:
        if state.get(i) == "done":
            return
        if state.get(i) == "open":
            raise CbamPrecursorCycle(
                " -> ".join((*trail, processes[i].name)), field=f"processes[{i}].precursors"
            )
        state[i] = "open"
        for r, precursor in enumerate(processes[i].precursors):
            if precursor.origin is not PrecursorOrigin.OWN_INSTALLATION:
                continue
            source = index.get(precursor.process)
            if source is None:
                raise InvalidInput(
                    f"no process named {precursor.process!r} in this submission",
                    field=f"processes[{i}].precursors[{r}].process",
                )
            visit(source, (*trail, processes[i].name))
        state[i] = "done"
        ordered.append(i)

    for i in range(len(processes)):
        visit(i, ())
    return ordered


def compute(
    submission: CbamSubmission, codes: CnCodes, book: FactorBook, region_code: str
) -> tuple[tuple[ProcessResult, ...], tuple[GoodResult, ...]]:
    """Every process's SEE and every good's embedded emissions, for a site in `region_code`."""
    check_routes(submission, codes)
    year = submission.period.year
    done: dict[str, ProcessResult] = {}
    for i in order_processes(submission.processes):
        process = submission.processes[i]
        done[process.name] = _process(
            process, f"processes[{i}]", codes, book, region_code, year, done
        )
    price = submission.carbon_price
    goods: list[GoodResult] = []
    for i, process in enumerate(submission.processes):
        result = done[process.name]
        for g, output in enumerate(process.goods):
            priced = (
                None
                if price is None
                else result.see_priced * price.covered_share * price.net_per_t_co2e
            )
            goods.append(
                GoodResult(
                    good=codes.lookup(output.cn_code, field=f"processes[{i}].goods[{g}].cn_code"),
                    cn_code=output.cn_code,
                    quantity_t=output.quantity_t,
                    process=process.name,
                    route=process.route.value,
                    see_direct=result.see_direct,
                    see_indirect=result.see_indirect,
                    carbon_price_per_t=priced,
                )
            )
    results = tuple(done[process.name] for process in submission.processes)
    return results, tuple(goods)


def _process(
    process: ProductionProcess,
    at: str,
    codes: CnCodes,
    book: FactorBook,
    region_code: str,
    year: int,
    done: dict[str, ProcessResult],
) -> ProcessResult:
    fuels = []
    for f, fuel in enumerate(process.fuels):
        if fuel.factor_kg_per_gj is not None:
            factor, ref, source = fuel.factor_kg_per_gj, "", fuel.factor_source
        else:
            found = _library(
                book, FactorCategory.FUEL, fuel.fuel, region_code, year, f"{at}.fuels[{f}].fuel"
            )
            factor, ref, source = found.value, found.ref, found.source
        fuels.append(
            FuelLine(
                fuel.fuel, fuel.energy_gj, factor, ref, source, fuel.energy_gj * factor / _KG_PER_T
            )
        )
    process_t = sum((item.co2e_t for item in process.process_emissions), Decimal(0))
    attributed = sum((line.co2e_t for line in fuels), Decimal(0)) + process_t
    electricity = []
    for e, use in enumerate(process.electricity):
        if use.factor_kg_per_kwh is not None:
            factor, ref, source = use.factor_kg_per_kwh, "", use.factor_source
        else:
            found = _library(
                book,
                FactorCategory.ELECTRICITY,
                "grid",
                region_code,
                year,
                f"{at}.electricity[{e}].supply",
            )
            factor, ref, source = found.value, found.ref, found.source
        # kg CO2e/kWh is numerically t CO2e/MWh.
        electricity.append(
            ElectricityLine(
                use.energy_mwh, use.supply, factor, ref, source, use.energy_mwh * factor
            )
        )
    indirect = sum((line.co2e_t for line in electricity), Decimal(0))
    precursors = []
    priced = attributed
    for r, precursor in enumerate(process.precursors):
        good = codes.lookup(precursor.cn_code, field=f"{at}.precursors[{r}].cn_code")
        if precursor.origin is PrecursorOrigin.OWN_INSTALLATION:
            source_result = done[precursor.process]
            if source_result.category != good.category:
                raise InvalidInput(
                    f"process {precursor.process!r} makes {source_result.category}, "
                    f"not {good.category}",
                    field=f"{at}.precursors[{r}].cn_code",
                )
            see_d, see_i = source_result.see_direct, source_result.see_indirect
            source = f"computed in this report from process {precursor.process!r}"
            priced += precursor.quantity_t * source_result.see_priced
        else:
            see_d = precursor.see_direct_t or Decimal(0)
            see_i = precursor.see_indirect_t or Decimal(0)
            source = precursor.source
        precursors.append(
            PrecursorLine(
                precursor.cn_code,
                good.description,
                good.category,
                precursor.quantity_t,
                precursor.origin,
                precursor.process,
                see_d,
                see_i,
                source,
                precursor.quantity_t * see_d,
                precursor.quantity_t * see_i,
            )
        )
    activity = sum((output.quantity_t for output in process.goods), Decimal(0))
    category = codes.lookup(process.goods[0].cn_code, field=f"{at}.goods[0].cn_code").category
    direct_total = attributed + sum((p.embedded_direct_t for p in precursors), Decimal(0))
    indirect_total = indirect + sum((p.embedded_indirect_t for p in precursors), Decimal(0))
    return ProcessResult(
        name=process.name,
        route=process.route.value,
        category=category,
        activity_t=activity,
        fuels=tuple(fuels),
        process_emissions_t=process_t,
        attributed_direct_t=attributed,
        electricity=tuple(electricity),
        indirect_t=indirect,
        precursors=tuple(precursors),
        see_direct=direct_total / activity,
        see_indirect=indirect_total / activity,
        see_priced=priced / activity,
    )


def _library(
    book: FactorBook,
    category: FactorCategory,
    subject: str,
    region_code: str,
    year: int,
    field: str,
) -> Factor:
    factor = book.find(FactorSet.INVENTORY, category, subject, region_code=region_code, year=year)
    if factor is None:
        raise FactorNotFound(
            f"the factor library has no {category} factor for {subject!r} in {region_code}",
            field=field,
        )
    return factor
