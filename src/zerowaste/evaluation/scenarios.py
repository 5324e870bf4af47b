"""What-if scenarios: change utilization, routes or policy and project landfill, CO2e and cost.

A baseline is a city's year from the ledger, one stream per (waste code or class, industry
division of the generating firms): tonnes generated, the split of the waste's fates between
utilization, incineration, landfill and co-processing, and the mean carriage distance. A
scenario is a list of changes applied to every stream they name, in the order given:

- `generation`: generation reduced by `reduction_pct` percent (cleaner production).
- `utilization`: the utilization share raised by `points` percentage points, the mass taken
  from the disposal fates in proportion to their shares; capped at what is disposed (the cap
  is reported in the notes).
- `route`: `share` (0-1) of the mass going to fate `from` sent to fate `to` instead,
  optionally at a new carriage distance `distance_km` (a different receiver).
- `landfill_ban`: `share` (0-1) of the landfilled mass sent to fate `to` (utilization by
  default), as a landfill ban or restriction would.

Both are projected over the months of a horizon: each month's generation is the stream's
monthly mean of the base year times that month's `growth` multiplier (the city forecast over
the base year's monthly mean; 1 when no forecast is used). Per month and in total the result
gives, for the baseline and the scenario, tonnes per fate, emissions (t CO2e: tonnes × the
inventory waste-route factor of the stream's material and route, plus t.km × the road
transport factor) and cost (CNY: tonnes × the disposal cost per tonne of the fate, plus t.km ×
the freight rate). A tonne without a factor or cost is counted as unaccounted, never guessed;
every factor used is returned with its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from zerowaste.domain.factors import WasteRoute
from zerowaste.errors.evaluation import ScenarioInvalid

KG_PER_TONNE = 1000.0
#: Largest horizon of a projection, in months.
MAX_SCENARIO_MONTHS = 60
#: Shares are taken to sum to one within this tolerance.
SHARE_TOLERANCE = 1e-6


class Fate(StrEnum):
    """Where a stream's waste ends: utilized (综合利用) or one of three disposal routes."""

    UTILIZATION = "utilization"
    INCINERATION = "incineration"
    LANDFILL = "landfill"
    CO_PROCESSING = "co_processing"


#: The waste route whose factors a fate takes.
FATE_ROUTES = {
    Fate.UTILIZATION: WasteRoute.RECYCLING,
    Fate.INCINERATION: WasteRoute.INCINERATION,
    Fate.LANDFILL: WasteRoute.LANDFILL,
    Fate.CO_PROCESSING: WasteRoute.CO_PROCESSING,
}
DISPOSALS = (Fate.INCINERATION, Fate.LANDFILL, Fate.CO_PROCESSING)


class ChangeKind(StrEnum):
    """The kinds of change a scenario may make."""

    GENERATION = "generation"
    UTILIZATION = "utilization"
    ROUTE = "route"
    LANDFILL_BAN = "landfill_ban"


@dataclass(frozen=True, slots=True)
class StreamBaseline:
    """One stream of the base year: a waste (code or class) of one industry division."""

    stream: str
    sector: str
    generated_t: float
    shares: Mapping[Fate, float]
    distance_km: float
    material: str | None
    hazardous: bool

    def __post_init__(self) -> None:
        if self.generated_t < 0:
            raise ScenarioInvalid("generation must not be negative", field="generated_t")
        if any(not 0 <= v <= 1 for v in self.shares.values()):
            raise ScenarioInvalid(f"{self.stream}: a share lies outside [0, 1]", field="shares")
        if abs(sum(self.shares.values()) - 1) > SHARE_TOLERANCE:
            raise ScenarioInvalid(f"{self.stream}: the shares must sum to 1", field="shares")


@dataclass(frozen=True, slots=True)
class Baseline:
    """A region's base year: its streams, and notes on how they were read."""

    region: str
    year: int
    streams: tuple[StreamBaseline, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a scenario (see the module docstring); None `stream`/`sector`: every one."""

    kind: ChangeKind
    stream: str | None = None
    sector: str | None = None
    points: float = 0.0
    reduction_pct: float = 0.0
    share: float = 0.0
    source: Fate | None = None
    target: Fate | None = None
    distance_km: float | None = None

    def applies_to(self, stream: StreamBaseline) -> bool:
        """Whether this change touches `stream`."""
        return (self.stream is None or self.stream == stream.stream) and (
            self.sector is None or self.sector == stream.sector
        )


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario: the base region and year, the horizon, the changes, cost overrides."""

    region: str
    year: int
    horizon: int
    changes: tuple[Change, ...]
    name: str = ""
    costs: Mapping[Fate, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FactorUse:
    """A factor or price a projection used: its key, value, unit and source."""

    key: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class ScenarioFactors:
    """What a projection prices emissions and costs with; a missing key is unaccounted.

    `emission` is keyed by (material, fate) in kg CO2e/t, `cost` by (stream, fate) in CNY/t,
    `freight` by whether the stream is hazardous in CNY/t.km; `transport` is kg CO2e/t.km.
    """

    emission: Mapping[tuple[str, Fate], FactorUse]
    cost: Mapping[tuple[str, Fate], FactorUse]
    transport: FactorUse | None
    freight: Mapping[bool, FactorUse]


@dataclass(slots=True)
class Figures:
    """Tonnes per fate, emissions and cost of one month (or a total), of one side."""

    generated_t: float = 0.0
    fates_t: dict[Fate, float] = field(default_factory=lambda: dict.fromkeys(Fate, 0.0))
    tonne_km: float = 0.0
    emissions_t: float = 0.0
    cost_cny: float = 0.0
    unpriced_emissions_t: float = 0.0
    unpriced_cost_t: float = 0.0

    @property
    def landfill_t(self) -> float:
        """Tonnes landfilled."""
        return self.fates_t[Fate.LANDFILL]

    def add(self, other: Figures) -> None:
        """Add `other` into these figures."""
        self.generated_t += other.generated_t
        for fate in Fate:
            self.fates_t[fate] += other.fates_t[fate]
        self.tonne_km += other.tonne_km
        self.emissions_t += other.emissions_t
        self.cost_cny += other.cost_cny
        self.unpriced_emissions_t += other.unpriced_emissions_t
        self.unpriced_cost_t += other.unpriced_cost_t


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One month of the projection: the baseline beside the scenario."""

    month: date
    growth: float
    baseline: Figures
    scenario: Figures


@dataclass(frozen=True, slots=True)
class StreamState:
    """A stream after the changes: generation multiplier, shares and distance per fate."""

    stream: StreamBaseline
    generation: float
    shares: dict[Fate, float]
    distance_km: dict[Fate, float]


@dataclass(frozen=True, slots=True)
class Projection:
    """A scenario projected against its baseline, with the factors used and the notes."""

    spec: ScenarioSpec
    baseline: Baseline
    months: tuple[MonthFigures, ...]
    baseline_total: Figures
    scenario_total: Figures
    streams: tuple[StreamState, ...]
    factors: tuple[FactorUse, ...]
    notes: tuple[str, ...]


def _number(raw: Any, where: str, low: float, high: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ScenarioInvalid(f"must be a number from {low:g} to {high:g}", field=where)
    value = float(raw)
    if not low <= value <= high:
        raise ScenarioInvalid(f"{value:g} lies outside [{low:g}, {high:g}]", field=where)
    return value


def _fate(raw: Any, where: str) -> Fate:
    try:
        return Fate(raw)
    except ValueError:
        raise ScenarioInvalid(
            f"{raw!r} is not a fate: use {', '.join(Fate)}", field=where
        ) from None


def _text(raw: Any, where: str) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > 40:
        raise ScenarioInvalid("must be text of at most 40 characters", field=where)
    return raw.strip()


def parse_change(raw: Any, where: str) -> Change:
    """One change from its JSON form (see the module docstring for the kinds and fields)."""
    if not isinstance(raw, Mapping):
        raise ScenarioInvalid("a change must be an object", field=where)
    try:
        kind = ChangeKind(str(raw.get("kind")))
    except ValueError:
        raise ScenarioInvalid(
            f"{raw.get('kind')!r} is not a change: use {', '.join(ChangeKind)}",
            field=f"{where}.kind",
        ) from None
    known = {"kind", "stream", "sector"} | {
        ChangeKind.GENERATION: {"reduction_pct"},
        ChangeKind.UTILIZATION: {"points"},
        ChangeKind.ROUTE: {"from", "to", "share", "distance_km"},
        ChangeKind.LANDFILL_BAN: {"share", "to"},
    }[kind]
    for key in raw:
        if key not in known:
            raise ScenarioInvalid(f"a {kind} change has no field {key!r}", field=f"{where}.{key}")
    stream, sector = (
        _text(raw.get("stream"), f"{where}.stream"),
        _text(raw.get("sector"), f"{where}.sector"),
    )
    if kind is ChangeKind.GENERATION:
        pct = _number(raw.get("reduction_pct"), f"{where}.reduction_pct", -100, 100)
        return Change(kind, stream, sector, reduction_pct=pct)
    if kind is ChangeKind.UTILIZATION:
        points = _number(raw.get("points"), f"{where}.points", 0, 100)
        return Change(kind, stream, sector, points=points)
    share = _number(raw.get("share"), f"{where}.share", 0, 1)
    if kind is ChangeKind.LANDFILL_BAN:
        target = _fate(raw.get("to", Fate.UTILIZATION.value), f"{where}.to")
        if target is Fate.LANDFILL:
            raise ScenarioInvalid(
                "a landfill ban cannot send waste to landfill", field=f"{where}.to"
            )
        return Change(kind, stream, sector, share=share, source=Fate.LANDFILL, target=target)
    source, target = _fate(raw.get("from"), f"{where}.from"), _fate(raw.get("to"), f"{where}.to")
    if source is target:
        raise ScenarioInvalid("a route change must go to another fate", field=f"{where}.to")
    distance = raw.get("distance_km")
    km = None if distance is None else _number(distance, f"{where}.distance_km", 0, 5000)
    return Change(kind, stream, sector, share=share, source=source, target=target, distance_km=km)


def parse_spec(raw: Any, *, default_year: int | None = None) -> ScenarioSpec:
    """A scenario from its JSON form.

    `{"region": "320500", "year": 2025, "horizon": 12, "name": "…", "changes": […],
    "costs": {"co_processing": 600}}`; `year` falls back to `default_year`.

    Raises:
        ScenarioInvalid: A field is missing, unknown or out of range (its path is the field).
    """
    if not isinstance(raw, Mapping):
        raise ScenarioInvalid("a scenario must be a JSON object", field="body")
    for key in raw:
        if key not in {"region", "year", "horizon", "name", "changes", "costs"}:
            raise ScenarioInvalid(f"a scenario has no field {key!r}", field=key)
    region = raw.get("region")
    if not isinstance(region, str) or len(region) != 6 or not region.isdigit():
        raise ScenarioInvalid("a six-digit region code is required", field="region")
    year_raw = raw.get("year", default_year)
    year = int(_number(year_raw, "year", 1990, 2100))
    if year != year_raw:
        raise ScenarioInvalid("the year must be a whole number", field="year")
    horizon_raw = raw.get("horizon", 12)
    horizon = int(_number(horizon_raw, "horizon", 1, MAX_SCENARIO_MONTHS))
    if horizon != horizon_raw:
        raise ScenarioInvalid("the horizon must be a whole number of months", field="horizon")
    name = raw.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        raise ScenarioInvalid("must be text of at most 200 characters", field="name")
    changes = raw.get("changes", [])
    if not isinstance(changes, list) or len(changes) > 50:
        raise ScenarioInvalid("must be a list of at most 50 changes", field="changes")
    costs_raw = raw.get("costs", {})
    if not isinstance(costs_raw, Mapping):
        raise ScenarioInvalid("must be an object of fate → CNY/t", field="costs")
    costs = {
        _fate(k, f"costs.{k}"): _number(v, f"costs.{k}", 0, 100000) for k, v in costs_raw.items()
    }
    return ScenarioSpec(
        region=region,
        year=year,
        horizon=horizon,
        changes=tuple(parse_change(c, f"changes[{i}]") for i, c in enumerate(changes)),
        name=name,
        costs=costs,
    )


def _move(state: StreamState, source: Fate, target: Fate, share: float, km: float | None) -> None:
    """Send `share` of the source fate's share to the target fate (at `km` if given)."""
    moved = state.shares[source] * share
    if moved <= 0:
        return
    before = state.shares[target]
    distance = state.distance_km[source] if km is None else km
    state.shares[source] -= moved
    state.shares[target] = before + moved
    state.distance_km[target] = (
        before * state.distance_km[target] + moved * distance
    ) / state.shares[target]


def apply_changes(baseline: Baseline, spec: ScenarioSpec) -> tuple[list[StreamState], list[str]]:
    """Every stream after the scenario's changes, and notes on caps met.

    Raises:
        ScenarioInvalid: A change names a stream or sector the baseline lacks (its field).
    """
    streams = {s.stream for s in baseline.streams}
    sectors = {s.sector for s in baseline.streams}
    for i, change in enumerate(spec.changes):
        if change.stream is not None and change.stream not in streams:
            raise ScenarioInvalid(
                f"no stream {change.stream!r} in {baseline.region}'s {baseline.year}",
                field=f"changes[{i}].stream",
            )
        if change.sector is not None and change.sector not in sectors:
            raise ScenarioInvalid(
                f"no sector {change.sector!r} in {baseline.region}'s {baseline.year}",
                field=f"changes[{i}].sector",
            )
    states = [
        StreamState(
            s, 1.0, {f: s.shares.get(f, 0.0) for f in Fate}, dict.fromkeys(Fate, s.distance_km)
        )
        for s in baseline.streams
    ]
    notes: list[str] = []
    for i, change in enumerate(spec.changes):
        for n, state in enumerate(states):
            if not change.applies_to(state.stream):
                continue
            if change.kind is ChangeKind.GENERATION:
                factor = state.generation * (1 - change.reduction_pct / 100)
                states[n] = StreamState(state.stream, factor, state.shares, state.distance_km)
            elif change.kind is ChangeKind.UTILIZATION:
                disposed = sum(state.shares[f] for f in DISPOSALS)
                wanted = change.points / 100
                if wanted > disposed + SHARE_TOLERANCE:
                    notes.append(
                        f"changes[{i}]: {state.stream}/{state.stream.sector or '-'} had only "
                        f"{100 * disposed:.1f} points left to utilize; capped there"
                    )
                if disposed > 0:
                    part = min(1.0, wanted / disposed)
                    for fate in DISPOSALS:
                        _move(state, fate, Fate.UTILIZATION, part, None)
            else:
                assert change.source is not None
                assert change.target is not None
                _move(state, change.source, change.target, change.share, change.distance_km)
    return states, notes


def _figures(
    state: StreamState | None,
    stream: StreamBaseline,
    tonnes: float,
    factors: ScenarioFactors,
    costs: Mapping[Fate, FactorUse],
    used: dict[str, FactorUse],
) -> Figures:
    shares = state.shares if state else stream.shares
    distances = state.distance_km if state else dict.fromkeys(Fate, stream.distance_km)
    figures = Figures(generated_t=tonnes)
    for fate in Fate:
        t = tonnes * shares.get(fate, 0.0)
        if t <= 0:
            continue
        figures.fates_t[fate] += t
        tkm = t * distances[fate]
        figures.tonne_km += tkm
        emission = factors.emission.get((stream.material or "", fate))
        if emission is None:
            figures.unpriced_emissions_t += t
        else:
            used[emission.key] = emission
            figures.emissions_t += t * emission.value / KG_PER_TONNE
        if tkm > 0 and factors.transport is not None:
            used[factors.transport.key] = factors.transport
            figures.emissions_t += tkm * factors.transport.value / KG_PER_TONNE
        cost = costs.get(fate) or factors.cost.get((stream.stream, fate))
        if cost is None:
            figures.unpriced_cost_t += t
        else:
            used[cost.key] = cost
            figures.cost_cny += t * cost.value
        freight = factors.freight.get(stream.hazardous)
        if tkm > 0 and freight is not None:
            used[freight.key] = freight
            figures.cost_cny += tkm * freight.value
    return figures


def project(
    baseline: Baseline,
    spec: ScenarioSpec,
    factors: ScenarioFactors,
    growth: Sequence[tuple[date, float]],
) -> Projection:
    """Project the baseline and the scenario over the months of `growth` (see the docstring).

    Raises:
        ScenarioInvalid: A change names an unknown stream or sector, or a growth is negative.
    """
    for month, g in growth:
        if g < 0:
            raise ScenarioInvalid(f"negative growth in {month:%Y-%m}", field="growth")
    states, notes = apply_changes(baseline, spec)
    overrides = {
        fate: FactorUse(f"scenario/cost/{fate}", value, "CNY/t", "scenario input")
        for fate, value in spec.costs.items()
    }
    used: dict[str, FactorUse] = {}
    months = []
    base_total, scen_total = Figures(), Figures()
    for month, g in growth:
        base, scen = Figures(), Figures()
        for state in states:
            stream = state.stream
            tonnes = stream.generated_t / 12 * g
            base.add(_figures(None, stream, tonnes, factors, overrides, used))
            scen.add(_figures(state, stream, tonnes * state.generation, factors, overrides, used))
        base_total.add(base)
        scen_total.add(scen)
        months.append(MonthFigures(month, g, base, scen))
    return Projection(
        spec=spec,
        baseline=baseline,
        months=tuple(months),
        baseline_total=base_total,
        scenario_total=scen_total,
        streams=tuple(states),
        factors=tuple(used[k] for k in sorted(used)),
        notes=tuple(baseline.notes) + tuple(notes),
    )
