"""Alerts on both backends: raised once with a signed step, scoped, moved by its regulator."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import delete, update

from tests.factories import OPERATOR, Factory
from tests.manifest_world import World, build_world
from zerowaste.adapters.db.tables import workflow_actions
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import AlertAction, AlertState
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import AlertStateConflict, Forbidden, InvalidInput, NotFound
from zerowaste.ledger.receipts import verify_receipt
from zerowaste.oversight.findings import Finding

JIANGSU = "320000"
ZHEJIANG = "330000"


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def vanished(context: Context, world: World) -> Finding:
    """A finding about a freshly generated batch of the world's generator."""
    batch = world.generate("750")
    with context.unit_of_work() as uow:
        (row,) = uow.events.events_of_batch(batch)
    return Finding(
        rule_id="vanished_batch",
        subject=f"batch:{batch}",
        organization_id=world.generator.id,
        observed_at=world.clock,
        figures={
            "mass_kg": "750",
            "waste_code": "900-214-08",
            "batch": str(batch),
            "silent_days": "130",
            "since": world.clock.date().isoformat(),
        },
        event_ids=(row.event_id,),
        batch_ids=(batch,),
        site_id=world.generator.site.id,
    )


def leaf_documents(context: Context, alert_id: uuid.UUID) -> list[dict[str, object]]:
    """The alert's step documents as the log's leaves hold them (not the projection)."""
    with context.unit_of_work() as uow:
        size = uow.ledger.head_size(context.ledger.log_id)
        leaves = [
            leaf for page in uow.ledger.leaf_pages(context.ledger.log_id, size) for leaf in page
        ]
    documents = [json.loads(bytes(leaf[1]))["event"] for leaf in leaves]
    return [d for d in documents if d.get("alert_id") == str(alert_id)]


def test_a_finding_is_raised_once_with_a_signed_step_the_audit_accepts(
    context: Context, world: World
) -> None:
    finding = vanished(context, world)
    (alert,) = context.alerts.raise_findings([finding, finding])
    assert context.alerts.raise_findings([finding]) == []
    assert alert.state is AlertState.OPEN
    assert alert.label == "AL-000001"
    assert alert.region_code == world.generator.organization.region_code
    assert "750 kg of 900-214-08" in alert.explanation_en
    assert "750 千克" in alert.explanation_zh
    (raised,) = leaf_documents(context, alert.alert_id)
    assert raised["action"] == "raise"
    assert raised["fingerprint"] == finding.fingerprint
    assert raised["event_ids"] == [str(finding.event_ids[0])]
    assert raised["parameters"] == {"max_days": "120"}
    assert not context.ledger.audit().findings


def test_the_workflow_needs_a_reason_to_close_and_is_rebuilt_from_the_log(
    context: Context, world: World, factory: Factory
) -> None:
    (alert,) = context.alerts.raise_findings([vanished(context, world)])
    jiangsu = factory.user(UserRole.REGULATOR, jurisdiction_code=JIANGSU)
    context.alerts.act(jiangsu, alert.alert_id, AlertAction.ACKNOWLEDGE)
    with pytest.raises(InvalidInput) as blank:
        context.alerts.act(jiangsu, alert.alert_id, AlertAction.DISMISS, "   ")
    assert blank.value.field == "reason"
    assert len(leaf_documents(context, alert.alert_id)) == 2, "a refused step was logged"
    closed = context.alerts.act(
        jiangsu, alert.alert_id, AlertAction.RESOLVE, "batch found and shipped"
    )
    assert closed.state is AlertState.RESOLVED
    assert closed.closed_by == jiangsu.user_id
    with pytest.raises(AlertStateConflict):
        context.alerts.act(jiangsu, alert.alert_id, AlertAction.DISMISS, "changed my mind")
    view = context.alerts.alert(jiangsu, alert.alert_id)
    assert [s.action.value for s in view.history] == ["raise", "acknowledge", "resolve"]
    assert [s.state_after for s in view.history][-1] is AlertState.RESOLVED
    logged = leaf_documents(context, alert.alert_id)
    assert [d["action"] for d in logged] == ["raise", "acknowledge", "resolve"]
    assert logged[-1]["reason"] == "batch found and shipped"
    assert logged[-1]["regulator_user_id"] == str(jiangsu.user_id)
    assert [s.leaf_index for s in view.history] == sorted(s.leaf_index for s in view.history)
    assert not context.ledger.audit().findings


def test_who_sees_and_who_moves_an_alert(context: Context, world: World, factory: Factory) -> None:
    (alert,) = context.alerts.raise_findings([vanished(context, world)])
    zhejiang = factory.user(UserRole.REGULATOR, jurisdiction_code=ZHEJIANG)
    own = factory.user(UserRole.FIRM, organization=world.generator.organization)
    other = factory.user(UserRole.FIRM, organization=world.receiver.organization)
    page = PageRequest()
    assert context.alerts.find(zhejiang, page).items == []
    with pytest.raises(Forbidden):
        context.alerts.alert(zhejiang, alert.alert_id)
    with pytest.raises(Forbidden):
        context.alerts.act(zhejiang, alert.alert_id, AlertAction.ACKNOWLEDGE)
    with pytest.raises(Forbidden):
        context.alerts.find(zhejiang, page, region_code="320505")
    assert [a.alert_id for a in context.alerts.find(own, page).items] == [alert.alert_id]
    assert context.alerts.find(other, page).items == []
    with pytest.raises(Forbidden):
        context.alerts.alert(other, alert.alert_id)
    with pytest.raises(Forbidden):
        context.alerts.act(own, alert.alert_id, AlertAction.ACKNOWLEDGE)
    with pytest.raises(Forbidden):
        context.alerts.act(OPERATOR, alert.alert_id, AlertAction.ACKNOWLEDGE)
    with pytest.raises(NotFound):
        context.alerts.alert(OPERATOR, uuid.uuid4())
    assert [a.alert_id for a in context.alerts.find(OPERATOR, page).items] == [alert.alert_id]


def test_the_evidence_receipts_verify_offline(context: Context, world: World) -> None:
    finding = vanished(context, world)
    (alert,) = context.alerts.raise_findings([finding])
    (receipt,) = context.alerts.receipts(OPERATOR, alert.alert_id)
    verified = verify_receipt(receipt, context.ledger.verifier_key())
    assert receipt.event["event_id"] == str(finding.event_ids[0])
    assert verified.leaf_index >= 0


def test_alert_pages_run_newest_first(context: Context, world: World) -> None:
    raised = context.alerts.raise_findings([vanished(context, world) for _ in range(3)])
    first = context.alerts.find(OPERATOR, PageRequest(limit=2))
    assert [a.number for a in first.items] == [3, 2]
    rest = context.alerts.find(OPERATOR, PageRequest(first.next_after, 2))
    assert [a.number for a in rest.items] == [1]
    assert rest.next_after is None
    assert {a.alert_id for a in raised} == {a.alert_id for a in first.items + rest.items}


def test_an_edited_or_deleted_alert_step_is_named_by_the_audit(
    context: Context, world: World, factory: Factory
) -> None:
    (alert,) = context.alerts.raise_findings([vanished(context, world)])
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code=JIANGSU)
    context.alerts.act(regulator, alert.alert_id, AlertAction.DISMISS, "not a breach")
    steps = workflow_actions.c
    with context.engine.begin() as connection:
        connection.execute(
            update(workflow_actions)
            .where(steps.subject_id == alert.alert_id, steps.action == "dismiss")
            .values(action="resolve")
        )
        connection.execute(
            delete(workflow_actions).where(
                steps.subject_id == alert.alert_id, steps.action == "raise"
            )
        )
    findings = [f for f in context.ledger.audit().findings if f.kind == "action"]
    assert len(findings) == 2
    assert any("is not the document's" in f.detail for f in findings)
    assert any("no action row" in f.detail for f in findings)
