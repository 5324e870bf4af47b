"""`zerowaste indicators` through the CLI: registry, firm and city values, statistics upload."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from tests.admission_world import build_admission_world
from tests.e2e.test_capture_cli import cli_context
from tests.factories import Factory
from tests.integration.test_indicators import STATS, pct
from zerowaste.bootstrap import Context
from zerowaste.cli.main import app

__all__ = ["cli_context"]

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["indicators", *args])
    return result.exit_code, result.output


def test_list_show_values_city_and_statistics(cli_context: Context, tmp_path: Path) -> None:
    world = build_admission_world(Factory(cli_context))
    code, out = invoke("list", "--json")
    assert code == 0, out
    assert "general_iswu_rate" in {d["indicator_id"] for d in json.loads(out)}
    code, out = invoke("show", "general_iswu_rate")
    assert code == 0, out
    assert "一般工业固体废物综合利用率" in out
    code, out = invoke("values", "firm", str(world.supplier_id), "--period", "2026", "--json")
    assert code == 0, out
    rows = {r["indicator_id"]: r for r in json.loads(out)}
    assert Decimal(rows["general_iswu_rate"]["value"]) == pct("2000", "3000")
    stats = tmp_path / "stats.csv"
    stats.write_text(STATS, encoding="utf-8")
    code, out = invoke("statistics-import", str(stats))
    assert code == 0, out
    assert "Imported 5" in out
    code, out = invoke("city", "320500", "--period", "2026", "--json")
    assert code == 0, out
    city = {r["indicator_id"]: r for r in json.loads(out)}
    assert Decimal(city["policy_strength"]["value"]) == Decimal("0.75")
    assert city["general_iswu_rate"]["target"]["met"] is False
    code, out = invoke("city", "320500", "--period", "2026")
    assert code == 0, out
    assert "general_iswu_rate" in out
    code, out = invoke("statistics", "320500", "--year", "2026", "--json")
    assert code == 0, out
    assert len(json.loads(out)) == 5


def test_bad_input_exits_65_naming_the_field(cli_context: Context, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("region_code,year,statistic,value,source\n320500,20x6,gdp_cny,1,x\n", "utf-8")
    code, out = invoke("statistics-import", str(bad))
    assert code == 65
    assert "row 2: year" in out
    code, out = invoke("city", "320500", "--period", "last year")
    assert code == 65
    assert "period" in out
    code, out = invoke("show", "nope")
    assert code == 65
    assert "indicator_id" in out
    code, out = invoke("statistics", "320500", "--json")
    assert code == 0
    assert json.loads(out) == []
