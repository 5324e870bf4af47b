"""Manifests on both backends: the full round, rules refused with nothing stored, rejections."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory
from tests.manifest_world import World, build_world, grant, party
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.manifest_documents import RejectionSpec, manifest_document, terms_fields
from zerowaste.domain.manifests import (
    Disposition,
    ManifestAction,
    ManifestState,
    PartyRole,
    ReceiptLine,
)
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.permits import PermitActivity, PermitKind
from zerowaste.domain.sites import SiteKind
from zerowaste.errors import (
    ActionIdReused,
    ApprovalMissing,
    BatchNotOnManifest,
    Forbidden,
    InvalidInput,
    ManifestNotCorrectable,
    ManifestNotInTransit,
    NotManifestParty,
    PermitDoesNotCover,
    SignatureInvalid,
    SiteNotOfOrganization,
    TransporterNotLicensed,
    UnknownBatch,
    UnknownManifest,
    UnknownOrganization,
    UnknownWasteCode,
    ZeroWasteError,
)
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


def _refused(context: Context, run: Callable[[], object]) -> ZeroWasteError:
    before = stored(context)
    with pytest.raises(ZeroWasteError) as caught:
        run()
    assert stored(context) == before, "a refused step stored something"
    assert 400 <= caught.value.status < 500
    return caught.value


def test_a_receiver_whose_permit_does_not_cover_is_refused(factory: Factory) -> None:
    world = build_world(factory, licensed=False)
    context = factory.context
    batch = world.generate()
    g = world.generator
    # A licence for another category (HW49) does not cover HW08.
    grant(factory, world.receiver, PermitKind.HAZARDOUS_WASTE_BUSINESS, codes=("HW49",))
    error = _refused(
        context,
        lambda: context.manifests.issue(g.user, uuid.uuid4(), world.terms([batch]), world.tick()),
    )
    assert isinstance(error, PermitDoesNotCover)
    assert error.field == "receiver_id"
    # Covering the code but only for disposal does not cover utilization either.
    grant(
        factory,
        world.receiver,
        PermitKind.HAZARDOUS_WASTE_BUSINESS,
        activities=frozenset({PermitActivity.DISPOSE}),
    )
    error = _refused(
        context,
        lambda: context.manifests.issue(g.user, uuid.uuid4(), world.terms([batch]), world.tick()),
    )
    assert isinstance(error, PermitDoesNotCover)
    # An expired licence does not cover today.
    grant(factory, world.receiver, PermitKind.HAZARDOUS_WASTE_BUSINESS, valid_to=date(2026, 1, 1))
    assert isinstance(
        _refused(
            context,
            lambda: context.manifests.issue(
                g.user, uuid.uuid4(), world.terms([batch]), world.tick()
            ),
        ),
        PermitDoesNotCover,
    )


def test_an_unlicensed_carrier_is_refused(factory: Factory) -> None:
    world = build_world(factory)
    context = factory.context
    batch = world.generate()
    rogue = party(factory, OrganizationRole.TRANSPORTER, "320505", SiteKind.DEPOT)
    terms = world.terms([batch], carriers=[world.carrier, rogue])
    error = _refused(
        context,
        lambda: context.manifests.issue(world.generator.user, uuid.uuid4(), terms, world.tick()),
    )
    assert isinstance(error, TransporterNotLicensed)
    assert error.field == "transporters[1]"


@pytest.mark.parametrize(
    "case", ["foreign_site", "unknown_receiver", "not_held", "wrong_code", "category"]
)
def test_parties_sites_batches_and_codes_are_checked(factory: Factory, case: str) -> None:
    world = build_world(factory)
    context = factory.context
    batch = world.generate()
    terms = world.terms([batch])
    expected: tuple[type[ZeroWasteError], str]
    if case == "foreign_site":
        terms = replace(terms, receiver_site_id=world.alternate.site.id)
        expected = (SiteNotOfOrganization, "receiver_site_id")
    elif case == "unknown_receiver":
        terms = replace(terms, receiver_id=uuid.uuid4())
        expected = (UnknownOrganization, "receiver_id")
    elif case == "not_held":
        terms = replace(terms, lines=(replace(terms.lines[0], batch_id=uuid.uuid4()),))
        expected = (UnknownBatch, "lines[0].batch")
    elif case == "wrong_code":
        terms = replace(terms, lines=(replace(terms.lines[0], waste_code="900-249-08"),))
        expected = (InvalidInput, "lines[0].waste_code")
    else:
        terms = replace(terms, lines=(replace(terms.lines[0], waste_code="HW08"),))
        expected = (UnknownWasteCode, "lines[0].waste_code")
    error = _refused(
        context,
        lambda: context.manifests.issue(world.generator.user, uuid.uuid4(), terms, world.tick()),
    )
    assert (type(error), error.field) == expected


def test_shipped_and_received_events_need_their_manifest_in_the_right_state(
    world: World,
) -> None:
    context = world.factory.context
    batch, other = world.generate(), world.generate()
    manifest_id = uuid.uuid4()
    g, c, r = world.generator, world.carrier, world.receiver

    def events_stored() -> int:
        with context.unit_of_work() as uow:
            return uow.events.counts()[0]

    def refused_event(run: Callable[[], None]) -> ZeroWasteError:
        before = events_stored()
        with pytest.raises(ZeroWasteError) as caught:
            run()
        assert events_stored() == before
        return caught.value

    error = refused_event(lambda: world.ship(manifest_id, batch))
    assert (type(error), error.field) == (UnknownManifest, "events[0].event.manifest_id")
    context.manifests.issue(g.user, manifest_id, world.terms([batch]), world.tick())
    error = refused_event(lambda: world.ship(manifest_id, other))
    assert (type(error), error.field) == (BatchNotOnManifest, "events[0].event.inputs[0].batch")
    context.manifests.pickup(c.user, manifest_id, c.id, 0, world.tick())
    error = refused_event(lambda: world.take_in(manifest_id, batch, "1000"))
    assert isinstance(error, ManifestNotInTransit)  # not shipped, not delivered
    world.ship(manifest_id, batch)
    error = refused_event(lambda: world.take_in(manifest_id, batch, "1000"))
    assert isinstance(error, ManifestNotInTransit)  # on the road, not delivered
    context.manifests.deliver(c.user, manifest_id, c.id, 0, world.tick())
    error = refused_event(lambda: world.take_in(manifest_id, batch, "1000", party=world.alternate))
    assert (type(error), error.field) == (NotManifestParty, "events[0].event.organization_id")
    world.take_in(manifest_id, batch, "999")
    receipt = (ReceiptLine(batch, Decimal(999)),)
    context.manifests.receive(r.user, manifest_id, r.id, r.site.id, receipt, world.tick())
    view = context.manifests.manifest(r.user, manifest_id)
    assert view.manifest.state is ManifestState.RECEIVED
    assert view.manifest.terms.lines[0].received_event_kg == Decimal(999)


def test_partial_rejection_redirects_the_refused_batch(world: World) -> None:
    context = world.factory.context
    keep, refuse = world.generate("600"), world.generate("400")
    manifest_id = uuid.uuid4()
    g, c, r, alt = world.generator, world.carrier, world.receiver, world.alternate
    context.manifests.issue(g.user, manifest_id, world.terms([keep, refuse]), world.tick())
    world.ship(manifest_id, keep)
    world.ship(manifest_id, refuse)
    context.manifests.pickup(c.user, manifest_id, c.id, 0, world.tick())
    context.manifests.deliver(c.user, manifest_id, c.id, 0, world.tick())
    lines = (ReceiptLine(keep, Decimal(601)), ReceiptLine(refuse, Decimal(398), Decimal(398)))
    redirect = RejectionSpec(Disposition.REDIRECT, "含油率不符", alt.id, alt.site.id)
    unlicensed = party(world.factory, OrganizationRole.DISPOSER, "320505", SiteKind.LANDFILL)
    bad = RejectionSpec(Disposition.REDIRECT, "x", unlicensed.id, unlicensed.site.id)
    error = _refused(
        context,
        lambda: context.manifests.receive(
            r.user, manifest_id, r.id, r.site.id, lines, world.tick(), bad
        ),
    )
    assert (type(error), error.field) == (PermitDoesNotCover, "rejection.receiver_id")
    elsewhere = party(world.factory, OrganizationRole.DISPOSER, "330106", SiteKind.INCINERATOR)
    grant(world.factory, elsewhere, PermitKind.HAZARDOUS_WASTE_BUSINESS)
    across = RejectionSpec(Disposition.REDIRECT, "x", elsewhere.id, elsewhere.site.id)
    error = _refused(
        context,
        lambda: context.manifests.receive(
            r.user, manifest_id, r.id, r.site.id, lines, world.tick(), across
        ),
    )
    assert (type(error), error.field) == (ApprovalMissing, "rejection.site_id")
    context.manifests.receive(r.user, manifest_id, r.id, r.site.id, lines, world.tick(), redirect)
    m = context.manifests.manifest(g.user, manifest_id).manifest
    assert m.state is ManifestState.PARTIALLY_RECEIVED
    assert m.rejection is not None
    assert m.rejection.mass_kg == Decimal(398)
    world.take_in(manifest_id, keep, "601")
    world.take_in(manifest_id, refuse, "398", party=alt)
    assert context.capture.batch(alt.user, refuse).batch.holder_id == alt.id
    error = _refused(
        context, lambda: context.manifests.close(r.user, manifest_id, r.id, world.tick())
    )
    assert isinstance(error, NotManifestParty)
    context.manifests.close(alt.user, manifest_id, alt.id, world.tick(), alt.signer)
    view = context.manifests.manifest(alt.user, manifest_id)
    assert view.manifest.state is ManifestState.CLOSED
    assert view.manifest.signatures[-1].role is PartyRole.RETURN_RECEIVER


def test_full_rejection_returns_the_load_to_the_generator(world: World) -> None:
    context = world.factory.context
    batch = world.generate("500")
    manifest_id = uuid.uuid4()
    g, c, r = world.generator, world.carrier, world.receiver
    context.manifests.issue(g.user, manifest_id, world.terms([batch]), world.tick())
    world.ship(manifest_id, batch)
    context.manifests.pickup(c.user, manifest_id, c.id, 0, world.tick())
    context.manifests.deliver(c.user, manifest_id, c.id, 0, world.tick())
    back = RejectionSpec(Disposition.RETURN, "与联单不符")
    lines = (ReceiptLine(batch, Decimal(500), Decimal(500)),)
    context.manifests.reject(r.user, manifest_id, r.id, r.site.id, lines, world.tick(), back)
    world.take_in(manifest_id, batch, "500", party=g)
    context.manifests.close(g.user, manifest_id, g.id, world.tick())
    m = context.manifests.manifest(g.user, manifest_id).manifest
    assert m.state is ManifestState.CLOSED
    assert m.rejection is not None
    assert m.rejection.disposition is Disposition.RETURN


def test_a_correction_is_a_new_version_and_the_old_one_stays(world: World) -> None:
    context = world.factory.context
    batch = world.generate("800")
    manifest_id = uuid.uuid4()
    g = world.generator
    first = world.terms([batch])
    context.manifests.issue(g.user, manifest_id, first, world.tick())
    second = world.terms([batch], carriers=[world.second_carrier])
    context.manifests.correct(g.user, manifest_id, second, "换承运人", world.tick(), g.signer)
    view = context.manifests.manifest(g.user, manifest_id)
    assert view.manifest.version == 2
    assert [(v, t.transporter_ids) for v, _, t in view.versions] == [
        (1, (world.carrier.id,)),
        (2, (world.second_carrier.id,)),
    ]
    assert [s.version for s in view.manifest.signatures] == [1, 2]
    c = world.carrier
    error = _refused(
        context, lambda: context.manifests.pickup(c.user, manifest_id, c.id, 0, world.tick())
    )
    assert isinstance(error, NotManifestParty)  # the first carrier is off the manifest now
    s = world.second_carrier
    context.manifests.pickup(s.user, manifest_id, s.id, 0, world.tick())
    error = _refused(
        context,
        lambda: context.manifests.correct(g.user, manifest_id, first, "again", world.tick()),
    )
    assert isinstance(error, ManifestNotCorrectable)


def test_a_step_is_logged_once_and_a_reused_id_is_refused(world: World) -> None:
    context = world.factory.context
    batch = world.generate()
    g = world.generator
    document = manifest_document(
        ManifestAction.ISSUE, uuid.uuid4(), g.id, world.tick(), **terms_fields(world.terms([batch]))
    )
    signature = g.signer.sign(document)
    first = context.manifests.submit(g.user, document, signature)
    again = context.manifests.submit(g.user, document, signature)
    assert (first.status, again.status, again.leaf_index) == (
        "stored",
        "already_stored",
        first.leaf_index,
    )
    changed = document | {"note": "changed"}
    error = _refused(
        context, lambda: context.manifests.submit(g.user, changed, g.signer.sign(changed))
    )
    assert isinstance(error, ActionIdReused)
    error = _refused(context, lambda: context.manifests.submit(g.user, changed, signature))
    assert (type(error), error.field) == (SignatureInvalid, "signature.value")
    outsider = world.factory.user(UserRole.FIRM, organization=world.receiver.organization)
    error = _refused(context, lambda: context.manifests.act(outsider, document))
    assert isinstance(error, Forbidden)
