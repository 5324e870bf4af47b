"""A city's waste system from ledger totals: sectors, storage, transport, fates, boundary.

Processes: one generating sector per GB/T 4754 division of the generators (`sector:C36` …),
`storage` (waste held at sites, a stock), `transport` (manifests in transit, a stock),
`utilization` (综合利用), `incineration`, `landfill` (a stock), `co_processing`, `other_disposal`,
and the environment for what crosses the region's boundary. Ledger masses are measurements,
each with a relative standard deviation by the kind of record (`Uncertainties`), so the
reconciliation weighs a weighbridge ticket above a declared loss. Unknowns: what each sector
hands to storage (it equals its generation), the stock changes of storage and landfill, and
what leaves incineration, co-processing and other disposal (to air, into clinker, …).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields

from zerowaste.flows.system import ENVIRONMENT, Flow, FlowSystem, Measurement, Process

#: Disposal methods as recorded by `disposed` events, to their process ids.
DISPOSAL_PROCESSES = {
    "incineration": "incineration",
    "landfill": "landfill",
    "co_processing": "co_processing",
    "other": "other_disposal",
}
#: The sector of generators without an industry code.
UNKNOWN_SECTOR = "unknown"

CodeMasses = dict[str, float]
"""Kilograms by waste code."""


@dataclass(frozen=True, slots=True)
class Uncertainties:
    """Relative standard deviations of ledger masses by record kind (0.02 = 2 %).

    The defaults are the platform's assumptions, not measured: a generation record is often
    an estimate (10 %); shipments and receipts are weighed (2 %); a utilization's inputs are
    weighed (2 %) and its products less often (5 %); residues 5 %; a declared loss is a
    difference (20 %); disposals are weighed at the gate (2 %); the change of waste in transit
    is a sum of shipments (5 %).
    """

    generation: float = 0.10
    shipped: float = 0.02
    received: float = 0.02
    in_transit: float = 0.05
    utilization_input: float = 0.02
    products: float = 0.05
    residues: float = 0.05
    losses: float = 0.20
    disposal: float = 0.02

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0 < value < 10:
                raise ValueError(f"the relative sd of {f.name} must be positive, got {value}")

    def replace(self, overrides: dict[str, float]) -> Uncertainties:
        """A copy with some kinds changed.

        Raises:
            ValueError: An unknown kind or a non-positive value.
        """
        known = {f.name for f in fields(self)}
        for name in overrides:
            if name not in known:
                raise ValueError(f"unknown record kind {name!r}: one of {', '.join(sorted(known))}")
        values = {f.name: getattr(self, f.name) for f in fields(self)} | overrides
        return Uncertainties(**values)


@dataclass
class LedgerTotals:
    """What the ledger says moved in a region over a period, kilograms by waste code.

    `in_transit_change` is the shipper-weighed mass shipped in the period on manifests inside
    the region and not yet received by its end, minus what was shipped before the period and
    received during it; `in_transit_volume` is the sum of both (the base of its uncertainty).
    """

    generation: dict[str, CodeMasses] = field(default_factory=dict)
    shipped: CodeMasses = field(default_factory=dict)
    exported: CodeMasses = field(default_factory=dict)
    imported: CodeMasses = field(default_factory=dict)
    received: CodeMasses = field(default_factory=dict)
    in_transit_change: float = 0.0
    in_transit_volume: float = 0.0
    utilization_input: CodeMasses = field(default_factory=dict)
    products: float = 0.0
    residues: CodeMasses = field(default_factory=dict)
    losses: float = 0.0
    disposal: dict[str, CodeMasses] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True, slots=True)
class CitySystem:
    """The system, the waste codes each flow carries (kg by code) and what it was built from."""

    system: FlowSystem
    codes: dict[str, CodeMasses]
    counts: dict[str, int]


def _t(kg: float) -> float:
    return kg / 1000.0


def build_city_system(
    totals: LedgerTotals, uncertainties: Uncertainties | None = None, *, name: str = ""
) -> CitySystem:
    """The city's system from ledger totals (tonnes); flows with nothing recorded are left out."""
    u = uncertainties or Uncertainties()
    flows: list[Flow] = []
    codes: dict[str, CodeMasses] = {}
    processes: dict[str, Process] = {}

    def add(
        flow_id: str,
        source: str,
        target: str,
        masses: CodeMasses | float,
        rel: float | None,
        label: str,
    ) -> None:
        kg = sum(masses.values()) if isinstance(masses, dict) else masses
        if kg <= 0:
            return
        measurement = Measurement(_t(kg), rel * _t(kg)) if rel is not None else None
        flows.append(Flow(flow_id, source, target, measurement, label))
        if isinstance(masses, dict):
            codes[flow_id] = dict(masses)

    for division in sorted(totals.generation):
        pid = f"sector:{division}"
        masses = totals.generation[division]
        if sum(masses.values()) <= 0:
            continue
        processes[pid] = Process(pid, f"Sector {division}")
        add(
            f"generation:{division}",
            ENVIRONMENT,
            pid,
            masses,
            u.generation,
            f"Generated ({division})",
        )
        add(f"handover:{division}", pid, "storage", masses, None, f"To storage ({division})")
    add("shipped", "storage", "transport", totals.shipped, u.shipped, "Shipped on manifests")
    add(
        "imported",
        ENVIRONMENT,
        "transport",
        totals.imported,
        u.received,
        "Imported into the region",
    )
    add(
        "exported",
        "transport",
        ENVIRONMENT,
        totals.exported,
        u.shipped,
        "Exported out of the region",
    )
    add("received", "transport", "storage", totals.received, u.received, "Received at sites")
    add(
        "to_utilization",
        "storage",
        "utilization",
        totals.utilization_input,
        u.utilization_input,
        "To utilization",
    )
    add(
        "products",
        "utilization",
        ENVIRONMENT,
        totals.products,
        u.products,
        "Products and secondary materials",
    )
    add(
        "residues",
        "utilization",
        "storage",
        totals.residues,
        u.residues,
        "Residues back to storage",
    )
    add("losses", "utilization", ENVIRONMENT, totals.losses, u.losses, "Declared losses")
    for method, pid in DISPOSAL_PROCESSES.items():
        add(
            f"to_{pid}",
            "storage",
            pid,
            totals.disposal.get(method, {}),
            u.disposal,
            f"To {pid.replace('_', ' ')}",
        )
    for pid, flow_id, label in (
        ("incineration", "incineration_out", "Flue gas and ash out"),
        ("co_processing", "co_processing_out", "Into clinker and air"),
        ("other_disposal", "other_disposal_out", "Other disposal out"),
    ):
        if any(f.target == pid for f in flows):  # what leaves is not recorded: an unknown
            flows.append(Flow(flow_id, pid, ENVIRONMENT, None, label))
    touched = {f.source for f in flows} | {f.target for f in flows}
    if "storage" in touched:
        processes["storage"] = Process("storage", "Storage", stock=True)
    if "transport" in touched:
        change = _t(totals.in_transit_change)
        sd = u.in_transit * _t(totals.in_transit_volume)
        processes["transport"] = Process("transport", "Transport", True, Measurement(change, sd))
    if "utilization" in touched:
        processes["utilization"] = Process("utilization", "Utilization")
    for pid in DISPOSAL_PROCESSES.values():
        if pid in touched:
            processes[pid] = Process(
                pid, pid.replace("_", " ").capitalize(), stock=pid == "landfill"
            )
    order = [p for p in processes if p.startswith("sector:")]
    order += [
        p
        for p in ("storage", "transport", "utilization", *DISPOSAL_PROCESSES.values())
        if p in processes
    ]
    if not processes:
        processes["storage"] = Process("storage", "Storage", stock=True)
        order = ["storage"]
        flows.append(
            Flow(
                "generation:none", ENVIRONMENT, "storage", Measurement(0.0, 0.0), "Nothing recorded"
            )
        )
    system = FlowSystem(tuple(processes[p] for p in order), tuple(flows), "t", name)
    return CitySystem(system, codes, dict(totals.counts))
