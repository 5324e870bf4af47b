"""Sweep and capture findings over a small world built through the services (SQLite and PG)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.factories import Factory
from tests.manifest_world import World, build_world
from zerowaste.domain.manifests import ReceiptLine
from zerowaste.oversight.rules import RuleSettings
from zerowaste.services.oversight_detect import capture_findings, sweep_findings


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def _send(world: World, kg: str, received: str | None) -> tuple[uuid.UUID, uuid.UUID]:
    """Issue, pick up and ship a batch; receive `received` kg of it if given."""
    service = world.factory.context.manifests
    g, c, r = world.generator, world.carrier, world.receiver
    batch = world.generate(kg)
    manifest_id = uuid.uuid4()
    service.issue(g.user, manifest_id, world.terms([batch]), world.tick(), g.signer)
    service.pickup(c.user, manifest_id, c.id, 0, world.tick())
    world.ship(manifest_id, batch)
    if received is not None:
        service.deliver(c.user, manifest_id, c.id, 0, world.tick(), c.signer)
        line = (ReceiptLine(batch, Decimal(received)),)
        service.receive(r.user, manifest_id, r.id, r.site.id, line, world.tick())
        world.take_in(manifest_id, batch, received)
    return manifest_id, batch


def test_the_sweep_finds_each_planted_condition_once(world: World) -> None:
    context = world.factory.context
    silent = world.generate("500")
    honest, _ = _send(world, "1000", "998")
    short, _ = _send(world, "1000", "900")
    lost, lost_batch = _send(world, "1000", None)
    world.tick(60 * 24 * 130)
    with context.unit_of_work() as uow:
        found = sweep_findings(uow, context.catalog, RuleSettings(), context.clock())
        again = sweep_findings(uow, context.catalog, RuleSettings(), context.clock())
    assert found == again
    by_rule = {(f.rule_id, f.subject): f for f in found}
    assert set(by_rule) == {
        ("weight_gap", f"manifest:{short}"),
        ("overdue_in_transit", f"manifest:{lost}"),
        ("vanished_batch", f"batch:{silent}"),
    }
    gap = by_rule[("weight_gap", f"manifest:{short}")]
    assert gap.organization_id == world.generator.id
    assert gap.figures["gap_pct"] == "10.0"
    assert len(gap.event_ids) == 1
    overdue = by_rule[("overdue_in_transit", f"manifest:{lost}")]
    assert overdue.batch_ids == (lost_batch,)
    assert overdue.figures["transit_days"] == "130"
    assert honest not in {f.manifest_id for f in found}
    with context.unit_of_work() as uow:
        only = sweep_findings(uow, context.catalog, RuleSettings(), context.clock(), {"weight_gap"})
    assert [f.rule_id for f in only] == ["weight_gap"]


def test_capture_findings_judge_only_the_events_named(world: World) -> None:
    context = world.factory.context
    short, _ = _send(world, "1000", "900")
    with context.unit_of_work() as uow:
        received = [
            e.event_id
            for e in context.manifests.manifest(world.generator.user, short).events
            if e.event_type == "received"
        ]
        found = capture_findings(uow, context.catalog, RuleSettings(), received)
        assert [f.rule_id for f in found] == ["weight_gap"]
        assert capture_findings(uow, context.catalog, RuleSettings(), []) == []
        loose = RuleSettings.parse("weight_gap.tolerance=0.2")
        assert capture_findings(uow, context.catalog, loose, received) == []
