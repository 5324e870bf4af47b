"""Every benchmark runs in --smoke mode and writes its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FOLDER = Path(__file__).resolve().parent.parent / "benchmarks"
#: These have their own tests below, which also check their figures.
OWN_TESTS = {
    "bench_oversight",
    "bench_lca",
    "bench_mfa",
    "bench_scoring",
    "bench_panel",
    "bench_forecast",
    "bench_indicators",
}
BENCHMARKS = sorted(p for p in FOLDER.glob("bench_*.py") if p.stem not in OWN_TESTS)


def smoke_figures(script: Path, tmp_path: Path) -> dict[str, Any]:
    """Run a benchmark in --smoke mode and return the figures it wrote."""
    out = tmp_path / "figures.json"
    completed = subprocess.run(
        [sys.executable, str(script), "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))["figures"]
    return figures


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.stem)
def test_benchmark_smoke(script: Path, tmp_path: Path) -> None:
    assert smoke_figures(script, tmp_path)


def test_oversight_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_oversight.py", tmp_path)
    sweep, rows = figures["sweep_sqlite"], figures["sizes_sqlite"]["rows"]
    assert sweep["events"] == rows["events"] >= 1000
    assert sweep["dangling_references"] == 0
    assert rows["manifests"] % sweep["tiles"] == 0
    for name in ("sweep_first", "sweep_repeat"):
        if isinstance(sweep.get(name), dict):
            assert sum(sweep[name]["by_rule"].values()) == sweep[name]["findings"]
    if isinstance(sweep.get("sweep_repeat"), dict):
        assert sweep["sweep_repeat"]["raised"] == 0


def test_lca_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_lca.py", tmp_path)
    assert figures["system"]["largest_loop_processes"] > 1
    assert figures["first_solve"]["relative_difference"] <= 1e-9
    assert figures["later_demands"]["relative_difference"] <= 1e-9
    monte_carlo = figures["monte_carlo"]
    best = monte_carlo["bw2calc"][monte_carlo["bw2calc_fastest_correct"]]
    assert best["max_relative_difference"] <= 1e-9
    assert monte_carlo["iterations"] >= 10


def test_mfa_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_mfa.py", tmp_path)
    assert figures["system"]["flows"] >= 50
    assert figures["scipy_trust_constr"]["max_relative_difference"] <= 1e-6
    assert figures["chi_square"]["degrees_of_freedom"] == figures["system"]["redundancy"] > 0
    assert figures["planted"]["flagged"]
    assert figures["planted"]["named_first"]


def test_scoring_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_scoring.py", tmp_path)
    assert figures["full"]["ranked"] == figures["suppliers"]
    assert figures["full"]["max_abs_difference_vs_reference"] <= 1e-12
    gappy = figures["missing_5pct"]
    assert gappy["ranked"] + gappy["excluded"] == figures["suppliers"]
    assert gappy["weights_sum"] == 1.0


def test_panel_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_panel.py", tmp_path)
    assert figures["rows"] == figures["csv_rows"] > 1000
    assert figures["differences"]["coef_ours_vs_pyfixest"] <= 1e-6
    assert figures["differences"]["coef_ours_vs_linearmodels"] <= 1e-6
    assert figures["differences"]["se_iid_ours_vs_linearmodels_relative"] <= 1e-6
    assert set(figures["fit_s"]) >= {"ours_iid", "pyfixest_iid", "linearmodels_unadjusted"}


def test_forecast_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_forecast.py", tmp_path)
    assert figures["series"] == sum(figures["chosen"].values())
    assert figures["raw_statsforecast_forecast"]["rows"] == figures["series"] * figures["horizon"]
    assert figures["ours_forecast_many"]["seconds"] > 0


def test_indicators_benchmark_smoke(tmp_path: Path) -> None:
    figures = smoke_figures(FOLDER / "bench_indicators.py", tmp_path)
    city = figures["city_set_sqlite"]
    assert city["events_read"] == city["events"] >= 1000
    assert city["fact_lines"] > 0
    assert city["city_indicators"] >= 10
    assert city["city_indicators_computed"] >= 5
    assert city["refresh_cold_s"] > 0
