"""The demo's events built through the capture service, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from zerowaste.bootstrap import Context
from zerowaste.demo import generate_city
from zerowaste.demo.events import plan_events
from zerowaste.demo.plan import (
    BACKDATED_AFTER_DAYS,
    MAX_STORAGE_DAYS,
    WEIGHT_GAP_TOLERANCE,
    EventPlan,
    ViolationKind,
)
from zerowaste.domain.approvals import ApprovalState
from zerowaste.domain.batches import BatchStatus
from zerowaste.domain.events import EventType
from zerowaste.domain.manifests import ManifestState
from zerowaste.services.demo import build_demo_city

SEED, SCALE, MONTHS = 3, 0.05, 2


def _plan(context: Context) -> EventPlan:
    return plan_events(generate_city(SEED, SCALE, as_of=context.clock().date()), MONTHS)


def test_the_built_ledger_audits_clean_and_holds_the_planted_truth(
    context: Context, tmp_path: Path
) -> None:
    stages: set[str] = set()
    truth_file = tmp_path / "demo.truth.json"
    summary = build_demo_city(
        context,
        seed=SEED,
        scale=SCALE,
        progress=lambda s, d, t: stages.add(s),
        truth_path=truth_file,
        months=MONTHS,
    )
    plan = _plan(context)
    assert stages >= {"reset", "firms", "users", "keys", "events"}
    assert summary.events == plan.counts()
    audit = context.ledger.audit()
    assert audit.findings == ()
    written = json.loads(truth_file.read_text(encoding="utf-8"))
    assert written == summary.truth
    assert {v["kind"] for v in written["violations"]} == {k.value for k in ViolationKind}
    for violation in written["violations"]:
        if violation["kind"] == ViolationKind.UNPERMITTED_RECEIVER.value:
            assert violation["status"] == "refused"  # the manifest's issue names the licence
            assert violation["refusal"]["title"]
            assert violation["refusal"]["field"] == "receiver_id"
        else:
            assert violation["status"] == "stored"
    refused = {
        uuid.UUID(e)
        for v in written["violations"]
        if v["status"] == "refused"
        for e in v["event_ids"]
    }
    steps = 5 * sum(1 for s in plan.shipments if s.received_kg and not s.attempt)
    assert audit.size >= summary.events["events"] - len(refused) + steps
    admin = context.accounts.principal_by_username("admin")

    # Every transfer went on a manifest signed by each party; cross-province ones drew down
    # an approval the two provinces' regulators gave.
    done = next(s for s in plan.shipments if s.received_kg and s.cross_province)
    view = context.manifests.manifest(admin, done.manifest_id)
    assert view.manifest.state is ManifestState.CLOSED
    assert view.approval is not None
    assert view.approval.state is ApprovalState.APPROVED
    assert view.approval.used_kg >= done.shipped_kg
    overdue = next(v for v in written["violations"] if v["kind"] == "overdue_manifest")
    late = context.manifests.manifest(admin, uuid.UUID(overdue["manifest_id"]))
    assert late.manifest.state is ManifestState.IN_TRANSIT

    # Each stored event is signed by its firm's demo key, valid from before the first event.
    sample = plan.events[len(plan.events) // 2].event
    stored = context.capture.event(admin, sample.event_id)
    keys = {str(k.id): k for k in context.signing_keys.keys_of(stored.organization_id)}
    signer = keys[stored.signature.key_id]
    assert not signer.custodial
    assert signer.valid_from <= plan.earliest

    # Over-storage, weight gaps and backdated records show in what the app reads.
    for violation in written["violations"]:
        batch_id = uuid.UUID(violation["batch_ids"][0]) if violation["batch_ids"] else None
        if violation["kind"] == ViolationKind.OVER_STORAGE.value:
            assert batch_id is not None
            view = context.capture.batch(admin, batch_id)
            assert view.batch.status is BatchStatus.HELD
            age = context.clock() - view.batch.stored_since
            assert age > timedelta(days=MAX_STORAGE_DAYS)
        if violation["kind"] == ViolationKind.WEIGHT_GAP.value:
            assert batch_id is not None
            events = context.capture.batch(admin, batch_id).events
            receipt = next(e for e in events if e.event_type == EventType.RECEIVED.value)
            gap = context.capture.event(admin, receipt.event_id).discrepancy_kg
            shipped = Decimal(violation["figures"]["shipped_kg"])
            assert gap is not None
            assert gap < -shipped * Decimal(str(WEIGHT_GAP_TOLERANCE))
        if violation["kind"] == ViolationKind.BACKDATED_RECORD.value:
            row = context.capture.event(admin, uuid.UUID(violation["event_ids"][0]))
            assert row.recorded_at - row.event_time >= timedelta(days=BACKDATED_AFTER_DAYS)
        if violation["kind"] == ViolationKind.OVERDUE_MANIFEST.value:
            assert batch_id is not None
            assert context.capture.batch(admin, batch_id).batch.status is BatchStatus.IN_TRANSIT
    ordinary = context.capture.event(admin, plan.events[0].event.event_id)
    assert ordinary.recorded_at - ordinary.event_time < timedelta(days=8)

    # A batch utilized into several outputs traces downstream and balances.
    transformed = [p.event for p in plan.events if p.event.event_type is EventType.TRANSFORMED]
    event = max(transformed, key=lambda e: len(e.outputs))
    trace = context.trace.trace(admin, event.inputs[0].batch_id)
    assert trace.imbalanced == ()
    assert {o.batch_id for o in event.outputs} <= set(trace.descendants)
    assert trace.ancestors == ()  # a generated batch
    assert sum(trace.fates.values(), Decimal(0)) > 0


def test_the_same_seed_rebuilds_the_same_events(context: Context) -> None:
    first = build_demo_city(context, seed=SEED, scale=SCALE, months=1)
    logged = context.ledger.audit().size  # events, manifest and approval steps
    second = build_demo_city(context, seed=SEED, scale=SCALE, months=1)
    assert first.events == second.events
    assert context.ledger.audit().size == logged > second.events["events"]
    plan = plan_events(generate_city(SEED, SCALE, as_of=context.clock().date()), 1)
    admin = context.accounts.principal_by_username("admin")
    for planned in plan.events[:: max(1, len(plan.events) // 25)]:
        stored = context.capture.event(admin, planned.event.event_id)
        assert stored.event_type == planned.event.event_type.value
        assert stored.event_time == planned.event.event_time
        assert stored.document["inputs" if planned.event.inputs else "outputs"][0][
            "batch"
        ].endswith(str(planned.event.batch_ids[0]))
