"""The double random draw: rates, high-risk firms, inspectors, and reproducibility from a seed."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from zerowaste.errors import InvalidInput, InvalidPeriod, NoInspectors
from zerowaste.oversight.inspection_draw import (
    MAX_SEED,
    AssignmentStatus,
    DrawCandidate,
    DrawRates,
    DrawReason,
    check_period,
    check_seed,
    draw,
    parse_rate,
    plan_day,
    sample_size,
    status_of,
)

INSPECTORS = [uuid.UUID(int=9000 + i) for i in range(4)]


def candidates(n: int = 100, listed: int = 40, high: int = 3) -> list[DrawCandidate]:
    """`n` firms: the first `high` high-risk, the next `listed` whitelisted."""
    return [
        DrawCandidate(uuid.UUID(int=i + 1), high <= i < high + listed, i < high) for i in range(n)
    ]


def test_the_same_seed_and_candidates_give_the_same_plan_in_any_order() -> None:
    pool = candidates()
    shuffled = list(pool)
    random.Random(1).shuffle(shuffled)
    first = draw(pool, INSPECTORS, DrawRates(), seed=20260601)
    again = draw(shuffled, list(reversed(INSPECTORS)), DrawRates(), seed=20260601)
    assert first == again


def test_different_seeds_draw_different_firms() -> None:
    pool = candidates()
    plans = {
        tuple(d.organization_id for d in draw(pool, INSPECTORS, DrawRates(), s)) for s in range(8)
    }
    assert len(plans) == 8


def test_high_risk_always_whitelisted_at_the_lower_rate() -> None:
    pool = candidates(n=100, listed=40, high=3)
    found = draw(pool, INSPECTORS, DrawRates(Decimal("0.05"), Decimal("0.20")), seed=5)
    reasons = Counter(d.reason for d in found)
    assert reasons[DrawReason.HIGH_RISK] == 3
    assert {d.organization_id for d in found if d.reason is DrawReason.HIGH_RISK} == {
        uuid.UUID(int=i + 1) for i in range(3)
    }
    flags = {c.organization_id: c for c in pool}
    listed = sum(
        1 for d in found if d.reason is DrawReason.RANDOM and flags[d.organization_id].whitelisted
    )
    others = reasons[DrawReason.RANDOM] - listed
    assert listed == 2  # ⌈0.05 × 40⌉
    assert others == 12  # ⌈0.20 × 57⌉
    assert len({d.organization_id for d in found}) == len(found)


def test_high_risk_firms_are_drawn_even_at_zero_rates() -> None:
    found = draw(candidates(high=2), INSPECTORS, DrawRates(Decimal(0), Decimal(0)), seed=1)
    assert [d.reason for d in found] == [DrawReason.HIGH_RISK] * 2


def test_inspectors_are_dealt_evenly_from_the_pool() -> None:
    found = draw(candidates(n=100, listed=0, high=0), INSPECTORS, DrawRates(base=Decimal(1)), 3)
    load = Counter(d.inspector_user_id for d in found)
    assert set(load) == set(INSPECTORS)
    assert set(load.values()) == {25}
    other = draw(candidates(n=100, listed=0, high=0), INSPECTORS, DrawRates(base=Decimal(1)), 4)
    assert [d.inspector_user_id for d in found] != [d.inspector_user_id for d in other]


def test_a_draw_without_inspectors_is_refused_unless_nobody_is_drawn() -> None:
    with pytest.raises(NoInspectors) as caught:
        draw(candidates(), [], DrawRates(), seed=1)
    assert caught.value.field == "jurisdiction_code"
    assert draw([], [], DrawRates(), seed=1) == []


def test_sample_sizes_round_up() -> None:
    assert sample_size(Decimal("0.05"), 40) == 2
    assert sample_size(Decimal("0.05"), 1) == 1
    assert sample_size(Decimal(0), 50) == 0
    assert sample_size(Decimal(1), 7) == 7
    assert sample_size(Decimal("0.2"), 0) == 0


def test_rates_seeds_and_periods_are_checked_naming_the_field() -> None:
    assert parse_rate("0.05", "rates.whitelisted") == Decimal("0.05")
    for bad in ("-0.1", "1.5", "abc", "NaN"):
        with pytest.raises(InvalidInput) as caught:
            parse_rate(bad, "rates.whitelisted")
        assert caught.value.field == "rates.whitelisted"
    assert check_seed(0) == 0
    assert check_seed(MAX_SEED) == MAX_SEED
    for seed in (-1, MAX_SEED + 1):
        with pytest.raises(InvalidInput) as seed_error:
            check_seed(seed)
        assert seed_error.value.field == "seed"
    check_period(date(2026, 7, 1), date(2026, 7, 1))
    for end in (date(2026, 6, 30), date(2027, 7, 2)):
        with pytest.raises(InvalidPeriod) as period_error:
            check_period(date(2026, 7, 1), end)
        assert period_error.value.field == "period_end"


def test_an_assignment_is_done_drawn_or_missed() -> None:
    end = date(2026, 7, 31)
    assert status_of(True, end, date(2026, 9, 1)) is AssignmentStatus.DONE
    assert status_of(False, end, date(2026, 7, 31)) is AssignmentStatus.DRAWN
    assert status_of(False, end, date(2026, 8, 1)) is AssignmentStatus.MISSED


def test_plan_days_are_china_standard_time_days() -> None:
    assert plan_day(datetime(2026, 6, 30, 16, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert plan_day(datetime(2026, 6, 30, 15, 59, tzinfo=UTC)) == date(2026, 6, 30)
