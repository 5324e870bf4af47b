"""A world for contract tests: the manifest world's parties, two listings, a proposal, batches."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from tests.factories import Factory
from tests.manifest_world import CODE, World, build_world
from zerowaste.domain.composition import Composition
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import BatchOutput, EventType, WasteEvent
from zerowaste.domain.listing_documents import parse_listing
from zerowaste.domain.listings import Listing
from zerowaste.domain.manifest_documents import RejectionSpec
from zerowaste.domain.manifests import Disposition, ManifestLine, ManifestTerms, ReceiptLine
from zerowaste.domain.proposals import ProposalAction, ProposalTerms

#: The demand's limit on water in waste mineral oil: at most 10 % (illustrative).
WATER_HIGH = "0.1"


@dataclass
class ContractWorld:
    """The manifest world with a supply listing (generator) and a demand listing (receiver)."""

    world: World
    supply: Listing
    demand: Listing

    @property
    def context(self) -> Any:
        """The context."""
        return self.world.factory.context

    def proposal_terms(self, **changes: Any) -> ProposalTerms:
        """Terms between the two listings: 10 t a month for three months from the clock's day."""
        w = self.world
        start = w.clock.date()
        values: dict[str, Any] = {
            "supply_listing_id": self.supply.id,
            "demand_listing_id": self.demand.id,
            "supplier_id": w.generator.id,
            "supplier_site_id": w.generator.site.id,
            "buyer_id": w.receiver.id,
            "buyer_site_id": w.receiver.site.id,
            "waste_code": CODE,
            "quantity_t": Decimal(10),
            "price_cny_per_t": Decimal(800),
            "start_on": start,
            "end_on": start + timedelta(days=91),
            "tolerance": Decimal("0.1"),
            "shortfall_penalty_cny_per_t": Decimal(50),
            "off_spec_penalty_cny_per_t": Decimal(100),
        }
        values.update(changes)
        return ProposalTerms(**values)

    def active_contract(self, **changes: Any) -> uuid.UUID:
        """Propose (generator, client-signed), accept (receiver), sign by both: the contract id."""
        w, context = self.world, self.context
        proposal_id = uuid.uuid4()
        g, r = w.generator, w.receiver
        context.proposals.propose(
            g.user, proposal_id, self.proposal_terms(**changes), w.tick(), signer=g.signer
        )
        context.proposals.respond(r.user, proposal_id, ProposalAction.ACCEPT, w.tick())
        contract_id = context.proposals.proposal(g.user, proposal_id).proposal.contract_id
        assert contract_id is not None
        context.contracts.sign(g.user, contract_id, w.tick(), signer=g.signer)
        context.contracts.sign(r.user, contract_id, w.tick())
        return contract_id

    def generate(self, kg: str, water: str | None) -> uuid.UUID:
        """A generated batch of waste oil at the generator, with a lab result for water."""
        w = self.world
        batch = uuid.uuid4()
        at = w.tick()
        composition = None
        if water is not None:
            composition = Composition(
                (("water", Decimal(water)),), "GB/T 260", "Suzhou test lab", at.date()
            )
        event = WasteEvent(
            event_id=uuid.uuid4(),
            event_type=EventType.GENERATED,
            event_time=at,
            organization_id=w.generator.id,
            site_id=w.generator.site.id,
            outputs=(BatchOutput(batch, Decimal(kg), waste_code=CODE, composition=composition),),
        )
        self.context.capture.capture_custodial(w.generator.user, [event_document(event)])
        w.batches[batch] = Decimal(kg)
        return batch

    def terms(self, batch: uuid.UUID, contract_id: uuid.UUID | None) -> ManifestTerms:
        """Manifest terms for one batch to the receiver under a contract."""
        w = self.world
        return ManifestTerms(
            generator_id=w.generator.id,
            generator_site_id=w.generator.site.id,
            receiver_id=w.receiver.id,
            receiver_site_id=w.receiver.site.id,
            transporter_ids=(w.carrier.id,),
            lines=(ManifestLine(batch, CODE, w.batches[batch]),),
            contract_id=contract_id,
        )

    def deliver(
        self,
        contract_id: uuid.UUID,
        kg: str,
        weighed: str,
        rejected: str = "0",
        water: str | None = None,
    ) -> uuid.UUID:
        """A batch carried under the contract and received (issue, pickup, ship, deliver)."""
        w, service = self.world, self.context.manifests
        batch = self.generate(kg, water)
        manifest_id = uuid.uuid4()
        g, c, r = w.generator, w.carrier, w.receiver
        service.issue(g.user, manifest_id, self.terms(batch, contract_id), w.tick(), g.signer)
        service.pickup(c.user, manifest_id, c.id, 0, w.tick())
        w.ship(manifest_id, batch)
        service.deliver(c.user, manifest_id, c.id, 0, w.tick(), c.signer)
        receipt = (ReceiptLine(batch, Decimal(weighed), Decimal(rejected)),)
        rejection = None
        if Decimal(rejected):
            rejection = RejectionSpec(Disposition.RETURN, "off-spec: too much water")
        service.receive(r.user, manifest_id, r.id, r.site.id, receipt, w.tick(), rejection)
        return manifest_id


def listing_documents(world: World, permit_id: uuid.UUID) -> tuple[dict[str, Any], dict[str, Any]]:
    """A supply (20 t a month of waste oil) and a demand (30 t a month, water at most 10 %)."""
    g, r = world.generator, world.receiver
    today = world.clock.date()

    def day(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    supply = {
        "side": "supply",
        "organization_id": str(g.id),
        "site_id": str(g.site.id),
        "title": "废矿物油 waste mineral oil",
        "available_from": day(0),
        "available_to": day(213),
        "expires_on": day(182),
        "supply": {
            "waste_code": CODE,
            "quantity_t": "20",
            "basis": "month",
            "composition": {"water": {"low": "0.02", "high": "0.08"}},
            "price_cny_per_t": "700",
        },
    }
    demand = {
        "side": "demand",
        "organization_id": str(r.id),
        "site_id": str(r.site.id),
        "title": "收废矿物油 waste oil wanted",
        "available_from": day(0),
        "available_to": day(364),
        "expires_on": day(364),
        "demand": {
            "accepted_codes": ["HW08"],
            "capacity_t": "30",
            "basis": "month",
            "route": "recycling",
            "limits": {"water": {"low": None, "high": WATER_HIGH}},
            "price_cny_per_t": "800",
            "permit_ids": [str(permit_id)],
        },
    }
    return supply, demand


def build_contract_world(factory: Factory) -> ContractWorld:
    """The manifest world (all in Suzhou) with the two listings stored."""
    world = build_world(factory)
    context = factory.context
    with context.unit_of_work() as uow:
        (permit,) = [p for p in uow.permits.of_organizations([world.receiver.id]) if p.waste_codes]
    supply_doc, demand_doc = listing_documents(world, permit.id)
    supply = context.listings.create(world.generator.user, parse_listing(supply_doc))
    demand = context.listings.create(world.receiver.user, parse_listing(demand_doc))
    return ContractWorld(world, supply, demand)
