"""Region-wide allocation runs on both backends: permits hold, disposal takes the rest, stored."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.factories import OPERATOR, Factory
from tests.integration.market_match_world import Market, small_market
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.errors import (
    AllocationNotFound,
    Forbidden,
    InvalidAllocationPeriod,
    InvalidInput,
    ListingNotFound,
)


@pytest.fixture
def market(factory: Factory) -> Market:
    return small_market(factory)


def test_a_run_is_stored_with_its_explained_lines(context: Context, market: Market) -> None:
    run = context.market.allocate(market.regulator, "3205", "2026-11")
    assert run.region_code == "320500"
    assert (run.period_start.isoformat(), run.period_end.isoformat()) == (
        "2026-11-01",
        "2026-11-30",
    )
    assert run.carbon_price == 90.0
    stored = context.market.allocation(market.regulator, run.id)
    assert stored == run
    by_supply: dict[uuid.UUID, list] = {}
    for line in stored.lines:
        by_supply.setdefault(line.supply_listing_id, []).append(line)
    # The hazardous oil never goes to the unpermitted recycler, however much it bids.
    assert all(line.demand_listing_id != market.unpermitted.id for line in stored.lines)
    oil = by_supply[market.oil.id]
    matched = [line for line in oil if line.demand_listing_id == market.permitted.id]
    assert matched, oil
    capacity = 20 * 30 / 30.4375
    assert sum(line.quantity_t for line in matched) == pytest.approx(capacity, abs=2e-3)
    # What the recycler cannot take goes to the oil's default disposal route.
    disposed = [line for line in oil if line.disposed]
    total = sum(line.quantity_t for line in oil)
    assert total == pytest.approx(30 * 30 / 30.4375, abs=2e-3)
    assert sum(line.quantity_t for line in disposed) == pytest.approx(total - capacity, abs=2e-3)
    # The slag has no buyer: all of it to landfill.
    (slag,) = by_supply[market.slag.id]
    assert slag.disposed
    assert slag.quantity_t == pytest.approx(100)
    # A match beating disposal makes the objective positive; the figures add up.
    assert matched[0].value["value_cny_per_t"] > 0
    assert run.objective_cny > 0
    assert run.objective_cny == pytest.approx(sum(line.value_cny for line in run.lines))
    assert run.matched_t == pytest.approx(capacity, abs=2e-3)
    assert run.disposed_t == pytest.approx(total - capacity + 100, abs=2e-3)
    assert matched[0].distance_km > 0
    assert run.filtered_counts.get("permit_missing", 0) >= 1
    assert any(
        example["rule"] == "permit_missing" and example["demand_id"] == str(market.unpermitted.id)
        for example in run.filtered
    )
    assert run.params["supplies"] == 2
    assert run.params["demands"] == 2


def test_a_run_is_reproducible(context: Context, market: Market) -> None:
    first = context.market.allocate(market.regulator, "320500", "2026-11", 90)
    second = context.market.allocate(market.regulator, "320500", "2026-11", 90)
    assert first.id != second.id
    assert first.lines == second.lines
    assert first.objective_cny == second.objective_cny


def test_the_carbon_price_moves_the_objective(context: Context, market: Market) -> None:
    free = context.market.allocate(OPERATOR, "3205", "2026-11", 0)
    priced = context.market.allocate(OPERATOR, "3205", "2026-11", 500)
    assert free.carbon_price == 0
    assert priced.carbon_price == 500
    assert free.objective_cny != priced.objective_cny


def test_runs_list_newest_first_within_jurisdiction(context: Context, market: Market) -> None:
    first = context.market.allocate(market.regulator, "3205", "2026-11")
    context.clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
    second = context.market.allocate(OPERATOR, "3205", "2026-Q4")
    page = context.market.allocations(market.regulator)
    assert [r.id for r in page.items][:2] == [second.id, first.id]
    assert context.market.allocations(market.outsider).items == []
    with pytest.raises(Forbidden):
        context.market.allocations(market.outsider, region="3205")
    with pytest.raises(Forbidden):
        context.market.allocation(market.outsider, first.id)


@pytest.mark.parametrize(
    ("region", "period", "price", "error", "field"),
    [
        ("32x5", "2026-11", None, InvalidInput, "region_code"),
        ("3205", "2026-13", None, InvalidAllocationPeriod, "period"),
        ("3205", "2026-12-01/2026-11-01", None, InvalidAllocationPeriod, "period"),
        ("3205", "2026-01-01/2027-06-30", None, InvalidAllocationPeriod, "period"),
        ("3205", "2026-11", -1.0, InvalidInput, "carbon_price_cny_per_t"),
        ("3205", "2026-11", float("nan"), InvalidInput, "carbon_price_cny_per_t"),
        ("999900", "2026-11", None, InvalidInput, "region_code"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    context: Context,
    market: Market,
    region: str,
    period: str,
    price: float | None,
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error) as caught:
        context.market.allocate(OPERATOR, region, period, price)
    assert getattr(caught.value, "field", None) == field
    assert context.market.allocations(OPERATOR).items == []


def test_who_may_run(context: Context, factory: Factory, market: Market) -> None:
    with pytest.raises(Forbidden):
        context.market.allocate(market.outsider, "3205", "2026-11")
    firm = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.market.allocate(firm, "3205", "2026-11")
    with pytest.raises(AllocationNotFound):
        context.market.allocation(OPERATOR, uuid.uuid4())


def test_recommendations_rank_the_permitted_buyer(context: Context, market: Market) -> None:
    found = context.market.recommend(OPERATOR, market.oil.id, k=5, period="2026-11")
    partners = [item.partner_id for item in found.items]
    assert str(market.permitted.id) in partners
    assert str(market.unpermitted.id) not in partners
    assert found.partners[str(market.permitted.id)].id == market.permitted.id
    assert found.filtered_counts.get("permit_missing", 0) >= 1
    default = context.market.recommend(OPERATOR, market.permitted.id)
    assert [item.partner_id for item in default.items] == [str(market.oil.id)]
    assert default.period.start == market.permitted.terms.available_from


def test_recommendations_are_for_the_listing_firm(
    context: Context, factory: Factory, market: Market
) -> None:
    stranger = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.market.recommend(stranger, market.oil.id)
    with pytest.raises(ListingNotFound):
        context.market.recommend(OPERATOR, uuid.uuid4())
    with pytest.raises(InvalidInput) as caught:
        context.market.recommend(OPERATOR, market.oil.id, k=0)
    assert caught.value.field == "k"
