"""`zerowaste trace BATCH`: a batch's genealogy as a tree with masses, fates and imbalances."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Annotated

import typer
from rich.tree import Tree

from zerowaste.bootstrap import Context
from zerowaste.cli.common import OPERATOR, console, run
from zerowaste.domain.genealogy import DEFAULT_TOLERANCE, Direction, Tolerance, Trace, TraceNode
from zerowaste.domain.quantities import parse_decimal
from zerowaste.services.trace import trace_document


def _kg(mass: Decimal) -> str:
    return format(mass.normalize() + 0, "f")


def _label(node: TraceNode, via_kg: Decimal | None) -> str:
    b, bal = node.batch, node.balance
    what = b.waste_code or b.kind.value
    via = f"{_kg(via_kg)} kg ← " if via_kg is not None else ""
    fates = [f"disposed {d.method} {_kg(d.mass_kg)} kg" for d in node.facts.disposals]
    if bal.held_kg:
        fates.append(f"held at site {b.site_id} {_kg(bal.held_kg)} kg")
    if bal.in_transit_kg:
        fates.append(f"in transit {_kg(bal.in_transit_kg)} kg")
    if bal.loss_kg:
        fates.append(f"transformation loss {_kg(bal.loss_kg)} kg")
    if bal.weighing_gap_kg:
        fates.append(f"weighing gap {_kg(bal.weighing_gap_kg)} kg")
    check = (
        "[green]balanced[/green]"
        if bal.balanced
        else f"[red]imbalance {_kg(bal.imbalance_kg)} kg[/red]"
    )
    text = f"{via}{b.batch_id} {what} ({b.kind.value}, {b.status.value}) in {_kg(bal.inflow_kg)} kg"
    return f"{text}; {'; '.join(fates)} {check}" if fates else f"{text} {check}"


def _grow(tree: Tree, trace: Trace, batch_id: uuid.UUID, up: bool, path: set[uuid.UUID]) -> None:
    node = trace.nodes[batch_id]
    for edge in node.parents if up else node.children:
        nxt = edge.parent_id if up else edge.child_id
        if nxt in trace.nodes and nxt not in path:
            branch = tree.add(_label(trace.nodes[nxt], edge.mass_kg))
            _grow(branch, trace, nxt, up, path | {nxt})


def render(trace: Trace) -> Tree:
    """A rich tree: the batch, its ancestors (upstream) and its descendants (downstream)."""
    root = Tree(_label(trace.nodes[trace.batch_id], None))
    if trace.direction is not Direction.DOWN:
        _grow(root.add("[bold]upstream[/bold]"), trace, trace.batch_id, True, {trace.batch_id})
    if trace.direction is not Direction.UP:
        down = root.add("[bold]downstream[/bold]")
        _grow(down, trace, trace.batch_id, False, {trace.batch_id})
        fates = root.add("[bold]fates of its mass[/bold]")
        for name, mass in trace.fates.items():
            fates.add(f"{name}: {_kg(mass)} kg")
    colour = "red" if trace.imbalanced else "green"
    root.add(
        f"[{colour}]unaccounted {_kg(trace.unaccounted_kg)} kg; "
        f"{len(trace.imbalanced)} batch(es) out of tolerance[/{colour}]"
    )
    return root


def trace(
    batch: Annotated[uuid.UUID, typer.Argument(help="The batch id")],
    direction: Annotated[Direction, typer.Option(help="Walk up, down or both")] = Direction.BOTH,
    tolerance_kg: Annotated[str, typer.Option(help="Absolute allowance per batch, kg")] = str(
        DEFAULT_TOLERANCE.absolute_kg
    ),
    tolerance_relative: Annotated[str, typer.Option(help="Relative allowance per batch")] = str(
        DEFAULT_TOLERANCE.relative
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Trace a batch upstream and downstream with masses, fates and mass balance."""

    def action(context: Context) -> None:
        found = context.trace.trace(
            OPERATOR,
            batch,
            direction=direction,
            tolerance=Tolerance(
                parse_decimal(tolerance_kg, field="--tolerance-kg"),
                parse_decimal(tolerance_relative, field="--tolerance-relative"),
            ),
        )
        if as_json:
            typer.echo(json.dumps(trace_document(found), ensure_ascii=False, indent=2))
        else:
            console.print(render(found))

    run(action)
