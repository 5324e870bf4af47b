"""The shapes of carbon reports: rows with both figures beside each other and their intervals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import numpy as np

from zerowaste.carbon.aggregate import Granularity, Group, SetTotal
from zerowaste.carbon.flows import Unaccounted
from zerowaste.carbon.uncertainty import FactorDraws, Interval
from zerowaste.domain.factors import Factor
from zerowaste.lca.sampling import sample_columns


class Scope(StrEnum):
    """What a carbon report covers."""

    CITY = "city"
    FIRM = "firm"
    CHAIN = "chain"
    BATCH = "batch"
    EVENT = "event"


@dataclass(frozen=True, slots=True)
class SetFigure:
    """One factor set's total of a row: kg CO2e, its 95 % interval, factors, unaccounted flows."""

    co2e_kg: Decimal
    interval: Interval | None
    refs: tuple[str, ...]
    accounted_kg: Decimal
    unaccounted: dict[Unaccounted, int]
    unaccounted_kg: Decimal


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A row of a report: avoided and inventory figures side by side, never added together."""

    key: str
    flows: int
    mass_kg: Decimal
    avoided: SetFigure
    inventory: SetFigure


@dataclass(frozen=True, slots=True)
class CarbonReport:
    """Avoided emissions of a scope over a period, with inventory emissions reported beside."""

    scope: Scope
    scope_id: str | None
    period_from: date | None
    period_to: date | None
    granularity: Granularity
    iterations: int
    seed: int
    dataset: str
    total: ReportRow
    by_period: list[ReportRow]
    by_route: list[ReportRow]
    by_material: list[ReportRow]
    factors: list[Factor]
    organization_ids: tuple[uuid.UUID, ...] = ()


def draw_factors(factors: dict[str, Factor], iterations: int, seed: int) -> FactorDraws | None:
    """Seeded draws of every factor used (None when no Monte Carlo is asked for)."""
    if iterations <= 0:
        return None
    refs = sorted(factors)
    chosen = [factors[r] for r in refs]
    rng = np.random.default_rng(seed)
    draws = sample_columns(
        [f.distribution for f in chosen], [float(f.value) for f in chosen], rng, iterations
    )
    return FactorDraws(refs, draws)


def _set_figure(total: SetTotal, draws: FactorDraws | None) -> SetFigure:
    return SetFigure(
        co2e_kg=total.co2e_kg,
        interval=draws.interval(total) if draws is not None else None,
        refs=total.refs,
        accounted_kg=total.accounted_kg,
        unaccounted=dict(total.unaccounted),
        unaccounted_kg=total.unaccounted_kg,
    )


def report_row(group: Group, draws: FactorDraws | None) -> ReportRow:
    """A group's row with its intervals."""
    return ReportRow(
        key=group.key,
        flows=group.flows,
        mass_kg=group.mass_kg,
        avoided=_set_figure(group.avoided, draws),
        inventory=_set_figure(group.inventory, draws),
    )
