"""`zerowaste ledger` end to end: checkpoint, prove, verify offline, audit with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MASTER_KEY
from tests.integration.test_ledger_store import TAMPERING, append, tampered_log
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.ledger.checkpoints import Checkpoint

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


def test_checkpoint_prove_and_verify_offline(
    cli_context: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = append(cli_context, 6)
    code, note = invoke("ledger", "checkpoint")
    assert code == 0, note
    assert note.startswith(f"{cli_context.settings.ledger_origin}\n6\n")
    code, vkey = invoke("ledger", "verifier-key")
    assert code == 0
    assert vkey.startswith(cli_context.settings.ledger_origin + "+")
    receipt = tmp_path / "receipt.json"
    code, out = invoke("ledger", "prove", str(entries[4].id), "--out", str(receipt))
    assert code == 0, out
    key_file = tmp_path / "log.vkey"
    key_file.write_text(vkey, encoding="utf-8")
    monkeypatch.setenv("ZEROWASTE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, out = invoke("ledger", "verify", str(receipt), "--key", vkey.strip())
    assert code == 0, out
    assert "valid" in out
    assert "leaf 4" in out
    assert "size 6" in out
    code, out = invoke("ledger", "verify", str(receipt), "--key", str(key_file))
    assert code == 0, out


def _forged(receipt: dict[str, object], case: str) -> dict[str, object]:
    forged = json.loads(json.dumps(receipt))
    if case == "event":
        forged["event"]["mass_kg"] = "1.000"  # type: ignore[index]
    elif case == "proof":
        forged["inclusion_proof"][0] = forged["inclusion_proof"][1]  # type: ignore[index]
    elif case == "checkpoint":
        body = Checkpoint.parse_body(str(forged["checkpoint"]).split("\n\n")[0] + "\n")
        forged["checkpoint"] = str(forged["checkpoint"]).replace(f"\n{body.size}\n", "\n99\n")
    elif case == "index":
        forged["leaf_index"] = 1
    elif case == "format":
        del forged["public_key"]
    return forged


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("event", "signature"),
        ("proof", "inclusion proof"),
        ("checkpoint", "signature"),
        ("index", "inclusion proof"),
        ("format", "malformed receipt"),
    ],
)
def test_verify_names_what_failed(
    cli_context: Context, tmp_path: Path, case: str, named: str
) -> None:
    entries = append(cli_context, 5)
    receipt = cli_context.ledger.receipt(entries[2].id).to_json()
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(_forged(receipt, case)), encoding="utf-8")
    code, out = invoke("ledger", "verify", str(path), "--key", cli_context.ledger.verifier_key())
    assert code == 65, out
    assert named in out


def test_verify_refuses_a_bad_key_or_file(cli_context: Context, tmp_path: Path) -> None:
    entries = append(cli_context, 2)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(cli_context.ledger.receipt(entries[0].id).to_json()))
    other = "other/log+0badc0de+AQ" + "A" * 42 + "="
    assert invoke("ledger", "verify", str(path), "--key", other)[0] == 65
    assert invoke("ledger", "verify", str(tmp_path / "none.json"), "--key", other)[0] == 65
    code, out = invoke("ledger", "prove", "00000000-0000-0000-0000-000000000001")
    assert code == 66, out


def test_audit_clean_exits_zero(cli_context: Context) -> None:
    append(cli_context, 40)
    cli_context.ledger.checkpoint()
    code, out = invoke("ledger", "audit")
    assert code == 0, out
    assert "clean" in out
    assert "40 entries" in out


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_audit_names_tampering_and_exits_one(cli_context: Context, case: str) -> None:
    expected = tampered_log(cli_context, case)
    code, out = invoke("ledger", "audit", "--batch", "100")
    assert code == 1, out
    for index, kind in expected.items():
        assert f"index {index}: {kind}:" in out
