"""Inspection plans by double random draw (双随机、一公开): firms and inspectors, from a seed.

High-risk firms are always drawn; of the rest, whitelisted firms are drawn at a lower rate
than the others (each group sampled without replacement: ⌈rate × group size⌉ firms). The
inspectors are then dealt to the drawn firms from shuffled rounds of the jurisdiction's
regulators, so the load is even and nobody chooses whom they inspect. Everything comes from
`random.Random(seed)` over lists sorted by id: the same seed and the same candidates give the
same plan, which anyone can re-run from the plan's signed document.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from zerowaste.errors import InvalidInput, InvalidPeriod, NoInspectors

#: A plan's days are calendar days in China Standard Time (UTC+8, no daylight saving), where
#: the regulators and firms are: an inspection at 07:00 on 1 July in Suzhou is on 1 July.
PLAN_TIMEZONE = timezone(timedelta(hours=8), "CST")
#: The longest period one plan covers (a year).
MAX_PERIOD_DAYS = 366
#: Seeds are non-negative and fit a signed 64-bit column.
MAX_SEED = 2**63 - 1
#: The default share of whitelisted firms drawn (5 %) and of the others (20 %): the "lower
#: rate for whitelisted firms" of the issue; regulators may choose others per plan.
DEFAULT_WHITELISTED_RATE = Decimal("0.05")
DEFAULT_BASE_RATE = Decimal("0.20")


class DrawReason(StrEnum):
    """Why a firm is in a plan."""

    RANDOM = "random"
    HIGH_RISK = "high_risk"


@dataclass(frozen=True, slots=True)
class DrawRates:
    """The shares of each group drawn; high-risk firms are always drawn."""

    whitelisted: Decimal = DEFAULT_WHITELISTED_RATE
    base: Decimal = DEFAULT_BASE_RATE

    def as_members(self) -> dict[str, str]:
        """The rates as the plan's document records them."""
        return {"whitelisted": str(self.whitelisted), "base": str(self.base)}


def parse_rate(value: object, field: str) -> Decimal:
    """A rate in [0, 1] from a number or decimal string.

    Raises:
        InvalidInput: Not a number, or outside [0, 1] (field `field`).
    """
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not a number", field=field) from None
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise InvalidInput("a rate lies between 0 and 1", field=field)
    return rate


def check_period(start: date, end: date) -> None:
    """Raise `InvalidPeriod` (field `period_end`) if the period is reversed or too long."""
    if end < start:
        raise InvalidPeriod(f"ends {end} before it starts {start}", field="period_end")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidPeriod(f"a plan covers at most {MAX_PERIOD_DAYS} days", field="period_end")


def check_seed(seed: int) -> int:
    """The seed if in [0, 2⁶³ − 1]; `InvalidInput` (field `seed`) otherwise."""
    if isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise InvalidInput(f"a seed is an integer from 0 to {MAX_SEED}", field="seed")
    return seed


@dataclass(frozen=True, slots=True)
class DrawCandidate:
    """A firm that may be drawn, and what sets its chance."""

    organization_id: uuid.UUID
    whitelisted: bool
    high_risk: bool

    def as_members(self) -> dict[str, str | bool]:
        """The candidate as the plan's document records it."""
        return {
            "organization_id": str(self.organization_id),
            "whitelisted": self.whitelisted,
            "high_risk": self.high_risk,
        }


@dataclass(frozen=True, slots=True)
class Draw:
    """One drawn firm, why, and its inspector."""

    organization_id: uuid.UUID
    reason: DrawReason
    inspector_user_id: uuid.UUID


def sample_size(rate: Decimal, population: int) -> int:
    """⌈rate × population⌉: a positive rate draws at least one firm of a non-empty group."""
    return min(population, math.ceil(rate * population))


def draw(
    candidates: Sequence[DrawCandidate],
    inspectors: Sequence[uuid.UUID],
    rates: DrawRates,
    seed: int,
) -> list[Draw]:
    """The plan's firms and inspectors, reproducible from `seed` and the inputs.

    Args:
        candidates: The firms of the jurisdiction (any order; they are sorted by id).
        inspectors: The regulator users who may inspect (any order; sorted by id).
        rates: The shares drawn of whitelisted and of other firms.
        seed: The recorded seed.

    Returns:
        The drawn firms, high-risk first, each group sorted by id, each with an inspector.

    Raises:
        NoInspectors: Firms were drawn but there is nobody to inspect them.
    """
    rng = random.Random(check_seed(seed))
    ordered = sorted(candidates, key=lambda c: str(c.organization_id))
    high = [c.organization_id for c in ordered if c.high_risk]
    listed = [c.organization_id for c in ordered if not c.high_risk and c.whitelisted]
    others = [c.organization_id for c in ordered if not c.high_risk and not c.whitelisted]
    drawn_listed = rng.sample(listed, sample_size(rates.whitelisted, len(listed)))
    drawn_others = rng.sample(others, sample_size(rates.base, len(others)))
    chosen = [(o, DrawReason.HIGH_RISK) for o in high] + [
        (o, DrawReason.RANDOM) for o in sorted(drawn_listed + drawn_others, key=str)
    ]
    if not chosen:
        return []
    pool = sorted(set(inspectors), key=str)
    if not pool:
        raise NoInspectors(
            "no active regulator user of this jurisdiction to inspect", field="jurisdiction_code"
        )
    dealt: list[uuid.UUID] = []
    while len(dealt) < len(chosen):
        round_ = list(pool)
        rng.shuffle(round_)
        dealt.extend(round_)
    return [Draw(o, reason, dealt[i]) for i, (o, reason) in enumerate(chosen)]


class AssignmentStatus(StrEnum):
    """An assignment's result: drawn (not yet inspected), done in the period, or missed."""

    DRAWN = "drawn"
    DONE = "done"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class InspectionPlan:
    """The projection of a drawn plan (and of its publication, once published).

    Attributes:
        plan_id: The plan's id.
        jurisdiction_code: The region the plan covers.
        period_start: The first day inspections count.
        period_end: The last day.
        seed: The recorded seed of the draw.
        rates: The shares drawn.
        candidates: The firms the draw was made from (with their whitelist and risk flags).
        inspectors: The regulator users the inspectors were drawn from.
        draws: The drawn firms and their inspectors.
        created_at: When it was drawn.
        created_by: The regulator (user) who drew it.
        action_id: The signed `draw` step.
        published_at: When it was made public, if it was.
        published_by: Who published it.
        statuses: At publication, each assignment's result (by firm).
        inspection_ids: At publication, the inspection counted for each done assignment.
    """

    plan_id: uuid.UUID
    jurisdiction_code: str
    period_start: date
    period_end: date
    seed: int
    rates: DrawRates
    candidates: tuple[DrawCandidate, ...]
    inspectors: tuple[uuid.UUID, ...]
    draws: tuple[Draw, ...]
    created_at: datetime
    created_by: uuid.UUID | None
    action_id: uuid.UUID
    published_at: datetime | None = None
    published_by: uuid.UUID | None = None
    statuses: Mapping[uuid.UUID, AssignmentStatus] = field(default_factory=dict)
    inspection_ids: Mapping[uuid.UUID, uuid.UUID] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        """Whether the plan and its results are public."""
        return self.published_at is not None

    def redrawn(self) -> list[Draw]:
        """The draw re-run from the recorded seed and inputs (equal to `draws` if untampered)."""
        return draw(self.candidates, self.inspectors, self.rates, self.seed)


def plan_day(at: datetime) -> date:
    """The calendar day of an instant in the plans' time zone."""
    return at.astimezone(PLAN_TIMEZONE).date()


def status_of(inspected: bool, period_end: date, today: date) -> AssignmentStatus:
    """Done if inspected in the period; missed once the period is over without; else drawn."""
    if inspected:
        return AssignmentStatus.DONE
    return AssignmentStatus.MISSED if today > period_end else AssignmentStatus.DRAWN
