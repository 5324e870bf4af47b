"""`zerowaste capture custodial` and `zerowaste capture inspections` end to end."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.test_capture_cli import cli_context, invoke
from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import CODE, line
from zerowaste.bootstrap import Context

__all__ = ["cli_context"]


def test_custodial_capture_and_the_inspection_listing(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    organization = factory.organization()
    site = factory.site(organization)
    cli_context.signing_keys.create_custodial(OPERATOR, organization.id)
    batch = uuid.uuid4()
    now = datetime.now(UTC).isoformat()
    base = {
        "format": "zerowaste.event/1",
        "organization_id": str(organization.id),
        "site_id": str(site.id),
        "event_time": now,
    }
    events = [
        base
        | {
            "event_id": str(uuid.uuid4()),
            "event_type": "generated",
            "outputs": [line(batch, "40", waste_code=CODE)],
        },
        base
        | {
            "event_id": str(uuid.uuid4()),
            "event_type": "inspected",
            "inputs": [line(batch, "38")],
            "conditions": ["包装破损"],
        },
    ]
    event_file = tmp_path / "events.json"
    event_file.write_text(json.dumps({"events": events}), encoding="utf-8")
    code, out = invoke("capture", "custodial", str(event_file), "--json")
    assert code == 0, out
    assert [r["status"] for r in json.loads(out)] == ["stored", "stored"]
    code, out = invoke("capture", "inspections", str(site.id), "--json")
    assert code == 0, out
    [row] = json.loads(out)
    assert (row["batch_or_code"], row["ledger_kg"], row["gap_kg"]) == (str(batch), "40", "-2")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(base | {"event_id": "x", "event_type": "generated"}), "utf-8")
    code, out = invoke("capture", "custodial", str(bad))
    assert code == 65
    assert "event_id" in out
    assert invoke("capture", "inspections", "not-a-site")[0] == 65
