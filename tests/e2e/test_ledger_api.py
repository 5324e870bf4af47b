"""The public ledger endpoints: checkpoints, verifier key, proofs and receipts over HTTP."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.integration.test_ledger_store import append
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.ledger.checkpoints import open_checkpoint
from zerowaste.ledger.merkle import verify_consistency, verify_inclusion
from zerowaste.ledger.notes import NoteVerifier
from zerowaste.ledger.receipts import verify_receipt
from zerowaste.ledger.signatures import b64decode

BASE = "/api/v1/ledger"


def test_checkpoints_as_note_and_json(client: TestClient, context: Context) -> None:
    assert client.get(f"{BASE}/checkpoints/latest").status_code == 404
    append(context, 5)
    context.ledger.checkpoint()
    append(context, 4)
    context.ledger.checkpoint()
    vkey = client.get(f"{BASE}/verifier-key")
    assert vkey.headers["content-type"] == "text/plain; charset=utf-8"
    verifier = NoteVerifier.parse(vkey.text)
    latest = client.get(f"{BASE}/checkpoints/latest")
    assert latest.headers["content-type"] == "text/plain; charset=utf-8"
    assert open_checkpoint(latest.text, verifier).size == 9
    old = client.get(f"{BASE}/checkpoints/5", headers={"Accept": "application/json"})
    body = old.json()
    assert body["size"] == 5
    assert body["origin"] == context.settings.ledger_origin
    assert open_checkpoint(body["note"], verifier).root_hash == b64decode(
        body["root_hash"], field="r"
    )
    missing = client.get(f"{BASE}/checkpoints/6")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad = client.get(f"{BASE}/checkpoints/latest-ish")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "size"


def test_proofs_and_receipts(client: TestClient, context: Context) -> None:
    entries = append(context, 11)
    receipt = client.get(f"{BASE}/entries/{entries[6].id}/receipt")
    assert receipt.status_code == 200
    vkey = client.get(f"{BASE}/verifier-key").text
    assert verify_receipt(receipt.json(), vkey).leaf_index == 6
    append(context, 6)
    context.ledger.checkpoint()
    proof = client.get(f"{BASE}/proofs/inclusion", params={"entry_id": str(entries[3].id)}).json()
    assert proof["tree_size"] == 17
    verify_inclusion(
        3,
        17,
        b64decode(proof["leaf_hash"], field="l"),
        [b64decode(h, field="p") for h in proof["proof"]],
        b64decode(proof["root_hash"], field="r"),
    )
    at_size = client.get(
        f"{BASE}/proofs/inclusion", params={"entry_id": str(entries[3].id), "size": 4}
    )
    assert at_size.json()["tree_size"] == 4
    consistency = client.get(f"{BASE}/proofs/consistency", params={"from": 11, "to": 17}).json()
    verify_consistency(
        11,
        17,
        [b64decode(h, field="p") for h in consistency["proof"]],
        b64decode(consistency["from_root"], field="r1"),
        b64decode(consistency["to_root"], field="r2"),
    )


def test_bad_parameters_name_the_field(client: TestClient, context: Context) -> None:
    entries = append(context, 3)
    cases = {
        f"{BASE}/proofs/inclusion?entry_id=nope": (422, "entry_id"),
        f"{BASE}/proofs/inclusion?entry_id={entries[2].id}&size=2": (422, "size"),
        f"{BASE}/proofs/inclusion?entry_id={entries[2].id}&size=9": (404, "size"),
        f"{BASE}/proofs/inclusion?entry_id={entries[2].id}": (409, "entry_id"),
        f"{BASE}/proofs/inclusion?entry_id={uuid.uuid4()}&size=3": (404, "entry_id"),
        f"{BASE}/proofs/consistency?from=0&to=3": (422, "from"),
        f"{BASE}/proofs/consistency?from=3&to=x": (422, "to"),
        f"{BASE}/proofs/consistency?from=3&to=2": (422, "from"),
        f"{BASE}/proofs/consistency?from=2&to=30": (404, "to"),
        f"{BASE}/entries/{uuid.uuid4()}/receipt": (404, "entry_id"),
        f"{BASE}/entries/123/receipt": (422, "entry_id"),
    }
    for path, (status, field) in cases.items():
        response = client.get(path)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], (path, response.text)


def test_admins_cut_checkpoints_on_demand(
    client: TestClient, context: Context, factory: Factory
) -> None:
    append(context, 2)
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    firm = factory.api_key(factory.user(UserRole.FIRM, organization=factory.organization()))
    assert client.post(f"{BASE}/checkpoints").status_code == 401
    assert client.post(f"{BASE}/checkpoints", headers=firm).status_code == 403
    cut = client.post(f"{BASE}/checkpoints", headers=admin)
    assert cut.status_code == 200
    assert cut.json()["size"] == 2
    assert client.get(f"{BASE}/checkpoints/2").status_code == 200
