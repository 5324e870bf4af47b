"""`zerowaste indicators rank` and `chain-evaluation` through the CLI: tables, JSON, errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.e2e.test_capture_cli import cli_context
from tests.factories import Factory
from tests.scoring_world import CLOSENESS_A, CRITERIA, build_scoring_world
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["cli_context"]

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["indicators", *args])
    return result.exit_code, result.output


def test_rank_and_evaluate(cli_context: Context) -> None:
    world = build_scoring_world(Factory(cli_context))
    chain = str(world.master_id)
    criteria = ",".join(CRITERIA)
    code, out = invoke("rank", chain, "--year", "2026", "--criteria", criteria, "--json")
    assert code == 0, out
    body = json.loads(out)
    s = world.suppliers
    assert [r["supplier_id"] for r in body["suppliers"]] == [
        str(s["丙"]),
        str(s["甲"]),
        str(s["乙"]),
    ]
    assert body["suppliers"][1]["closeness"] == pytest.approx(CLOSENESS_A, abs=1e-5)
    code, out = invoke("rank", chain, "--year", "2026", "--criteria", criteria)
    assert code == 0, out
    assert "weights from entropy" in out
    assert "Not ranked" in out
    assert "no value for waste_intensity_t_per_10k_cny" in out
    weights = "waste_intensity_t_per_10k_cny:1,utilization_rate:1,disposal_share:2"
    code, out = invoke(
        "rank", chain, "--year", "2026", "--criteria", criteria, "--weights", weights
    )
    assert code == 0, out
    assert "weights from expert" in out
    assert "0.5000" in out
    code, out = invoke("chain-evaluation", chain, "--year", "2026", "--json")
    assert code == 0, out
    evaluation = json.loads(out)
    assert evaluation["aggregates"]["utilization_rate"] == "0.641026"
    assert len(evaluation["members"]) == 4
    code, out = invoke("chain-evaluation", chain, "--year", "2026")
    assert code == 0, out
    assert "39 t generated" in out


def test_errors_name_the_field(cli_context: Context) -> None:
    world = build_scoring_world(Factory(cli_context))
    chain = str(world.master_id)
    code, out = invoke("rank", chain, "--year", "2026", "--criteria", "nonsense")
    assert code != 0
    assert "criteria" in out
    code, out = invoke("rank", chain, "--year", "2026", "--weights", "utilization_rate:x")
    assert code != 0
    assert "weights" in out
    code, out = invoke("rank", chain, "--year", "2026", "--as", world.supplier_user.username)
    assert code != 0
