"""`zerowaste market admission` through the CLI: set from a file or defaults, show, check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from tests.admission_world import EXPECTED_2026, build_admission_world
from tests.e2e.test_admission_api import RULES
from tests.e2e.test_capture_cli import cli_context
from tests.factories import Factory
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app
from zerowaste.domain.admission import SupplierIndicator

__all__ = ["cli_context"]

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["market", "admission", *args])
    return result.exit_code, result.output


def test_set_show_and_check(cli_context: Context, tmp_path: Path) -> None:
    world = build_admission_world(Factory(cli_context))
    master = str(world.master_id)
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps(RULES), encoding="utf-8")
    code, out = invoke("set", master, "--file", str(rules_file))
    assert code == 0, out
    assert "Rules version 1" in out
    code, out = invoke("show", master, "--json")
    assert code == 0, out
    shown = json.loads(out)
    assert shown["version"] == 1
    assert shown["criteria"][0]["threshold"] == "0.001"
    code, out = invoke("check", master, "--year", "2026", "--json")
    assert code == 0, out
    rows = {r["supplier_id"]: r for r in json.loads(out)}
    good = rows[str(world.supplier_id)]
    assert good["admitted"] is True
    rate = EXPECTED_2026[SupplierIndicator.UTILIZATION_RATE]
    assert Decimal(good["results"][1]["value"]) == rate
    assert rows[str(world.empty_supplier_id)]["admitted"] is False
    code, out = invoke("check", master, "--year", "2026")
    assert code == 0, out
    assert "1 of 2 admitted" in out
    code, out = invoke("set", master, "--defaults", "--json")
    assert code == 0, out
    defaults = json.loads(out)
    assert defaults["version"] == 2
    assert "licensed_hazardous_receivers" in {c["key"] for c in defaults["clauses"]}


def test_bad_files_name_the_field(cli_context: Context, tmp_path: Path) -> None:
    world = build_admission_world(Factory(cli_context))
    master = str(world.master_id)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"criteria": [{"indicator": "utilization_rate"}]}), "utf-8")
    code, out = invoke("set", master, "--file", str(bad))
    assert code == 65, out
    assert "criteria[0].comparator" in out
    bad.write_text("{not json", "utf-8")
    code, out = invoke("set", master, "--file", str(bad))
    assert code == 65
    assert "file:" in out
    code, out = invoke("set", master)
    assert code == 65
    code, out = invoke("check", master)
    assert code != 0
    assert "No admission rules" in out
