"""Sankey-ready nodes and links of a reconciled system (plotly's `sankey` trace shape).

The environment is drawn twice, as "imports" on the left and "exports" on the right, so no
link loops back; a stock increase is a link into a "stock of …" node, a decrease one out of it.
Undetermined or zero values are left out (a Sankey cannot draw them).
"""

from __future__ import annotations

from dataclasses import dataclass

from zerowaste.flows.balance import stock_id
from zerowaste.flows.reconcile import Reconciliation
from zerowaste.flows.system import ENVIRONMENT

IMPORTS = "environment:in"
EXPORTS = "environment:out"


@dataclass(frozen=True, slots=True)
class SankeyNode:
    """A node: its id and label."""

    node_id: str
    label: str


@dataclass(frozen=True, slots=True)
class SankeyLink:
    """A link: node indexes, reconciled value, and what the hover shows."""

    source: int
    target: int
    value: float
    variable_id: str
    label: str
    measured: float | None
    sd: float | None
    suspect: bool


@dataclass(frozen=True, slots=True)
class Sankey:
    """Nodes and links, with the unit of the values."""

    nodes: tuple[SankeyNode, ...]
    links: tuple[SankeyLink, ...]
    unit: str


def sankey(result: Reconciliation, labels: dict[str, str] | None = None) -> Sankey:
    """The Sankey of `result`; `labels` overrides node labels (by node id)."""
    names = labels or {}
    nodes: list[SankeyNode] = []
    index: dict[str, int] = {}

    def node(node_id: str, label: str) -> int:
        if node_id not in index:
            index[node_id] = len(nodes)
            nodes.append(SankeyNode(node_id, names.get(node_id, label)))
        return index[node_id]

    links = []
    for flow in result.system.flows:
        variable = result.variable(flow.flow_id)
        if variable.value is None or variable.value <= 0:
            continue
        source = IMPORTS if flow.source == ENVIRONMENT else flow.source
        target = EXPORTS if flow.target == ENVIRONMENT else flow.target
        links.append(
            SankeyLink(
                node(source, _label(result, source)),
                node(target, _label(result, target)),
                variable.value,
                flow.flow_id,
                flow.label,
                variable.measured,
                variable.sd,
                variable.suspect,
            )
        )
    for process in result.system.processes:
        if not process.stock:
            continue
        variable = result.variable(stock_id(process.process_id))
        if variable.value is None or variable.value == 0:
            continue
        stock_node = variable.variable_id
        ends = (process.process_id, stock_node)
        if variable.value < 0:
            ends = (stock_node, process.process_id)
        links.append(
            SankeyLink(
                node(ends[0], _label(result, ends[0])),
                node(ends[1], _label(result, ends[1])),
                abs(variable.value),
                variable.variable_id,
                f"Δ stock {process.label}",
                variable.measured,
                variable.sd,
                variable.suspect,
            )
        )
    return Sankey(tuple(nodes), tuple(links), result.system.unit)


def _label(result: Reconciliation, node_id: str) -> str:
    if node_id == IMPORTS:
        return "imports"
    if node_id == EXPORTS:
        return "exports"
    if node_id.startswith("stock:"):
        return "stock of " + result.system.process(node_id.removeprefix("stock:")).label
    return result.system.process(node_id).label
