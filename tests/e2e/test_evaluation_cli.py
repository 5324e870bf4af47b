"""`zerowaste evaluate` through the CLI: import, list, model tables, mediation, event study."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.admission_world import build_admission_world
from tests.e2e.test_capture_cli import cli_context
from tests.evaluation_world import grunfeld_csv, mediation_panel, staggered_panel
from tests.factories import Factory
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["cli_context"]

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["evaluate", *args])
    return result.exit_code, result.output


def test_import_list_and_model_tables(cli_context: Context, tmp_path: Path) -> None:
    csv_file = tmp_path / "grunfeld.csv"
    csv_file.write_text(grunfeld_csv(), encoding="utf-8")
    code, out = invoke("dataset-import", "grunfeld", str(csv_file), "--source", "statsmodels")
    assert code == 0, out
    assert "200 rows" in out
    code, out = invoke("datasets", "--json")
    assert code == 0, out
    assert [d["name"] for d in json.loads(out)] == ["grunfeld"]
    code, out = invoke("dataset", "grunfeld")
    assert code == 0, out
    assert "(balanced)" in out
    code, out = invoke("dataset", "grunfeld", "--json")
    assert code == 0, out
    detail = json.loads(out)
    assert detail["balance"] == {
        "firms": 10, "cities": 1, "years": 20, "first_year": 1935, "last_year": 1954,
        "rows": 200, "balanced": True,
    }  # fmt: skip
    assert detail["preview"][0]["firm"] == "Atlantic Refining"
    assert detail["variables"] == ["invest", "value", "capital"]
    args = ["model", "grunfeld", "--outcome", "invest", "--regressor", "value"]
    args += ["--regressor", "capital", "--fe", "firm", "--cluster", "firm"]
    code, out = invoke(*args)
    assert code == 0, out
    assert "0.1101***" in out
    assert "(0.0119)" in out
    assert "(0.0152)" in out
    for fmt, start in (("csv", ",(1),(2)"), ("latex", r"\begin{tabular}"), ("html", "<table")):
        code, out = invoke(*args, "--format", fmt)
        assert code == 0, out
        assert out.startswith(start), out
    code, out = invoke(*args[:-2], "--fe", "year", "--json")
    assert code == 0, out
    (two_way,) = json.loads(out)["models"]
    assert abs(two_way["coefficients"][1]["se"] - 0.022719) < 1e-6


def test_errors_name_the_field(cli_context: Context, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("firm,city,year,y\nA,S,2020,1\nA,S,2020,2\n", encoding="utf-8")
    code, out = invoke("dataset-import", "bad", str(bad), "--source", "x")
    assert code == 65
    assert "row 3: year" in out
    code, out = invoke("datasets", "--json")
    assert json.loads(out) == []
    code, out = invoke("model", "nope", "--outcome", "y", "--regressor", "x")
    assert code != 0
    assert "dataset" in out
    code, out = invoke("dataset-import", "x", str(tmp_path / "missing.csv"), "--source", "s")
    assert code == 65
    assert "file" in out


def test_mediation_event_study_and_platform_panel(cli_context: Context, tmp_path: Path) -> None:
    for name, panel in (("med", mediation_panel()), ("pilot", staggered_panel())):
        path = tmp_path / f"{name}.csv"
        path.write_text(panel.to_csv(), encoding="utf-8")
        assert invoke("dataset-import", name, str(path), "--source", "simulated")[0] == 0
    code, out = invoke(
        "mediation", "med", "--outcome", "y", "--treatment", "d", "--mediator", "m",
        "--control", "x", "--cluster", "firm", "--replicates", "20", "--seed", "1",
    )  # fmt: skip
    assert code == 0, out
    assert "Sobel z" in out
    assert "Cluster bootstrap by firm (20 draws, seed 1)" in out
    code, out = invoke(
        "event-study", "pilot", "--outcome", "y", "--cohort", "pilot_year", "--cluster", "city",
        "--json",
    )  # fmt: skip
    assert code == 0, out
    assert {e["estimator"] for e in json.loads(out)["estimates"]} == {"twfe", "did2s"}
    code, out = invoke("event-study", "pilot", "--outcome", "y", "--cohort", "pilot_year")
    assert code == 0, out
    assert "Pre-trend F" in out
    build_admission_world(Factory(cli_context))
    code, out = invoke("platform-panel", "platform", "--year", "2026", "--year", "2027")
    assert code == 0, out
    assert "firm-years" in out
