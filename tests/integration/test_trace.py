"""Batch traces on both backends: a captured chain balances, imbalances and scope are reported."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from typer.testing import CliRunner

from tests.conftest import MASTER_KEY
from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import T0, Firm, document, generated, line, make_firm, signed
from tests.manifest_world import carriage
from zerowaste.adapters.db.tables import batch_lineage, events
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.genealogy import Direction
from zerowaste.errors import Forbidden, NotFound
from zerowaste.services.signed_steps import ClientSigner

HOUR = timedelta(hours=1)


@dataclass
class Chain:
    """The firms and batches of a captured chain."""

    sender: Firm
    receiver: Firm
    raw: uuid.UUID
    kept: uuid.UUID
    shipped: uuid.UUID
    product: uuid.UUID
    residue: uuid.UUID


def client_signer(firm: Firm) -> ClientSigner:
    """The firm's registered client-side key, for signing manifest steps."""
    return ClientSigner(firm.private, firm.key_id)


def capture_chain(factory: Factory) -> Chain:
    """1000 kg generated, split 400 kept + 600 shipped, 590 received, transformed, disposed."""
    sender, receiver = make_firm(factory), make_firm(factory)
    raw, kept, shipped, product, residue = (uuid.uuid4() for _ in range(5))
    manifest_id = uuid.uuid4()
    manifest = str(manifest_id)
    events = [
        signed(sender, generated(sender, raw, "1000")),
        signed(
            sender,
            document(
                sender,
                "split",
                T0 + HOUR,
                inputs=[line(raw, "1000")],
                outputs=[line(kept, "400"), line(shipped, "600")],
            ),
        ),
        signed(
            sender,
            document(
                sender,
                "shipped",
                T0 + 2 * HOUR,
                inputs=[line(shipped, "600")],
                manifest_id=manifest,
            ),
        ),
        signed(
            receiver,
            document(
                receiver,
                "received",
                T0 + 3 * HOUR,
                inputs=[line(shipped, "590")],
                manifest_id=manifest,
            ),
        ),
        signed(
            receiver,
            document(
                receiver,
                "transformed",
                T0 + 4 * HOUR,
                inputs=[line(shipped, "590")],
                outputs=[
                    line(product, "400", kind="product", description="再生塑料粒"),
                    line(residue, "150", kind="residue"),
                ],
                declared_loss={"quantity": "40", "unit": "KGM"},
            ),
        ),
        signed(
            receiver,
            document(
                receiver,
                "disposed",
                T0 + 5 * HOUR,
                inputs=[line(residue, "150")],
                disposal_method="incineration",
            ),
        ),
    ]
    capture = factory.context.capture.capture
    capture(OPERATOR, events[:2])
    carried = carriage(
        factory,
        generator=(
            sender.organization.id,
            sender.site.id,
            ClientSigner(sender.private, sender.key_id),
        ),
        receiver=(receiver.organization.id, receiver.site.id),
        batch=shipped,
        kg="600",
        at=T0 + HOUR + HOUR / 2,
        manifest_id=manifest_id,
    )
    capture(OPERATOR, events[2:3])
    carried.deliver(T0 + 2 * HOUR + HOUR / 2)
    capture(OPERATOR, events[3:])
    return Chain(sender, receiver, raw, kept, shipped, product, residue)


def test_the_trace_from_the_root_accounts_for_every_kilogram(factory: Factory) -> None:
    chain = capture_chain(factory)
    trace = factory.context.trace.trace(OPERATOR, chain.raw)
    assert set(trace.descendants) == {chain.kept, chain.shipped, chain.product, chain.residue}
    assert trace.ancestors == ()
    assert trace.unaccounted_kg == 0
    assert not trace.imbalanced
    assert trace.fates == {
        "disposed:incineration": 150,
        "held:product": 400,
        "held:waste": 400,
        "transformation_loss": 40,
        "weighing_gap": 10,
    }
    shipped = trace.nodes[chain.shipped].balance
    assert (shipped.inflow_kg, shipped.weighing_gap_kg, shipped.loss_kg) == (600, 10, 40)
    node = trace.nodes[chain.residue]
    assert [(d.method, d.mass_kg) for d in node.facts.disposals] == [("incineration", 150)]
    leaves = [e.leaf_index for n in trace.nodes.values() for e in n.facts.events]
    with factory.context.engine.connect() as connection:
        captured = {row.leaf_index for row in connection.execute(select(events.c.leaf_index))}
    assert len(captured) == 6  # the manifest's signed steps sit between them in the log
    assert set(leaves) == captured


def test_the_trace_from_a_product_walks_back_to_the_generated_batch(factory: Factory) -> None:
    chain = capture_chain(factory)
    trace = factory.context.trace.trace(OPERATOR, chain.product, direction=Direction.UP)
    assert trace.ancestors == (chain.shipped, chain.raw)
    assert trace.descendants == ()
    assert trace.nodes[chain.raw].upstream_kg == 400
    assert trace.nodes[chain.raw].facts.events[0].event_type == "generated"
    assert not trace.imbalanced


def test_a_trace_is_a_few_keyed_reads_whatever_else_the_ledger_holds(factory: Factory) -> None:
    chain = capture_chain(factory)
    engine = factory.context.engine
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    def count_reads() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", note)
        try:
            factory.context.trace.trace(OPERATOR, chain.raw)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len(statements)

    alone = count_reads()
    # three lineage levels, then batches, event links, events, parties' regions, corrections
    assert alone <= 8, statements
    capture_chain(factory)
    capture_chain(factory)
    assert count_reads() == alone


def test_an_edited_lineage_edge_is_reported_at_its_parent(factory: Factory) -> None:
    chain = capture_chain(factory)
    edit = (
        batch_lineage.update()
        .where(batch_lineage.c.parent_id == chain.raw, batch_lineage.c.child_id == chain.kept)
        .values(mass_kg=Decimal("300"))
    )
    with factory.context.engine.begin() as connection:
        assert connection.execute(edit).rowcount == 1
    trace = factory.context.trace.trace(OPERATOR, chain.raw)
    assert trace.imbalanced == (chain.raw,)
    assert trace.nodes[chain.raw].balance.imbalance_kg == 100
    assert trace.unaccounted_kg == 100
    assert trace.fates["unaccounted"] == 100


def test_scope_and_unknown_batches(factory: Factory) -> None:
    chain = capture_chain(factory)
    context = factory.context
    stranger = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.trace.trace(stranger, chain.raw)
    receiver_user = factory.user(UserRole.FIRM, organization=chain.receiver.organization)
    assert context.trace.trace(receiver_user, chain.product).batch_id == chain.product
    with pytest.raises(NotFound):
        context.trace.trace(OPERATOR, uuid.uuid4())


def test_the_api_serves_the_tree_and_balance(factory: Factory, client: TestClient) -> None:
    chain = capture_chain(factory)
    own = factory.api_key(factory.user(UserRole.FIRM, organization=chain.sender.organization))
    other = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    path = f"/api/v1/batches/{chain.raw}/trace"
    response = client.get(path, headers=own, params={"tolerance_kg": "0.1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unaccounted_kg"] == "0"
    assert body["tolerance"] == {"absolute_kg": "0.1", "relative": "0.005"}
    assert body["fates"]["weighing_gap"] == "10"
    root = next(n for n in body["nodes"] if n["batch_id"] == str(chain.raw))
    assert root["balance"]["balanced"] is True
    assert root["events"][0]["receipt"].endswith("/receipt")
    receipt = client.get(root["events"][0]["receipt"], headers=own)
    assert receipt.status_code == 200
    up = client.get(path, headers=own, params={"direction": "up"}).json()
    assert up["descendants"] == []
    assert up["ancestors"] == []
    assert client.get(path, headers=other).status_code == 403
    missing = client.get(f"/api/v1/batches/{uuid.uuid4()}/trace", headers=own)
    assert missing.status_code == 404
    assert client.get(path, headers=own, params={"direction": "sideways"}).status_code == 422


def test_the_cli_prints_fates(
    factory: Factory, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain = capture_chain(factory)
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", context.settings.database_url)
    monkeypatch.setenv("ZEROWASTE_MASTER_KEY", MASTER_KEY)
    runner = CliRunner()
    result = runner.invoke(app, ["trace", str(chain.raw)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for word in ("upstream", "downstream", "incineration", "held", "weighing gap", "balanced"):
        assert word in result.output
    result = runner.invoke(app, ["trace", str(chain.product), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ancestors"] == [str(chain.shipped), str(chain.raw)]
    assert runner.invoke(app, ["trace", str(uuid.uuid4())]).exit_code != 0
