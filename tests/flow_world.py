"""Ledger worlds for material-flow tests: the carbon world, and a carriage out of the city."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from tests.factories import Factory
from tests.manifest_world import World, build_world
from zerowaste.domain.manifest_terms import ReceiptLine

#: Shipped by the generator, weighed again at the receiver.
SHIPPED_KG = Decimal("1000")
RECEIVED_KG = Decimal("996.5")


@dataclass
class ExportWorld:
    """One batch carried from Suzhou (320505) to a receiver in another city."""

    world: World
    batch: uuid.UUID
    manifest_id: uuid.UUID


def build_export_world(factory: Factory, receiver_region: str = "320612") -> ExportWorld:
    """Generate 1 t in Suzhou, carry it to `receiver_region`, receive 996.5 kg there."""
    world = build_world(factory, receiver_region=receiver_region)
    g, c, r = world.generator, world.carrier, world.receiver
    batch = world.generate(str(SHIPPED_KG))
    manifest_id = uuid.uuid4()
    service = factory.context.manifests
    service.issue(g.user, manifest_id, world.terms([batch]), world.tick(), g.signer)
    service.pickup(c.user, manifest_id, c.id, 0, world.tick())
    world.ship(manifest_id, batch)
    service.deliver(c.user, manifest_id, c.id, 0, world.tick(), c.signer)
    receipt = (ReceiptLine(batch, RECEIVED_KG),)
    service.receive(r.user, manifest_id, r.id, r.site.id, receipt, world.tick())
    world.take_in(manifest_id, batch, str(RECEIVED_KG))
    return ExportWorld(world, batch, manifest_id)
