"""A material-flow system: processes, flows between them and stock changes, checked on build."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from zerowaste.errors.flows import FlowSystemInvalid

#: The process id standing for everything outside the system boundary (imports and exports).
ENVIRONMENT = "environment"
#: Ids are short slugs so they survive URLs, CSV and LaTeX unchanged.
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,80}$")
#: A system larger than this is refused (the dense algebra grows with its square).
MAX_FLOWS = 5000


@dataclass(frozen=True, slots=True)
class Measurement:
    """A measured value and its standard deviation; `sd` 0 makes it an exact constant."""

    value: float
    sd: float


@dataclass(frozen=True, slots=True)
class Process:
    """A process (a box of the system).

    `stock` says whether it holds a stock; its change over the period is then a variable of
    the balance, measured (`stock_change` given) or unknown (`stock_change` None).
    """

    process_id: str
    name: str = ""
    stock: bool = False
    stock_change: Measurement | None = None

    @property
    def label(self) -> str:
        """The name, or the id if unnamed."""
        return self.name or self.process_id


@dataclass(frozen=True, slots=True)
class Flow:
    """A flow from `source` to `target` (either may be the environment), measured or unknown."""

    flow_id: str
    source: str
    target: str
    measurement: Measurement | None = None
    name: str = ""

    @property
    def label(self) -> str:
        """The name, or the id if unnamed."""
        return self.name or self.flow_id

    @property
    def measured(self) -> bool:
        """Whether the flow has a measured value."""
        return self.measurement is not None


@dataclass(frozen=True, slots=True)
class FlowSystem:
    """Processes and flows of one good over one period; `unit` is the unit of every value."""

    processes: tuple[Process, ...]
    flows: tuple[Flow, ...]
    unit: str = "t"
    name: str = ""

    def __post_init__(self) -> None:
        validate(self)

    def process(self, process_id: str) -> Process:
        """The process with this id.

        Raises:
            KeyError: There is none.
        """
        for process in self.processes:
            if process.process_id == process_id:
                return process
        raise KeyError(process_id)

    def flow(self, flow_id: str) -> Flow:
        """The flow with this id.

        Raises:
            KeyError: There is none.
        """
        for flow in self.flows:
            if flow.flow_id == flow_id:
                return flow
        raise KeyError(flow_id)


def _check_measurement(measurement: Measurement | None, field: str) -> None:
    if measurement is None:
        return
    if not math.isfinite(measurement.value):
        raise FlowSystemInvalid("the value must be a finite number", field=f"{field}.value")
    if not math.isfinite(measurement.sd) or measurement.sd < 0:
        raise FlowSystemInvalid(
            "the standard deviation must be zero (exact) or positive", field=f"{field}.sd"
        )


def validate(system: FlowSystem) -> None:
    """Check `system` is well formed.

    Raises:
        FlowSystemInvalid: A duplicate or malformed id, a flow naming an unknown process, a
            loop onto one process, a negative or non-finite flow, a negative standard deviation,
            a measured stock change of a process without stock, or a process no flow touches;
            `field` names the offending entry (`processes[2].process_id`, `flows[5].sd`, …).
    """
    if not system.processes:
        raise FlowSystemInvalid("a system needs at least one process", field="processes")
    if len(system.flows) > MAX_FLOWS:
        raise FlowSystemInvalid(f"at most {MAX_FLOWS} flows", field="flows")
    ids: set[str] = set()
    for i, process in enumerate(system.processes):
        field = f"processes[{i}]"
        pid = process.process_id
        if not _ID.match(pid):
            raise FlowSystemInvalid(
                f"process id {pid!r} is not a slug", field=f"{field}.process_id"
            )
        if pid == ENVIRONMENT:
            raise FlowSystemInvalid(
                f"{ENVIRONMENT!r} is the system boundary, not a process",
                field=f"{field}.process_id",
            )
        if pid in ids:
            raise FlowSystemInvalid(f"process {pid!r} is listed twice", field=f"{field}.process_id")
        ids.add(pid)
        if process.stock_change is not None and not process.stock:
            raise FlowSystemInvalid(
                f"process {pid!r} has no stock but a stock change", field=f"{field}.stock_change"
            )
        _check_measurement(process.stock_change, f"{field}.stock_change")
    flow_ids: set[str] = set()
    touched: set[str] = set()
    for i, flow in enumerate(system.flows):
        field = f"flows[{i}]"
        if not _ID.match(flow.flow_id):
            raise FlowSystemInvalid(
                f"flow id {flow.flow_id!r} is not a slug", field=f"{field}.flow_id"
            )
        if flow.flow_id in flow_ids:
            raise FlowSystemInvalid(
                f"flow {flow.flow_id!r} is listed twice", field=f"{field}.flow_id"
            )
        flow_ids.add(flow.flow_id)
        for end in ("source", "target"):
            name = getattr(flow, end)
            if name != ENVIRONMENT and name not in ids:
                raise FlowSystemInvalid(
                    f"flow {flow.flow_id!r} names unknown process {name!r}", field=f"{field}.{end}"
                )
        if flow.source == flow.target:
            raise FlowSystemInvalid(
                f"flow {flow.flow_id!r} goes from {flow.source!r} to itself",
                field=f"{field}.target",
            )
        _check_measurement(flow.measurement, field)
        if flow.measurement is not None and flow.measurement.value < 0:
            raise FlowSystemInvalid(
                f"flow {flow.flow_id!r} is negative: reverse it instead", field=f"{field}.value"
            )
        touched |= {flow.source, flow.target}
    for i, process in enumerate(system.processes):
        if process.process_id not in touched:
            raise FlowSystemInvalid(
                f"no flow enters or leaves process {process.process_id!r}",
                field=f"processes[{i}].process_id",
            )
