"""The substance layer: concentrations on the goods' flows → substance flows, balances, TCs.

A substance flow is the reconciled good flow times its concentration (mg/kg → kg of
substance per kg of good, so t × mg/kg × 10⁻⁶ = t of substance). Its standard deviation
propagates both to first order: `sd² = (c·σ_m)² + (m·σ_c)²`. Flows without a concentration
are unknown in the substance system, which is reconciled with the same engine, so its
balances close too. Transfer coefficients are as STAN defines them: each output (and the
stock change) of a process over the sum of its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from zerowaste.flows.balance import stock_id
from zerowaste.flows.reconcile import Reconciliation, reconcile
from zerowaste.flows.system import Flow, FlowSystem, Measurement, Process

#: The substances the city layer traces (heavy metals of the zero-waste city indicator work).
SUBSTANCES = ("Pb", "Cd", "Cr", "Zn")
#: mg/kg to a mass fraction.
MG_PER_KG = 1e-6


@dataclass(frozen=True, slots=True)
class Concentration:
    """A substance's concentration in a flow's good, mg/kg, with its standard deviation."""

    mg_per_kg: float
    sd: float = 0.0


@dataclass(frozen=True, slots=True)
class ProcessBalance:
    """A process's substance balance: total in, total out, stock change, transfer coefficients.

    `transfer` maps each output flow id (and `stock:<process>` when it holds stock) to its
    share of the inputs; None when nothing enters or a term is undetermined.
    """

    process_id: str
    label: str
    inputs: float | None
    outputs: float | None
    stock_change: float | None
    transfer: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class SubstanceLayer:
    """One substance over a reconciled system: its reconciliation and process balances."""

    substance: str
    reconciliation: Reconciliation
    balances: tuple[ProcessBalance, ...]


def substance_system(
    goods: Reconciliation, concentrations: Mapping[str, Concentration], substance: str
) -> FlowSystem:
    """The substance system: same processes and flows, values from goods × concentrations.

    Raises:
        KeyError: A concentration names a flow the system lacks.
    """
    known = {f.flow_id for f in goods.system.flows}
    for flow_id in concentrations:
        if flow_id not in known:
            raise KeyError(flow_id)
    flows = []
    for flow in goods.system.flows:
        conc = concentrations.get(flow.flow_id)
        variable = goods.variable(flow.flow_id)
        measurement = None
        if conc is not None and variable.value is not None:
            mass, mass_sd = variable.value, variable.reconciled_sd or 0.0
            value = max(mass, 0.0) * conc.mg_per_kg * MG_PER_KG
            sd = math.hypot(conc.mg_per_kg * mass_sd, max(mass, 0.0) * conc.sd) * MG_PER_KG
            measurement = Measurement(value, sd)
        flows.append(Flow(flow.flow_id, flow.source, flow.target, measurement, flow.name))
    processes = tuple(Process(p.process_id, p.name, p.stock, None) for p in goods.system.processes)
    return FlowSystem(
        processes, tuple(flows), goods.system.unit, f"{substance} in {goods.system.name}"
    )


def substance_layer(
    goods: Reconciliation, concentrations: Mapping[str, Concentration], substance: str
) -> SubstanceLayer:
    """Reconcile the substance system of `goods` and compute each process's balance."""
    result = reconcile(
        substance_system(goods, concentrations, substance),
        alpha=goods.chi_square.alpha,
        allow_undetermined=True,
    )
    return SubstanceLayer(substance, result, process_balances(result))


def process_balances(result: Reconciliation) -> tuple[ProcessBalance, ...]:
    """Each process's inputs, outputs, stock change and transfer coefficients."""
    found = []
    for process in result.system.processes:
        pid = process.process_id
        ins = [result.value(f.flow_id) for f in result.system.flows if f.target == pid]
        outs = {f.flow_id: result.value(f.flow_id) for f in result.system.flows if f.source == pid}
        stock = result.value(stock_id(pid)) if process.stock else 0.0
        total_in = None if any(v is None for v in ins) else sum(v for v in ins if v is not None)
        total_out = (
            None if any(v is None for v in outs.values()) else sum(v or 0.0 for v in outs.values())
        )
        shares: dict[str, float | None] = {}
        parts = dict(outs)
        if process.stock:
            parts[stock_id(pid)] = stock
        for key, value in parts.items():
            ok = total_in is not None and total_in > 0 and value is not None
            shares[key] = value / total_in if ok else None  # type: ignore[operator]
        found.append(ProcessBalance(pid, process.label, total_in, total_out, stock, shares))
    return tuple(found)
