"""Batched manifest steps on both backends: one transaction, all or none, refusals by index."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.factories import OPERATOR, Factory
from tests.manifest_world import World, build_world
from zerowaste.bootstrap import Context
from zerowaste.domain.manifest_documents import manifest_document, terms_fields
from zerowaste.domain.manifests import ManifestAction, ManifestState
from zerowaste.errors import SignatureInvalid, TooManySteps, UnknownManifest, ZeroWasteError
from zerowaste.services.manifests import MAX_STEPS_PER_BATCH


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def stored(context: Context) -> tuple[int, int, int, int]:
    """Manifests, approvals, actions and ledger leaves stored."""
    with context.unit_of_work() as uow:
        return (*uow.manifests.counts(), uow.ledger.head_size(context.ledger.log_id))


def _issue_and_pickup(world: World, manifest_id: uuid.UUID) -> list[tuple[Any, Any]]:
    g, c = world.generator, world.carrier
    terms = world.terms([world.generate("1000")])
    issue = manifest_document(
        ManifestAction.ISSUE, manifest_id, g.id, world.tick(), **terms_fields(terms)
    )
    pickup = manifest_document(ManifestAction.PICKUP, manifest_id, c.id, world.tick(), leg=0)
    return [(issue, g.signer.sign(issue)), (pickup, c.signer.sign(pickup))]


def test_a_batch_issues_and_picks_up_in_one_transaction(world: World) -> None:
    context = world.factory.context
    manifest_id = uuid.uuid4()
    steps = _issue_and_pickup(world, manifest_id)
    before = stored(context)
    results = context.manifests.submit_many(OPERATOR, steps)
    assert [r.status for r in results] == ["stored", "stored"]
    assert results[1].leaf_index == results[0].leaf_index + 1
    assert stored(context)[2:] == (before[2] + 2, before[3] + 2)
    m = context.manifests.manifest(OPERATOR, manifest_id).manifest
    assert m.state is ManifestState.PICKED_UP
    assert [s.leaf_index for s in m.signatures] == [r.leaf_index for r in results]
    again = context.manifests.submit_many(OPERATOR, steps)
    assert [r.status for r in again] == ["already_stored", "already_stored"]
    assert [r.leaf_index for r in again] == [r.leaf_index for r in results]


def _refused(context: Context, steps: list[tuple[Any, Any]]) -> ZeroWasteError:
    before = stored(context)
    with pytest.raises(ZeroWasteError) as caught:
        context.manifests.submit_many(OPERATOR, steps)
    assert stored(context) == before, "a refused batch stored something"
    assert 400 <= caught.value.status < 500
    return caught.value


def test_one_bad_step_stores_nothing_and_is_named_by_index(world: World) -> None:
    context = world.factory.context
    steps = _issue_and_pickup(world, uuid.uuid4())
    c = world.carrier
    stray = manifest_document(ManifestAction.PICKUP, uuid.uuid4(), c.id, world.tick(), leg=0)
    error = _refused(context, [*steps, (stray, c.signer.sign(stray))])
    assert isinstance(error, UnknownManifest)
    assert error.field == "steps[2].manifest_id"


def test_a_forged_signature_in_a_batch_stores_nothing(world: World) -> None:
    context = world.factory.context
    (issue, issue_signature), (pickup, _) = _issue_and_pickup(world, uuid.uuid4())
    forged = world.generator.signer.sign(pickup)  # the generator signs the carrier's step
    error = _refused(context, [(issue, issue_signature), (pickup, forged)])
    assert error.field is not None
    assert error.field.startswith("steps[1].signature")
    tampered = {**pickup, "leg": 1}
    error = _refused(
        context,
        [(issue, issue_signature), (tampered, world.carrier.signer.sign(pickup))],
    )
    assert isinstance(error, SignatureInvalid)
    assert error.field == "steps[1].signature.value"


def test_a_batch_too_large_is_refused(world: World) -> None:
    steps = _issue_and_pickup(world, uuid.uuid4())
    error = _refused(world.factory.context, steps * (MAX_STEPS_PER_BATCH // 2 + 1))
    assert isinstance(error, TooManySteps)
    assert error.field == "steps"
