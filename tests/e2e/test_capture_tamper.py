"""Tamper with a captured ledger behind the platform's back; the audit names each change's index.

A realistic chain (two firms: generation, storage, split, shipment, receipt with a weighing gap,
utilization, disposal, a merge, an inspection and a correction) is captured through the
service, with checkpoints on the way. Then raw SQL edits, deletes, reorders or inserts rows of
`ledger_entries` (the logged leaves), of `events` (the rows reads are served from) or of
`workflow_actions` (the manifest's signed steps as the histories read them), and the
audit is run three ways: the service, `zerowaste ledger audit` (CLI, exit 1 listing `index N:
kind`) and `GET /api/v1/ledger/audit`. Each must name every change at its leaf index.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from tests.conftest import MASTER_KEY
from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import CODE, T0, Firm, document, line, make_firm, signed
from tests.manifest_world import carriage
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.accounts import UserRole
from zerowaste.services.signed_steps import ClientSigner

runner = CliRunner()
HOUR = timedelta(hours=1)


def capture_chain(factory: Factory) -> list[uuid.UUID]:
    """Capture twelve events of two firms on a real manifest, with two checkpoints; their ids.

    The manifest's signed steps (issue, pickup, delivery) are logged too, between the events.
    """
    context = factory.context
    maker, recycler = make_firm(factory), make_firm(factory)
    raw, part_a, part_b, product, residue, raw2, pooled = (uuid.uuid4() for _ in range(7))
    manifest = uuid.uuid4()
    made = [
        (maker, document(maker, "generated", outputs=[line(raw, "2", "TNE", waste_code=CODE)])),
        (maker, document(maker, "stored", T0 + HOUR, inputs=[line(raw, "2000")])),
        (
            maker,
            document(
                maker,
                "split",
                T0 + 2 * HOUR,
                inputs=[line(raw, "2000")],
                outputs=[line(part_a, "1200"), line(part_b, "800")],
            ),
        ),
    ]
    shipped = [
        (
            maker,
            document(
                maker,
                "shipped",
                T0 + 3 * HOUR,
                inputs=[line(part_a, "1200")],
                manifest_id=str(manifest),
                destination_site_id=str(recycler.site.id),
            ),
        ),
    ]
    first = [
        (
            recycler,
            document(
                recycler,
                "received",
                T0 + 5 * HOUR,
                inputs=[line(part_a, "1195")],
                manifest_id=str(manifest),
            ),
        ),
        (
            recycler,
            document(
                recycler,
                "transformed",
                T0 + 8 * HOUR,
                inputs=[line(part_a, "1195")],
                outputs=[
                    line(product, "1000", kind="secondary_raw_material", description="再生基础油"),
                    line(residue, "150", waste_code=CODE),
                ],
                declared_loss={"quantity": "45", "unit": "KGM"},
            ),
        ),
    ]
    second = [
        (
            recycler,
            document(
                recycler,
                "disposed",
                T0 + 9 * HOUR,
                inputs=[line(residue, "150")],
                disposal_method="incineration",
            ),
        ),
        (
            maker,
            document(
                maker, "generated", T0 + 10 * HOUR, outputs=[line(raw2, "500", waste_code=CODE)]
            ),
        ),
        (
            maker,
            document(
                maker,
                "merged",
                T0 + 11 * HOUR,
                inputs=[line(part_b, "800"), line(raw2, "500")],
                outputs=[line(pooled, "1300")],
            ),
        ),
    ]
    disposal = document(
        maker, "disposed", T0 + 12 * HOUR, inputs=[line(pooled, "1300")], disposal_method="landfill"
    )
    second += [
        (maker, disposal),
        (maker, document(maker, "inspected", T0 + 13 * HOUR, note="库存为零，台账一致")),
        (
            maker,
            document(
                maker,
                "corrected",
                T0 + 14 * HOUR,
                corrects_event_id=disposal["event_id"],
                note="填埋场名称录入有误",
            ),
        ),
    ]
    ids: list[uuid.UUID] = []

    def capture(part: list[tuple[Firm, dict[str, Any]]]) -> None:
        results = context.capture.capture(OPERATOR, [signed(firm, event) for firm, event in part])
        assert [r.status for r in results] == ["stored"] * len(part)
        ids.extend(r.event_id for r in results)

    capture(made)
    signer = ClientSigner(maker.private, maker.key_id)
    road = carriage(
        factory,
        generator=(maker.organization.id, maker.site.id, signer),
        receiver=(recycler.organization.id, recycler.site.id),
        batch=part_a,
        kg="1200",
        at=T0 + 2 * HOUR + timedelta(minutes=30),
        manifest_id=manifest,
    )
    capture(shipped)
    road.deliver(T0 + 4 * HOUR)
    capture(first)
    context.ledger.checkpoint()
    capture(second[:-1])
    capture(second[-1:])  # a correction points at an event stored by an earlier request
    context.ledger.checkpoint()
    return ids


def _value(connection: Connection, query: str, **params: Any) -> Any:
    return connection.execute(text(query), params).scalar_one()


#: A tampering: given a connection, the leaf index of each event of the chain (in chain order)
#: and the log's size, change rows and return the findings it must cause, {leaf index: kind}.
Tampering = Callable[[Connection, list[int], int], dict[int, str]]


def _edit_leaf(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    query = "SELECT leaf_data FROM ledger_entries WHERE leaf_index = :i"
    data = bytes(_value(c, query, i=leaf[4]))
    forged = data.replace(b'"quantity":"1195"', b'"quantity":"1159"')
    assert forged != data
    c.execute(
        text("UPDATE ledger_entries SET leaf_data = :d WHERE leaf_index = :i"),
        {"d": forged, "i": leaf[4]},
    )
    return {leaf[4]: "leaf"}


def _delete_leaf(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    c.execute(text("DELETE FROM ledger_entries WHERE leaf_index = :i"), {"i": leaf[6]})
    return {leaf[6]: "row"}


def _swap(table: str, kind: str, first: int, second: int) -> Tampering:
    def swap(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
        i, j = leaf[first], leaf[second]
        for old, new in ((i, -1), (j, i), (-1, j)):
            c.execute(
                text(f"UPDATE {table} SET leaf_index = :new WHERE leaf_index = :old"),
                {"new": new, "old": old},
            )
        return {i: kind, j: kind}

    return swap


def _edit_document(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    data = bytes(_value(c, "SELECT document FROM events WHERE leaf_index = :i", i=leaf[5]))
    forged = data.replace(b'"quantity":"45"', b'"quantity":"5"')
    assert forged != data
    c.execute(
        text("UPDATE events SET document = :d WHERE leaf_index = :i"), {"d": forged, "i": leaf[5]}
    )
    return {leaf[5]: "event"}


def _delete_event(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    c.execute(text("DELETE FROM events WHERE leaf_index = :i"), {"i": leaf[7]})
    return {leaf[7]: "event"}


def _edit_time(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    c.execute(
        text("UPDATE events SET event_time = recorded_at WHERE leaf_index = :i"), {"i": leaf[1]}
    )
    return {leaf[1]: "event"}


def _edit_signature(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    c.execute(
        text(
            "UPDATE events SET signature_value = "
            "(SELECT signature_value FROM events WHERE leaf_index = :j) WHERE leaf_index = :i"
        ),
        {"i": leaf[10], "j": leaf[11]},
    )
    return {leaf[10]: "event"}


def _insert_event(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    columns = (
        "log_id, event_type, event_time, organization_id, site_id, manifest_id, document, "
        "signature_key_id, signature_value, user_id, recorded_at, discrepancy_kg"
    )
    c.execute(
        text(
            f"INSERT INTO events (event_id, leaf_index, {columns}) "
            f"SELECT :id, :size, {columns} FROM events WHERE leaf_index = :i"
        ),
        {
            "id": uuid.uuid4().hex if c.dialect.name == "sqlite" else uuid.uuid4(),
            "size": size,
            "i": leaf[0],
        },
    )
    return {size: "event"}


def _first_action(c: Connection) -> int:
    return int(_value(c, "SELECT min(leaf_index) FROM workflow_actions"))


def _edit_action(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    index = _first_action(c)
    c.execute(
        text("UPDATE workflow_actions SET action = 'close' WHERE leaf_index = :i"), {"i": index}
    )
    return {index: "action"}


def _delete_action(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    index = _first_action(c)
    c.execute(text("DELETE FROM workflow_actions WHERE leaf_index = :i"), {"i": index})
    return {index: "action"}


def _move_action(c: Connection, leaf: list[int], size: int) -> dict[int, str]:
    index = _first_action(c)
    c.execute(
        text("UPDATE workflow_actions SET leaf_index = :new WHERE leaf_index = :i"),
        {"new": size + 5, "i": index},
    )
    return {index: "action", size + 5: "action"}


#: case → the tampering (which returns the findings it must cause)
TAMPERING: dict[str, Tampering] = {
    "edit_logged_leaf": _edit_leaf,
    "delete_logged_leaf": _delete_leaf,
    "reorder_logged_leaves": _swap("ledger_entries", "leaf", 3, 9),
    "edit_event_document": _edit_document,
    "delete_event_row": _delete_event,
    "reorder_event_rows": _swap("events", "event", 2, 8),
    "edit_event_time_column": _edit_time,
    "edit_event_signature": _edit_signature,
    "insert_event_row": _insert_event,
    "edit_workflow_action": _edit_action,
    "delete_workflow_action": _delete_action,
    "move_workflow_action": _move_action,
}


@pytest.fixture
def cli_env(context: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    """The test database, reachable by the CLI through the environment."""
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", context.settings.database_url)
    monkeypatch.setenv("ZEROWASTE_MASTER_KEY", MASTER_KEY)
    return context


def _api_audit(client: TestClient, factory: Factory) -> dict[str, Any]:
    headers = factory.api_key(factory.user(UserRole.REGULATOR, jurisdiction_code="320500"))
    response = client.get("/api/v1/ledger/audit", params={"batch": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_captured_chain_audits_clean_everywhere(
    cli_env: Context, client: TestClient, factory: Factory
) -> None:
    ids = capture_chain(factory)
    report = cli_env.ledger.audit()
    assert report.ok, report.findings
    assert report.size > 12  # the manifest's steps are logged too
    assert report.checkpoints_checked >= 2
    result = runner.invoke(app, ["ledger", "audit"])
    assert result.exit_code == 0, result.output
    summary = f"clean: {report.size} entries, {report.checkpoints_checked} checkpoints"
    assert summary in result.output
    body = _api_audit(client, factory)
    assert (body["ok"], body["size"], body["findings"]) == (True, report.size, [])
    firm = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    assert client.get("/api/v1/ledger/audit", headers=firm).status_code == 403
    assert cli_env.capture.event(OPERATOR, ids[4]).discrepancy_kg == -5


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_audit_names_each_tampered_row_at_its_index(
    cli_env: Context, client: TestClient, factory: Factory, case: str
) -> None:
    ids = capture_chain(factory)
    with cli_env.unit_of_work() as uow:
        size = uow.ledger.head_size(cli_env.ledger.log_id)
        leaf = [uow.events.events_by_id([i])[i].leaf_index for i in ids]
    assert leaf == sorted(leaf)
    assert len(leaf) == 12
    with cli_env.engine.begin() as connection:
        expected = TAMPERING[case](connection, leaf, size)

    report = cli_env.ledger.audit(batch=5)
    found = {(f.index, f.kind) for f in report.findings}
    assert not report.ok
    assert {(index, kind) for index, kind in expected.items()} <= found, report.findings
    assert report.first_bad_index == min(expected)

    result = runner.invoke(app, ["ledger", "audit", "--batch", "100"])
    assert result.exit_code == 1, result.output
    for index, kind in expected.items():
        assert f"index {index}: {kind}:" in result.output, result.output
    assert f"first bad index {min(expected)}" in result.output

    body = _api_audit(client, factory)
    assert body["ok"] is False
    assert body["first_bad_index"] == min(expected)
    named = {(f["index"], f["kind"]) for f in body["findings"]}
    assert {(index, kind) for index, kind in expected.items()} <= named, body
