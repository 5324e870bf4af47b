"""A small ledger for carbon tests: a waste carried 133 km and utilized, a residue burnt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from tests.factories import OPERATOR, Factory
from tests.manifest_world import World, build_world
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.domain.factors import (
    Distribution,
    DistributionKind,
    Factor,
    FactorBook,
    FactorCategory,
    FactorSet,
    Verification,
)
from zerowaste.domain.manifest_terms import ReceiptLine
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.sites import NewSite

#: The receiver sits one degree of latitude north: 111.195 km × 1.2 detour = 133.434 km.
ROAD_KM = Decimal("133.434")
RECEIVED_KG = Decimal("996.5")
RESIDUE_KG = Decimal("79.72")
OTHER_KG = Decimal("500")


def _factor(factor_set: FactorSet, subject: str, route: str, value: str, sd: float) -> Factor:
    category = FactorCategory.WASTE_ROUTE if route else FactorCategory.TRANSPORT
    distribution = Distribution(DistributionKind.NORMAL, spread=sd) if sd else Distribution()
    return Factor(
        factor_set,
        category,
        subject,
        route,
        "CN",
        2025,
        Decimal(value),
        distribution,
        "test book",
        "test",
        Verification.ILLUSTRATIVE,
    )


#: An in-memory book: oil re-refining credited against incineration; a residue burnt.
BOOK = FactorBook(
    [
        _factor(FactorSet.AVOIDED, "waste_oil", "recycling", "-2500", 300),
        _factor(FactorSet.AVOIDED, "waste_oil", "incineration", "800", 80),
        _factor(FactorSet.AVOIDED, "organic_hazardous", "incineration", "1100", 0),
        _factor(FactorSet.AVOIDED, "road_truck", "", "0.1", 0.02),
        _factor(FactorSet.INVENTORY, "waste_oil", "recycling", "20", 5),
        _factor(FactorSet.INVENTORY, "organic_hazardous", "incineration", "1300", 0),
        _factor(FactorSet.INVENTORY, "road_truck", "", "0.09", 0.01),
    ],
    dataset="carbon test book",
)


def expected_avoided_kg() -> Decimal:
    """Hand computation of the avoided emissions of the world's three flows."""
    t = RECEIVED_KG / 1000
    utilized = t * (Decimal(800) - Decimal(-2500)) - t * ROAD_KM * Decimal("0.1")
    burnt = Decimal(0)  # the residue is incinerated, its baseline: nothing avoided, no carriage
    return utilized + burnt


def expected_inventory_kg() -> Decimal:
    """Hand computation of the inventory emissions (the `other` disposal is unaccounted)."""
    t = RECEIVED_KG / 1000
    return t * 20 + t * ROAD_KM * Decimal("0.09") + RESIDUE_KG / 1000 * 1300


@dataclass
class CarbonWorld:
    """The manifest world after a carriage, a utilization and two disposals."""

    world: World
    batch: uuid.UUID
    residue: uuid.UUID
    other: uuid.UUID
    transform_event: uuid.UUID
    manifest_id: uuid.UUID


def _capture(world: World, party_user: object, event: WasteEvent) -> None:
    world.factory.context.capture.capture_custodial(party_user, [event_document(event)])  # type: ignore[arg-type]


def build_carbon_world(factory: Factory) -> CarbonWorld:
    """Generate, carry 133 km, receive and re-refine waste oil; burn the residue; one `other`."""
    world = build_world(factory)
    context = factory.context
    g, c, r = world.generator, world.carrier, world.receiver
    moved = NewSite(r.site.name, r.site.kind, r.site.region_code, 32.3, 120.6, "北一路1号")
    context.sites.update_site(OPERATOR, r.id, r.site.id, moved)
    batch = world.generate("1000")
    manifest_id = uuid.uuid4()
    service = context.manifests
    service.issue(g.user, manifest_id, world.terms([batch]), world.tick(), g.signer)
    service.pickup(c.user, manifest_id, c.id, 0, world.tick())
    world.ship(manifest_id, batch)
    service.deliver(c.user, manifest_id, c.id, 0, world.tick(), c.signer)
    receipt = (ReceiptLine(batch, RECEIVED_KG),)
    service.receive(r.user, manifest_id, r.id, r.site.id, receipt, world.tick())
    world.take_in(manifest_id, batch, str(RECEIVED_KG))
    residue, product, transform = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _capture(
        world,
        r.user,
        WasteEvent(
            event_id=transform,
            event_type=EventType.TRANSFORMED,
            event_time=world.tick(),
            organization_id=r.id,
            site_id=r.site.id,
            inputs=(BatchMass(batch, RECEIVED_KG),),
            outputs=(
                BatchOutput(product, Decimal("717.48"), OutputKind.SECONDARY_RAW_MATERIAL),
                BatchOutput(residue, RESIDUE_KG, OutputKind.RESIDUE, waste_code="900-213-08"),
            ),
            declared_loss_kg=RECEIVED_KG - Decimal("717.48") - RESIDUE_KG,
        ),
    )
    _capture(
        world,
        r.user,
        WasteEvent(
            event_id=uuid.uuid4(),
            event_type=EventType.DISPOSED,
            event_time=world.tick(),
            organization_id=r.id,
            site_id=r.site.id,
            inputs=(BatchMass(residue, RESIDUE_KG),),
            disposal_method=DisposalMethod.INCINERATION,
        ),
    )
    other = world.generate(str(OTHER_KG), code="900-218-08")
    _capture(
        world,
        g.user,
        WasteEvent(
            event_id=uuid.uuid4(),
            event_type=EventType.DISPOSED,
            event_time=world.tick(),
            organization_id=g.id,
            site_id=g.site.id,
            inputs=(BatchMass(other, OTHER_KG),),
            disposal_method=DisposalMethod.OTHER,
        ),
    )
    return CarbonWorld(world, batch, residue, other, transform, manifest_id)


def make_chain_master(factory: Factory, carbon: CarbonWorld) -> uuid.UUID:
    """A chain master whose chain has the world's generator as supplier."""
    master = factory.organization(roles=(OrganizationRole.CHAIN_MASTER,), name="链主车企")
    factory.context.chains.add(OPERATOR, master.id, carbon.world.generator.id)
    return master.id
