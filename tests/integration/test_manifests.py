"""Manifests on both backends: the full round, rules refused with nothing stored, rejections."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory
from tests.manifest_world import World, build_world
from zerowaste.bootstrap import Context
from zerowaste.domain.manifests import ManifestState, ReceiptLine
from zerowaste.ledger.receipts import verify_receipt


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def stored(context: Context) -> tuple[int, int, int, int]:
    """Manifests, approvals, actions and ledger leaves stored."""
    with context.unit_of_work() as uow:
        return (*uow.manifests.counts(), uow.ledger.head_size(context.ledger.log_id))


def test_a_manifest_goes_round_signed_by_each_party_in_order(world: World) -> None:
    context = world.factory.context
    service = context.manifests
    batch = world.generate("1000")
    manifest_id = uuid.uuid4()
    g, c, r = world.generator, world.carrier, world.receiver
    issued = service.issue(g.user, manifest_id, world.terms([batch]), world.tick(), g.signer)
    service.pickup(c.user, manifest_id, c.id, 0, world.tick())
    assert service.manifest(OPERATOR, manifest_id).manifest.state is ManifestState.PICKED_UP
    world.ship(manifest_id, batch)
    assert service.manifest(OPERATOR, manifest_id).manifest.state is ManifestState.IN_TRANSIT
    service.deliver(c.user, manifest_id, c.id, 0, world.tick(), c.signer)
    receipt = (ReceiptLine(batch, Decimal("996.5")),)
    service.receive(r.user, manifest_id, r.id, r.site.id, receipt, world.tick())
    world.take_in(manifest_id, batch, "996.5")
    service.close(r.user, manifest_id, r.id, world.tick(), r.signer)

    view = service.manifest(g.user, manifest_id)
    m = view.manifest
    assert m.state is ManifestState.CLOSED
    assert m.number.startswith("320505-")
    assert [s.action.value for s in m.signatures] == [
        "issue",
        "pickup",
        "deliver",
        "receive",
        "close",
    ]
    assert [s.role.value for s in m.signatures] == [
        "generator",
        "transporter",
        "transporter",
        "receiver",
        "receiver",
    ]
    assert all(s.leaf_index is not None for s in m.signatures)
    line = m.terms.lines[0]
    assert (line.shipped_kg, line.weighed_kg, line.discrepancy_kg) == (
        Decimal(1000),
        Decimal("996.5"),
        Decimal("-3.5"),
    )
    assert [e.event_type for e in view.events] == ["shipped", "received"]
    assert len(view.actions) == 5
    receipt_bundle = context.ledger.receipt(issued.action_id)
    assert receipt_bundle.event["action"] == "issue"
    assert verify_receipt(receipt_bundle, context.ledger.verifier_key()).leaf_index == (
        issued.leaf_index
    )
