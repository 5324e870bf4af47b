"""Cross-province approvals on both backends: the workflow, and manifests drawing them down."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory
from tests.integration.test_manifests import stored
from tests.manifest_world import World, build_world
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.approvals import ApprovalAction, ApprovalState, ApprovalTerms
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import (
    ApprovalExceeded,
    ApprovalExpired,
    ApprovalMismatch,
    ApprovalMissing,
    ApprovalStateConflict,
    Forbidden,
    InvalidInput,
    PermitDoesNotCover,
    ZeroWasteError,
)
from zerowaste.ledger.receipts import verify_receipt

ANHUI = "340104"  # 合肥市蜀山区: another province than the generator's 苏州市虎丘区


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory, receiver_region=ANHUI)


def refused(context: Context, run: Callable[[], object]) -> ZeroWasteError:
    before = stored(context)
    with pytest.raises(ZeroWasteError) as caught:
        run()
    assert stored(context) == before, "a refused step stored something"
    return caught.value


def approval_terms(world: World, cap: str = "1500", days: int = 90) -> ApprovalTerms:
    today = world.clock.date()
    return ApprovalTerms(
        world.generator.id,
        world.generator.site.id,
        world.receiver.id,
        world.receiver.site.id,
        "HW08",
        Decimal(cap),
        today,
        today + timedelta(days=days),
    )


def approve(world: World, cap: str = "1500", days: int = 90) -> uuid.UUID:
    """Request (client-signed), consent in Anhui, approve in Jiangsu."""
    context, factory = world.factory.context, world.factory
    approval_id = uuid.uuid4()
    g = world.generator
    context.approvals.request(
        g.user, approval_id, approval_terms(world, cap, days), world.tick(), g.signer
    )
    anhui = factory.user(UserRole.REGULATOR, jurisdiction_code="340000")
    jiangsu = factory.user(UserRole.REGULATOR, jurisdiction_code="320000")
    context.approvals.decide(anhui, approval_id, ApprovalAction.CONSENT, world.tick())
    context.approvals.decide(jiangsu, approval_id, ApprovalAction.APPROVE, world.tick())
    return approval_id


def test_the_workflow_is_signed_step_by_step_and_scoped_to_the_provinces(world: World) -> None:
    context, factory = world.factory.context, world.factory
    approval_id = uuid.uuid4()
    g = world.generator
    context.approvals.request(g.user, approval_id, approval_terms(world), world.tick())
    jiangsu = factory.user(UserRole.REGULATOR, jurisdiction_code="320000")
    anhui = factory.user(UserRole.REGULATOR, jurisdiction_code="340000")
    suzhou = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    error = refused(
        context, lambda: context.approvals.decide(jiangsu, approval_id, ApprovalAction.CONSENT)
    )
    assert isinstance(error, Forbidden)
    error = refused(
        context, lambda: context.approvals.decide(jiangsu, approval_id, ApprovalAction.APPROVE)
    )
    assert isinstance(error, ApprovalStateConflict)  # the destination consents first
    context.approvals.decide(anhui, approval_id, ApprovalAction.CONSENT, note="同意接收")
    error = refused(
        context, lambda: context.approvals.decide(suzhou, approval_id, ApprovalAction.APPROVE)
    )
    assert isinstance(error, Forbidden)  # a city bureau is not the province
    result = context.approvals.decide(jiangsu, approval_id, ApprovalAction.APPROVE)
    view = context.approvals.approval(g.user, approval_id)
    assert view.approval.state is ApprovalState.APPROVED
    assert [s.action.value for s in view.approval.steps] == ["request", "consent", "approve"]
    assert [s.user_id for s in view.approval.steps[1:]] == [anhui.user_id, jiangsu.user_id]
    assert view.approval.steps[1].key_id.startswith("log:")
    assert [d["action"] for d in view.documents()] == ["request", "consent", "approve"]
    receipt = context.ledger.receipt(result.action_id)
    assert verify_receipt(receipt, context.ledger.verifier_key()).leaf_index == result.leaf_index
    assert receipt.event["regulator_user_id"] == str(jiangsu.user_id)
    firm = factory.user(UserRole.FIRM, organization=world.carrier.organization)
    with pytest.raises(Forbidden):
        context.approvals.approval(firm, approval_id)
    with pytest.raises(Forbidden):
        context.approvals.decide(firm, approval_id, ApprovalAction.REFUSE)
    listed = context.approvals.find(anhui, PageRequest()).items
    assert [a.approval_id for a in listed] == [approval_id]
    assert (
        context.approvals.find(
            factory.user(UserRole.REGULATOR, jurisdiction_code="110000"), PageRequest()
        ).items
        == []
    )


def test_a_request_for_an_unlicensed_receiver_is_refused(factory: Factory) -> None:
    world = build_world(factory, receiver_region=ANHUI, licensed=False)
    context = factory.context
    g = world.generator
    error = refused(
        context,
        lambda: context.approvals.request(
            g.user, uuid.uuid4(), approval_terms(world), world.tick()
        ),
    )
    assert (type(error), error.field) == (PermitDoesNotCover, "receiver_id")


def test_a_cross_province_manifest_without_an_approval_is_refused(world: World) -> None:
    context = world.factory.context
    batch = world.generate("1000")
    g = world.generator
    error = refused(
        context,
        lambda: context.manifests.issue(g.user, uuid.uuid4(), world.terms([batch]), world.tick()),
    )
    assert (type(error), error.field) == (ApprovalMissing, "approval_id")
    pending = uuid.uuid4()
    context.approvals.request(g.user, pending, approval_terms(world), world.tick())
    error = refused(
        context,
        lambda: context.manifests.issue(
            g.user, uuid.uuid4(), world.terms([batch], approval_id=pending), world.tick()
        ),
    )
    assert isinstance(error, ApprovalMissing)  # requested, not approved
    error = refused(
        context,
        lambda: context.manifests.issue(
            g.user, uuid.uuid4(), world.terms([batch], approval_id=uuid.uuid4()), world.tick()
        ),
    )
    assert isinstance(error, ApprovalMissing)


def test_manifests_draw_the_approval_down_and_are_refused_past_its_cap(world: World) -> None:
    context = world.factory.context
    approval_id = approve(world, cap="1500")
    first, second = world.generate("1000"), world.generate("600")
    g = world.generator
    manifest_id = uuid.uuid4()
    context.manifests.issue(
        g.user, manifest_id, world.terms([first], approval_id=approval_id), world.tick()
    )
    m = context.manifests.manifest(g.user, manifest_id).manifest
    assert m.cross_province
    assert m.number.startswith("320505-")
    assert context.approvals.approval(g.user, approval_id).approval.used_kg == Decimal(1000)
    error = refused(
        context,
        lambda: context.manifests.issue(
            g.user, uuid.uuid4(), world.terms([second], approval_id=approval_id), world.tick()
        ),
    )
    assert (type(error), error.field) == (ApprovalExceeded, "approval_id")
    assert context.approvals.approval(g.user, approval_id).approval.used_kg == Decimal(1000)
    # A correction releases the first version's draw before taking the new one.
    smaller = world.terms([second], approval_id=approval_id)
    context.manifests.correct(g.user, manifest_id, smaller, "换批次", world.tick())
    assert context.approvals.approval(g.user, approval_id).approval.used_kg == Decimal(600)


def test_a_manifest_after_the_period_or_for_another_receiver_is_refused(world: World) -> None:
    context = world.factory.context
    approval_id = approve(world, days=10)
    batch = world.generate("100")
    g = world.generator
    alternate_terms = world.terms([batch], receiver=world.alternate, approval_id=approval_id)
    error = refused(
        context,
        lambda: context.manifests.issue(g.user, uuid.uuid4(), alternate_terms, world.tick()),
    )
    assert (type(error), error.field) == (InvalidInput, "approval_id")  # one province: none needed
    context.clock.now += timedelta(days=11)  # type: ignore[attr-defined]
    error = refused(
        context,
        lambda: context.manifests.issue(
            g.user, uuid.uuid4(), world.terms([batch], approval_id=approval_id), world.tick()
        ),
    )
    assert (type(error), error.field) == (ApprovalExpired, "approval_id")


def test_an_approval_for_another_code_does_not_cover(world: World) -> None:
    context = world.factory.context
    approval_id = uuid.uuid4()
    g = world.generator
    terms = approval_terms(world)
    context.approvals.request(
        g.user, approval_id, replace(terms, waste_code="900-249-08"), world.tick()
    )
    context.approvals.decide(OPERATOR, approval_id, ApprovalAction.CONSENT)
    context.approvals.decide(OPERATOR, approval_id, ApprovalAction.APPROVE)
    batch = world.generate("100")
    error = refused(
        context,
        lambda: context.manifests.issue(
            g.user, uuid.uuid4(), world.terms([batch], approval_id=approval_id), world.tick()
        ),
    )
    assert (type(error), error.field) == (ApprovalMismatch, "lines[0]")
