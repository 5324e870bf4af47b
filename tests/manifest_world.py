"""A small world for manifest tests: a generator, carriers, receivers, permits, keys and batches."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.factories import OPERATOR, Factory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import NewSigningKey, UserRole
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import BatchMass, BatchOutput, EventType, WasteEvent
from zerowaste.domain.manifests import ManifestLine, ManifestTerms
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.domain.permits import NewPermit, PermitActivity, PermitKind
from zerowaste.domain.sites import NewSite, Site, SiteKind
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes
from zerowaste.services.signed_steps import ClientSigner

CODE = "900-214-08"  # HW08 waste mineral oil
PERMIT_START = date(2025, 1, 1)
PERMIT_END = date(2029, 12, 31)


@dataclass
class Party:
    """An organization with one site, a client-side key and a custodial key."""

    organization: Organization
    site: Site
    signer: ClientSigner
    user: Principal

    @property
    def id(self) -> uuid.UUID:
        """The organization's id."""
        return self.organization.id


@dataclass
class World:
    """The parties of a transfer and the batches the generator holds."""

    factory: Factory
    generator: Party
    carrier: Party
    second_carrier: Party
    receiver: Party
    alternate: Party
    batches: dict[uuid.UUID, Decimal] = field(default_factory=dict)

    @property
    def clock(self) -> datetime:
        """The platform's current time."""
        return self.factory.context.clock()

    def tick(self, minutes: int = 10) -> datetime:
        """Advance the fixed clock and return the new now."""
        self.factory.context.clock.now += timedelta(minutes=minutes)  # type: ignore[attr-defined]
        return self.clock

    def generate(self, kg: str = "1000", code: str = CODE) -> uuid.UUID:
        """Capture a generated batch at the generator's site (custodially)."""
        batch = uuid.uuid4()
        event = WasteEvent(
            event_id=uuid.uuid4(),
            event_type=EventType.GENERATED,
            event_time=self.tick(),
            organization_id=self.generator.id,
            site_id=self.generator.site.id,
            outputs=(BatchOutput(batch, Decimal(kg), waste_code=code),),
        )
        self.factory.context.capture.capture_custodial(self.generator.user, [event_document(event)])
        self.batches[batch] = Decimal(kg)
        return batch

    def terms(
        self,
        batches: list[uuid.UUID],
        *,
        receiver: Party | None = None,
        carriers: list[Party] | None = None,
        approval_id: uuid.UUID | None = None,
        code: str = CODE,
    ) -> ManifestTerms:
        """Terms shipping `batches` whole from the generator to the receiver."""
        to = receiver or self.receiver
        return ManifestTerms(
            generator_id=self.generator.id,
            generator_site_id=self.generator.site.id,
            receiver_id=to.id,
            receiver_site_id=to.site.id,
            transporter_ids=tuple(c.id for c in (carriers or [self.carrier])),
            lines=tuple(ManifestLine(b, code, self.batches[b]) for b in batches),
            activity=PermitActivity.UTILIZE,
            approval_id=approval_id,
        )

    def ship(self, manifest_id: uuid.UUID, batch: uuid.UUID) -> None:
        """Capture the generator's `shipped` event of a batch on a manifest."""
        event = WasteEvent(
            event_id=uuid.uuid4(),
            event_type=EventType.SHIPPED,
            event_time=self.tick(),
            organization_id=self.generator.id,
            site_id=self.generator.site.id,
            inputs=(_line(batch, self.batches[batch]),),
            manifest_id=manifest_id,
        )
        self.factory.context.capture.capture_custodial(self.generator.user, [event_document(event)])

    def take_in(
        self, manifest_id: uuid.UUID, batch: uuid.UUID, kg: str, party: Party | None = None
    ) -> None:
        """Capture a `received` event of a batch at a party's site."""
        at = party or self.receiver
        event = WasteEvent(
            event_id=uuid.uuid4(),
            event_type=EventType.RECEIVED,
            event_time=self.tick(),
            organization_id=at.id,
            site_id=at.site.id,
            inputs=(_line(batch, Decimal(kg)),),
            manifest_id=manifest_id,
        )
        self.factory.context.capture.capture_custodial(at.user, [event_document(event)])


def _line(batch: uuid.UUID, kg: Decimal) -> BatchMass:
    return BatchMass(batch, kg)


def party(
    factory: Factory,
    role: OrganizationRole,
    region_code: str,
    kind: SiteKind,
    private: Ed25519PrivateKey | None = None,
    *,
    custodial: bool = True,
    keys_from: datetime | None = None,
) -> Party:
    """Register an organization, its site, a client key (and a custodial key), and a user.

    The client key is valid from `keys_from` (by default 30 days before the clock's now); the
    custodial key, which needs the master key, from now.
    """
    context = factory.context
    organization = factory.organization(region_code=region_code, roles=(role,))
    new_site = NewSite(f"{role.value} site", kind, region_code, 31.3, 120.6, "测试路1号")
    site = context.sites.add_site(OPERATOR, organization.id, new_site)
    private = private or generate_private_key()
    start = keys_from or context.clock() - timedelta(days=30)
    key = context.signing_keys.register(
        OPERATOR, organization.id, NewSigningKey(public_key_bytes(private), start)
    )
    if custodial:
        context.signing_keys.create_custodial(OPERATOR, organization.id)
    user = factory.user(UserRole.FIRM, organization=organization)
    return Party(organization, site, ClientSigner(private, key.id), user)


def grant(
    factory: Factory,
    holder: Party | tuple[uuid.UUID, uuid.UUID],
    kind: PermitKind,
    codes: tuple[str, ...] = ("HW08",),
    activities: frozenset[PermitActivity] | None = None,
    valid_to: date = PERMIT_END,
) -> None:
    """Record a permit for a party (a business licence at its site, or a transport permit).

    `holder` is a party, or an (organization id, site id) pair.
    """
    holder_id, site_id = (holder.id, holder.site.id) if isinstance(holder, Party) else holder
    if activities is None:
        activities = (
            frozenset({PermitActivity.TRANSPORT})
            if kind is PermitKind.DANGEROUS_GOODS_TRANSPORT
            else frozenset({PermitActivity.COLLECT, PermitActivity.UTILIZE})
        )
    new = NewPermit(
        kind=kind,
        number=f"P-{uuid.uuid4().hex[:10]}",
        activities=activities,
        waste_codes=codes if kind is PermitKind.HAZARDOUS_WASTE_BUSINESS else (),
        annual_capacity_t=Decimal(5000),
        valid_from=PERMIT_START,
        valid_to=valid_to,
        site_id=site_id if kind is PermitKind.HAZARDOUS_WASTE_BUSINESS else None,
    )
    factory.context.sites.grant_permit(OPERATOR, holder_id, new)


def build_world(
    factory: Factory, *, receiver_region: str = "320505", licensed: bool = True
) -> World:
    """Generator in Suzhou; two licensed carriers; a receiver and an alternate, licensed."""
    generator = party(factory, OrganizationRole.GENERATOR, "320505", SiteKind.PLANT)
    carrier = party(factory, OrganizationRole.TRANSPORTER, "320505", SiteKind.DEPOT)
    second = party(factory, OrganizationRole.TRANSPORTER, "320505", SiteKind.DEPOT)
    receiver = party(factory, OrganizationRole.UTILIZER, receiver_region, SiteKind.RECYCLER)
    alternate = party(factory, OrganizationRole.DISPOSER, "320505", SiteKind.INCINERATOR)
    for c in (carrier, second):
        grant(factory, c, PermitKind.DANGEROUS_GOODS_TRANSPORT)
    if licensed:
        grant(factory, receiver, PermitKind.HAZARDOUS_WASTE_BUSINESS)
    grant(factory, alternate, PermitKind.HAZARDOUS_WASTE_BUSINESS)
    factory.context.clock.now += timedelta(minutes=1)  # type: ignore[attr-defined]
    return World(factory, generator, carrier, second, receiver, alternate)


@dataclass
class Carriage:
    """A manifest issued and picked up for one batch, waiting for its `shipped` event."""

    factory: Factory
    manifest_id: uuid.UUID
    carrier: Party

    def deliver(self, at: datetime) -> None:
        """The carrier signs delivery at the receiver."""
        self.factory.context.manifests.deliver(
            OPERATOR, self.manifest_id, self.carrier.id, 0, at, self.carrier.signer
        )


def carriage(
    factory: Factory,
    *,
    generator: tuple[uuid.UUID, uuid.UUID, ClientSigner],
    receiver: tuple[uuid.UUID, uuid.UUID],
    batch: uuid.UUID,
    kg: str,
    at: datetime,
    code: str = CODE,
    manifest_id: uuid.UUID | None = None,
) -> Carriage:
    """License the receiver and a new carrier, issue a manifest for a batch and pick it up.

    Args:
        factory: The registry builders.
        generator: The generator's organization id, site id and client signer.
        receiver: The receiver's organization id and site id.
        batch: The batch to carry, whole.
        kg: Its mass.
        at: When the manifest is issued (pickup follows five minutes later).
        code: Its waste code.
        manifest_id: The manifest's id (a new one by default).
    """
    carrier = party(
        factory,
        OrganizationRole.TRANSPORTER,
        "320505",
        SiteKind.DEPOT,
        custodial=False,
        keys_from=at - timedelta(days=30),
    )
    grant(factory, carrier, PermitKind.DANGEROUS_GOODS_TRANSPORT)
    grant(factory, receiver, PermitKind.HAZARDOUS_WASTE_BUSINESS)
    organization_id, site_id, signer = generator
    terms = ManifestTerms(
        generator_id=organization_id,
        generator_site_id=site_id,
        receiver_id=receiver[0],
        receiver_site_id=receiver[1],
        transporter_ids=(carrier.id,),
        lines=(ManifestLine(batch, code, Decimal(kg)),),
    )
    manifest_id = manifest_id or uuid.uuid4()
    service = factory.context.manifests
    service.issue(OPERATOR, manifest_id, terms, at, signer)
    service.pickup(OPERATOR, manifest_id, carrier.id, 0, at + timedelta(minutes=5), carrier.signer)
    return Carriage(factory, manifest_id, carrier)
