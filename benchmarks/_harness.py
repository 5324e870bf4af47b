"""Shared helpers for the benchmarks: timing, percentiles, argument parsing, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zerowaste.adapters.db.engine import temporary_schema


def parse_args(description: str) -> argparse.Namespace:
    """The flags every benchmark takes: --json OUT.json and --smoke."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    return parser.parse_args()


def latencies_ms(action: Callable[[], object], repeat: int) -> dict[str, float]:
    """Run `action` `repeat` times; return p50/p95/p99/mean latency in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()

    def pick(q: float) -> float:
        return round(samples[min(len(samples) - 1, int(q * len(samples)))], 4)

    return {
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(samples), 4),
        "n": repeat,
    }


def throughput(action: Callable[[], object], count: int) -> float:
    """Operations per second of `count` runs of `action`."""
    start = time.perf_counter()
    for _ in range(count):
        action()
    return round(count / (time.perf_counter() - start), 1)


def report(name: str, figures: dict[str, Any], out: Path | None) -> None:
    """Print the figures and write them (with the machine) to `out` if given."""
    document = {
        "benchmark": name,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")


def on_each_backend(measure: Callable[[str], Any], name: str) -> dict[str, Any]:
    """Run `measure(url)` on a fresh SQLite file and on a fresh PostgreSQL schema.

    PostgreSQL runs when ZEROWASTE_TEST_DATABASE_URL is set. Figures come back under
    `<name>_sqlite` and `<name>_postgresql`.
    """
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        figures[f"{name}_sqlite"] = measure(f"sqlite:///{Path(folder) / 'bench.db'}")
    base = os.environ.get("ZEROWASTE_TEST_DATABASE_URL")
    if base:
        with temporary_schema(base, f"zw_bench_{name}") as url:
            figures[f"{name}_postgresql"] = measure(url)
    else:
        figures[f"{name}_postgresql"] = "skipped: ZEROWASTE_TEST_DATABASE_URL not set"
    return figures
