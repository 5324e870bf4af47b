"""`zerowaste carbon pact client add|list|revoke` and `zerowaste carbon pact export` end to end."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.e2e.test_capture_cli import cli_context, invoke
from tests.factories import OPERATOR, Factory
from tests.pact_support import PRODUCT_FOOTPRINT, errors, footprint
from zerowaste.bootstrap import Context

__all__ = ["cli_context"]


def test_clients_and_export(cli_context: Context, tmp_path: Path) -> None:
    firm = Factory(cli_context).organization()
    code, out = invoke(
        "carbon", "pact", "client", "add", firm.credit_code, "--name", "Buyer", "--json"
    )
    assert code == 0, out
    [added] = json.loads(out)
    assert added["client_id"].startswith("pact_")
    assert len(added["client_secret"]) >= 32
    assert cli_context.pact.issue_token(added["client_id"], added["client_secret"]).access_token
    code, out = invoke("carbon", "pact", "client", "list", str(firm.id), "--json")
    assert code == 0, out
    assert [c["client_id"] for c in json.loads(out)] == [added["client_id"]]
    assert "client_secret" not in json.loads(out)[0]
    code, out = invoke("carbon", "pact", "client", "revoke", added["client_id"], "--json")
    assert code == 0, out
    assert json.loads(out)[0]["revoked_at"]
    assert invoke("carbon", "pact", "client", "revoke", "pact_nobody")[0] == 66  # not found
    assert invoke("carbon", "pact", "client", "add", str(firm.id), "--name", " ")[0] == 65

    made = footprint(firm.id)
    with cli_context.unit_of_work() as uow:
        uow.footprints.add(made)
        uow.commit()
    code, out = invoke("carbon", "pact", "export", str(made.id))
    assert code == 0, out
    document = json.loads(out)
    assert document["id"] == str(made.id)
    assert errors(PRODUCT_FOOTPRINT, document) == []
    target = tmp_path / "pf.json"
    code, out = invoke("carbon", "pact", "export", str(made.id), "--out", str(target))
    assert code == 0, out
    assert json.loads(target.read_text(encoding="utf-8")) == document
    code, out = invoke("carbon", "pact", "export", str(uuid.uuid4()))
    assert code == 66
    assert "footprint_id" in out
    assert invoke("carbon", "pact", "export", "nope")[0] == 65


def test_events_and_answers(cli_context: Context) -> None:
    firm = Factory(cli_context).organization()
    made = footprint(firm.id)
    with cli_context.unit_of_work() as uow:
        uow.footprints.add(made)
        uow.commit()
    client, _ = cli_context.pact.register_client(OPERATOR, firm.id, "buyer")
    request = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreated.3",
        "specversion": "1.0",
        "id": "req-cli",
        "source": "//buyer.example/3/events",
        "time": "2026-05-31T17:31:00Z",
        "data": {"geography": ["CN-JS"]},
    }
    cli_context.pact.receive_event(client, request)
    code, out = invoke("carbon", "pact", "events", str(firm.id), "--json")
    assert code == 0, out
    [row] = json.loads(out)
    assert row["type"].endswith("RequestCreatedEvent.3")
    code, out = invoke("carbon", "pact", "answer", row["id"])
    assert code == 0, out
    answer = json.loads(out)
    assert answer["source"] == "/pact/3/events"
    assert [pf["id"] for pf in answer["data"]["pfs"]] == [str(made.id)]
    assert invoke("carbon", "pact", "answer", "nope")[0] == 65
