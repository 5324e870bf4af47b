"""`zerowaste flows` through the CLI: a city's system, a file's system, a substance."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.carbon_world import build_carbon_world
from tests.e2e.test_capture_cli import cli_context
from tests.e2e.test_flows_api import PLANTED
from tests.factories import Factory
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["cli_context"]

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["flows", *args])
    return result.exit_code, result.output


def test_reconcile_a_file_names_the_suspect(cli_context: Context, tmp_path: Path) -> None:
    path = tmp_path / "system.json"
    path.write_text(json.dumps(PLANTED), encoding="utf-8")
    code, out = invoke("reconcile", str(path))
    assert code == 0, out
    assert "FAILED: gross error suspected" in out
    assert "suspect: ab" in out
    code, out = invoke("reconcile", str(path), "--json")
    assert code == 0, out
    assert json.loads(out)["suspects"][0] == "ab"


def test_reconcile_bad_file_names_the_field(cli_context: Context, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    bad = json.loads(json.dumps(PLANTED))
    bad["flows"][0]["sd"] = -2
    path.write_text(json.dumps(bad), encoding="utf-8")
    code, out = invoke("reconcile", str(path))
    assert code == 65
    assert "flows[0].sd" in out
    path.write_text("{not json", encoding="utf-8")
    code, out = invoke("reconcile", str(path))
    assert code == 65
    assert "file" in out


def test_city_system_and_substances(cli_context: Context) -> None:
    build_carbon_world(Factory(cli_context))
    code, out = invoke("system", "320500", "--period", "2026")
    assert code == 0, out
    assert "shipped" in out
    assert "χ²" in out
    code, out = invoke("system", "320500", "--period", "2026", "--json")
    assert code == 0, out
    body = json.loads(out)
    assert body["reconciliation"]["chi_square"]["degrees_of_freedom"] == 2
    code, out = invoke("substances", "320500", "--period", "2026", "--substance", "Cd")
    assert code == 0, out
    assert "Balances" in out
    code, out = invoke("substances", "320500", "--substance", "Hg")
    assert code == 65
    assert "substance" in out
    code, out = invoke("system", "999999")
    assert code == 65
    assert "region" in out
