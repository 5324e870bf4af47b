"""`zerowaste capture` end to end: keygen, register the key, sign offline, submit, refusals."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MASTER_KEY
from tests.factories import Factory
from tests.integration.test_capture import CODE, line, snapshot
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli_context(context: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    """The test database, reachable by the CLI through the environment."""
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", context.settings.database_url)
    monkeypatch.setenv("ZEROWASTE_MASTER_KEY", MASTER_KEY)
    return context


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_keygen_register_sign_submit(cli_context: Context, tmp_path: Path) -> None:
    factory = Factory(cli_context)
    organization = factory.organization()
    site = factory.site(organization)
    key_file = tmp_path / "firm.pem"
    code, public = invoke("capture", "keygen", "--out", str(key_file))
    assert code == 0, public
    public = public.strip().splitlines()[0]
    assert invoke("capture", "keygen", "--out", str(key_file))[0] == 73
    code, out = invoke("registry", "add-signing-key", str(organization.id), "--public-key", public)
    assert code == 0, out
    key_id = out.split()[1].rstrip(":")
    batch = uuid.uuid4()
    event = {
        "format": "zerowaste.event/1",
        "event_id": str(uuid.uuid4()),
        "event_type": "generated",
        "event_time": datetime.now(UTC).isoformat(),
        "organization_id": str(organization.id),
        "site_id": str(site.id),
        "outputs": [line(batch, "2.5", "TNE", waste_code=CODE)],
    }
    event_file, signed_file = tmp_path / "event.json", tmp_path / "signed.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    code, out = invoke(
        "capture",
        "sign",
        str(event_file),
        "--key",
        str(key_file),
        "--key-id",
        key_id,
        "--out",
        str(signed_file),
    )
    assert code == 0, out
    code, out = invoke("capture", "submit", str(signed_file), "--json")
    assert code == 0, out
    assert json.loads(out)[0]["status"] == "stored"
    code, out = invoke("capture", "submit", str(signed_file), "--json")
    assert json.loads(out)[0]["status"] == "already_stored"
    assert snapshot(cli_context)[:2] == (1, 1)

    body = json.loads(signed_file.read_text(encoding="utf-8"))
    body["events"][0]["event"]["note"] = "other bytes"
    signed_file.write_text(json.dumps(body), encoding="utf-8")
    code, out = invoke("capture", "submit", str(signed_file))
    assert code == 65
    assert "events[0].signature.value" in out
    event["note"] = "other bytes"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    invoke(
        "capture",
        "sign",
        str(event_file),
        "--key",
        str(key_file),
        "--key-id",
        key_id,
        "--out",
        str(signed_file),
    )
    code, out = invoke("capture", "submit", str(signed_file))
    assert code == 73
    assert "events[0].event.event_id" in out
    assert snapshot(cli_context)[:2] == (1, 1)
