"""The demo's planned year of events: replayable, balanced, seasonal, with every violation found."""

from __future__ import annotations

import json
import statistics
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from zerowaste.demo import generate_city
from zerowaste.demo.archetypes import Chain
from zerowaste.demo.events import output_value, plan_events
from zerowaste.demo.model import DemoCity, DemoFirm
from zerowaste.demo.plan import (
    BACKDATED_AFTER_DAYS,
    MAX_STORAGE_DAYS,
    OVERDUE_TRANSIT_DAYS,
    VANISHED_AFTER_DAYS,
    WEIGHT_GAP_TOLERANCE,
    EventPlan,
    ViolationKind,
)
from zerowaste.demo.planner import CST
from zerowaste.demo.routes import covers, is_hazardous
from zerowaste.demo.truth import demo_ground_truth, ground_truth
from zerowaste.domain.batches import BatchBook, BatchStatus, replay
from zerowaste.domain.events import DisposalMethod, EventType, OutputKind
from zerowaste.domain.permits import PermitActivity
from zerowaste.errors import InvalidInput

AS_OF = date(2026, 6, 1)
END = datetime(2026, 6, 1, tzinfo=CST)


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(7, 1.0, as_of=AS_OF)


@pytest.fixture(scope="module")
def plan(city: DemoCity) -> EventPlan:
    return plan_events(city)


@pytest.fixture(scope="module")
def book(plan: EventPlan) -> BatchBook:
    return replay(p.event for p in plan.events)


@pytest.fixture(scope="module")
def firms(city: DemoCity) -> dict[uuid.UUID, DemoFirm]:
    return {firm.ref: firm for firm in city.firms}


def planted(plan: EventPlan, kind: ViolationKind) -> list:
    found = [v for v in plan.violations if v.kind is kind]
    assert found, f"no {kind} planted"
    return found


def last_events(plan: EventPlan) -> dict[uuid.UUID, datetime]:
    last: dict[uuid.UUID, datetime] = {}
    for planned in plan.events:
        for batch_id in planned.event.batch_ids:
            last[batch_id] = max(
                last.get(batch_id, planned.event.event_time), planned.event.event_time
            )
    return last


def test_the_same_seed_plans_the_same_year_and_another_seed_another() -> None:
    small = generate_city(3, 0.1, as_of=AS_OF)
    first, second = plan_events(small), plan_events(small)
    assert first == second
    other = plan_events(generate_city(4, 0.1, as_of=AS_OF))
    assert {p.event.event_id for p in other.events}.isdisjoint(
        p.event.event_id for p in first.events
    )


def test_a_year_of_every_kind_of_event_at_a_plausible_volume(plan: EventPlan) -> None:
    counts = plan.counts()
    assert 10_000 <= counts["events"] <= 40_000
    for kind in ("generated", "stored", "shipped", "received", "transformed", "disposed"):
        assert (
            counts[f"event:{kind}"] > 100 if kind != "transformed" else counts[f"event:{kind}"] > 50
        )
    planted_batches = {b for v in plan.violations for b in v.batch_ids}
    ordinary = [p for p in plan.events if planted_batches.isdisjoint(p.event.batch_ids)]
    assert min(p.event.event_time for p in ordinary) >= plan.window_start
    assert all(p.recorded_at == p.event.event_time for p in ordinary)
    assert all(p.event.event_time < END and p.recorded_at < END for p in plan.events)
    assert all(p.recorded_at >= p.event.event_time for p in plan.events)
    months = {(p.event.event_time.year, p.event.event_time.month) for p in ordinary}
    assert len(months) >= 12


def test_the_plan_replays_in_capture_order_and_every_batch_balances(
    plan: EventPlan, book: BatchBook
) -> None:
    made: dict[uuid.UUID, Decimal] = {}
    drawn: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for planned in plan.events:
        event = planned.event
        if event.event_type is EventType.TRANSFORMED:
            inputs = sum((line.mass_kg for line in event.inputs), Decimal(0))
            outputs = sum((o.mass_kg for o in event.outputs), Decimal(0))
            assert outputs + event.declared_loss_kg == inputs
            assert event.declared_loss_kg > 0
        for output in event.outputs:
            made[output.batch_id] = output.mass_kg
        if event.event_type in (EventType.TRANSFORMED, EventType.DISPOSED):
            for line in event.inputs:
                drawn[line.batch_id] += line.mass_kg
    for batch_id in made:
        batch = book.get(batch_id)
        assert batch is not None
        if batch.status in (BatchStatus.CONSUMED, BatchStatus.DISPOSED):
            assert batch.mass_kg == 0
            assert drawn[batch_id] > 0
        else:
            assert batch.mass_kg > 0


def test_generation_follows_the_seasons(plan: EventPlan, firms: dict[uuid.UUID, DemoFirm]) -> None:
    by_month: dict[Chain, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    streams: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    generated = [p.event for p in plan.events if p.event.event_type is EventType.GENERATED]
    for event in generated:
        streams[(event.organization_id, event.outputs[0].waste_code or "")] += 1
    for event in generated:
        output = event.outputs[0]
        if streams[(event.organization_id, output.waste_code or "")] >= 12:  # monthly streams
            chain = firms[event.organization_id].chain
            by_month[chain][event.event_time.month] += output.mass_kg
    manufacturing = by_month[Chain.AUTOMOTIVE]
    others = [manufacturing[m] for m in range(3, 13)]
    assert manufacturing[2] < Decimal("0.8") * statistics.mean(others)  # Spring Festival
    power = by_month[Chain.POWER]
    assert power[7] + power[8] > Decimal("1.15") * (power[4] + power[5])  # summer cooling peak


def test_masses_are_plausible_for_each_industry(
    plan: EventPlan, firms: dict[uuid.UUID, DemoFirm]
) -> None:
    yearly: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for planned in plan.events:
        event = planned.event
        if event.event_type is EventType.GENERATED and firms[event.organization_id].key:
            key = (firms[event.organization_id].archetype, event.outputs[0].waste_code or "")
            yearly[key] += event.outputs[0].mass_kg
    steel_slag = yearly[("steel.works", "SW01")] / 2 / 1000  # two steel works, tonnes each
    assert 300_000 < steel_slag < 3_000_000
    assert yearly[("electronics.pcb", "900-045-49")] > 0
    assert yearly[("power.coal", "SW02")] / 4 / 1000 > 50_000
    every = [o.mass_kg for p in plan.events for o in p.event.outputs]
    assert min(every) > 0
    assert max(every) < Decimal(10) ** 9


def test_utilization_makes_secondary_materials_and_residues(plan: EventPlan) -> None:
    descriptions = set()
    residues = set()
    for planned in plan.events:
        for output in planned.event.outputs:
            if planned.event.event_type is EventType.TRANSFORMED:
                descriptions.add(output.description.split(" ")[0])
                if output.kind is OutputKind.RESIDUE:
                    residues.add(output.waste_code)
    assert {"钢渣骨料", "再生溶剂", "贵金属富集物", "蒸压粉煤灰砖", "再生基础油"} <= descriptions
    assert {"900-407-06", "900-451-13", "900-213-08"} <= residues
    methods = {p.event.disposal_method for p in plan.events if p.event.disposal_method}
    assert {
        DisposalMethod.LANDFILL,
        DisposalMethod.INCINERATION,
        DisposalMethod.CO_PROCESSING,
    } <= methods


def test_shipments_cross_the_provincial_border_both_ways(
    plan: EventPlan, firms: dict[uuid.UUID, DemoFirm]
) -> None:
    directions = {
        (
            firms[s.generator].organization.region_code[:2],
            firms[s.receiver].organization.region_code[:2],
        )
        for s in plan.shipments
        if s.cross_province
    }
    assert {("32", "33"), ("33", "32")} <= directions
    hazardous = [s for s in plan.shipments if s.hazardous and not s.attempt]
    assert all(s.transporter is not None for s in hazardous)


def test_over_storage_is_planted_and_found(plan: EventPlan, book: BatchBook) -> None:
    truth = {b for v in planted(plan, ViolationKind.OVER_STORAGE) for b in v.batch_ids}
    found = set()
    for planned in plan.events:
        for output in planned.event.outputs:
            batch = book.get(output.batch_id)
            assert batch is not None
            old = END - batch.stored_since > timedelta(days=MAX_STORAGE_DAYS)
            if batch.status is BatchStatus.HELD and batch.kind is OutputKind.WASTE and old:
                found.add(batch.batch_id)
    assert found == truth


def test_vanished_batches_are_planted_and_found(plan: EventPlan, book: BatchBook) -> None:
    truth = {b for v in planted(plan, ViolationKind.VANISHED_BATCH) for b in v.batch_ids}
    over = {b for v in planted(plan, ViolationKind.OVER_STORAGE) for b in v.batch_ids}
    last = last_events(plan)
    found = set()
    for batch_id, when in last.items():
        batch = book.get(batch_id)
        assert batch is not None
        waste = batch.kind in (OutputKind.WASTE, OutputKind.RESIDUE)
        silent = END - when > timedelta(days=VANISHED_AFTER_DAYS)
        if batch.status is BatchStatus.HELD and waste and silent and batch_id not in over:
            found.add(batch_id)
    assert found == truth


def test_weight_gaps_and_overdue_manifests_are_planted_and_found(plan: EventPlan) -> None:
    gaps = {v.manifest_id for v in planted(plan, ViolationKind.WEIGHT_GAP)}
    overdue = {v.manifest_id for v in planted(plan, ViolationKind.OVERDUE_MANIFEST)}
    found_gaps, found_overdue = set(), set()
    honest = [s for s in plan.shipments if s.received_kg is not None and s.manifest_id not in gaps]
    noisy = [s for s in honest if s.received_kg != s.shipped_kg]
    assert len(noisy) > 0.8 * len(honest)  # weighbridges never quite agree
    for shipment in plan.shipments:
        if shipment.received_kg is None:
            if END - shipment.shipped_at > timedelta(days=OVERDUE_TRANSIT_DAYS):
                found_overdue.add(shipment.manifest_id)
            continue
        gap = abs(shipment.received_kg - shipment.shipped_kg) / shipment.shipped_kg
        if gap > Decimal(str(WEIGHT_GAP_TOLERANCE)):
            found_gaps.add(shipment.manifest_id)
    assert found_gaps == gaps
    assert found_overdue == overdue


def test_unpermitted_receivers_are_planted_and_found(
    plan: EventPlan, firms: dict[uuid.UUID, DemoFirm]
) -> None:
    truth = {v.manifest_id for v in planted(plan, ViolationKind.UNPERMITTED_RECEIVER)}
    found = set()
    activities = (PermitActivity.UTILIZE, PermitActivity.DISPOSE)
    for shipment in plan.shipments:
        if not is_hazardous(shipment.waste_code):
            continue
        receiver = firms[shipment.receiver]
        day = shipment.shipped_at.date()
        if not any(
            covers(p, shipment.waste_code, a, day) for p in receiver.permits for a in activities
        ):
            found.add(shipment.manifest_id)
    assert found == truth
    attempts = {p.event.manifest_id for p in plan.events if p.attempt}
    assert attempts == truth


def test_backdated_records_are_planted_and_found(plan: EventPlan) -> None:
    truth = {e for v in planted(plan, ViolationKind.BACKDATED_RECORD) for e in v.event_ids}
    late = timedelta(days=BACKDATED_AFTER_DAYS)
    found = {p.event.event_id for p in plan.events if p.recorded_at - p.event.event_time >= late}
    assert found == truth
    position = {p.event.event_id: i for i, p in enumerate(plan.events)}
    last = [p.event.event_time for p in plan.events[: min(position[e] for e in truth)]]
    assert max(last) > min(p.event.event_time for p in plan.events if p.event.event_id in truth)


def test_under_reporting_firms_are_planted_and_found(
    plan: EventPlan, city: DemoCity, firms: dict[uuid.UUID, DemoFirm]
) -> None:
    truth = {v.organization_ref for v in planted(plan, ViolationKind.UNDER_REPORTING)}
    reported: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for planned in plan.events:
        event = planned.event
        in_window = (
            planned.recorded_at == event.event_time and event.event_time >= plan.window_start
        )
        if event.event_type is EventType.GENERATED and in_window:
            reported[event.organization_id] += event.outputs[0].mass_kg
    kinds = {firms[ref].archetype for ref in truth}
    found = set()
    for kind in kinds:
        peers = list(city.firms_of(kind))
        intensity = {f.ref: float(reported[f.ref]) / output_value(f, 2025) for f in peers}
        median = statistics.median(intensity.values())
        found |= {ref for ref, value in intensity.items() if value < 0.4 * median}
    assert found == truth


def test_ground_truth_is_json_and_regenerates_from_the_arguments(plan: EventPlan) -> None:
    truth = ground_truth(plan, 1.0)
    assert json.loads(json.dumps(truth)) == truth
    assert {v["kind"] for v in truth["violations"]} == {k.value for k in ViolationKind}
    assert truth["thresholds"]["max_storage_days"] == MAX_STORAGE_DAYS
    small = demo_ground_truth(3, 0.1, as_of=AS_OF)
    assert small == ground_truth(plan_events(generate_city(3, 0.1, as_of=AS_OF)), 0.1)


def test_months_bound_the_ordinary_events() -> None:
    small = generate_city(3, 0.05, as_of=AS_OF)
    short = plan_events(small, months=2)
    ordinary = [p for p in short.events if p.recorded_at == p.event.event_time]
    assert len(short.events) < len(plan_events(small).events) / 3
    assert {v.kind for v in short.violations} >= {
        ViolationKind.OVER_STORAGE,
        ViolationKind.WEIGHT_GAP,
    }
    assert min(p.event.event_time for p in ordinary if not p.attempt) < END - timedelta(days=100)
    with pytest.raises(InvalidInput) as refused:
        plan_events(small, months=13)
    assert refused.value.field == "months"


def test_cross_province_transfers_draw_on_an_approval_that_covers_them(
    plan: EventPlan, firms: dict[uuid.UUID, DemoFirm]
) -> None:
    approvals = {a.approval_id: a for a in plan.approvals}
    drawn: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for shipment in plan.shipments:
        if not shipment.cross_province:
            assert shipment.approval_id is None
            continue
        assert shipment.hazardous  # general solid waste stays in its province
        if shipment.attempt:
            continue
        approval = approvals[shipment.approval_id]  # type: ignore[index]
        assert (approval.generator_site, approval.receiver_site) == (
            shipment.generator_site,
            shipment.receiver_site,
        )
        assert approval.waste_code == shipment.waste_code
        assert approval.valid_from <= shipment.shipped_at.date() <= approval.valid_to
        assert approval.approved_at < shipment.shipped_at - timedelta(hours=1)
        drawn[approval.approval_id] += shipment.shipped_kg
    assert drawn
    assert set(drawn) == set(approvals)
    for approval_id, mass in drawn.items():
        approval = approvals[approval_id]
        assert mass <= approval.cap_kg
        assert approval.origin_province != approval.destination_province
        origin = firms[approval.generator].organization.region_code
        assert approval.origin_province == origin[:2] + "0000"
