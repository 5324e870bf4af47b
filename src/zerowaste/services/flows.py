"""Material-flow analysis of a region: its system from the ledger, reconciled, with substances."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.indicators import CHINA_TIME, Period
from zerowaste.domain.regions import Region, region_prefix
from zerowaste.errors import InvalidInput
from zerowaste.flows.city import CitySystem, Uncertainties, build_city_system
from zerowaste.flows.compositions import CompositionRow, Compositions
from zerowaste.flows.reconcile import DEFAULT_ALPHA, Reconciliation, reconcile
from zerowaste.flows.sankey import Sankey, sankey
from zerowaste.flows.substances import SUBSTANCES, Concentration, SubstanceLayer, substance_layer
from zerowaste.flows.system import FlowSystem
from zerowaste.services.registry import RegistryService


@dataclass(frozen=True, slots=True)
class CityFlows:
    """A region's system for a period, reconciled, with its Sankey and what it was built from."""

    region: Region
    period: Period
    city: CitySystem
    reconciliation: Reconciliation
    sankey: Sankey
    uncertainties: Uncertainties


@dataclass(frozen=True, slots=True)
class CitySubstance:
    """One substance over a region's system: the layer, each flow's concentration and coverage.

    `coverage` is the share of a flow's mass whose waste code has a concentration in the
    compositions table (the rest counts as zero); `rows` are the table rows used.
    """

    flows: CityFlows
    layer: SubstanceLayer
    concentrations: dict[str, Concentration]
    coverage: dict[str, float]
    rows: tuple[CompositionRow, ...]
    sankey: Sankey


def period_or_this_year(text: str | None, now: datetime) -> Period:
    """The period `text` names (`Period.parse`), by default the China calendar year of `now`."""
    if text is None:
        return Period.year(now.astimezone(CHINA_TIME).year)
    return Period.parse(text)


def check_alpha(alpha: float) -> float:
    """`alpha` if it is a usable significance, else `InvalidInput` naming `alpha`."""
    if not 0.0001 <= alpha <= 0.5:
        raise InvalidInput("the significance must lie between 0.0001 and 0.5", field="alpha")
    return alpha


def check_substance(substance: str) -> str:
    """The substance symbol, else `InvalidInput` naming `substance`."""
    if substance not in SUBSTANCES:
        raise InvalidInput(
            f"unknown substance {substance!r}: one of {', '.join(SUBSTANCES)}", field="substance"
        )
    return substance


class FlowService:
    """Builds and reconciles material-flow systems; reads only."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        registry: RegistryService,
        compositions: Callable[[], Compositions],
        uncertainties: Uncertainties | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._registry = registry
        self._compositions = compositions
        self._uncertainties = uncertainties or Uncertainties()

    @property
    def uncertainties(self) -> Uncertainties:
        """The default relative standard deviations of ledger masses."""
        return self._uncertainties

    def compositions(self) -> Compositions:
        """The concentrations table."""
        return self._compositions()

    def city(
        self,
        region_code: str,
        period: Period,
        *,
        alpha: float = DEFAULT_ALPHA,
        uncertainties: Uncertainties | None = None,
    ) -> CityFlows:
        """The region's system over `period`, reconciled at significance `alpha`.

        Raises:
            UnknownRegion: `region_code` is not a GB/T 2260 division (field `region`).
            InvalidInput: `alpha` is out of range (field `alpha`).
        """
        region = self._registry.require_region(region_code, field="region")
        check_alpha(alpha)
        start, end = period.instants()
        with self._uow() as uow:
            totals = uow.flow_ledger.totals(region_prefix(region.code), start, end)
        u = uncertainties or self._uncertainties
        name = f"{region.name_zh} {period.label}"
        city = build_city_system(totals, u, name=name)
        result = reconcile(city.system, alpha=alpha, allow_undetermined=True)
        return CityFlows(region, period, city, result, sankey(result), u)

    def reconcile(self, system: FlowSystem, *, alpha: float = DEFAULT_ALPHA) -> Reconciliation:
        """Reconcile a system someone sent (unknowns left undetermined are flagged, not refused).

        Raises:
            InvalidInput: `alpha` is out of range.
            ReconciliationNotPossible: Exact values contradict the balances.
        """
        return reconcile(system, alpha=check_alpha(alpha), allow_undetermined=True)

    def substances(
        self, region_code: str, period: Period, substance: str, *, alpha: float = DEFAULT_ALPHA
    ) -> CitySubstance:
        """The substance layer of the region's system for `substance` (Pb, Cd, Cr or Zn).

        Raises:
            InvalidInput: Unknown substance (field `substance`) or `alpha`.
            UnknownRegion: `region_code` is not a division.
        """
        check_substance(substance)
        flows = self.city(region_code, period, alpha=alpha)
        table = self._compositions()
        concentrations: dict[str, Concentration] = {}
        coverage: dict[str, float] = {}
        used: dict[tuple[str, str], CompositionRow] = {}
        for flow_id, masses in flows.city.codes.items():
            concentration, covered = table.mixture(masses, substance)
            coverage[flow_id] = covered
            if covered > 0:
                concentrations[flow_id] = concentration
                for code in masses:
                    if (row := table.row(code, substance)) is not None:
                        used[(row.waste_key, row.substance)] = row
        layer = substance_layer(flows.reconciliation, concentrations, substance)
        return CitySubstance(
            flows,
            layer,
            concentrations,
            coverage,
            tuple(used.values()),
            sankey(layer.reconciliation),
        )
