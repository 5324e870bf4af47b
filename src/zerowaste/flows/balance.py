"""The balance equations of a system: one row per process, inputs − outputs − stock change = 0."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from zerowaste.flows.system import ENVIRONMENT, FlowSystem, Measurement


class VariableKind(StrEnum):
    """A variable of the balances: a flow, or a process's stock change."""

    FLOW = "flow"
    STOCK = "stock"


@dataclass(frozen=True, slots=True)
class Variable:
    """One variable: its id (a flow id, or `stock:<process>`), kind and measurement."""

    variable_id: str
    kind: VariableKind
    label: str
    measurement: Measurement | None


def stock_id(process_id: str) -> str:
    """The variable id of a process's stock change."""
    return f"stock:{process_id}"


@dataclass(frozen=True, slots=True)
class Balances:
    """The incidence matrix `A` (processes × variables) with the variables and process ids."""

    matrix: NDArray[np.float64]
    variables: tuple[Variable, ...]
    process_ids: tuple[str, ...]


def balances(system: FlowSystem) -> Balances:
    """The balance equations `A v = 0` of `system`, `v` every flow then every stock change."""
    variables = [
        Variable(f.flow_id, VariableKind.FLOW, f.label, f.measurement) for f in system.flows
    ]
    variables += [
        Variable(stock_id(p.process_id), VariableKind.STOCK, p.label, p.stock_change)
        for p in system.processes
        if p.stock
    ]
    row = {p.process_id: i for i, p in enumerate(system.processes)}
    matrix = np.zeros((len(system.processes), len(variables)))
    for j, flow in enumerate(system.flows):
        if flow.target != ENVIRONMENT:
            matrix[row[flow.target], j] += 1.0
        if flow.source != ENVIRONMENT:
            matrix[row[flow.source], j] -= 1.0
    j = len(system.flows)
    for process in system.processes:
        if process.stock:
            matrix[row[process.process_id], j] = -1.0
            j += 1
    return Balances(matrix, tuple(variables), tuple(row))
