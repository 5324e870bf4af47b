"""Material-flow analysis: a region's reconciled system, its substances, and reconcile-any-system.

Public like the city dashboard: a region's system is an aggregate of the ledger (no firm is
named), and reconciling a posted system reads nothing stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Rule
from zerowaste.domain.indicators import Period
from zerowaste.errors.flows import FlowSystemInvalid
from zerowaste.flows.reconcile import DEFAULT_ALPHA, Reconciliation
from zerowaste.flows.sankey import Sankey
from zerowaste.flows.substances import SubstanceLayer
from zerowaste.flows.system import MAX_FLOWS, Flow, FlowSystem, Measurement, Process
from zerowaste.services.flows import CityFlows, CitySubstance, period_or_this_year

router = APIRouter(tags=["flows"])
public = Depends(allow(Rule.PUBLIC))
MAX_PROCESSES = 2000


class MeasurementIn(BaseModel):
    """A measured value and its standard deviation (0: exact)."""

    value: float
    sd: float


class ProcessIn(BaseModel):
    """A process; `stock` with an optional measured `stock_change` (else unknown)."""

    id: str = Field(max_length=80)
    name: str = Field("", max_length=200)
    stock: bool = False
    stock_change: MeasurementIn | None = None


class FlowIn(BaseModel):
    """A flow between processes (or `environment`); `value` and `sd` both, or neither (unknown)."""

    id: str = Field(max_length=80)
    source: str = Field(max_length=80)
    target: str = Field(max_length=80)
    name: str = Field("", max_length=200)
    value: float | None = None
    sd: float | None = None


class SystemIn(BaseModel):
    """A system to reconcile, and the significance of its tests."""

    name: str = Field("", max_length=200)
    unit: str = Field("t", max_length=16)
    processes: list[ProcessIn] = Field(max_length=MAX_PROCESSES)
    flows: list[FlowIn] = Field(max_length=MAX_FLOWS)
    alpha: float = DEFAULT_ALPHA


class VariableOut(BaseModel):
    """A flow or stock change after reconciliation (None where not measured or determined)."""

    id: str
    kind: str
    label: str
    measured: float | None
    sd: float | None
    reconciled: float | None
    reconciled_sd: float | None
    adjustment: float | None
    test_statistic: float | None = Field(description="|adjustment| / its own standard deviation")
    redundant: bool
    determinable: bool
    suspect: bool


class ChiSquareOut(BaseModel):
    """The global test of the measurements against the balances."""

    statistic: float
    degrees_of_freedom: int = Field(description="The redundancy: independent reduced balances")
    p_value: float
    alpha: float
    critical_value: float | None
    passed: bool


class FlowOut(BaseModel):
    """A flow's place in the system."""

    id: str
    source: str
    target: str
    name: str


class ProcessOut(BaseModel):
    """A process of the system."""

    id: str
    name: str
    stock: bool


class ReconciliationOut(BaseModel):
    """A reconciled system: its variables, the global test, the suspect measurements."""

    name: str
    unit: str
    processes: list[ProcessOut]
    flows: list[FlowOut]
    variables: list[VariableOut]
    chi_square: ChiSquareOut
    measurement_critical_value: float | None = Field(
        description="Normal quantile at the Šidák-corrected significance over redundant flows"
    )
    suspects: list[str]
    undetermined: list[str]


class SankeyNodeOut(BaseModel):
    """A Sankey node."""

    id: str
    label: str


class SankeyLinkOut(BaseModel):
    """A Sankey link between node indexes, with the reconciled value."""

    source: int
    target: int
    value: float
    id: str
    label: str
    measured: float | None
    sd: float | None
    suspect: bool


class SankeyOut(BaseModel):
    """Nodes and links ready for plotly's `sankey` trace."""

    unit: str
    nodes: list[SankeyNodeOut]
    links: list[SankeyLinkOut]


class UncertaintyOut(BaseModel):
    """The relative standard deviation given to one kind of ledger record."""

    kind: str
    relative_sd: float


class CityFlowsOut(BaseModel):
    """A region's material-flow system for a period, reconciled, with its Sankey."""

    region: str
    region_name: str
    period: str
    counts: dict[str, int] = Field(description="Ledger events read, by type")
    codes: dict[str, dict[str, float]] = Field(description="Kilograms by waste code, per flow")
    uncertainties: list[UncertaintyOut]
    reconciliation: ReconciliationOut
    sankey: SankeyOut


class BalanceOut(BaseModel):
    """A process's substance balance and transfer coefficients."""

    process: str
    label: str
    inputs: float | None
    outputs: float | None
    stock_change: float | None
    transfer: dict[str, float | None]


class CompositionOut(BaseModel):
    """A concentration row used, with its source."""

    waste_key: str
    material_en: str
    material_zh: str
    mg_per_kg: float
    sd_mg_per_kg: float
    verification: str
    source: str


class SubstanceOut(BaseModel):
    """One substance over a region's system."""

    region: str
    period: str
    substance: str
    concentrations: dict[str, float] = Field(description="mg/kg of each flow's good")
    coverage: dict[str, float] = Field(description="Share of each flow's mass with a concentration")
    reconciliation: ReconciliationOut
    balances: list[BalanceOut]
    compositions: list[CompositionOut]
    sankey: SankeyOut


def reconciliation_out(result: Reconciliation) -> ReconciliationOut:
    """The API form of a reconciliation."""
    chi = result.chi_square
    return ReconciliationOut(
        name=result.system.name,
        unit=result.system.unit,
        processes=[
            ProcessOut(id=p.process_id, name=p.label, stock=p.stock)
            for p in result.system.processes
        ],
        flows=[
            FlowOut(id=f.flow_id, source=f.source, target=f.target, name=f.label)
            for f in result.system.flows
        ],
        variables=[
            VariableOut(
                id=v.variable_id,
                kind=v.kind.value,
                label=v.label,
                measured=v.measured,
                sd=v.sd,
                reconciled=v.value,
                reconciled_sd=v.reconciled_sd,
                adjustment=v.adjustment,
                test_statistic=v.test_statistic,
                redundant=v.redundant,
                determinable=v.determinable,
                suspect=v.suspect,
            )
            for v in result.variables
        ],
        chi_square=ChiSquareOut(
            statistic=chi.statistic,
            degrees_of_freedom=chi.degrees_of_freedom,
            p_value=chi.p_value,
            alpha=chi.alpha,
            critical_value=chi.critical_value,
            passed=chi.passed,
        ),
        measurement_critical_value=result.measurement_critical_value,
        suspects=[v.variable_id for v in result.suspects],
        undetermined=[v.variable_id for v in result.undetermined],
    )


def sankey_out(picture: Sankey) -> SankeyOut:
    """The API form of a Sankey."""
    return SankeyOut(
        unit=picture.unit,
        nodes=[SankeyNodeOut(id=n.node_id, label=n.label) for n in picture.nodes],
        links=[
            SankeyLinkOut(
                source=link.source,
                target=link.target,
                value=link.value,
                id=link.variable_id,
                label=link.label,
                measured=link.measured,
                sd=link.sd,
                suspect=link.suspect,
            )
            for link in picture.links
        ],
    )


def city_out(flows: CityFlows) -> CityFlowsOut:
    """The API form of a region's system."""
    u = flows.uncertainties
    return CityFlowsOut(
        region=flows.region.code,
        region_name=flows.region.name_zh,
        period=flows.period.label,
        counts=dict(flows.city.counts),
        codes=flows.city.codes,
        uncertainties=[
            UncertaintyOut(kind=name, relative_sd=getattr(u, name))
            for name in u.__dataclass_fields__
        ],
        reconciliation=reconciliation_out(flows.reconciliation),
        sankey=sankey_out(flows.sankey),
    )


def substance_out(found: CitySubstance) -> SubstanceOut:
    """The API form of a region's substance layer."""
    layer: SubstanceLayer = found.layer
    return SubstanceOut(
        region=found.flows.region.code,
        period=found.flows.period.label,
        substance=layer.substance,
        concentrations={k: c.mg_per_kg for k, c in found.concentrations.items()},
        coverage=found.coverage,
        reconciliation=reconciliation_out(layer.reconciliation),
        balances=[
            BalanceOut(
                process=b.process_id,
                label=b.label,
                inputs=b.inputs,
                outputs=b.outputs,
                stock_change=b.stock_change,
                transfer=b.transfer,
            )
            for b in layer.balances
        ],
        compositions=[
            CompositionOut(
                waste_key=r.waste_key,
                material_en=r.material_en,
                material_zh=r.material_zh,
                mg_per_kg=r.concentration.mg_per_kg,
                sd_mg_per_kg=r.concentration.sd,
                verification=r.verification,
                source=r.source,
            )
            for r in found.rows
        ],
        sankey=sankey_out(found.sankey),
    )


def system_of(body: SystemIn) -> FlowSystem:
    """The engine's system from the posted one.

    Raises:
        FlowSystemInvalid: A flow has a value without sd or an sd without value, or the system
            is ill-formed; `field` names the entry.
    """
    flows = []
    for i, f in enumerate(body.flows):
        if (f.value is None) != (f.sd is None):
            missing = "sd" if f.sd is None else "value"
            raise FlowSystemInvalid(
                "give value and sd together, or neither for an unknown flow",
                field=f"flows[{i}].{missing}",
            )
        measurement = (
            Measurement(f.value, f.sd) if f.value is not None and f.sd is not None else None
        )
        flows.append(Flow(f.id, f.source, f.target, measurement, f.name))
    processes = tuple(
        Process(
            p.id,
            p.name,
            p.stock,
            Measurement(p.stock_change.value, p.stock_change.sd) if p.stock_change else None,
        )
        for p in body.processes
    )
    return FlowSystem(processes, tuple(flows), body.unit, body.name)


def period_of(request: Request, period: str | None) -> Period:
    """The period asked for, by default the current calendar year (China time)."""
    return period_or_this_year(period, context_of(request).clock())


PeriodQuery = Annotated[
    str | None,
    Query(description="2026, 2026-Q2, 2026-03 or 2026-01-01/2026-07-01; default this year"),
]
AlphaQuery = Annotated[float, Query(description="Significance of the tests")]


@router.post("/flows/reconcile", response_model=ReconciliationOut, dependencies=[public])
def reconcile_system(request: Request, body: SystemIn) -> ReconciliationOut:
    """Reconcile a posted system: adjusted measurements, computed unknowns, χ² and suspects."""
    result = context_of(request).flows.reconcile(system_of(body), alpha=body.alpha)
    return reconciliation_out(result)


@router.get("/flows/{region}", response_model=CityFlowsOut, dependencies=[public])
def city_flows(
    request: Request, region: str, period: PeriodQuery = None, alpha: AlphaQuery = DEFAULT_ALPHA
) -> CityFlowsOut:
    """A region's waste system over a period from the ledger, reconciled, Sankey-ready."""
    flows = context_of(request).flows.city(region, period_of(request, period), alpha=alpha)
    return city_out(flows)


@router.get("/flows/{region}/substances", response_model=SubstanceOut, dependencies=[public])
def city_substances(
    request: Request,
    region: str,
    period: PeriodQuery = None,
    substance: Annotated[str, Query(description="Pb, Cd, Cr or Zn")] = "Pb",
    alpha: AlphaQuery = DEFAULT_ALPHA,
) -> SubstanceOut:
    """One heavy metal over a region's system: substance flows, balances, transfer coefficients."""
    found = context_of(request).flows.substances(
        region, period_of(request, period), substance, alpha=alpha
    )
    return substance_out(found)
